package io.faultline.impact.sourcemap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A decoded source map (revision 3, https://tc39.es/ecma426/): the {@code mappings} of every
 * generated line, with {@code sources}, {@code sourcesContent} and {@code names}. An index map
 * ({@code sections}) is decoded section by section, each at its offset.
 *
 * <p>The mappings are kept as one int array per generated line, five ints a segment (generated
 * column, source, original line, original column, name or -1), sorted by column as the format
 * writes them: a large bundle's map costs a few ints per token instead of an object per token.
 * Lines and columns are zero-based here, as in the format; callers convert from the one-based
 * lineno/colno of a stack frame.
 */
public final class SourceMap {

    /** Where a generated position came from; {@code name} is the token's original name or null. */
    public record Original(String source, int line, int column, String name, String content) {}

    private static final int STRIDE = 5;
    private static final int[] NO_SEGMENTS = new int[0];

    private final String[] sources;
    private final String[] contents;
    private final String[] names;
    private final int[][] lines;
    /** For an index map: its sections, each with its offset; then the fields above are empty. */
    private final List<Section> sections;

    private record Section(int line, int column, SourceMap map) {}

    private SourceMap(String[] sources, String[] contents, String[] names, int[][] lines, List<Section> sections) {
        this.sources = sources;
        this.contents = contents;
        this.names = names;
        this.lines = lines;
        this.sections = sections;
    }

    public static SourceMap parse(byte[] json, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (IOException e) {
            throw new InvalidSourceMapException("not JSON: " + e.getMessage());
        }
        return parse(root);
    }

    static SourceMap parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidSourceMapException("not a JSON object");
        }
        if (root.has("sections")) {
            List<Section> sections = new ArrayList<>();
            for (JsonNode s : root.get("sections")) {
                JsonNode offset = s.path("offset");
                if (!s.has("map")) {
                    throw new InvalidSourceMapException(
                            "a section without an embedded map (url sections are not supported)");
                }
                sections.add(new Section(
                        offset.path("line").asInt(0), offset.path("column").asInt(0), parse(s.get("map"))));
            }
            return new SourceMap(new String[0], new String[0], new String[0], new int[0][], sections);
        }
        JsonNode mappings = root.get("mappings");
        if (mappings == null || !mappings.isTextual()) {
            throw new InvalidSourceMapException("mappings missing or not a string");
        }
        String sourceRoot = root.path("sourceRoot").asText("");
        String prefix = sourceRoot.isEmpty() || sourceRoot.endsWith("/") ? sourceRoot : sourceRoot + "/";
        String[] sources = texts(root.get("sources"), prefix);
        String[] contents = texts(root.get("sourcesContent"), "");
        String[] names = texts(root.get("names"), "");
        return new SourceMap(
                sources, contents, names, decode(mappings.asText(), sources.length, names.length), List.of());
    }

    private static String[] texts(JsonNode array, String prefix) {
        if (array == null || !array.isArray()) {
            return new String[0];
        }
        String[] out = new String[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode n = array.get(i);
            out[i] = n == null || n.isNull() ? null : prefix + n.asText();
        }
        return out;
    }

    /** Base64 VLQ: each field relative to the same field of the previous segment (column: of the line). */
    private static int[][] decode(String m, int sourceCount, int nameCount) {
        List<int[]> lines = new ArrayList<>();
        int[] line = new int[STRIDE * 8];
        int used = 0;
        int source = 0;
        int origLine = 0;
        int origCol = 0;
        int name = 0;
        int[] fields = new int[5];
        int pos = 0;
        int n = m.length();
        int genCol = 0;
        while (pos <= n) {
            if (pos == n || m.charAt(pos) == ';') {
                lines.add(used == 0 ? NO_SEGMENTS : sorted(Arrays.copyOf(line, used)));
                used = 0;
                genCol = 0;
                pos++;
                continue;
            }
            if (m.charAt(pos) == ',') {
                pos++;
                continue;
            }
            int count = 0;
            while (pos < n && m.charAt(pos) != ',' && m.charAt(pos) != ';') {
                if (count == 5) {
                    throw new InvalidSourceMapException("a mappings segment with more than 5 fields at " + pos);
                }
                int result = 0;
                int shift = 0;
                int digit;
                do {
                    if (pos >= n) {
                        throw new InvalidSourceMapException("mappings end inside a number");
                    }
                    digit = base64(m.charAt(pos++));
                    result += (digit & 31) << shift;
                    shift += 5;
                    if (shift > 30) {
                        throw new InvalidSourceMapException("a mappings number too large at " + pos);
                    }
                } while ((digit & 32) != 0);
                fields[count++] = (result & 1) == 1 ? -(result >>> 1) : result >>> 1;
            }
            if (count != 1 && count != 4 && count != 5) {
                throw new InvalidSourceMapException("a mappings segment with " + count + " fields");
            }
            genCol += fields[0];
            if (used + STRIDE > line.length) {
                line = Arrays.copyOf(line, line.length * 2);
            }
            line[used] = genCol;
            if (count == 1) {
                line[used + 1] = -1;
                line[used + 2] = 0;
                line[used + 3] = 0;
                line[used + 4] = -1;
            } else {
                source += fields[1];
                origLine += fields[2];
                origCol += fields[3];
                if (count == 5) {
                    name += fields[4];
                }
                line[used + 1] = source >= 0 && source < sourceCount ? source : -1;
                line[used + 2] = origLine;
                line[used + 3] = origCol;
                line[used + 4] = count == 5 && name >= 0 && name < nameCount ? name : -1;
            }
            used += STRIDE;
        }
        return lines.toArray(new int[0][]);
    }

    /** Writers emit a line's segments by column; a map that does not is sorted rather than misread. */
    private static int[] sorted(int[] segments) {
        for (int i = STRIDE; i < segments.length; i += STRIDE) {
            if (segments[i] < segments[i - STRIDE]) {
                Integer[] order = new Integer[segments.length / STRIDE];
                for (int k = 0; k < order.length; k++) {
                    order[k] = k;
                }
                Arrays.sort(order, (a, b) -> Integer.compare(segments[a * STRIDE], segments[b * STRIDE]));
                int[] out = new int[segments.length];
                for (int k = 0; k < order.length; k++) {
                    System.arraycopy(segments, order[k] * STRIDE, out, k * STRIDE, STRIDE);
                }
                return out;
            }
        }
        return segments;
    }

    private static int base64(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        throw new InvalidSourceMapException("not a base64 digit in mappings: '" + c + "'");
    }

    /**
     * The original position of a generated one (zero-based): the segment of that line at the
     * greatest column not after {@code column}, as browsers' devtools and Sentry look it up.
     */
    public Optional<Original> lookup(int line, int column) {
        if (!sections.isEmpty()) {
            Section in = null;
            for (Section s : sections) {
                if (s.line < line || (s.line == line && s.column <= column)) {
                    in = s;
                } else {
                    break;
                }
            }
            if (in == null) {
                return Optional.empty();
            }
            return in.map.lookup(line - in.line, line == in.line ? column - in.column : column);
        }
        if (line < 0 || line >= lines.length) {
            return Optional.empty();
        }
        int[] segments = lines[line];
        int lo = 0;
        int hi = segments.length / STRIDE - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (segments[mid * STRIDE] <= column) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0 || segments[found * STRIDE + 1] < 0) {
            return Optional.empty();
        }
        int at = found * STRIDE;
        int source = segments[at + 1];
        int name = segments[at + 4];
        return Optional.of(new Original(
                sources[source],
                segments[at + 2],
                segments[at + 3],
                name < 0 ? null : names[name],
                source < contents.length ? contents[source] : null));
    }
}
