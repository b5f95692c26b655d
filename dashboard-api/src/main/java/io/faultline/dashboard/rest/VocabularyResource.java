package io.faultline.dashboard.rest;

import io.faultline.schemas.Vocabulary;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /api/v1/vocabulary}: the label values the page offers in its filters and relabel
 * controls, from schemas' {@link Vocabulary}, so the page holds no copy of them. Any signed-in
 * user may read it (viewer). It changes only with a release: browsers keep it for a while and
 * then revalidate it by its ETag.
 */
@Path("/api/v1/vocabulary")
@Produces(MediaType.APPLICATION_JSON)
public class VocabularyResource {

    /** The vocabulary as the page reads it (assets/vocabulary.js), every list in its defined order. */
    public record VocabularyView(
            List<String> severities,
            List<String> categories,
            List<String> businessImpacts,
            List<String> groupStatuses,
            List<String> signalKinds) {}

    static final VocabularyView VOCABULARY = new VocabularyView(
            Vocabulary.SEVERITIES,
            Vocabulary.CATEGORIES,
            Vocabulary.BUSINESS_IMPACTS,
            Vocabulary.GROUP_STATUSES,
            Vocabulary.SIGNAL_KINDS);

    /** List.hashCode is specified: every dashboard instance of a release tags it alike. */
    private static final EntityTag TAG = new EntityTag(Integer.toHexString(List.of(
                    VOCABULARY.severities(),
                    VOCABULARY.categories(),
                    VOCABULARY.businessImpacts(),
                    VOCABULARY.groupStatuses(),
                    VOCABULARY.signalKinds())
            .hashCode()));

    private static final CacheControl CACHE = CacheControl.valueOf("private, max-age=600");

    @GET
    @Operation(summary = "Severities, categories, business impacts, group statuses and signal kinds")
    public Response vocabulary(@Context Request request) {
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(TAG);
        return (unchanged != null ? unchanged : Response.ok(VOCABULARY))
                .tag(TAG)
                .cacheControl(CACHE)
                .build();
    }
}
