package io.faultline.impact.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faultline.impact.repository.AlertRuleStore;
import io.faultline.impact.rest.InvalidQueryException.Violation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Alert rules (docs/alerts.md): create, read, change, delete, and each rule's history. */
@Path("/api/v1/alert-rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alerts")
public class AlertRuleResource {

    private final AlertRuleStore store;
    private final ObjectMapper json;

    public AlertRuleResource(AlertRuleStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    @GET
    @Operation(summary = "Every alert rule; secrets are never returned")
    public Uni<ObjectNode> list() {
        return store.list().map(rules -> {
            ObjectNode out = json.createObjectNode();
            ArrayNode items = out.putArray("items");
            rules.forEach(r -> items.add(r.toJson(json)));
            return out;
        });
    }

    @GET
    @Path("{id}")
    public Uni<ObjectNode> get(@PathParam("id") String id) {
        return store.get(id(id)).map(r -> r.orElseThrow(() -> notFound(id)).toJson(json));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Creates a rule; 400 problem+json names each refused field")
    public Uni<Response> create(String body) {
        AlertRule rule = AlertRule.parse(parse(body), 0, null);
        return store.create(rule).map(r -> Response.status(201)
                .header("Location", "/api/v1/alert-rules/" + r.id())
                .entity(r.toJson(json))
                .type(MediaType.APPLICATION_JSON)
                .build());
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Replaces a rule; a channel sent without its secret keeps the stored one")
    public Uni<ObjectNode> update(@PathParam("id") String id, String body) {
        long ruleId = id(id);
        JsonNode parsed = parse(body);
        return store.get(ruleId)
                .map(previous -> AlertRule.parse(parsed, ruleId, previous.orElseThrow(() -> notFound(id))))
                .chain(store::update)
                .map(r -> r.orElseThrow(() -> notFound(id)).toJson(json));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        return store.delete(id(id)).map(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return Response.noContent().build();
        });
    }

    @GET
    @Path("{id}/history")
    @Operation(summary = "The rule's alerts, newest first: fired, delivered or failed, with every try")
    public Uni<Response> history(@PathParam("id") String id, @QueryParam("limit") String limit) {
        long ruleId = id(id);
        int n = 100;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > 1000) {
                throw new InvalidAlertRuleException(List.of(new Violation("limit", "must be from 1 to 1000")));
            }
        }
        int max = n;
        return store.get(ruleId)
                .chain(rule -> {
                    if (rule.isEmpty()) {
                        throw notFound(id);
                    }
                    return store.history(ruleId, max);
                })
                .map(items -> Response.ok(
                                "{\"items\":" + new JsonArray(List.copyOf(items)).encode() + "}",
                                MediaType.APPLICATION_JSON)
                        .build());
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidAlertRuleException(List.of(new Violation("body", "required: the rule as a JSON object")));
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidAlertRuleException(List.of(new Violation("body", "not JSON: " + e.getOriginalMessage())));
        }
    }

    private static long id(String id) {
        try {
            long v = Long.parseLong(id);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidAlertRuleException(List.of(new Violation("id", "must be a positive whole number")));
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("no alert rule " + id);
    }
}
