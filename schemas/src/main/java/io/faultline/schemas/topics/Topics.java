package io.faultline.schemas.topics;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ErrorGroup;
import io.faultline.schemas.Project;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.Signal;
import io.faultline.schemas.TrafficSample;
import io.faultline.schemas.serde.Serdes;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * The catalogue of Faultline's topics: each name bound to its key and value serdes. Names carry
 * a version suffix; a breaking change is a new topic, never an in-place edit. Channel name =
 * topic name in every service's configuration.
 */
public final class Topics {

    private static final Serde<String> KEY = org.apache.kafka.common.serialization.Serdes.String();
    private static final Serde<byte[]> BYTES = org.apache.kafka.common.serialization.Serdes.ByteArray();
    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration MONTH = Duration.ofDays(30);

    /** Default partition count: the unit of scale-out for every consumer group. */
    public static final int PARTITIONS = 6;

    /**
     * The largest record value any Faultline producer writes: the producer's default
     * {@code max.request.size} (1 MiB) less room for the record batch, key and headers.
     */
    public static final int MAX_VALUE_BYTES = 1024 * 1024 - 16 * 1024;

    /**
     * The largest raw event ingest writes: what the classifier adds to it (labels, group id,
     * title, a bounded template and grouping components) must still fit {@link #MAX_VALUE_BYTES},
     * or an event answered 202 could not be classified.
     */
    public static final int MAX_RAW_EVENT_BYTES = MAX_VALUE_BYTES - 64 * 1024;

    public static final Topic<String, ErrorEvent> EVENTS_RAW = new Topic<>(
            "faultline.events.raw.v1",
            KEY,
            new Serdes.ErrorEventSerde(),
            PARTITIONS,
            false,
            WEEK,
            "events as received, after scrubbing; key = project id (the classifier's partitioning)");

    public static final Topic<String, TrafficSample> TRAFFIC = new Topic<>(
            "faultline.traffic.v1",
            KEY,
            new Serdes.TrafficSampleSerde(),
            PARTITIONS,
            false,
            WEEK,
            "request and session counts; key = project/workflow");

    public static final Topic<String, ClassifiedError> ERRORS_CLASSIFIED = new Topic<>(
            "faultline.errors.classified.v1",
            KEY,
            new Serdes.ClassifiedErrorSerde(),
            PARTITIONS,
            false,
            WEEK,
            "event + group + classification; key = group id");

    public static final Topic<String, ErrorGroup> GROUPS = new Topic<>(
            "faultline.groups.v1",
            KEY,
            new Serdes.ErrorGroupSerde(),
            PARTITIONS,
            true,
            null,
            "latest state per group (compacted); key = group id");

    public static final Topic<String, Signal> SIGNALS = new Topic<>(
            "faultline.signals.v1",
            KEY,
            new Serdes.SignalSerde(),
            PARTITIONS,
            false,
            MONTH,
            "spikes, new issues, regressions, SLO burn; key = group id or workflow");

    public static final Topic<String, ResolutionEvent> RESOLUTIONS = new Topic<>(
            "faultline.resolutions.v1",
            KEY,
            new Serdes.ResolutionEventSerde(),
            PARTITIONS,
            false,
            MONTH,
            "resolver audit trail; key = group id");

    /**
     * One partition: a few thousand small records that every ingest instance reads whole at start,
     * in the order they were written.
     */
    public static final Topic<String, Project> PROJECTS = new Topic<>(
            "faultline.projects.v1",
            KEY,
            new Serdes.ProjectSerde(),
            1,
            true,
            null,
            "projects and their DSN keys (compacted); key = project id, tombstone = deleted");

    /**
     * One partition: the dashboard sessions ended by a logout, which every dashboard instance reads
     * whole at start and follows, so a logged-out cookie is refused by every replica. Value = the
     * session's expiry (epoch seconds): after it the cookie is refused anyway and the entry is
     * dropped from memory.
     */
    public static final Topic<String, String> SESSIONS_REVOKED = new Topic<>(
            "faultline.sessions.revoked.v1",
            KEY,
            org.apache.kafka.common.serialization.Serdes.String(),
            1,
            true,
            null,
            "dashboard sessions ended by logout (compacted); key = session id, value = its expiry (epoch s)");

    /**
     * One partition: the key every ingest instance hashes user ids, emails, names and IPs with,
     * when none is configured. The first instance to start writes a random key under a random
     * record key; every instance takes the record with the lowest offset, so instances that start
     * together agree, and compaction never removes it (no later record has its key).
     */
    public static final Topic<String, byte[]> INGEST_KEYS = new Topic<>(
            "faultline.ingest.keys.v1",
            KEY,
            BYTES,
            1,
            true,
            null,
            "ingest's generated key for hashing user fields (compacted); the first record is the key");

    public static final Topic<String, byte[]> EVENTS_RAW_DLQ = deadLetter(EVENTS_RAW);
    public static final Topic<String, byte[]> TRAFFIC_DLQ = deadLetter(TRAFFIC);
    public static final Topic<String, byte[]> ERRORS_CLASSIFIED_DLQ = deadLetter(ERRORS_CLASSIFIED);
    public static final Topic<String, byte[]> SIGNALS_DLQ = deadLetter(SIGNALS);
    public static final Topic<String, byte[]> RESOLUTIONS_DLQ = deadLetter(RESOLUTIONS);

    /** Header names on dead-letter records. */
    public static final String DLQ_HEADER_REASON = "faultline.dlq.reason";

    public static final String DLQ_HEADER_SOURCE_TOPIC = "faultline.dlq.source-topic";
    public static final String DLQ_HEADER_SERVICE = "faultline.dlq.service";

    private Topics() {}

    /** Every topic, in creation order. */
    public static List<Topic<?, ?>> all() {
        return List.of(
                EVENTS_RAW,
                TRAFFIC,
                ERRORS_CLASSIFIED,
                GROUPS,
                SIGNALS,
                RESOLUTIONS,
                PROJECTS,
                SESSIONS_REVOKED,
                INGEST_KEYS,
                EVENTS_RAW_DLQ,
                TRAFFIC_DLQ,
                ERRORS_CLASSIFIED_DLQ,
                SIGNALS_DLQ,
                RESOLUTIONS_DLQ);
    }

    /** {@code faultline.events.raw.v1} → {@code faultline.events.raw.dlq.v1}. */
    public static String deadLetterName(String topic) {
        int cut = topic.lastIndexOf(".v");
        return topic.substring(0, cut) + ".dlq" + topic.substring(cut);
    }

    private static Topic<String, byte[]> deadLetter(Topic<String, ?> source) {
        return new Topic<>(
                deadLetterName(source.name()),
                KEY,
                BYTES,
                1,
                false,
                MONTH,
                "records of " + source.name() + " that could not be processed, with reason headers");
    }
}
