package io.faultline.resolver.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Attempt ids are derived, not random: the same runbook, group and trigger window always give
 * the same id, which is what lets a redelivered record be recognised as already handled.
 */
public final class AttemptIds {

    private AttemptIds() {}

    public static String of(String runbookId, String groupKey, Instant triggeredAt, Duration window) {
        long windowIndex = Math.floorDiv(triggeredAt.toEpochMilli(), Math.max(1, window.toMillis()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((runbookId + '\0' + groupKey + '\0' + windowIndex).getBytes(StandardCharsets.UTF_8));
            return "att_" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
