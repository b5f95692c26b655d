package io.faultline.classifier.grouping.template;

/**
 * Masked token sequence to the cluster it joined: an open-addressing table on the 64-bit signature hash, with the
 * sequence itself kept to rule out hash collisions. Derived state (rebuilt from the buckets on demand), never persisted.
 */
final class SignatureIndex {

    private static final class Entry {
        final String[] tokens;
        TemplateCluster cluster;
        Entry next;

        Entry(String[] tokens, TemplateCluster cluster, Entry next) {
            this.tokens = tokens;
            this.cluster = cluster;
            this.next = next;
        }
    }

    /**
     * Distinct masked sequences kept per scope before the index starts over; it is a cache, and a scope whose
     * messages keep producing new word variants must not grow it without bound.
     */
    static final int MAX_ENTRIES = 1 << 18;

    private long[] keys = new long[1024];
    private Entry[] entries = new Entry[1024];
    private int size;

    TemplateCluster get(long hash, ScannedMessage scanned) {
        int mask = keys.length - 1;
        for (int i = slot(hash, mask); entries[i] != null; i = (i + 1) & mask) {
            if (keys[i] == hash) {
                for (Entry e = entries[i]; e != null; e = e.next) {
                    if (scanned.sameTokens(e.tokens)) return e.cluster;
                }
                return null;
            }
        }
        return null;
    }

    void put(long hash, String[] tokens, TemplateCluster cluster) {
        if (size >= MAX_ENTRIES) {
            keys = new long[1024];
            entries = new Entry[1024];
            size = 0;
        }
        if ((size + 1) * 2 > keys.length) grow();
        int mask = keys.length - 1;
        int i = slot(hash, mask);
        while (entries[i] != null && keys[i] != hash) i = (i + 1) & mask;
        if (entries[i] == null) {
            keys[i] = hash;
            size++;
        }
        entries[i] = new Entry(tokens, cluster, entries[i]);
    }

    private void grow() {
        long[] oldKeys = keys;
        Entry[] oldEntries = entries;
        keys = new long[oldKeys.length * 2];
        entries = new Entry[oldEntries.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldEntries[j] == null) continue;
            int i = slot(oldKeys[j], mask);
            while (entries[i] != null) i = (i + 1) & mask;
            keys[i] = oldKeys[j];
            entries[i] = oldEntries[j];
        }
    }

    private static int slot(long hash, int mask) {
        return (int) (hash ^ (hash >>> 32)) & mask;
    }
}
