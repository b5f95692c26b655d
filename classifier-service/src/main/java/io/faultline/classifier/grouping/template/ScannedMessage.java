package io.faultline.classifier.grouping.template;

import java.util.Arrays;

/**
 * The masked token sequence of one message, kept as offsets into the message so that scanning allocates nothing.
 * Reused from message to message by one thread; strings are only made when a new template must be learned.
 */
final class ScannedMessage {

    static final byte LITERAL = 0;
    /** The whole token is a variable. */
    static final byte WILDCARD = 1;
    /** {@code key=} or {@code key:} stays, the value after it is a variable. */
    static final byte KEYED = 2;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long WILDCARD_HASH = 0x9e3779b97f4a7c15L;

    private String message;
    private char[] chars = new char[256];
    private int count;
    private int[] starts = new int[32];
    private int[] cuts = new int[32];
    private byte[] kinds = new byte[32];

    void reset(String message) {
        this.message = message;
        this.count = 0;
        if (chars.length < message.length()) chars = new char[Math.max(message.length(), chars.length * 2)];
        message.getChars(0, message.length(), chars, 0);
    }

    /** The message's characters, copied once so that scanning reads a plain array. */
    char[] chars() {
        return chars;
    }

    /** @param cut end of the literal part: {@code end} for a literal, the value's start for a keyed token */
    void add(int start, int end, byte kind, int cut) {
        // a masked value continues through the masked tokens after it: "at 12:00:01 2005", "node-[27\\ 191]"
        if (kind == WILDCARD && count > 0 && kinds[count - 1] != LITERAL) return;
        // a list of records ("node-1 <ok> node-2 <ok> …", "a=1 b a=2 b"): a pair that repeats the pair before it,
        // one of them a value, is the same variable again, so a list of any length has one template
        if (count >= 3
                && sameToken(count - 2, start, kind == WILDCARD ? start : cut, kind)
                && sameToken(count - 3, starts[count - 1], cuts[count - 1], kinds[count - 1])
                && (kind != LITERAL || kinds[count - 1] != LITERAL)) {
            count--;
            return;
        }
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            cuts = Arrays.copyOf(cuts, count * 2);
            kinds = Arrays.copyOf(kinds, count * 2);
        }
        starts[count] = start;
        cuts[count] = kind == WILDCARD ? start : cut;
        kinds[count] = kind;
        count++;
    }

    /** Whether token {@code t} has the kind and literal text of the token at {@code start..cut} of the message. */
    private boolean sameToken(int t, int start, int cut, byte kind) {
        if (kinds[t] != kind || cuts[t] - starts[t] != cut - start) return false;
        for (int a = starts[t], b = start; a < cuts[t]; a++, b++) {
            if (chars[a] != chars[b]) return false;
        }
        return true;
    }

    int size() {
        return count;
    }

    /** A 64-bit hash of the masked sequence (not of the raw message). */
    long signatureHash() {
        long h = FNV_OFFSET ^ count;
        for (int t = 0; t < count; t++) {
            for (int k = starts[t], end = cuts[t]; k < end; k++) {
                h = (h ^ chars[k]) * FNV_PRIME;
            }
            if (kinds[t] != LITERAL) h = (h ^ WILDCARD_HASH) * FNV_PRIME;
            h = (h ^ 0x1f) * FNV_PRIME;
        }
        return h ^ (h >>> 29);
    }

    /** Whether this masked sequence equals {@code tokens} (as made by {@link #tokens()}), without allocating. */
    boolean sameTokens(String[] tokens) {
        if (tokens.length != count) return false;
        for (int t = 0; t < count; t++) {
            String token = tokens[t];
            int literal = cuts[t] - starts[t];
            int expected = kinds[t] == LITERAL ? literal : literal + MessageScanner.WILDCARD.length();
            if (token.length() != expected || !message.regionMatches(starts[t], token, 0, literal)) return false;
            if (kinds[t] != LITERAL && !token.startsWith(MessageScanner.WILDCARD, literal)) return false;
        }
        return true;
    }

    String[] tokens() {
        String[] out = new String[count];
        for (int t = 0; t < count; t++) {
            out[t] = switch (kinds[t]) {
                case LITERAL -> message.substring(starts[t], cuts[t]);
                case WILDCARD -> MessageScanner.WILDCARD;
                default -> message.substring(starts[t], cuts[t]) + MessageScanner.WILDCARD;
            };
        }
        return out;
    }
}
