package io.faultline.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.faultline.ingest.config.IngestConfig;
import io.faultline.ingest.mapping.SentryEventMapper;
import io.faultline.ingest.mapping.StorableText;
import io.faultline.ingest.messaging.RawEventPublisher;
import io.faultline.ingest.messaging.TrafficPublisher;
import io.faultline.schemas.TrafficSample;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Turns request counts into {@link TrafficSample}s, the denominators of error rates: explicit
 * counts from the native traffic API, and Sentry transactions and sessions (one request per
 * transaction, one per ended session).
 */
@ApplicationScoped
public class TrafficIntake {

    /** Sentry session states that end a session; updates before the end are not counted. */
    private static final Set<String> ENDED = Set.of("exited", "crashed", "abnormal", "errored");

    private static final Set<String> OK_SPAN_STATUS = Set.of("ok", "unknown", "unset");

    private final TrafficPublisher publisher;
    private final IngestConfig config;
    private final MeterRegistry metrics;

    public TrafficIntake(TrafficPublisher publisher, IngestConfig config, MeterRegistry metrics) {
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
    }

    /** The longest window one sample may cover, as the impact-service accepts. */
    static final Duration MAX_WINDOW = Duration.ofDays(1);

    /** {@code {"workflow":"booking","requests":1000,"failed":3,"windowStart":..,"windowEnd":..}}. */
    public CompletionStage<String> fromNative(String projectId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw IngestProblem.badRequest("", "the traffic sample must be a JSON object");
        }
        List<IngestProblem.FieldError> errors = new ArrayList<>();
        String workflow = text(body, "workflow", errors);
        String transaction = text(body, "transaction", errors);
        if (workflow == null && transaction == null) {
            errors.add(new IngestProblem.FieldError("workflow", "give a workflow or a transaction"));
        }
        long requests = count(body, "requests", true, errors);
        long failed = count(body, "failed", false, errors);
        if (failed > requests) {
            errors.add(new IngestProblem.FieldError("failed", "cannot exceed requests"));
        }
        Instant now = Instant.now();
        Instant end = instant(body.get("windowEnd"), "windowEnd", now, errors);
        // the native API is strict where the Sentry paths replace a time: a count in the wrong
        // window distorts a rate, and the client hears why
        String problem = SentryEventMapper.clockProblem(
                end, now, config.ingest().maxClockSkew(), config.ingest().maxEventAge());
        if (problem != null) {
            errors.add(new IngestProblem.FieldError(
                    "windowEnd",
                    problem.equals("future_timestamp")
                            ? "more than " + config.ingest().maxClockSkew().toSeconds()
                                    + " s ahead of the server's clock"
                            : "older than " + config.ingest().maxEventAge().toDays() + " days"));
            end = now;
        }
        Instant start = instant(body.get("windowStart"), "windowStart", end, errors);
        if (start.isAfter(end)) {
            errors.add(new IngestProblem.FieldError("windowStart", "must not be after windowEnd"));
        } else if (Duration.between(start, end).compareTo(MAX_WINDOW) > 0) {
            // the impact-service dead-letters such a sample; say so here, where the client hears it
            errors.add(new IngestProblem.FieldError(
                    "windowStart", "the window spans more than 1 day; send one sample per day at most"));
        }
        if (!errors.isEmpty()) {
            throw IngestProblem.badRequest(errors.size() + " invalid field(s)", errors);
        }
        String sampleId = UUID.randomUUID().toString();
        return publish(
                        TrafficSample.newBuilder()
                                .setSampleId(sampleId)
                                .setProjectId(projectId)
                                .setWorkflow(StorableText.of(workflow))
                                .setTransaction(StorableText.of(transaction))
                                .setWindowStart(start)
                                .setWindowEnd(end)
                                .setRequests(requests)
                                .setFailed(failed)
                                .setSource("native")
                                .build(),
                        RawEventPublisher.request())
                .thenApply(x -> sampleId);
    }

    /**
     * One Sentry transaction = one request of its transaction name; a non-ok trace status = failed.
     * Its times are the SDK's clock: out of range, they give way to the receive time as an event's
     * do (an envelope is not refused for one skewed item), and its window to at most a day.
     */
    public CompletionStage<Void> fromTransaction(String projectId, JsonNode t, RawEventPublisher.Sends sends) {
        Instant now = Instant.now();
        Instant end = epochOrIso(t.get("timestamp"), now);
        if (SentryEventMapper.clockProblem(
                        end,
                        now,
                        config.ingest().maxClockSkew(),
                        config.ingest().maxEventAge())
                != null) {
            end = now;
        }
        Instant start = epochOrIso(t.get("start_timestamp"), end);
        if (start.isAfter(end) || start.isBefore(end.minus(MAX_WINDOW))) {
            start = end;
        }
        JsonNode status = t.path("contexts").path("trace").path("status");
        boolean failed = status.isTextual() && !OK_SPAN_STATUS.contains(status.asText());
        JsonNode workflow = t.path("tags").path("workflow");
        String eventId = t.path("event_id").isTextual()
                ? SentryEventMapper.hex32(t.get("event_id").asText())
                : null;
        return publish(
                TrafficSample.newBuilder()
                        .setSampleId(
                                eventId != null ? eventId : UUID.randomUUID().toString())
                        .setProjectId(projectId)
                        .setWorkflow(workflow.isTextual() ? StorableText.of(workflow.asText()) : null)
                        .setTransaction(
                                t.path("transaction").isTextual()
                                        ? StorableText.of(t.get("transaction").asText())
                                        : null)
                        .setWindowStart(start)
                        .setWindowEnd(end)
                        .setRequests(1)
                        .setFailed(failed ? 1 : 0)
                        .setSource("sentry-transaction")
                        .build(),
                sends);
    }

    /**
     * A {@code session} item counts once, when it ends; a {@code sessions} item carries aggregates
     * ({@code exited}, {@code errored}, {@code crashed}, {@code abnormal} per bucket).
     */
    public CompletionStage<Void> fromSessions(String projectId, JsonNode s, RawEventPublisher.Sends sends) {
        Instant now = Instant.now();
        String release = s.path("attrs").path("release").isTextual()
                ? StorableText.of(s.path("attrs").path("release").asText())
                : null;
        long requests = 0;
        long failed = 0;
        Instant start = now;
        if (s.has("aggregates")) {
            for (JsonNode bucket : s.path("aggregates")) {
                long exited = sessions(bucket.path("exited"));
                long bad = plus(
                        plus(sessions(bucket.path("errored")), sessions(bucket.path("crashed"))),
                        sessions(bucket.path("abnormal")));
                requests = plus(requests, plus(exited, bad));
                failed = plus(failed, bad);
                Instant started = epochOrIso(bucket.get("started"), now);
                if (started.isBefore(start)) {
                    start = started;
                }
            }
        } else {
            String status = s.path("status").asText("ok");
            if (!ENDED.contains(status)) {
                return CompletableFuture.completedFuture(null);
            }
            requests = 1;
            failed = status.equals("exited") && s.path("errors").asLong(0) == 0 ? 0 : 1;
            start = epochOrIso(s.get("started"), now);
        }
        if (requests == 0) {
            return CompletableFuture.completedFuture(null);
        }
        // the SDK's clock: the window ends now and spans at most a day, as the impact-service takes
        if (start.isBefore(now.minus(MAX_WINDOW))) {
            start = now.minus(MAX_WINDOW);
        }
        return publish(
                TrafficSample.newBuilder()
                        .setSampleId(UUID.randomUUID().toString())
                        .setProjectId(projectId)
                        .setWorkflow(release == null ? null : "release:" + release)
                        .setTransaction(null)
                        .setWindowStart(start.isAfter(now) ? now : start)
                        .setWindowEnd(now)
                        .setRequests(requests)
                        .setFailed(Math.min(failed, requests))
                        .setSource("sentry-session")
                        .build(),
                sends);
    }

    private CompletionStage<Void> publish(TrafficSample sample, RawEventPublisher.Sends sends) {
        return publisher
                .publish(sample, sends)
                .orTimeout(config.ingest().ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((meta, error) -> {
                    if (error != null) {
                        metrics.counter(
                                        "faultline.ingest.rejected",
                                        "project",
                                        sample.getProjectId(),
                                        "reason",
                                        "broker")
                                .increment();
                        throw IngestProblem.unavailable("the traffic sample could not be stored; retry later");
                    }
                    metrics.counter(
                                    "faultline.ingest.traffic",
                                    "project",
                                    sample.getProjectId(),
                                    "source",
                                    sample.getSource())
                            .increment(sample.getRequests());
                    return null;
                });
    }

    /** A session count as sent: never negative, and beyond a long its bound rather than a wrapped value. */
    private static long sessions(JsonNode n) {
        if (n.isIntegralNumber() && !n.canConvertToLong()) {
            return n.bigIntegerValue().signum() > 0 ? Long.MAX_VALUE : 0;
        }
        return Math.max(0, n.asLong(0));
    }

    /** A sum of counts that saturates instead of wrapping to a negative count. */
    private static long plus(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static String text(JsonNode body, String name, List<IngestProblem.FieldError> errors) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > 200) {
            errors.add(new IngestProblem.FieldError(name, "must be a non-empty string of at most 200 characters"));
            return null;
        }
        return n.asText();
    }

    private static long count(JsonNode body, String name, boolean required, List<IngestProblem.FieldError> errors) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            if (required) {
                errors.add(new IngestProblem.FieldError(name, "required"));
            }
            return 0;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            errors.add(new IngestProblem.FieldError(name, "must be a non-negative integer"));
            return 0;
        }
        return n.asLong();
    }

    private static Instant instant(JsonNode n, String name, Instant fallback, List<IngestProblem.FieldError> errors) {
        if (n == null || n.isNull()) {
            return fallback;
        }
        try {
            if (n.isNumber()) {
                return Instant.ofEpochMilli(Math.round(n.asDouble() * 1000));
            }
            if (n.isTextual()) {
                return OffsetDateTime.parse(n.asText()).toInstant();
            }
        } catch (DateTimeException | ArithmeticException e) {
            // reported below
        }
        errors.add(new IngestProblem.FieldError(name, "must be an RFC 3339 timestamp or epoch seconds"));
        return fallback;
    }

    private static Instant epochOrIso(JsonNode n, Instant fallback) {
        List<IngestProblem.FieldError> ignored = new ArrayList<>();
        return instant(n, "", fallback, ignored);
    }
}
