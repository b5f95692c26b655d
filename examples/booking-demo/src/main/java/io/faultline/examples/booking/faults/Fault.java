package io.faultline.examples.booking.faults;

import java.util.Arrays;
import java.util.Optional;

/** The failures the demo can be switched into, each shaped like an incident the first user had. */
public enum Fault {
    /** The database drops its connections (a failover): writes fail until it is back. */
    DATABASE_CONNECTION_DROP("database-connection-drop"),
    /** The payment gateway's circuit breaker opened and does not half-open again on its own. */
    PAYMENT_CIRCUIT_STUCK_OPEN("payment-circuit-stuck-open"),
    /** The calendar service behind availability answers slower than our timeout. */
    SLOW_AVAILABILITY("slow-availability"),
    /** A bug in client management: a client without a loyalty tier breaks the profile page. */
    CLIENT_PROFILE_BUG("client-profile-bug");

    private final String wireName;

    Fault(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Fault> fromWire(String name) {
        return Arrays.stream(values()).filter(f -> f.wireName.equals(name)).findFirst();
    }
}
