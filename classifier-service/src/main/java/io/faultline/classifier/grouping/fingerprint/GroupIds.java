package io.faultline.classifier.grouping.fingerprint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Derives a group id from what decided the group. */
public final class GroupIds {

    private GroupIds() {}

    /**
     * First 32 hex digits of SHA-256 over the project, the strategy and the components. The project
     * is part of the hash so that groups never cross projects; every part is length-prefixed so that
     * {@code ["ab", "c"]} and {@code ["a", "bc"]} cannot collide.
     */
    public static String of(String projectId, String strategy, List<String> components) {
        MessageDigest sha256 = sha256();
        update(sha256, projectId);
        update(sha256, strategy);
        for (String component : components) {
            update(sha256, component);
        }
        return HexFormat.of().formatHex(sha256.digest()).substring(0, 32);
    }

    private static void update(MessageDigest digest, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime ships SHA-256", e);
        }
    }
}
