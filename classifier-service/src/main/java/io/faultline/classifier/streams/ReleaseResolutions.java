package io.faultline.classifier.streams;

import io.faultline.schemas.ErrorGroup;
import io.faultline.schemas.Signal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Groups an operator resolved "in the next release" (docs/releases.md): per group, the release the
 * fix comes after, and whether a later release has shipped yet (the project showed one). Kept in a
 * changelogged store keyed by project then group, so a release new to the project finds its
 * project's pending groups with one prefix scan. The entry goes when the group's status changes
 * again (a regression, another resolve, an ignore, a reopen).
 */
final class ReleaseResolutions {

    /** Audit detail of a resolve in the next release: the release the fix comes after. */
    static final String RELEASE = "release";
    /** The classifier's signal: a release later than the one a group was resolved in has shipped. */
    static final String RELEASE_SHIPPED = "release_shipped";

    private static final char PENDING = 'P';
    private static final char SHIPPED = 'S';

    private ReleaseResolutions() {}

    static String key(String project, String groupId) {
        return project + '\u0000' + groupId;
    }

    static String prefix(String project) {
        return project + '\u0000';
    }

    static String groupOf(String key) {
        return key.substring(key.indexOf('\u0000') + 1);
    }

    static String pending(String release) {
        return PENDING + release;
    }

    static String shipped(String release) {
        return SHIPPED + release;
    }

    static boolean isPending(String value) {
        return value.charAt(0) == PENDING;
    }

    static String releaseOf(String value) {
        return value.substring(1);
    }

    /**
     * The group's fix shipped: {@code shippedRelease} (null when a later release was out already
     * when the operator resolved) came after {@code release}. Keyed by group id like the
     * regression that may follow, so the two reach the impact-service in order.
     */
    static Signal shippedSignal(ErrorGroup group, String release, String shippedRelease, Instant at, String cause) {
        Map<String, String> details = new HashMap<>();
        details.put(RELEASE, release);
        if (shippedRelease != null) {
            details.put("shippedRelease", shippedRelease);
        }
        return Signal.newBuilder()
                .setSignalId(RELEASE_SHIPPED + ":" + group.getGroupId() + ":" + cause)
                .setType(RELEASE_SHIPPED)
                .setProjectId(group.getProjectId())
                .setGroupId(group.getGroupId())
                .setWorkflow(group.getWorkflow())
                .setSeverity(group.getSeverity())
                .setDetectedAt(at)
                .setWindowStart(at)
                .setWindowEnd(at)
                .setMessage("the fix of \"" + group.getTitle() + "\" (resolved after release " + release + ") shipped"
                        + (shippedRelease == null ? ": a later release was out already" : " with " + shippedRelease))
                .setDetails(details)
                .build();
    }
}
