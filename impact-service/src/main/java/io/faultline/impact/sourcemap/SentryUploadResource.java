package io.faultline.impact.sourcemap;

import io.faultline.impact.rest.InvalidQueryException;
import io.faultline.impact.rest.InvalidQueryException.Violation;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The part of Sentry's API that {@code sentry-cli sourcemaps upload} and the bundler plugins
 * ({@code @sentry/vite-plugin}, {@code @sentry/webpack-plugin}) call: the chunk-upload options,
 * the chunk upload, and the artifact bundle assemble. The organization in the path is accepted and
 * ignored (Faultline has one); the projects of the assemble request scope the bundle. Callers are
 * authenticated by the dashboard-api in front of this service (docs/sourcemaps.md).
 */
@Path("/api/0/organizations/{org}")
@Tag(name = "source maps")
public class SentryUploadResource {

    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** What sentry-cli may upload here; it decides from this list which protocol to speak. */
    static final List<String> ACCEPT = List.of("artifact_bundles", "release_files", "sources");

    private final SourceFileStore store;
    private final ArtifactBundleAssembly assembly;
    private final SourceMapConfig config;

    public SentryUploadResource(SourceFileStore store, ArtifactBundleAssembly assembly, SourceMapConfig config) {
        this.store = store;
        this.assembly = assembly;
        this.config = config;
    }

    /** The assemble request as sentry-cli sends it. */
    public record AssembleRequest(
            String checksum, List<String> chunks, List<String> projects, String version, String dist) {}

    @GET
    @Path("/chunk-upload/")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Chunk upload options for sentry-cli: where and how to upload chunks")
    public Map<String, Object> options(
            @PathParam("org") String org, @Context UriInfo uri, @Context HttpHeaders headers) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("url", config.chunkUploadUrl().orElseGet(() -> publicUrl(uri, headers)));
        options.put("chunkSize", config.chunkSize());
        options.put("chunksPerRequest", config.chunksPerRequest());
        options.put("maxFileSize", config.maxBundleSize());
        options.put("maxRequestSize", (long) config.chunkSize() * config.chunksPerRequest() + 1_048_576L);
        options.put("concurrency", 1);
        options.put("hashAlgorithm", "sha1");
        options.put("compression", List.of("gzip"));
        options.put("accept", ACCEPT);
        return options;
    }

    /** This URL as the client reached it: through the dashboard-api, its X-Forwarded-* headers. */
    private static String publicUrl(UriInfo uri, HttpHeaders headers) {
        String host = headers.getHeaderString("X-Forwarded-Host");
        if (host == null) {
            return uri.getRequestUri().toString();
        }
        String proto = headers.getHeaderString("X-Forwarded-Proto");
        return (proto == null ? "http" : proto) + "://" + host
                + uri.getRequestUri().getRawPath();
    }

    @POST
    @Path("/chunk-upload/")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Blocking
    @Operation(
            summary =
                    "Chunks of an upload, as multipart parts 'file' (or 'file_gzip', gzipped), each named by its SHA-1")
    public Uni<Response> upload(
            @PathParam("org") String org,
            @RestForm("file") List<FileUpload> plain,
            @RestForm("file_gzip") List<FileUpload> gzipped) {
        Map<String, byte[]> chunks = new LinkedHashMap<>();
        List<Violation> violations = new ArrayList<>();
        for (FileUpload f : plain) {
            read(f, false, chunks, violations);
        }
        for (FileUpload f : gzipped) {
            read(f, true, chunks, violations);
        }
        if (chunks.isEmpty() && violations.isEmpty()) {
            violations.add(new Violation("file", "no chunk: send multipart parts named file or file_gzip"));
        }
        if (chunks.size() > config.chunksPerRequest()) {
            violations.add(new Violation("file", "more than " + config.chunksPerRequest() + " chunks in one request"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidQueryException(violations);
        }
        // 200 with no body, as Sentry answers: sentry-cli reads nothing from it
        return store.putChunks(chunks).replaceWith(() -> Response.ok().build());
    }

    private void read(FileUpload f, boolean gzip, Map<String, byte[]> chunks, List<Violation> violations) {
        String field = gzip ? "file_gzip" : "file";
        byte[] data;
        try (InputStream raw = Files.newInputStream(f.uploadedFile());
                InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
            data = in.readNBytes(config.chunkSize() + 1);
        } catch (IOException e) {
            violations.add(new Violation(field, f.fileName() + ": not readable" + (gzip ? " as gzip" : "")));
            return;
        }
        if (data.length > config.chunkSize()) {
            violations.add(new Violation(field, f.fileName() + ": larger than the chunk size " + config.chunkSize()));
            return;
        }
        String sum = ArtifactBundleAssembly.sha1(data);
        // sentry-cli names each part by its checksum: a mismatch is a chunk damaged on its way
        if (f.fileName() != null && !f.fileName().isEmpty() && !f.fileName().equals(sum)) {
            violations.add(new Violation(field, f.fileName() + ": checksum mismatch, the bytes hash to " + sum));
            return;
        }
        chunks.put(sum, data);
    }

    @POST
    @Path("/artifactbundle/assemble/")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Assemble an artifact bundle from its uploaded chunks, for its projects and release",
            description = "state ok: stored; not_found: upload missingChunks first; error: detail says why")
    public Uni<ArtifactBundleAssembly.State> assemble(@PathParam("org") String org, AssembleRequest request) {
        List<Violation> violations = new ArrayList<>();
        if (request == null) {
            throw new InvalidQueryException(List.of(new Violation("body", "a JSON object is required")));
        }
        if (request.checksum() == null || !SHA1.matcher(request.checksum()).matches()) {
            violations.add(new Violation("checksum", "must be 40 lower-case hex digits (SHA-1)"));
        }
        if (request.chunks() == null || request.chunks().isEmpty()) {
            violations.add(new Violation("chunks", "must list the bundle's chunk checksums"));
        } else if (request.chunks().stream()
                .anyMatch(c -> c == null || !SHA1.matcher(c).matches())) {
            violations.add(new Violation("chunks", "every chunk must be 40 lower-case hex digits (SHA-1)"));
        } else if ((long) request.chunks().size() * config.chunkSize() > config.maxBundleSize() + config.chunkSize()) {
            violations.add(new Violation("chunks", "the bundle is larger than " + config.maxBundleSize() + " bytes"));
        }
        if (request.projects() == null || request.projects().isEmpty()) {
            violations.add(new Violation("projects", "must name the project(s) the bundle is for (SENTRY_PROJECT)"));
        } else if (request.projects().size() > 16
                || request.projects().stream()
                        .anyMatch(p -> p == null || !PROJECT.matcher(p).matches())) {
            violations.add(new Violation("projects", "at most 16 project ids of 1..64 letters, digits, . _ : -"));
        }
        if (request.version() != null && request.version().length() > 250) {
            violations.add(new Violation("version", "longer than 250 characters"));
        }
        if (request.dist() != null && request.dist().length() > 64) {
            violations.add(new Violation("dist", "longer than 64 characters"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidQueryException(violations);
        }
        return assembly.assemble(
                request.checksum(),
                request.chunks(),
                request.projects().stream().distinct().toList(),
                emptyToNull(request.version()),
                emptyToNull(request.dist()));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
