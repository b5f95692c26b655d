package io.faultline.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.config.IngestConfig;
import io.faultline.ingest.mapping.SentryEventMapper;
import io.faultline.ingest.mapping.StorableText;
import io.faultline.ingest.mapping.StreamingEventMapper;
import io.faultline.ingest.messaging.RawEventPublisher;
import io.faultline.ingest.scrubbing.PseudonymKey;
import io.faultline.ingest.scrubbing.Scrubber;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Validates, maps and durably publishes events; the answer is the stored event's id. */
@ApplicationScoped
public class EventIntake {

    private static final Logger LOG = Logger.getLogger(EventIntake.class);

    private final SentryEventMapper mapper;
    private final PseudonymKey userKey;
    /** The scrubber and the streaming mapper that uses it, made once the key for user fields is known. */
    private volatile Scrubbing scrubbing;

    private final ObjectMapper json;
    private final RawEventPublisher publisher;
    private final IngestConfig config;
    private final MeterRegistry metrics;
    // looked up once per project (and source): the lookup by name and tags costs more than the record
    private final java.util.Map<String, io.micrometer.core.instrument.Timer> ackTimers =
            new java.util.concurrent.ConcurrentHashMap<>();
    // by source, then project: no key to build per event
    private final java.util.Map<String, java.util.Map<String, io.micrometer.core.instrument.Counter>> accepted =
            new java.util.concurrent.ConcurrentHashMap<>();

    public EventIntake(
            RawEventPublisher publisher,
            IngestConfig config,
            MeterRegistry metrics,
            ObjectMapper json,
            PseudonymKey userKey) {
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        this.userKey = userKey;
        this.mapper = new SentryEventMapper(
                config.ingest().maxClockSkew(), config.ingest().maxEventAge());
    }

    private record Scrubbing(Scrubber scrubber, StreamingEventMapper streaming) {}

    /**
     * The scrubbing of this instance, or a 503 while the key for user fields is not known yet
     * (the first seconds after start): an event must not leave ingest with a readable user.
     */
    private Scrubbing scrubbing() {
        Scrubbing s = scrubbing;
        if (s != null) {
            return s;
        }
        byte[] key = userKey.key()
                .orElseThrow(() -> IngestProblem.unavailable(
                        "ingest is starting (its key for user fields is not" + " read yet); retry in a few seconds"));
        Scrubber scrubber =
                Scrubber.withUserKey(config.ingest().scrubbing().extraFields().orElse(List.of()), key);
        s = new Scrubbing(
                scrubber,
                new StreamingEventMapper(
                        json,
                        scrubber,
                        config.ingest().maxClockSkew(),
                        config.ingest().maxEventAge()));
        scrubbing = s;
        return s;
    }

    /**
     * The largest record an event may become: the producer refuses a request over 1 MiB
     * ({@code max.request.size}), record batch and key included. Scrubbing can make an event
     * longer than its JSON ({@code password=x} becomes {@code password=[Filtered]}).
     */
    static final int MAX_RECORD_BYTES = Topics.MAX_RAW_EVENT_BYTES;

    /**
     * An event mapped, scrubbed and serialized, ready for the topic: only this class makes one, so
     * nothing reaches the topic unscrubbed or scrubbed twice (a keyed hash of a keyed hash). It
     * holds the record's bytes, not the event: a batch waits for the broker's acknowledgement
     * with a few hundred bytes per event alive instead of each event's object graph.
     */
    public static final class ScrubbedEvent {
        private final String eventId;
        private final String projectId;
        private final String source;
        private final byte[] value;

        private ScrubbedEvent(ErrorEvent event) {
            // last, after either mapper and the scrubber: both paths give the same bytes
            StorableText.clean(event);
            this.eventId = event.getEventId();
            this.projectId = event.getProjectId();
            this.source = event.getSource();
            this.value = Topics.EVENTS_RAW.valueSerde().serializer().serialize(Topics.EVENTS_RAW.name(), event);
            if (value.length > MAX_RECORD_BYTES) {
                // the producer would fail the send, and the client be told to retry what never fits
                throw IngestProblem.tooLarge("the event takes " + value.length
                        + " bytes once mapped and scrubbed, past the 1 MB limit per event");
            }
        }

        /**
         * What this event holds in memory until the broker acknowledges it: its record, and
         * about 256 bytes of objects around it here and in the producer (its id, the send's
         * future and callback). A batch of tiny events holds far more than its bytes on the wire.
         */
        public long heldBytes() {
            return value.length + 256L;
        }
    }

    /**
     * Maps and scrubs one event given as JSON bytes, without storing it (a batch validates every
     * line first). A valid event is read straight from the bytes; an invalid or unusual one is
     * parsed as a tree and mapped by {@link SentryEventMapper}, whose problem names the fields.
     *
     * @param tree parses the same bytes as a tree, or throws the problem of malformed JSON
     * @throws IngestProblem 400 for malformed JSON or listing every invalid field
     */
    public ScrubbedEvent prepare(
            String projectId, byte[] body, int offset, int length, String source, Supplier<JsonNode> tree) {
        return prepare(projectId, body, offset, length, source, null, tree);
    }

    /**
     * @param fallbackEventId the id to give an event that carries none (an envelope header's)
     */
    public ScrubbedEvent prepare(
            String projectId,
            byte[] body,
            int offset,
            int length,
            String source,
            String fallbackEventId,
            Supplier<JsonNode> tree) {
        Instant receivedAt = Instant.now();
        Scrubbing s = scrubbing();
        ErrorEvent streamed = s.streaming.map(body, offset, length, projectId, receivedAt, source, fallbackEventId);
        if (streamed != null) {
            return new ScrubbedEvent(streamed);
        }
        return new ScrubbedEvent(s.scrubber.scrub(map(projectId, tree.get(), source, fallbackEventId, receivedAt)));
    }

    /**
     * The streaming path alone, for a caller that reads the tree itself when it declines: the
     * legacy store endpoint, which tells transactions from error events by the tree.
     *
     * @return the prepared event, or null when the event is invalid, unusual or not an error event
     */
    public ScrubbedEvent prepareStreamed(String projectId, byte[] body, String source) {
        ErrorEvent streamed = scrubbing().streaming.map(body, 0, body.length, projectId, Instant.now(), source, null);
        return streamed == null ? null : new ScrubbedEvent(streamed);
    }

    /** Publishes a prepared event; completes with its id once acknowledged, or fails with a 503. */
    public CompletionStage<String> store(ScrubbedEvent prepared) {
        return store(prepared, RawEventPublisher.request());
    }

    /** @param sends the request's sends, when it writes more than this event */
    public CompletionStage<String> store(ScrubbedEvent prepared, RawEventPublisher.Sends sends) {
        return publish(prepared, sends);
    }

    /**
     * Maps, scrubs and stores an event already parsed as a tree (what the legacy store endpoint's
     * streaming path declined).
     *
     * @param fallbackEventId the id to give an event that carries none
     * @return the event id, once the broker acknowledged the write
     * @throws IngestProblem 400 for an invalid event (synchronously)
     */
    public CompletionStage<String> accept(String projectId, JsonNode payload, String source, String fallbackEventId) {
        // nothing leaves ingest unscrubbed: tree-mapped events are scrubbed here, prepared ones were
        Scrubber scrubber = scrubbing().scrubber;
        return publish(
                new ScrubbedEvent(scrubber.scrub(map(projectId, payload, source, fallbackEventId, Instant.now()))),
                RawEventPublisher.request());
    }

    private ErrorEvent map(
            String projectId, JsonNode payload, String source, String fallbackEventId, Instant receivedAt) {
        try {
            return mapper.map(payload, projectId, receivedAt, source, fallbackEventId);
        } catch (IngestProblem problem) {
            metrics.counter("faultline.ingest.rejected", "project", projectId, "reason", problem.type())
                    .increment();
            throw problem;
        }
    }

    private CompletionStage<String> publish(ScrubbedEvent event, RawEventPublisher.Sends sends) {
        long started = System.nanoTime();
        // no timer of our own: the producer fails the send after its delivery timeout, which with
        // the request's send budget is the configured acknowledgement timeout (a timer per
        // request costs a thread wake-up)
        return publisher.publish(event.projectId, event.value, sends).handle((meta, error) -> {
            acknowledged(event, 1, started, error);
            return event.eventId;
        });
    }

    /**
     * Publishes prepared events of one project and source (a batch); completes with their ids
     * once every one is acknowledged, or fails with a 503 (the client resends the batch;
     * duplicates are counted once downstream by event id).
     */
    public CompletionStage<List<String>> storeAll(List<ScrubbedEvent> prepared) {
        if (prepared.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        ScrubbedEvent first = prepared.get(0);
        List<byte[]> values = new ArrayList<>(prepared.size());
        List<String> ids = new ArrayList<>(prepared.size());
        for (ScrubbedEvent p : prepared) {
            if (!p.projectId.equals(first.projectId)) {
                throw new IllegalArgumentException("a batch holds the events of one project");
            }
            values.add(p.value);
            ids.add(p.eventId);
        }
        long started = System.nanoTime();
        return publisher
                .publishAll(first.projectId, values, RawEventPublisher.request())
                .handle((done, error) -> {
                    acknowledged(first, values.size(), started, error);
                    return ids;
                });
    }

    /** Counts what the broker acknowledged, or turns its failure into a 503. */
    private void acknowledged(ScrubbedEvent first, int events, long started, Throwable error) {
        String projectId = first.projectId;
        String source = first.source;
        if (error != null) {
            LOG.warnf("%d event(s) from %s not stored: %s", events, first.eventId, error.toString());
            metrics.counter("faultline.ingest.rejected", "project", projectId, "reason", "broker")
                    .increment(events);
            throw IngestProblem.unavailable("the event could not be stored; retry later");
        }
        ackTimers
                .computeIfAbsent(projectId, p -> io.micrometer.core.instrument.Timer.builder("faultline.ingest.ack")
                        .description("from publish to the broker's acknowledgement (acks=all), per request")
                        .tag("project", p)
                        .publishPercentileHistogram()
                        .register(metrics))
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        accepted.computeIfAbsent(source, k -> new java.util.concurrent.ConcurrentHashMap<>())
                .computeIfAbsent(
                        projectId, p -> metrics.counter("faultline.ingest.accepted", "project", p, "source", source))
                .increment(events);
    }
}
