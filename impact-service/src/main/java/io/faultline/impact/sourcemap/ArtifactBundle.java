package io.faultline.impact.sourcemap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * An artifact bundle as sentry-cli and the bundler plugins build it: a zip (after a {@code SYSB}
 * header) whose {@code
 * manifest.json} lists each file ({@code files/_/_/main.js}) with its {@code url} ({@code
 * ~/assets/main.js}), its {@code type} ({@code minified_source}, {@code source_map}, {@code source})
 * and its {@code headers} ({@code debug-id}, {@code sourcemap}), and may name a {@code release}
 * and {@code dist}. Only the files that resolve frames are kept: minified sources and source maps.
 */
public record ArtifactBundle(String release, String dist, List<File> files) {

    /** One file of the bundle; {@code debugId} and {@code sourcemap} are null when the headers lack them. */
    public record File(String url, String kind, UUID debugId, String sourcemap, byte[] content) {}

    static final String MINIFIED = "minified_source";
    static final String MAP = "source_map";

    /**
     * @param maxUnpacked bytes all entries may unpack to: a zip bomb is refused, not inflated
     * @throws InvalidSourceMapException naming what is wrong
     */
    public static ArtifactBundle read(byte[] zip, ObjectMapper json, long maxUnpacked) {
        Map<String, byte[]> entries = new HashMap<>();
        long unpacked = 0;
        // sentry-cli writes symbolic's source bundle: an 8-byte header (magic "SYSB", a u32 version)
        // in front of the zip
        int start = zip.length >= 8 && zip[0] == 'S' && zip[1] == 'Y' && zip[2] == 'S' && zip[3] == 'B' ? 8 : 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip, start, zip.length - start))) {
            ZipEntry entry;
            byte[] buffer = new byte[16384];
            while ((entry = in.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int n;
                while ((n = in.read(buffer)) > 0) {
                    unpacked += n;
                    if (unpacked > maxUnpacked) {
                        throw new InvalidSourceMapException(
                                "the bundle unpacks to more than " + maxUnpacked + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
                entries.put(entry.getName(), out.toByteArray());
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidSourceMapException("not a readable zip: " + e.getMessage());
        }
        byte[] manifestBytes = entries.get("manifest.json");
        if (manifestBytes == null) {
            throw new InvalidSourceMapException(entries.isEmpty() ? "not a zip, or an empty one" : "no manifest.json");
        }
        JsonNode manifest;
        try {
            manifest = json.readTree(manifestBytes);
        } catch (IOException e) {
            throw new InvalidSourceMapException("manifest.json is not JSON");
        }
        JsonNode listed = manifest == null ? null : manifest.get("files");
        if (listed == null || !listed.isObject()) {
            throw new InvalidSourceMapException("manifest.json has no files object");
        }
        List<File> files = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = listed.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode info = e.getValue();
            String kind = info.path("type").asText("");
            if (!MINIFIED.equals(kind) && !MAP.equals(kind)) {
                continue;
            }
            byte[] content = entries.get(e.getKey());
            String url = info.path("url").asText("");
            if (content == null) {
                throw new InvalidSourceMapException("manifest.json lists " + e.getKey() + ", which the zip lacks");
            }
            if (url.isEmpty() || url.length() > 2048) {
                throw new InvalidSourceMapException("file " + e.getKey() + ": url missing or longer than 2048");
            }
            Map<String, String> headers = new HashMap<>();
            info.path("headers")
                    .fields()
                    .forEachRemaining(h -> headers.put(
                            h.getKey().toLowerCase(Locale.ROOT), h.getValue().asText()));
            files.add(new File(
                    url, kind, debugId(headers.get("debug-id"), e.getKey()), headers.get("sourcemap"), content));
        }
        return new ArtifactBundle(text(manifest.get("release")), text(manifest.get("dist")), files);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }

    /** Debug ids are UUIDs; sentry-cli writes them lower-case with dashes, some tools append an age. */
    static UUID debugId(String value, String file) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String hex = value.replace("-", "");
        if (hex.length() < 32) {
            throw new InvalidSourceMapException("file " + file + ": debug-id is not a UUID");
        }
        try {
            return new UUID(
                    Long.parseUnsignedLong(hex.substring(0, 16), 16),
                    Long.parseUnsignedLong(hex.substring(16, 32), 16));
        } catch (NumberFormatException e) {
            throw new InvalidSourceMapException("file " + file + ": debug-id is not a UUID");
        }
    }
}
