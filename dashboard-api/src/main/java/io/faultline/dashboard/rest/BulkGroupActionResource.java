package io.faultline.dashboard.rest;

import io.faultline.dashboard.rest.GroupActionResource.ActionRequest;
import io.faultline.dashboard.security.Principal;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.ClientWebApplicationException;

/**
 * {@code POST /api/v1/groups/bulk-actions}: the same action on up to {@value #MAX_GROUPS} groups at
 * once, as the groups list's selection sends it (resolve, resolve in the next release, ignore, reopen,
 * acknowledge or relabel,
 * with the same parameters as {@link GroupActionResource}). What applies to the whole request (the
 * action and its parameters, the list itself) is refused once with a 400 naming the field; a group
 * whose id or project is refused is answered in its own result while the others are recorded,
 * each audited exactly as if acted on alone. The answer is 200 with one result per group, in order.
 */
@Path("/api/v1/groups/bulk-actions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class BulkGroupActionResource {

    private static final Logger LOG = Logger.getLogger(BulkGroupActionResource.class);

    /** A page of the groups list holds 50; two pages' worth bounds the audit records one request writes. */
    static final int MAX_GROUPS = 100;

    /** One group of the selection: the audit trail is kept per project. */
    public record Target(String id, String projectId) {}

    /** The request body: the action and its parameters, as for one group, and the groups. */
    public record BulkRequest(
            String action,
            String note,
            String until,
            Long untilOccurrences,
            String severity,
            String category,
            String businessImpact,
            String workflow,
            String release,
            List<Target> groups) {

        ActionRequest on(String projectId) {
            return new ActionRequest(
                    action,
                    projectId,
                    note,
                    until,
                    untilOccurrences,
                    severity,
                    category,
                    businessImpact,
                    workflow,
                    release);
        }
    }

    /** What became of one group: 202 with the audit entry, or the refusal's status and problem. */
    public record Result(String id, int status, Object recorded, Object problem) {}

    /** Every group's result, and how many were accepted and refused. */
    public record BulkAnswer(int accepted, int refused, List<Result> results) {}

    private final GroupActionResource single;
    private final ImpactFailureMapper impactFailures;

    public BulkGroupActionResource(GroupActionResource single, ImpactFailureMapper impactFailures) {
        this.single = single;
        this.impactFailures = impactFailures;
    }

    @POST
    @Operation(
            summary = "The same action on up to 100 groups (operator role); 200 with each group's result,"
                    + " 400 when the action or the list is refused")
    public Uni<Response> act(BulkRequest request, RoutingContext ctx) {
        if (request == null) {
            return bad(
                    null,
                    "send {\"action\": ..., \"groups\": [{\"id\": ..., \"projectId\": ...}], and the"
                            + " action's parameters as for one group}");
        }
        if (request.groups() == null || request.groups().isEmpty()) {
            return bad("groups", "must list at least one {\"id\", \"projectId\"}");
        }
        if (request.groups().size() > MAX_GROUPS) {
            return bad("groups", "must list at most " + MAX_GROUPS + " groups; send the rest in another request");
        }
        for (int i = 0; i < request.groups().size(); i++) {
            if (request.groups().get(i) == null) {
                return bad("groups[" + i + "]", "must be {\"id\": ..., \"projectId\": ...}");
            }
        }
        // a valid stand-in project: the action and its parameters are checked once, for every group
        Response refused = single.refusal(request.on("bulk"));
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        Principal who = ctx.get(Principal.CONTEXT_KEY);
        // one group after the other: each result is known, in order, and the broker sees no burst
        return Multi.createFrom()
                .iterable(request.groups())
                .onItem()
                .transformToUniAndConcatenate(target -> actOn(target, request, who))
                .collect()
                .asList()
                .map(BulkGroupActionResource::answer);
    }

    private Uni<Result> actOn(Target target, BulkRequest request, Principal who) {
        Response refused = !Ids.valid(target.id())
                ? Problems.badRequest("id", Ids.RULE)
                : GroupActionResource.projectRefusal(target.projectId());
        if (refused != null) {
            return Uni.createFrom().item(new Result(target.id(), refused.getStatus(), null, refused.getEntity()));
        }
        // a group that fails (the impact-service, the broker) is answered as one group's request
        // would be, and the groups after it are still acted on: the caller learns which were recorded
        return single.perform(target.id(), request.on(target.projectId()), who)
                .onFailure()
                .recoverWithItem(this::failure)
                .map(done -> done.getStatus() / 100 == 2
                        ? new Result(target.id(), done.getStatus(), done.getEntity(), null)
                        : new Result(target.id(), done.getStatus(), null, done.getEntity()));
    }

    private Response failure(Throwable e) {
        if (e instanceof ClientWebApplicationException upstream) {
            return impactFailures.upstreamAnswered(upstream);
        }
        if (e instanceof ProcessingException unreachable) {
            return impactFailures.upstreamUnreachable(unreachable);
        }
        LOG.warnf(e, "a bulk action's group was not recorded");
        return Problems.response(503, "unavailable", "not recorded: " + e.getMessage() + "; retry this group");
    }

    private static Response answer(List<Result> results) {
        int accepted = (int) results.stream().filter(r -> r.status() == 202).count();
        return Response.ok(new BulkAnswer(accepted, results.size() - accepted, new ArrayList<>(results)))
                .build();
    }

    private static Uni<Response> bad(String field, String reason) {
        return Uni.createFrom().item(Problems.badRequest(field, reason));
    }
}
