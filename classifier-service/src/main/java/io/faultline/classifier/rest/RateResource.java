package io.faultline.classifier.rest;

import io.faultline.classifier.rates.ErrorRates;
import io.faultline.classifier.rates.RateOwners;
import io.faultline.classifier.rates.RateQueries;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Error rates per group, project and workflow in 1m/5m/1h event-time windows. A key's stores live
 * on one instance: asked elsewhere, this instance asks that one ({@code ?local=true}, so the
 * question goes no further) and passes its answer on. Without that, half the answers of a
 * two-replica deployment were zeros.
 */
@Path("/api/v1/rates")
@Produces(MediaType.APPLICATION_JSON)
public class RateResource {

    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(3);

    private final RateQueries rates;
    private final RateOwners owners;
    private final HttpClient http;

    @Inject
    public RateResource(RateQueries rates, RateOwners owners) {
        this(
                rates,
                owners,
                HttpClient.newBuilder().connectTimeout(FORWARD_TIMEOUT).build());
    }

    RateResource(RateQueries rates, RateOwners owners, HttpClient http) {
        this.rates = rates;
        this.owners = owners;
        this.http = http;
    }

    @GET
    @Path("/groups/{groupId}")
    public Response group(@PathParam("groupId") String groupId, @QueryParam("local") boolean local) {
        try {
            if (!owners.holdsGroup(groupId)) {
                if (local) {
                    return Response.status(Response.Status.NOT_FOUND)
                            .entity(Map.of("error", "group " + groupId + " is not held by this instance"))
                            .build();
                }
                // which instance holds a group is known only to it: ask each until one has it; one
                // that does not answer may be the holder, so zeros are given only if all answered
                IOException silent = null;
                for (HostInfo other : owners.others()) {
                    try {
                        HttpResponse<String> answer = ask(other, "/api/v1/rates/groups/" + encode(groupId));
                        if (answer.statusCode() != 404) {
                            return passOn(answer);
                        }
                    } catch (IOException e) {
                        silent = e;
                    }
                }
                if (silent != null) {
                    return unreachable(silent);
                }
                // held nowhere: a group with no recent errors, zero in every window
            }
        } catch (InvalidStateStoreException e) {
            return notReady(e);
        }
        return answer(() -> rates.group(groupId));
    }

    @GET
    @Path("/projects/{projectId}")
    public Response project(@PathParam("projectId") String projectId, @QueryParam("local") boolean local) {
        return scoped(projectId, "/api/v1/rates/projects/" + encode(projectId), local, () -> rates.project(projectId));
    }

    @GET
    @Path("/projects/{projectId}/workflows/{workflow}")
    public Response workflow(
            @PathParam("projectId") String projectId,
            @PathParam("workflow") String workflow,
            @QueryParam("local") boolean local) {
        return scoped(
                projectId + "/" + workflow,
                "/api/v1/rates/projects/" + encode(projectId) + "/workflows/" + encode(workflow),
                local,
                () -> rates.workflow(projectId, workflow));
    }

    private Response scoped(String scope, String path, boolean local, Supplier<ErrorRates> query) {
        try {
            if (!local) {
                var owner = owners.ownerOfScope(scope);
                if (owner.isPresent()) {
                    return passOn(ask(owner.get(), path));
                }
            }
        } catch (InvalidStateStoreException e) {
            return notReady(e);
        } catch (IOException e) {
            return unreachable(e);
        }
        return answer(query);
    }

    private HttpResponse<String> ask(HostInfo host, String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://" + host.host() + ":" + host.port() + path + "?local=true"))
                .timeout(FORWARD_TIMEOUT)
                .header("Accept", MediaType.APPLICATION_JSON)
                .GET()
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + host, e);
        }
    }

    private static Response passOn(HttpResponse<String> answer) {
        Response.ResponseBuilder out =
                Response.status(answer.statusCode()).entity(answer.body()).type(MediaType.APPLICATION_JSON);
        answer.headers().firstValue("Retry-After").ifPresent(v -> out.header("Retry-After", v));
        return out.build();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Stores are unavailable while the streams start or rebalance: retryable, so 503. */
    private static Response answer(Supplier<ErrorRates> query) {
        try {
            return Response.ok(query.get()).build();
        } catch (InvalidStateStoreException e) {
            return notReady(e);
        }
    }

    private static Response notReady(InvalidStateStoreException e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header("Retry-After", "5")
                .entity(Map.of("error", "rate stores not ready: " + e.getMessage()))
                .build();
    }

    private static Response unreachable(IOException e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header("Retry-After", "5")
                .entity(Map.of("error", "the instance holding these rates did not answer: " + e))
                .build();
    }
}
