package io.faultline.ingest.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.faultline.ingest.config.IngestConfig;
import io.faultline.ingest.project.ClientKey;
import io.faultline.ingest.project.ProjectAdmin;
import io.faultline.ingest.project.ProjectEntry;
import io.faultline.ingest.service.IngestProblem;
import io.faultline.ingest.service.JsonRefusal;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;

/** Projects and their DSN keys, for operators holding the admin token. */
@Path("/api/v1/admin/projects")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AdminProjectResource {

    /** A key as the API shows it, with the DSN a Sentry SDK is configured with. */
    public record KeyView(String publicKey, String secretKey, String dsn, Instant createdAt, Instant revokedAt) {}

    public record ProjectView(String id, String name, List<KeyView> keys) {}

    private final ProjectAdmin admin;
    private final IngestConfig config;
    private final ObjectMapper json;

    public AdminProjectResource(ProjectAdmin admin, IngestConfig config, ObjectMapper json) {
        this.admin = admin;
        this.config = config;
        this.json = json;
    }

    @POST
    public Response create(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body, @Context UriInfo uri) {
        guard(authorization);
        JsonNode b = tree(body);
        ProjectEntry created = admin.create(
                b.path("id").isMissingNode() || b.path("id").isNull()
                        ? null
                        : b.path("id").asText(),
                b.path("name").isTextual() ? b.path("name").asText() : null,
                b.path("withSecret").asBoolean(false));
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                .entity(view(created, uri))
                .build();
    }

    @GET
    public List<ProjectView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        guard(authorization);
        return admin.list().stream().map(p -> view(p, uri)).toList();
    }

    @GET
    @Path("/{id}")
    public ProjectView get(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("id") String id,
            @Context UriInfo uri) {
        guard(authorization);
        return view(admin.get(id), uri);
    }

    @POST
    @Path("/{id}/keys")
    public Response rotate(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("id") String id,
            byte[] body,
            @Context UriInfo uri) {
        guard(authorization);
        ClientKey key = admin.rotate(id, tree(body).path("withSecret").asBoolean(false));
        return Response.status(201).entity(keyView(id, key, uri)).build();
    }

    @DELETE
    @Path("/{id}/keys/{key}")
    public Response revoke(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("id") String id,
            @PathParam("key") String key) {
        guard(authorization);
        admin.revoke(id, key);
        return Response.noContent().build();
    }

    /**
     * The body as a tree, read once the token is checked (as bytes, not by REST before the
     * resource runs), so that a refusal names the field and the reason like the intake's do.
     */
    private JsonNode tree(byte[] body) {
        if (body == null || body.length == 0) {
            return NullNode.getInstance();
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw JsonRefusal.of("malformed", "the body is not valid JSON", e, json, body, 0, body.length);
        } catch (IOException e) {
            throw IngestProblem.malformed("unreadable body: " + e.getMessage());
        }
    }

    private void guard(String authorization) {
        String expected = config.adminToken().filter(t -> !t.isBlank()).orElse(null);
        String presented = NativeEventResource.bearer(authorization);
        if (expected == null) {
            throw IngestProblem.forbidden("the admin API is disabled: set FAULTLINE_ADMIN_TOKEN");
        }
        if (presented == null
                || !MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
            throw IngestProblem.unauthorized("admin token required: Authorization: Bearer <admin token>");
        }
    }

    private static ProjectView view(ProjectEntry p, UriInfo uri) {
        return new ProjectView(
                p.id(),
                p.name(),
                p.keys().stream().map(k -> keyView(p.id(), k, uri)).toList());
    }

    /** {@code http://<public key>@<host>:<port>/<project id>}, the host as this request reached us. */
    static KeyView keyView(String projectId, ClientKey k, UriInfo uri) {
        URI base = uri.getBaseUri();
        String hostPort = base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "");
        String dsn = base.getScheme() + "://" + k.publicKey() + "@" + hostPort + "/" + projectId;
        return new KeyView(k.publicKey(), k.secretKey(), dsn, k.createdAt(), k.revokedAt());
    }
}
