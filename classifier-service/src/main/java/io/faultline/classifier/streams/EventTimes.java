package io.faultline.classifier.streams;

import java.time.Duration;

/**
 * Which of a record's times the classifier believes. A time from the sender (an event's timestamp,
 * a traffic sample's window end) becomes the timestamp of records the classifier writes, and the
 * broker refuses a timestamp more than an hour ahead of its clock ({@code
 * log.message.timestamp.after.max.ms}), the producer one before 1970: under exactly-once the whole
 * transaction fails with it, the stream thread stops, and after a restart it reads the same record
 * and stops again. So a sender's time is believed only within the bounds the intake clamps to
 * (and Sentry's Relay before it): up to a minute ahead of when the record was written and up to 30
 * days behind it. A record written by another producer gets the same treatment.
 */
final class EventTimes {

    /** As the intake's {@code faultline.ingest.max-clock-skew} default. */
    static final long MAX_AHEAD_MS = Duration.ofSeconds(60).toMillis();

    /** As the intake's {@code faultline.ingest.max-event-age} default. */
    static final long MAX_AGE_MS = Duration.ofDays(30).toMillis();

    private EventTimes() {}

    /** Whether a sender's time is plausible for a record written at {@code writtenMs}. */
    static boolean plausible(long senderMs, long writtenMs) {
        return senderMs >= 0 && senderMs <= writtenMs + MAX_AHEAD_MS && senderMs >= writtenMs - MAX_AGE_MS;
    }

    /** The sender's time when plausible, otherwise the time the record was written. */
    static long eventTime(long senderMs, long writtenMs) {
        return plausible(senderMs, writtenMs) ? senderMs : writtenMs;
    }
}
