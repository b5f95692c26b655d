package io.faultline.dashboard.security;

/**
 * Who a request acts for. {@code csrfToken} is null for bearer-token callers: browsers never
 * attach a bearer header on their own, so those requests cannot be forged cross-site.
 */
public record Principal(String name, Role role, String csrfToken) {

    /** The routing-context key under which the access gate leaves the principal. */
    public static final String CONTEXT_KEY = "faultline.principal";

    public boolean fromSession() {
        return csrfToken != null;
    }
}
