package io.faultline.dashboard.security;

import java.time.Instant;

/**
 * Who a request acts for. {@code csrfToken} is null for bearer-token callers: browsers never
 * attach a bearer header on their own, so those requests cannot be forged cross-site. {@code
 * sessionId} and {@code sessionExpires} name the session a cookie carries (null for bearer-token
 * callers), so a logout can end it ({@link SessionRevocations}).
 */
public record Principal(String name, Role role, String csrfToken, String sessionId, Instant sessionExpires) {

    /** A caller with the admin token, which has no session. */
    public static Principal bearer(String name, Role role) {
        return new Principal(name, role, null, null, null);
    }

    /** The routing-context key under which the access gate leaves the principal. */
    public static final String CONTEXT_KEY = "faultline.principal";

    public boolean fromSession() {
        return csrfToken != null;
    }
}
