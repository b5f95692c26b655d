package io.faultline.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds any of many needles in bytes in one pass, ignoring ASCII case: every needle is keyed by
 * its last eight bytes, and a rolling eight-byte window is looked up in an open-addressing table
 * at each position. Thousands of needles over hundreds of megabytes cost about a second, where a
 * search per needle would cost hours.
 */
final class NeedleScanner {

    /** What a hit reports: the needle's owner and where it was found. */
    interface Hits<T> {
        void found(T owner, String needle);
    }

    private record Needle<T>(T owner, String text, byte[] bytes) {}

    private final long[] keys;
    private final List<List<Needle<Object>>> buckets;
    private final int mask;
    private final int longest;

    <T> NeedleScanner(List<T> owners, java.util.function.Function<T, List<String>> needlesOf) {
        List<Needle<Object>> all = new ArrayList<>();
        int max = 8;
        for (T owner : owners) {
            for (String n : needlesOf.apply(owner)) {
                byte[] b = n.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
                if (b.length < 8) {
                    throw new IllegalArgumentException("needle shorter than 8 bytes: " + n);
                }
                all.add(new Needle<>(owner, n, b));
                max = Math.max(max, b.length);
            }
        }
        int size = Integer.highestOneBit(Math.max(16, all.size() * 4)) * 2;
        keys = new long[size];
        buckets = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            buckets.add(null);
        }
        mask = size - 1;
        longest = max;
        for (Needle<Object> n : all) {
            long key = 0;
            for (int i = n.bytes.length - 8; i < n.bytes.length; i++) {
                key = (key << 8) | (n.bytes[i] & 0xFF);
            }
            int slot = slot(key);
            while (keys[slot] != 0 && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            if (buckets.get(slot) == null) {
                buckets.set(slot, new ArrayList<>());
            }
            buckets.get(slot).add(n);
        }
    }

    int longest() {
        return longest;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b & 0xFF;
    }

    /** Reports every needle that ends in {@code [from, to)} and starts at or after {@code start}. */
    @SuppressWarnings("unchecked")
    <T> void scan(byte[] data, int start, int from, int to, Hits<T> hits) {
        long window = 0;
        int begin = Math.max(start, from - 7);
        for (int i = begin; i < to; i++) {
            window = (window << 8) | lower(data[i]);
            if (i < from || i - begin < 7) {
                continue;
            }
            int slot = slot(window);
            while (keys[slot] != 0) {
                if (keys[slot] == window) {
                    for (Needle<Object> n : buckets.get(slot)) {
                        int s = i - n.bytes.length + 1;
                        if (s >= start && matches(data, s, n.bytes)) {
                            hits.found((T) n.owner, n.text);
                        }
                    }
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
    }

    <T> void scan(byte[] data, Hits<T> hits) {
        scan(data, 0, 0, data.length, hits);
    }

    <T> void scan(String text, Hits<T> hits) {
        if (text != null) {
            scan(text.getBytes(StandardCharsets.UTF_8), hits);
        }
    }

    /** Scans a stream of any size in chunks that overlap by the longest needle. */
    <T> void scan(InputStream in, Hits<T> hits) throws IOException {
        int overlap = longest - 1;
        byte[] buf = new byte[4 * 1024 * 1024 + overlap];
        int kept = 0;
        while (true) {
            int n = in.readNBytes(buf, kept, buf.length - kept);
            if (n <= 0) {
                return;
            }
            int end = kept + n;
            // positions before `kept` were already checked as needle ends in the previous chunk
            scan(buf, 0, kept, end, hits);
            int keep = Math.min(overlap, end);
            System.arraycopy(buf, end - keep, buf, 0, keep);
            kept = keep;
        }
    }

    private static boolean matches(byte[] data, int s, byte[] needle) {
        for (int j = 0; j < needle.length; j++) {
            if (lower(data[s + j]) != (needle[j] & 0xFF)) {
                return false;
            }
        }
        return true;
    }
}
