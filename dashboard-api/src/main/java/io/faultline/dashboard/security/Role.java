package io.faultline.dashboard.security;

import java.util.Locale;

/** Ordered roles: each includes every permission of the roles before it. */
public enum Role {
    /** reads everything. */
    VIEWER,
    /** also acts on groups: resolve, ignore, reopen. */
    OPERATOR,
    /** also everything else that changes state. */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String value) {
        return Role.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
