package io.faultline.loadgen;

import java.util.function.BiFunction;

/**
 * The booking demo's scripted incidents: the fault to switch on, the request that then fails,
 * the demo runbook expected to handle it, and whether automation can fix it at all.
 */
public enum DemoScenario {
    /** A 1.5 s database failover: bookings fail, the redrive strategy re-drives them. */
    DATABASE_CONNECTION_DROP(
            "database-connection-drop", 1.5, "booking-db-redrive", true, (demo, ctx) -> demo.book(ctx.clientId())),
    /** The payment breaker stuck open: the webhook strategy resets it. */
    PAYMENT_CIRCUIT_STUCK_OPEN(
            "payment-circuit-stuck-open",
            null,
            "payment-breaker-reset",
            true,
            (demo, ctx) -> demo.pay(ctx.bookingId())),
    /** The calendar service times out: the webhook strategy switches availability to the cache. */
    SLOW_AVAILABILITY(
            "slow-availability", null, "availability-cache-fallback", true, (demo, ctx) -> demo.availability()),
    /**
     * A null dereference in client management: no action can fix code, so the runbook's harmless
     * first step fails verification and the attempt escalates. Not actionable by automation.
     */
    CLIENT_PROFILE_BUG(
            "client-profile-bug",
            null,
            "client-profile-escalation",
            false,
            (demo, ctx) -> demo.clientProfile(ctx.clientId()));

    /** What a scenario's requests need: a client and, for payments, an existing booking. */
    public record Context(String clientId, String bookingId) {}

    private final String fault;
    private final Double faultSeconds;
    private final String runbookId;
    private final boolean actionable;
    private final BiFunction<BookingDemoClient, Context, BookingDemoClient.Answer> request;

    DemoScenario(
            String fault,
            Double faultSeconds,
            String runbookId,
            boolean actionable,
            BiFunction<BookingDemoClient, Context, BookingDemoClient.Answer> request) {
        this.fault = fault;
        this.faultSeconds = faultSeconds;
        this.runbookId = runbookId;
        this.actionable = actionable;
        this.request = request;
    }

    public String fault() {
        return fault;
    }

    /** How long the fault lasts by itself; null = until fixed or switched off. */
    public Double faultSeconds() {
        return faultSeconds;
    }

    public String runbookId() {
        return runbookId;
    }

    /** Whether a runbook can fix it (the end of the attempt should be a passed verification). */
    public boolean actionable() {
        return actionable;
    }

    /** One request down the path the fault breaks. */
    public BookingDemoClient.Answer request(BookingDemoClient demo, Context ctx) {
        return request.apply(demo, ctx);
    }
}
