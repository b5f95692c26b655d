package io.faultline.impact.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Tells a record that can never be stored from a database that cannot store anything right now,
 * and waits out the second. The consumers nack a record onto its dead-letter topic when its
 * write fails; before this, a PostgreSQL restart sent every record consumed meanwhile there, its
 * offset committed, and nothing replays those topics: acknowledged errors, traffic, resolutions
 * and signals were lost for good. Now only a failure in the record itself (a value the schema
 * refuses, a constraint it breaks, a check of ours) is nacked; any other failure (connection
 * refused or lost, pool timeout, the server shutting down, too many connections...) is retried
 * with backoff from 100 ms up to 30 s between tries, for as long as it takes. The record is not
 * acknowledged meanwhile, so its offset is not committed and a restart redelivers it.
 */
public final class StoreRetry {

    private static final Logger LOG = Logger.getLogger(StoreRetry.class);

    /** Writes that failed for want of a database and are tried again: a rate above zero is an outage. */
    private static final Counter RETRIES = Counter.builder("faultline.impact.store.retries")
            .description("writes to PostgreSQL retried because the database could not take them")
            .register(Metrics.globalRegistry);

    static final Duration FIRST_WAIT = Duration.ofMillis(100);
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private StoreRetry() {}

    /**
     * Whether the failure lies in the record, so retrying cannot help: a data exception (SQLSTATE
     * class 22: a value too long, out of range, invalid text), an integrity constraint (23), a
     * statement the server refuses (42), or one of our own checks.
     */
    public static boolean inTheRecord(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // every write goes through the reactive pool, which reports the server's refusal as a
            // PgException carrying its SQLSTATE
            String state = t instanceof PgException pg
                    ? pg.getSqlState()
                    : t instanceof java.sql.SQLException sql ? sql.getSQLState() : null;
            if (state != null) {
                return state.startsWith("22") || state.startsWith("23") || state.startsWith("42");
            }
            if (t instanceof IllegalArgumentException
                    || t instanceof org.apache.kafka.common.errors.SerializationException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code write} (again on every try) until it succeeds or fails {@linkplain #inTheRecord
     * in the record}. Waits run on the caller's Vert.x context, so every try runs where the first
     * did (the consumer's context, whose ordering the connector relies on).
     */
    public static <T> Uni<T> untilStored(String what, Supplier<Uni<T>> write) {
        return attempt(what, write, 1, Vertx.currentContext());
    }

    private static <T> Uni<T> attempt(String what, Supplier<Uni<T>> write, int tryNumber, Context context) {
        return Uni.createFrom()
                .<T>deferred(write::get)
                .onFailure(StoreRetry::inTheRecord)
                .invoke(failure -> LOG.warnf("%s is not stored and goes to the dead-letter topic: %s", what, failure))
                .onFailure(f -> !inTheRecord(f))
                .recoverWithUni(failure -> {
                    RETRIES.increment();
                    Duration wait = waitBefore(tryNumber + 1);
                    if (tryNumber == 1 || tryNumber % 10 == 0) {
                        LOG.warnf(
                                "could not store %s (try %d): %s; retrying in %d ms, the record stays unacknowledged",
                                what, tryNumber, failure, wait.toMillis());
                    }
                    return pause(wait, context).chain(() -> attempt(what, write, tryNumber + 1, context));
                });
    }

    /** 100 ms, 200 ms, 400 ms ... up to 30 s. */
    static Duration waitBefore(int tryNumber) {
        long millis = FIRST_WAIT.toMillis() << Math.min(tryNumber - 2, 20);
        return Duration.ofMillis(Math.min(millis, MAX_WAIT.toMillis()));
    }

    private static Uni<Void> pause(Duration wait, Context context) {
        if (context == null) {
            return Uni.createFrom().voidItem().onItem().delayIt().by(wait);
        }
        return Uni.createFrom().emitter(emitter -> context.owner()
                .setTimer(wait.toMillis(), id -> context.runOnContext(v -> emitter.complete(null))));
    }
}
