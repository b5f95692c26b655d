package io.faultline.impact.rest;

import io.faultline.impact.model.GroupDetail;
import io.faultline.impact.model.GroupTags;
import io.faultline.impact.model.Overview.GroupSummary;
import io.faultline.impact.model.Page;
import io.faultline.impact.repository.Cursor;
import io.faultline.impact.repository.GroupQueries;
import io.faultline.impact.repository.GroupQueries.GroupFilter;
import io.faultline.impact.repository.GroupQueries.GroupSort;
import io.faultline.impact.repository.GroupSearch;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Arrays;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "groups")
public class GroupResource {

    private final GroupQueries queries;

    public GroupResource(GroupQueries queries) {
        this.queries = queries;
    }

    @GET
    @Path("/groups")
    @Operation(
            summary = "Error groups, filtered and sorted, with cursor pagination",
            description = "Pass nextCursor back as cursor (with the same sort) for the next page. Cursors are keyset"
                    + " positions: groups inserted meanwhile never shift or repeat later pages.")
    @APIResponse(responseCode = "200", description = "one page of groups")
    @APIResponse(responseCode = "400", description = "invalid parameters (application/problem+json)")
    public Uni<Page<GroupSummary>> groups(
            @QueryParam("project") String project,
            @QueryParam("workflow") String workflow,
            @Parameter(description = "critical, high, medium, low, info") @QueryParam("severity") String severity,
            @QueryParam("category") String category,
            @Parameter(description = "unresolved, resolved, ignored, regressed, merged (left out unless asked for)")
                    @QueryParam("status")
                    String status,
            @Parameter(description = "seen at or after (ISO-8601)") @QueryParam("from") String from,
            @Parameter(description = "first seen before (ISO-8601)") @QueryParam("to") String to,
            @Parameter(
                            description = "search terms, ANDed: is:unresolved|resolved|ignored|regressed|merged,"
                                    + " level:, severity:, category:, impact:, workflow:, release:, environment:,"
                                    + " tag:key=value or key:value (custom tags, contexts), firstSeen:-24h,"
                                    + " lastSeen:+1h, lastSeen:>2026-01-31, !key:value negates, \"quoted values\","
                                    + " free words match title and culprit")
                    @QueryParam("query")
                    String query,
            @Parameter(
                            description = "-lastSeen (default), lastSeen, -firstSeen, firstSeen, -count, count, -users,"
                                    + " users, -priority, priority; Sentry's date, new, freq, user")
                    @QueryParam("sort")
                    String sort,
            @Parameter(description = "1..500, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        QueryParams params = new QueryParams();
        params.text("project", project, 64);
        params.text("workflow", workflow, 64);
        params.oneOf("severity", severity, QueryParams.SEVERITIES);
        params.oneOf("category", category, QueryParams.CATEGORIES);
        params.oneOf("status", status, QueryParams.STATUSES);
        Instant fromAt = params.instant("from", from);
        Instant toAt = params.instant("to", to);
        GroupSearch search = null;
        try {
            search = GroupSearch.parse(query, Instant.now());
        } catch (GroupSearch.Malformed e) {
            params.reject("query", e.getMessage());
        }
        GroupSort order = GroupSort.of(sort == null ? GroupSort.LAST_SEEN_DESC.token : sort)
                .orElse(null);
        if (order == null) {
            params.reject(
                    "sort",
                    "must be one of "
                            + Arrays.stream(GroupSort.values())
                                    .map(s -> s.token)
                                    .toList());
        }
        int size = params.limit(limit, 50, 500);
        Cursor after = params.cursor(cursor, order == null ? null : order.token, order != null && order.numeric());
        params.check();
        return queries.groups(
                new GroupFilter(project, workflow, severity, category, status, fromAt, toAt, search),
                order,
                after,
                size);
    }

    @GET
    @Path("/groups/{id}")
    @Operation(summary = "One error group with its recent resolver entries")
    @APIResponse(responseCode = "200", description = "the group")
    @APIResponse(responseCode = "404", description = "no such group (application/problem+json)")
    @APIResponse(responseCode = "400", description = "not a group id (application/problem+json)")
    public Uni<GroupDetail> group(@PathParam("id") String id) {
        QueryParams params = new QueryParams();
        params.text("id", id, 64);
        params.check();
        return queries.group(id).map(found -> found.orElseThrow(() -> new NotFoundException("no group " + id)));
    }

    @GET
    @Path("/groups/{id}/tags")
    @Operation(
            summary = "A group's tag distributions, users affected, first and last release",
            description = "Over the group's whole life, counted as its events were stored: per tag (level, release,"
                    + " environment, server_name, workflow, browser, os, runtime, device and every custom tag) its"
                    + " events, distinct values and the " + GroupQueries.TOP_VALUES + " most frequent values with"
                    + " their shares.")
    @APIResponse(responseCode = "200", description = "the distributions")
    @APIResponse(responseCode = "404", description = "no such group (application/problem+json)")
    @APIResponse(responseCode = "400", description = "not a group id (application/problem+json)")
    public Uni<GroupTags> tags(@PathParam("id") String id) {
        QueryParams params = new QueryParams();
        params.text("id", id, 64);
        params.check();
        return queries.tags(id).map(found -> found.orElseThrow(() -> new NotFoundException("no group " + id)));
    }

    @GET
    @Path("/resolutions")
    @Operation(summary = "Resolver audit entries, newest first, with cursor pagination")
    @APIResponse(responseCode = "200", description = "one page of entries")
    @APIResponse(responseCode = "400", description = "invalid parameters (application/problem+json)")
    public Uni<Page<io.faultline.impact.model.ResolutionEntry>> resolutions(
            @QueryParam("project") String project,
            @QueryParam("group") String group,
            @Parameter(description = "e.g. verification_passed") @QueryParam("phase") String phase,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @Parameter(description = "1..500, default 50") @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        QueryParams params = new QueryParams();
        params.text("project", project, 64);
        params.text("group", group, QueryParams.MAX_ID);
        params.text("phase", phase, 32);
        Instant fromAt = params.instant("from", from);
        Instant toAt = params.instant("to", to);
        int size = params.limit(limit, 50, 500);
        Cursor after = params.cursor(cursor, GroupQueries.RESOLUTIONS_SORT, false);
        params.check();
        return queries.resolutions(project, group, phase, fromAt, toAt, after, size);
    }
}
