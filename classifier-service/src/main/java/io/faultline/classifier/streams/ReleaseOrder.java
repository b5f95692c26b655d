package io.faultline.classifier.streams;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Which of a project's releases came later, for "resolve in next release" (docs/releases.md): two
 * releases that both read as semantic versions of the same package compare as versions
 * ({@code 1.10.0} after {@code 1.9.2}); any other pair compares by the order the project first
 * showed them in (its first event carrying each). The first-seen order is kept in a changelogged
 * store, per project (the task owns the project), plus a per-task copy in memory so that the
 * per-event question "is this release new to the project?" is two hash lookups, not a store read.
 * A project is given at most {@link #MAX_PER_PROJECT} releases: one whose SDK sends a new release
 * string per event must not grow the store without end; a release past the cap has no first-seen
 * order, and compares only as a version.
 */
final class ReleaseOrder {

    static final int MAX_PER_PROJECT = 10_000;
    private static final char SEP = '\u0000';

    private final KeyValueStore<String, Long> store;
    private final Map<String, Map<String, Long>> known = new HashMap<>();
    private long next;

    /** Every release of the task's projects: the events stage asks about each event's. */
    ReleaseOrder(KeyValueStore<String, Long> store) {
        this(store, store.all());
    }

    /** One project's releases, read when an operator's resolve needs them (rare). */
    static ReleaseOrder ofProject(KeyValueStore<String, Long> store, String project) {
        return new ReleaseOrder(store, store.prefixScan(project + SEP, new StringSerializer()));
    }

    private ReleaseOrder(KeyValueStore<String, Long> store, KeyValueIterator<String, Long> entries) {
        this.store = store;
        try (KeyValueIterator<String, Long> all = entries) {
            all.forEachRemaining(kv -> {
                int sep = kv.key.indexOf(SEP);
                known.computeIfAbsent(kv.key.substring(0, sep), p -> new HashMap<>())
                        .put(kv.key.substring(sep + 1), kv.value);
                next = Math.max(next, kv.value + 1);
            });
        }
    }

    /** @return whether the project shows this release for the first time (now recorded) */
    boolean firstSeen(String project, String release) {
        if (release == null) {
            return false;
        }
        Map<String, Long> releases = known.get(project);
        if (releases == null) {
            releases = new HashMap<>();
            known.put(project, releases);
        } else if (releases.containsKey(release) || releases.size() >= MAX_PER_PROJECT) {
            return false;
        }
        long seq = next++;
        releases.put(release, seq);
        store.put(project + SEP + release, seq);
        return true;
    }

    /** Whether {@code release} came after {@code than} in the project; an event without a release never did. */
    boolean later(String project, String release, String than) {
        if (release == null || than == null || release.equals(than)) {
            return false;
        }
        int byVersion = compareVersions(release, than);
        if (byVersion != 0) {
            return byVersion > 0;
        }
        Map<String, Long> releases = known.get(project);
        Long a = releases == null ? null : releases.get(release);
        Long b = releases == null ? null : releases.get(than);
        // a release the project never showed (named by the operator ahead of time) is before any it did
        return a != null && (b == null || a > b);
    }

    /** Whether any release the project showed came after {@code than}. */
    boolean anyLater(String project, String than) {
        Map<String, Long> releases = known.get(project);
        if (releases == null) {
            return false;
        }
        for (String release : releases.keySet()) {
            if (later(project, release, than)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Positive when {@code a} is the later version, negative when {@code b} is, 0 when either is not
     * a version, they name different packages, or they are the same version (build metadata aside).
     */
    static int compareVersions(String a, String b) {
        int atA = a.lastIndexOf('@');
        int atB = b.lastIndexOf('@');
        if (!a.substring(0, atA + 1).equals(b.substring(0, atB + 1))) {
            return 0; // different packages: not versions of one thing
        }
        Version va = Version.parse(a.substring(atA + 1));
        Version vb = Version.parse(b.substring(atB + 1));
        return va == null || vb == null ? 0 : va.compareTo(vb);
    }

    /** A semantic version, leniently: {@code v} allowed, one to four numeric parts, a pre-release, build metadata. */
    record Version(long[] parts, String preRelease) implements Comparable<Version> {

        static Version parse(String text) {
            String s = text.startsWith("v") || text.startsWith("V") ? text.substring(1) : text;
            int plus = s.indexOf('+');
            if (plus >= 0) {
                s = s.substring(0, plus);
            }
            String pre = null;
            int dash = s.indexOf('-');
            if (dash >= 0) {
                pre = s.substring(dash + 1);
                s = s.substring(0, dash);
                if (pre.isEmpty()) {
                    return null;
                }
            }
            String[] numbers = s.split("\\.", -1);
            if (numbers.length > 4) {
                return null;
            }
            long[] parts = new long[4];
            for (int i = 0; i < numbers.length; i++) {
                String n = numbers[i];
                if (n.isEmpty() || n.length() > 18) {
                    return null;
                }
                for (int c = 0; c < n.length(); c++) {
                    if (n.charAt(c) < '0' || n.charAt(c) > '9') {
                        return null;
                    }
                }
                parts[i] = Long.parseLong(n);
            }
            return new Version(parts, pre);
        }

        @Override
        public int compareTo(Version o) {
            for (int i = 0; i < parts.length; i++) {
                int c = Long.compare(parts[i], o.parts[i]);
                if (c != 0) {
                    return c;
                }
            }
            if (preRelease == null || o.preRelease == null) {
                // 1.0.0-rc.1 comes before 1.0.0
                return preRelease == null ? (o.preRelease == null ? 0 : 1) : -1;
            }
            return comparePreRelease(preRelease, o.preRelease);
        }

        /** Semver's precedence: dot-separated identifiers, numeric ones numerically and before words. */
        private static int comparePreRelease(String a, String b) {
            String[] x = a.split("\\.");
            String[] y = b.split("\\.");
            for (int i = 0; i < Math.min(x.length, y.length); i++) {
                boolean nx = x[i].chars().allMatch(Character::isDigit) && x[i].length() < 19;
                boolean ny = y[i].chars().allMatch(Character::isDigit) && y[i].length() < 19;
                int c = nx && ny
                        ? Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]))
                        : nx ? -1 : ny ? 1 : x[i].compareTo(y[i]);
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.length, y.length);
        }
    }
}
