package io.faultline.impact.repository;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A keyset position: the sort it belongs to, the sort key and the row id of the last row served.
 * Opaque to clients (base64url); because it names a position rather than an offset, rows inserted
 * before it never shift or repeat the following pages.
 */
public record Cursor(String sort, String key, String id) {

    public String encode() {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(String.join("\n", "v1", sort, key, id).getBytes(StandardCharsets.UTF_8));
    }

    /** @return empty when the text is not a cursor this API issued */
    public static Optional<Cursor> decode(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length != 4 || !parts[0].equals("v1")) {
                return Optional.empty();
            }
            return Optional.of(new Cursor(parts[1], parts[2], parts[3]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
