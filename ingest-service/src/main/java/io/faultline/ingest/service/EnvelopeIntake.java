package io.faultline.ingest.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.mapping.Envelope;
import io.faultline.ingest.messaging.RawEventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Handles the items of a Sentry envelope by type. Error events are mapped (the streaming mapper
 * first, the tree mapper for what it leaves) and stored; the answer
 * waits for every stored item's acknowledgement. Attachments, client reports and item types
 * Faultline does not use are dropped, each drop counted in {@code faultline.ingest.items}.
 */
@ApplicationScoped
public class EnvelopeIntake {

    /** Sentry's limit for one event or transaction item, after decompression. */
    public static final int MAX_EVENT_ITEM_BYTES = 1024 * 1024;

    private static final java.util.Set<String> KNOWN_TYPES = java.util.Set.of(
            "attachment",
            "client_report",
            "user_report",
            "feedback",
            "profile",
            "profile_chunk",
            "replay_event",
            "replay_recording",
            "replay_video",
            "check_in",
            "span",
            "log",
            "otel_log",
            "statsd",
            "metric_buckets");

    private final EventIntake events;
    private final TrafficIntake traffic;
    private final ObjectMapper json;
    private final MeterRegistry metrics;

    public EnvelopeIntake(EventIntake events, TrafficIntake traffic, ObjectMapper json, MeterRegistry metrics) {
        this.events = events;
        this.traffic = traffic;
        this.json = json;
        this.metrics = metrics;
    }

    /**
     * Validates every item before storing any, so that a refused envelope stores nothing.
     *
     * @return the event id to answer with (the envelope header's or the stored event's), or null
     */
    public CompletionStage<String> accept(String projectId, Envelope envelope) {
        List<Runnable> counted = new ArrayList<>();
        // mapped and scrubbed here, stored only once every item passed: a refused envelope stores nothing
        List<EventIntake.ScrubbedEvent> eventItems = new ArrayList<>();
        List<JsonNode> transactions = new ArrayList<>();
        List<JsonNode> sessions = new ArrayList<>();
        for (Envelope.Item item : envelope.items()) {
            String type = item.type().toLowerCase(Locale.ROOT);
            switch (type) {
                case "event", "transaction" -> {
                    if (item.payload().length > MAX_EVENT_ITEM_BYTES) {
                        count(projectId, type, "too-large");
                        throw IngestProblem.tooLarge(
                                type + " item of " + item.payload().length + " bytes exceeds the 1 MB limit per event");
                    }
                    if (type.equals("event")) {
                        byte[] payload = item.payload();
                        eventItems.add(events.prepare(
                                projectId,
                                payload,
                                0,
                                payload.length,
                                "sentry-envelope",
                                envelope.eventId(),
                                () -> parse(item, type)));
                    } else {
                        transactions.add(parse(item, type));
                    }
                }
                case "session", "sessions" -> sessions.add(parse(item, type));
                default -> {
                    // attachments, client reports, profiles, replays...: not stored by Faultline
                    String outcome =
                            type.equals("attachment") || type.equals("client_report") ? "dropped" : "unknown-type";
                    counted.add(() -> count(projectId, bucket(type), outcome));
                    metrics.summary("faultline.ingest.dropped.bytes", "project", projectId, "type", bucket(type))
                            .record(item.payload().length);
                }
            }
        }
        // the items' writes share one wait for the broker: with it away, the first failure
        // fails the others at once rather than each waiting as long again
        RawEventPublisher.Sends sends = RawEventPublisher.request();
        List<CompletableFuture<String>> stored = new ArrayList<>();
        for (EventIntake.ScrubbedEvent event : eventItems) {
            stored.add(events.store(event, sends).toCompletableFuture());
        }
        for (JsonNode t : transactions) {
            stored.add(traffic.fromTransaction(projectId, t, sends)
                    .thenApply(x -> (String) null)
                    .toCompletableFuture());
        }
        for (JsonNode s : sessions) {
            stored.add(traffic.fromSessions(projectId, s, sends)
                    .thenApply(x -> (String) null)
                    .toCompletableFuture());
        }
        counted.forEach(Runnable::run);
        transactions.forEach(t -> count(projectId, "transaction", "accepted"));
        sessions.forEach(t -> count(projectId, "session", "accepted"));
        String headerId = envelope.eventId();
        return allOrFirstFailure(stored).thenApply(done -> {
            if (headerId != null) {
                return headerId.replace("-", "").toLowerCase(Locale.ROOT);
            }
            return stored.stream()
                    .map(CompletableFuture::join)
                    .filter(id -> id != null)
                    .findFirst()
                    .orElse(null);
        });
    }

    /**
     * Completes when every write is acknowledged, or with the first failure as soon as it comes:
     * the answer to a request whose first write failed need not wait for the others' timeouts.
     */
    private static CompletableFuture<Void> allOrFirstFailure(List<CompletableFuture<String>> writes) {
        CompletableFuture<Void> all = CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
        for (CompletableFuture<String> write : writes) {
            write.whenComplete((id, error) -> {
                if (error != null) {
                    all.completeExceptionally(error);
                }
            });
        }
        return all;
    }

    private JsonNode parse(Envelope.Item item, String type) {
        try {
            JsonNode node = json.readTree(item.payload());
            if (node == null || !node.isObject()) {
                throw IngestProblem.malformed(type + " item must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            byte[] payload = item.payload();
            throw JsonRefusal.of("malformed", type + " item is not valid JSON", e, json, payload, 0, payload.length);
        } catch (IOException e) {
            throw IngestProblem.malformed(type + " item is not valid JSON: " + e.getMessage());
        }
    }

    /** Item types are client-chosen: only known ones become metric tags, to bound cardinality. */
    private static String bucket(String type) {
        return KNOWN_TYPES.contains(type) ? type : "other";
    }

    private void count(String projectId, String type, String outcome) {
        metrics.counter("faultline.ingest.items", "project", projectId, "type", type, "outcome", outcome)
                .increment();
    }
}
