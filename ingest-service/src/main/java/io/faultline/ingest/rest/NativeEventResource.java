package io.faultline.ingest.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.protection.BufferBudget;
import io.faultline.ingest.service.EnvelopeIntake;
import io.faultline.ingest.service.EventIntake;
import io.faultline.ingest.service.IngestProblem;
import io.faultline.ingest.service.JsonRefusal;
import io.faultline.ingest.service.ProjectKeys;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Faultline's native intake: one event in Sentry's event shape as JSON, or a batch of them as
 * NDJSON ({@code application/x-ndjson}), optionally gzip/deflate/br-encoded.
 */
@Path("/api/v1/projects/{projectId}/events")
public class NativeEventResource {

    private final EventIntake intake;
    private final ProjectKeys keys;
    private final ObjectMapper json;
    private final IntakeGate gate;

    public NativeEventResource(EventIntake intake, ProjectKeys keys, ObjectMapper json, IntakeGate gate) {
        this.intake = intake;
        this.keys = keys;
        this.json = json;
        this.gate = gate;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store one error event", description = "Answers 202 once the event is durably stored.")
    public CompletionStage<Response> post(
            @PathParam("projectId") String projectId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("Content-Encoding") String contentEncoding,
            byte[] raw) {
        return gate.handle(
                raw, contentEncoding, () -> accept(projectId, authorization, contentType, contentEncoding, raw));
    }

    private CompletionStage<Response> accept(
            String projectId, String authorization, String contentType, String contentEncoding, byte[] raw) {
        String key = bearer(authorization);
        keys.authorize(projectId, key);
        gate.admit(projectId, key);
        // the request's lease lasts until it is answered: a batch's prepared events are charged
        // to it while they wait for the broker
        return gate.withLease(lease -> {
            byte[] body = gate.decode(projectId, "native", raw, contentEncoding, lease);
            if (isNdjson(contentType)) {
                return batch(projectId, body, lease);
            }
            if (body == null || body.length == 0) {
                throw IngestProblem.badRequest("", "empty body: send one JSON event");
            }
            if (body.length > EnvelopeIntake.MAX_EVENT_ITEM_BYTES) {
                throw IngestProblem.tooLarge("event of " + body.length + " bytes exceeds the 1 MB limit per event");
            }
            EventIntake.ScrubbedEvent event =
                    intake.prepare(projectId, body, 0, body.length, "native", () -> parse(json, body, 0, body.length));
            // the id is 32 hex digits (the mappers normalise or refuse it): no JSON writer needed
            return intake.store(event).thenApply(id -> Response.accepted("{\"id\":\"" + id + "\"}")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .build());
        });
    }

    /** The most events one NDJSON batch may hold. */
    static final int MAX_BATCH_EVENTS = 10_000;

    private static final long CHARGE_STEP_BYTES = 64 * 1024;

    /**
     * One event per line. Every line is validated first; the valid ones are stored even when
     * others are refused, and the answer lists the stored ids and each refused line's problems.
     * The prepared events are charged to the request's lease: a body of tiny lines holds many
     * times its size once mapped.
     */
    private CompletionStage<Response> batch(String projectId, byte[] body, BufferBudget.Lease held) {
        List<EventIntake.ScrubbedEvent> valid = new ArrayList<>();
        List<Map<String, Object>> problems = new ArrayList<>();
        // lines are parsed where they lie in the body: no copy of it as text, none per line
        int line = 0;
        int events = 0;
        // charged in steps: one atomic update of the shared budget per event would cost more
        long uncharged = 0;
        for (int start = 0; start <= body.length; ) {
            int end = indexOf(body, (byte) '\n', start);
            line++;
            int from = start;
            int to = end;
            start = end + 1;
            while (from < to && blank(body[from])) {
                from++;
            }
            while (to > from && blank(body[to - 1])) {
                to--;
            }
            if (from == to) {
                continue;
            }
            if (++events > MAX_BATCH_EVENTS) {
                throw IngestProblem.tooLarge("a batch holds at most " + MAX_BATCH_EVENTS
                        + " events; this one has more from line " + line + " on: split it (nothing was stored)");
            }
            EventIntake.ScrubbedEvent event;
            try {
                if (to - from > EnvelopeIntake.MAX_EVENT_ITEM_BYTES) {
                    throw IngestProblem.tooLarge("line exceeds the 1 MB limit per event");
                }
                int offset = from;
                int length = to - from;
                event = intake.prepare(
                        projectId, body, offset, length, "native", () -> parse(json, body, offset, length));
            } catch (IngestProblem p) {
                if (p.status() == 503) {
                    throw p; // the intake's, not the line's (not ready yet): the client retries the batch
                }
                Map<String, Object> problem = new LinkedHashMap<>();
                problem.put("line", line);
                problem.put("detail", p.getMessage());
                if (!p.errors().isEmpty()) {
                    problem.put("errors", p.errors());
                }
                problems.add(problem);
                continue;
            }
            // outside the line's own problems: a budget refusal (503, 413) is the whole request's
            uncharged += event.heldBytes();
            if (uncharged >= CHARGE_STEP_BYTES) {
                held.take(uncharged);
                uncharged = 0;
            }
            valid.add(event);
        }
        held.take(uncharged);
        if (valid.isEmpty()) {
            throw new IngestProblem(
                    400,
                    "invalid-batch",
                    problems.isEmpty()
                            ? "empty batch: send one JSON event per line"
                            : "no valid event in the batch: " + problems.size() + " refused line(s)",
                    List.of());
        }
        return intake.storeAll(valid).thenApply(ids -> Response.accepted(answer(ids, problems))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build());
    }

    /**
     * {@code {"ids":[...],"problems":[...]}}: the ids are 32 hex digits (the mappers normalise or
     * refuse them), so they need no JSON writer; the rare problems get one.
     */
    private String answer(List<String> ids, List<Map<String, Object>> problems) {
        StringBuilder out = new StringBuilder(16 + ids.size() * 35);
        out.append("{\"ids\":[");
        for (int i = 0; i < ids.size(); i++) {
            out.append(i == 0 ? "\"" : ",\"").append(ids.get(i)).append('"');
        }
        out.append("],\"problems\":");
        if (problems.isEmpty()) {
            out.append("[]");
        } else {
            try {
                out.append(json.writeValueAsString(problems));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("problems are plain maps, lists and strings", e);
            }
        }
        return out.append('}').toString();
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * The index of {@code b} from {@code from} on, or the length when there is none. Eight bytes
     * at a time: a profile of 100-event batches showed the byte-by-byte search for line ends at
     * 5 % of the batch's CPU.
     */
    static int indexOf(byte[] bytes, byte b, int from) {
        long pattern = (b & 0xFFL) * 0x0101010101010101L;
        int i = from;
        for (; i + 8 <= bytes.length; i += 8) {
            long x = (long) LONGS.get(bytes, i) ^ pattern;
            // a byte of x is zero where b is; the lowest such byte sets the lowest flag exactly
            long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }

    private static boolean blank(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\f' || b == 0x0B;
    }

    private static boolean isNdjson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/x-ndjson")
                || type.equals("application/ndjson")
                || type.equals("application/jsonl")
                || type.equals("application/x-jsonlines");
    }

    /** A JSON tree of the bytes, or a 400 naming where they stop being JSON, or which limit they pass. */
    static JsonNode parse(ObjectMapper json, byte[] body, int offset, int length) {
        try {
            return json.readTree(body, offset, length);
        } catch (JsonProcessingException e) {
            throw JsonRefusal.of("invalid-event", "malformed JSON", e, json, body, offset, length);
        } catch (java.io.IOException e) {
            throw IngestProblem.badRequest("", "unreadable body: " + e.getMessage());
        }
    }

    static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        return value.regionMatches(true, 0, "Bearer ", 0, 7)
                ? value.substring(7).trim()
                : null;
    }
}
