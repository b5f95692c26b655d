package io.faultline.dashboard.rest;

import io.faultline.dashboard.client.ImpactClient;
import io.faultline.dashboard.security.Principal;
import io.faultline.dashboard.service.GroupActions;
import io.faultline.schemas.Vocabulary;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * {@code POST /api/v1/groups/{id}/actions}: operators act on a group; every action is audited. An
 * ignore may carry an until-condition: {@code until} (an ISO-8601 instant, or a duration from now
 * such as {@code PT24H} or {@code 24h}) and/or {@code untilOccurrences} (further occurrences); the
 * classifier wakes the group up when either is crossed. A relabel pins any of {@code severity},
 * {@code category}, {@code businessImpact}, {@code workflow} on the group's next events (none: the
 * rules decide again). A resolve in the next release ({@code resolve_in_release}) may name the
 * {@code release} the fix comes after; without one it is the latest release the group was seen in
 * (docs/releases.md).
 */
@Path("/api/v1/groups/{id}/actions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class GroupActionResource {

    /** The request body; {@code projectId} is needed because the audit trail is per project. */
    public record ActionRequest(
            String action,
            String projectId,
            String note,
            String until,
            Long untilOccurrences,
            String severity,
            String category,
            String businessImpact,
            String workflow,
            String release) {}

    /** The classifier's vocabulary (ARCHITECTURE.md); a relabel outside it is refused. */
    static final List<String> SEVERITIES = Vocabulary.SEVERITIES;

    static final List<String> CATEGORIES = Vocabulary.CATEGORIES;
    static final List<String> IMPACTS = Vocabulary.BUSINESS_IMPACTS;
    private static final Pattern WORKFLOW = Pattern.compile("[a-z0-9_.-]{1,64}");

    /**
     * The last instant an ignore may run to: four-digit years, as every reader of the audit trail
     * (the classifier, PostgreSQL) can hold them.
     */
    static final Instant LATEST_UNTIL = Instant.parse("9999-12-31T23:59:59Z");

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,6})([mhd])");

    /** A release as SDKs send it: no spaces or control characters, at most the impact-service's column. */
    private static final Pattern RELEASE = Pattern.compile("[^\\s\\p{Cc}\\p{Cs}]{1,200}");

    private final GroupActions actions;
    private final ImpactClient impact;
    private final Clock clock = Clock.systemUTC();

    public GroupActionResource(GroupActions actions, @RestClient ImpactClient impact) {
        this.actions = actions;
        this.impact = impact;
    }

    @POST
    @Operation(
            summary = "Resolve, resolve in the next release (after a release, default the group's latest), ignore"
                    + " (optionally until an instant/duration or N more occurrences), reopen or acknowledge a group"
                    + " (operator role); 202 once audited")
    public Uni<Response> act(@PathParam("id") String groupId, ActionRequest request, RoutingContext ctx) {
        if (!Ids.valid(groupId)) {
            return problem("id", Ids.RULE);
        }
        if (request == null) {
            return problem(
                    null,
                    "send {\"action\": one of " + GroupActions.ACTIONS
                            + ", \"projectId\": \"...\", \"note\": optional, \"until\"/\"untilOccurrences\": optional for ignore}");
        }
        Response refused = projectRefusal(request.projectId());
        if (refused == null) {
            refused = refusal(request);
        }
        return refused != null
                ? Uni.createFrom().item(refused)
                : perform(groupId, request, ctx.get(Principal.CONTEXT_KEY));
    }

    /** Why a project id is refused, or null. */
    static Response projectRefusal(String projectId) {
        if (projectId == null || projectId.isBlank()) {
            return Problems.badRequest("projectId", "is required: the audit trail is kept per project");
        }
        return Ids.valid(projectId) ? null : Problems.badRequest("projectId", Ids.RULE);
    }

    /** Why the action and its parameters (all but the group and project) are refused, or null. */
    Response refusal(ActionRequest request) {
        if (request.action() == null || !GroupActions.ACTIONS.contains(request.action())) {
            return Problems.badRequest("action", "must be one of " + GroupActions.ACTIONS);
        }
        boolean ignore = "ignore".equals(request.action());
        if (!ignore && (request.until() != null || request.untilOccurrences() != null)) {
            return Problems.badRequest(
                    request.until() != null ? "until" : "untilOccurrences", "applies to ignore only");
        }
        if (request.untilOccurrences() != null && request.untilOccurrences() < 1) {
            return Problems.badRequest("untilOccurrences", "must be a positive number of further occurrences");
        }
        if (request.until() != null) {
            Instant until = parseUntil(request.until().trim());
            if (until == null) {
                return Problems.badRequest(
                        "until",
                        "must be an ISO-8601 instant (2026-12-01T08:00:00Z) or a duration (PT24H, 30m, 24h, 7d),"
                                + " before " + LATEST_UNTIL);
            }
            if (!until.isAfter(clock.instant())) {
                return Problems.badRequest("until", "must lie in the future");
            }
        }
        boolean relabel = "relabel".equals(request.action());
        if (!relabel
                && (request.severity() != null
                        || request.category() != null
                        || request.businessImpact() != null
                        || request.workflow() != null)) {
            return Problems.badRequest("severity", "labels apply to relabel only");
        }
        if (relabel) {
            if (request.severity() != null && !SEVERITIES.contains(request.severity())) {
                return Problems.badRequest("severity", "must be one of " + SEVERITIES);
            }
            if (request.category() != null && !CATEGORIES.contains(request.category())) {
                return Problems.badRequest("category", "must be one of " + CATEGORIES);
            }
            if (request.businessImpact() != null && !IMPACTS.contains(request.businessImpact())) {
                return Problems.badRequest("businessImpact", "must be one of " + IMPACTS);
            }
            if (request.workflow() != null
                    && !WORKFLOW.matcher(request.workflow()).matches()) {
                return Problems.badRequest("workflow", "must be a workflow name: lower-case letters, digits, _ . -");
            }
        }
        boolean inRelease = "resolve_in_release".equals(request.action());
        if (!inRelease && request.release() != null) {
            return Problems.badRequest("release", "applies to resolve_in_release only");
        }
        if (request.release() != null && !RELEASE.matcher(request.release()).matches()) {
            return Problems.badRequest(
                    "release", "must be 1 to 200 characters without spaces or control characters, as the SDK sends it");
        }
        return null;
    }

    /** Records an action {@link #refusal} accepted on one group: a 202 once audited. */
    Uni<Response> perform(String groupId, ActionRequest request, Principal who) {
        if ("resolve_in_release".equals(request.action())) {
            return releaseOf(groupId, request.release())
                    .flatMap(release -> release == null
                            ? problem(
                                    "release",
                                    "the group's events carry no release: name the release its fix comes after")
                            : actions.resolveInRelease(
                                            groupId, request.projectId(), who.name(), request.note(), release)
                                    .map(recorded -> Response.accepted(recorded).build()));
        }
        if ("relabel".equals(request.action())) {
            GroupActions.Labels labels = new GroupActions.Labels(
                    request.severity(), request.category(), request.businessImpact(), request.workflow());
            return actions.relabel(groupId, request.projectId(), who.name(), request.note(), labels)
                    .map(recorded -> Response.accepted(recorded).build());
        }
        GroupActions.IgnoreCondition condition = "ignore".equals(request.action())
                ? new GroupActions.IgnoreCondition(
                        request.until() == null
                                ? null
                                : parseUntil(request.until().trim()),
                        request.untilOccurrences())
                : null;
        return actions.record(groupId, request.projectId(), request.action(), who.name(), request.note(), condition)
                .map(recorded -> Response.accepted(recorded).build());
    }

    /** The release named, else the latest one the group was seen in (null: none, or no such group). */
    private Uni<String> releaseOf(String groupId, String named) {
        if (named != null) {
            return Uni.createFrom().item(named);
        }
        return impact.groupTags(groupId)
                .map(tags -> tags.path("lastRelease").isTextual()
                        ? tags.path("lastRelease").asText()
                        : null)
                .onFailure(WebApplicationException.class)
                .recoverWithUni(e -> ((WebApplicationException) e).getResponse().getStatus() == 404
                        ? Uni.createFrom().nullItem()
                        : Uni.createFrom().failure(e));
    }

    /** @return null unless the text is an instant or a duration from now, up to {@link #LATEST_UNTIL} */
    private Instant parseUntil(String value) {
        try {
            Instant at = parseInstantOrDuration(value);
            return at == null || at.isAfter(LATEST_UNTIL) ? null : at;
        } catch (DateTimeException | ArithmeticException overflow) {
            // PT10000000000000H is a well-formed duration that no instant can be (issue #19)
            return null;
        }
    }

    private Instant parseInstantOrDuration(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            // a duration from now
        }
        Matcher shorthand = SHORT_DURATION.matcher(value);
        if (shorthand.matches()) {
            long n = Long.parseLong(shorthand.group(1));
            Duration d =
                    switch (shorthand.group(2)) {
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    };
            return clock.instant().plus(d);
        }
        try {
            return clock.instant().plus(Duration.parse(value));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Uni<Response> problem(String field, String reason) {
        return Uni.createFrom().item(Problems.badRequest(field, reason));
    }
}
