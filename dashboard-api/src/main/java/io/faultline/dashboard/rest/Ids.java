package io.faultline.dashboard.rest;

/**
 * Group and project ids as the dashboard takes them from a path or body: what the impact-service
 * keys its tables on (64 characters), and never a control character, which PostgreSQL refuses (a
 * NUL) and which would forge lines in a log or the audit trail.
 */
final class Ids {

    static final String RULE = "must be 1 to 64 characters without control characters";

    private Ids() {}

    static boolean valid(String id) {
        if (id == null || id.isBlank() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
