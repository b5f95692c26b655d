package io.faultline.ingest.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.mapping.Envelope;
import io.faultline.ingest.mapping.EnvelopeParser;
import io.faultline.ingest.protection.BufferBudget;
import io.faultline.ingest.service.EnvelopeIntake;
import io.faultline.ingest.service.EventIntake;
import io.faultline.ingest.service.IngestProblem;
import io.faultline.ingest.service.JsonRefusal;
import io.faultline.ingest.service.ProjectKeys;
import io.faultline.ingest.service.SentryCredentials;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.zip.InflaterInputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Sentry's ingestion protocol, so that any Sentry SDK can report to Faultline with a DSN
 * {@code http://<public key>@<host>:<port>/<project id>}: the envelope endpoint every current SDK
 * uses and the legacy store endpoint. Answers {@code 200 {"id": ...}} once stored, as Sentry does.
 */
@Path("/api/{projectId}")
public class SentryResource {

    static final String AUTH_HEADER = "X-Sentry-Auth";

    private final EnvelopeIntake envelopes;
    private final EventIntake events;
    private final ProjectKeys keys;
    private final ObjectMapper json;
    private final EnvelopeParser parser;
    private final IntakeGate gate;

    public SentryResource(
            EnvelopeIntake envelopes, EventIntake events, ProjectKeys keys, ObjectMapper json, IntakeGate gate) {
        this.gate = gate;
        this.envelopes = envelopes;
        this.events = events;
        this.keys = keys;
        this.json = json;
        this.parser = new EnvelopeParser(json);
    }

    @POST
    @Path("/envelope/")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Sentry envelope endpoint",
            description = "Events, transactions and sessions of any Sentry SDK.")
    public CompletionStage<Response> envelope(
            @PathParam("projectId") String projectId,
            @HeaderParam(AUTH_HEADER) String sentryAuth,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Content-Encoding") String contentEncoding,
            @QueryParam("sentry_key") String queryKey,
            byte[] body) {
        return gate.handle(
                body,
                contentEncoding,
                () -> acceptEnvelope(projectId, sentryAuth, authorization, contentEncoding, queryKey, body));
    }

    private CompletionStage<Response> acceptEnvelope(
            String projectId,
            String sentryAuth,
            String authorization,
            String contentEncoding,
            String queryKey,
            byte[] body) {
        return gate.withLease(lease -> {
            byte[] decoded = gate.decode(projectId, "sentry-envelope", body, contentEncoding, lease);
            Envelope envelope;
            try {
                // the items' payload copies and parsed headers, as they are kept
                envelope = parser.parse(decoded, lease::take);
            } catch (EnvelopeParser.MalformedEnvelope e) {
                // credentials may be in the header we could not read: still answer 401 when none at all
                SentryCredentials.resolve(sentryAuth, authorization, queryKey, null);
                throw IngestProblem.malformed("invalid envelope: " + e.getMessage());
            }
            authorize(projectId, SentryCredentials.resolve(sentryAuth, authorization, queryKey, envelope.dsn()));
            return envelopes.accept(projectId, envelope).thenApply(SentryResource::answer);
        });
    }

    @POST
    @Path("/store/")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sentry legacy store endpoint", description = "One event as JSON, for older SDKs.")
    public CompletionStage<Response> store(
            @PathParam("projectId") String projectId,
            @HeaderParam(AUTH_HEADER) String sentryAuth,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Content-Encoding") String contentEncoding,
            @QueryParam("sentry_key") String queryKey,
            byte[] body) {
        return gate.handle(
                body,
                contentEncoding,
                () -> acceptStore(projectId, sentryAuth, authorization, contentEncoding, queryKey, body));
    }

    private CompletionStage<Response> acceptStore(
            String projectId,
            String sentryAuth,
            String authorization,
            String contentEncoding,
            String queryKey,
            byte[] body) {
        authorize(projectId, SentryCredentials.resolve(sentryAuth, authorization, queryKey, null));
        return gate.withLease(lease -> storeDecoded(
                projectId,
                legacyEncoding(gate.decode(projectId, "sentry-store", body, contentEncoding, lease), lease)));
    }

    private CompletionStage<Response> storeDecoded(String projectId, byte[] decoded) {
        if (decoded.length > EnvelopeIntake.MAX_EVENT_ITEM_BYTES) {
            throw IngestProblem.tooLarge("event of " + decoded.length + " bytes exceeds the 1 MB limit per event");
        }
        // an error event as the SDKs send it takes the streaming path; the tree tells a transaction,
        // and names the problems of an invalid event
        EventIntake.ScrubbedEvent streamed = events.prepareStreamed(projectId, decoded, "sentry-store");
        if (streamed != null) {
            return events.store(streamed).thenApply(SentryResource::answer);
        }
        JsonNode event;
        try {
            event = json.readTree(decoded);
        } catch (JsonProcessingException e) {
            throw JsonRefusal.of("malformed", "the event is not valid JSON", e, json, decoded, 0, decoded.length);
        } catch (IOException e) {
            throw IngestProblem.malformed("the event is not valid JSON: " + e.getMessage());
        }
        if (event == null || !event.isObject()) {
            throw IngestProblem.malformed("the event must be a JSON object");
        }
        if (event.path("type").asText("").equals("transaction")) {
            Envelope single = new Envelope(
                    json.createObjectNode(),
                    java.util.List.of(new Envelope.Item("transaction", json.createObjectNode(), decoded)));
            return envelopes.accept(projectId, single).thenApply(SentryResource::answer);
        }
        return events.accept(projectId, event, "sentry-store", null).thenApply(SentryResource::answer);
    }

    private void authorize(String projectId, SentryCredentials.Presented presented) {
        if (presented.dsnProjectId() != null && !presented.dsnProjectId().equals(projectId)) {
            throw IngestProblem.forbidden(
                    "the envelope's dsn is for project " + presented.dsnProjectId() + ", not " + projectId);
        }
        keys.authorizeSentry(projectId, presented.publicKey());
        gate.admit(projectId, presented.publicKey());
    }

    /**
     * Old SDKs (raven) sent the store body as base64 of a zlib stream; anything not starting
     * like JSON is tried that way, within the 1 MB limit per event and charged to the request's
     * lease like any decoding.
     */
    private static byte[] legacyEncoding(byte[] body, BufferBudget.Lease lease) {
        int i = 0;
        while (i < body.length && Character.isWhitespace(body[i])) {
            i++;
        }
        if (i >= body.length || body[i] == '{' || body[i] == '[') {
            return body;
        }
        try {
            lease.take(body.length / 4 * 3); // what the base64 decodes to
            byte[] zipped = Base64.getMimeDecoder().decode(body);
            try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(zipped))) {
                return BodyDecoder.readCapped(
                        in,
                        EnvelopeIntake.MAX_EVENT_ITEM_BYTES,
                        "the event exceeds the 1 MB limit per event once decompressed",
                        lease);
            }
        } catch (IllegalArgumentException | IOException e) {
            return body; // not the legacy form: let the JSON parser name the problem
        }
    }

    private static Response answer(String id) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (id != null) {
            body.put("id", id);
        }
        return Response.ok(body).build();
    }
}
