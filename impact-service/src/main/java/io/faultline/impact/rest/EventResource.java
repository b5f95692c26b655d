package io.faultline.impact.rest;

import io.faultline.impact.model.EventDetail;
import io.faultline.impact.model.EventSummary;
import io.faultline.impact.model.Page;
import io.faultline.impact.repository.Cursor;
import io.faultline.impact.repository.EventQueries;
import io.faultline.impact.repository.EventQueries.Pick;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Whole events, as ingest accepted and scrubbed them, one at a time or a group's page by page. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "events")
public class EventResource {

    private final EventQueries queries;

    public EventResource(EventQueries queries) {
        this.queries = queries;
    }

    @GET
    @Path("/events/{id}")
    @Operation(
            summary = "One event whole: exception chain with frames, message, tags, contexts, breadcrumbs,"
                    + " request, user, SDK; its group, classification and neighbours in the group")
    @APIResponse(responseCode = "200", description = "the event")
    @APIResponse(responseCode = "404", description = "no such event stored (application/problem+json)")
    @APIResponse(responseCode = "400", description = "not an event id (application/problem+json)")
    public Uni<EventDetail> event(@PathParam("id") String id) {
        QueryParams params = new QueryParams();
        params.text("id", id, 64);
        params.check();
        return queries.event(id).map(found -> found.orElseThrow(() -> new NotFoundException("no event " + id)));
    }

    @GET
    @Path("/groups/{id}/events")
    @Operation(
            summary = "A group's events, newest first, with cursor pagination",
            description = "Pass nextCursor back as cursor for the next, older page.")
    @APIResponse(responseCode = "200", description = "one page of event summaries")
    @APIResponse(responseCode = "404", description = "no such group (application/problem+json)")
    @APIResponse(responseCode = "400", description = "invalid parameters (application/problem+json)")
    public Uni<Page<EventSummary>> groupEvents(
            @PathParam("id") String id,
            @Parameter(description = "1..100, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        QueryParams params = new QueryParams();
        params.text("id", id, 64);
        int size = params.limit(limit, 50, 100);
        Cursor after = params.cursor(cursor, EventQueries.SORT, false);
        params.check();
        return queries.groupEvents(id, after, size)
                .map(found -> found.orElseThrow(() -> new NotFoundException("no group " + id)));
    }

    @GET
    @Path("/groups/{id}/events/{pick}")
    @Operation(
            summary = "A group's latest, oldest or recommended event, whole",
            description = "recommended: the most complete of its 100 newest events (frames of the application's"
                    + " own code, then any frames, source lines, then the most fields present), the newest of"
                    + " equals.")
    @APIResponse(responseCode = "200", description = "the event")
    @APIResponse(responseCode = "404", description = "no such group, or no event of it stored")
    @APIResponse(responseCode = "400", description = "not a group id, or pick not latest|oldest|recommended")
    public Uni<EventDetail> pick(
            @PathParam("id") String id,
            @Parameter(description = "latest, oldest or recommended") @PathParam("pick") String pick) {
        QueryParams params = new QueryParams();
        params.text("id", id, 64);
        Pick which =
                switch (pick) {
                    case "latest", "oldest", "recommended" -> Pick.valueOf(pick.toUpperCase(Locale.ROOT));
                    default -> {
                        params.reject("pick", "must be one of [latest, oldest, recommended]");
                        yield null;
                    }
                };
        params.check();
        return queries.pick(id, which).chain(eventId -> {
            if (eventId.isPresent()) {
                return queries.event(eventId.get())
                        .map(found -> found.orElseThrow(() -> new NotFoundException("no event " + eventId.get())));
            }
            return queries.groupExists(id).map(exists -> {
                throw new NotFoundException(exists ? "group " + id + " has no stored event" : "no group " + id);
            });
        });
    }
}
