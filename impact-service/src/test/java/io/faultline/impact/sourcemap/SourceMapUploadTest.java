package io.faultline.impact.sourcemap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.DebugImage;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.StackFrame;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Uploads an artifact bundle the way sentry-cli does (options, assemble, chunks, assemble again)
 * and reads an event whose minified frame the bundle's source map resolves.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class SourceMapUploadTest {

    private static final String PROJECT = "web-shop";
    private static final String BASE = "/api/0/organizations/faultline";
    private static final String DEBUG_ID = "8a5c1e0e-3f7b-4c3e-9a3d-2f0e6c1b7d4a";

    static final String APP_TSX = String.join(
            "\n",
            "import React from \"react\";",
            "",
            "export function BrokenWidget({ id }: { id: string }) {",
            "  const booking = null as any;",
            "  return <p>{booking.slot(id)}</p>;",
            "}",
            "");

    /** The minified form of App.tsx; the error is thrown at {@code c.slot}, column 35 (one-based). */
    static final String MINIFIED = "function a(b){const c=null;return c.slot(b)}\n//# debugId=" + DEBUG_ID
            + "\n//# sourceMappingURL=index-abc.js.map\n";

    /**
     * Column 0 maps to line 3 of App.tsx (the function), column 34 to line 5 column 22 ({@code
     * booking.slot}), named booking: "AAEA,kCAEqBA" written by hand, field by field.
     */
    static final String MAP = "{\"version\":3,\"file\":\"index-abc.js\",\"sources\":[\"../../src/App.tsx\"],"
            + "\"sourcesContent\":[" + quoted(APP_TSX) + "],\"names\":[\"booking\"],\"mappings\":\"AAEA,kCAEqBA\","
            + "\"debug_id\":\"" + DEBUG_ID + "\"}";

    private final ImpactFixtures fixtures = new ImpactFixtures();

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** A bundle as sentry-cli writes it: files under files/_/_/, a manifest naming url, type and headers. */
    static byte[] bundle(Map<String, String> extraFiles) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("manifest.json", manifest("index-abc.js", DEBUG_ID));
        files.put("files/_/_/index-abc.js", MINIFIED);
        files.put("files/_/_/index-abc.js.map", MAP);
        files.putAll(extraFiles);
        return zip(files);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static List<byte[]> split(byte[] data, int size) {
        List<byte[]> chunks = new ArrayList<>();
        for (int at = 0; at < data.length; at += size) {
            chunks.add(Arrays.copyOfRange(data, at, Math.min(data.length, at + size)));
        }
        return chunks;
    }

    private static Map<String, Object> assembleBody(String checksum, List<String> chunks) {
        return Map.of("checksum", checksum, "chunks", chunks, "projects", List.of(PROJECT), "version", "shop@1.0.0");
    }

    @Test
    void aBundleUploadedInChunksResolvesAMinifiedFrameToItsSource() throws IOException {
        JsonPath options = given().get(BASE + "/chunk-upload/")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(options.getString("hashAlgorithm")).isEqualTo("sha1");
        assertThat(options.getList("accept")).contains("artifact_bundles");
        assertThat(options.getList("compression")).contains("gzip");
        assertThat(options.getString("url")).endsWith(BASE + "/chunk-upload/");

        byte[] zip = bundle(Map.of());
        String checksum = ArtifactBundleAssembly.sha1(zip);
        // small chunks, so the bundle is joined from several in order
        List<byte[]> chunks = split(zip, 300);
        List<String> sums = chunks.stream().map(ArtifactBundleAssembly::sha1).toList();
        assertThat(chunks).hasSizeGreaterThan(2);

        given().contentType("application/json")
                .body(assembleBody(checksum, sums))
                .post(BASE + "/artifactbundle/assemble/")
                .then()
                .statusCode(200)
                .body("state", is("not_found"))
                .body("missingChunks", contains(sums.toArray()));

        // sentry-cli sends gzipped parts named file_gzip, each part's file name its checksum
        for (int i = 0; i < chunks.size(); i += 2) {
            var request = given().multiPart("file_gzip", sums.get(i), gzip(chunks.get(i)), "application/octet-stream");
            if (i + 1 < chunks.size()) {
                request = request.multiPart("file", sums.get(i + 1), chunks.get(i + 1), "application/octet-stream");
            }
            request.post(BASE + "/chunk-upload/").then().statusCode(200);
        }

        // the second time, once the chunks are gone: the bundle is known
        for (int time = 0; time < 2; time++) {
            given().contentType("application/json")
                    .body(assembleBody(checksum, sums))
                    .post(BASE + "/artifactbundle/assemble/")
                    .then()
                    .statusCode(200)
                    .body("state", is("ok"));
        }

        String eventId = ImpactFixtures.eventId(PROJECT, 1);
        ClassifiedError error = ImpactFixtures.error(
                PROJECT,
                eventId,
                "web-g1",
                Instant.parse("2026-04-01T09:00:00Z"),
                "/checkout",
                "booking",
                "high",
                "user_blocking");
        error.getEvent().setPlatform("javascript");
        error.getEvent().setRelease("shop@1.0.0");
        error.getEvent()
                .setExceptions(List.of(ExceptionValue.newBuilder()
                        .setType("TypeError")
                        .setValue("Cannot read properties of null (reading 'slot')")
                        .setFrames(List.of(
                                StackFrame.newBuilder()
                                        .setFilename("/assets/vendor-1.js")
                                        .setAbsPath("https://shop.example/assets/vendor-1.js")
                                        .setFunction("Xo")
                                        .setLineno(1)
                                        .setColno(900)
                                        .setInApp(true)
                                        .build(),
                                StackFrame.newBuilder()
                                        .setFilename("/assets/index-abc.js")
                                        .setAbsPath("https://shop.example/assets/index-abc.js")
                                        .setFunction("a")
                                        .setLineno(1)
                                        .setColno(35)
                                        .setInApp(true)
                                        .build()))
                        .build()));
        fixtures.send(error);
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/events/" + eventId)
                .then()
                .statusCode(200));

        JsonPath e = given().get("/api/v1/events/" + eventId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String frame = "event.exceptions[0].frames[1].";
        assertThat(e.getString(frame + "filename")).isEqualTo("src/App.tsx");
        assertThat(e.getString(frame + "absPath")).isEqualTo("~/src/App.tsx");
        assertThat(e.getInt(frame + "lineno")).isEqualTo(5);
        assertThat(e.getInt(frame + "colno")).isEqualTo(22);
        assertThat(e.getString(frame + "function")).isEqualTo("BrokenWidget");
        assertThat(e.getString(frame + "contextLine")).isEqualTo("  return <p>{booking.slot(id)}</p>;");
        assertThat(e.getList(frame + "preContext"))
                .containsExactly(
                        "import React from \"react\";",
                        "",
                        "export function BrokenWidget({ id }: { id: string }) {",
                        "  const booking = null as any;");
        assertThat(e.getList(frame + "postContext")).containsExactly("}", "");
        assertThat(e.getString(frame + "sourcemap")).isEqualTo("~/assets/index-abc.js.map");
        // the minified frame is kept beside the original
        assertThat(e.getString(frame + "minified.absPath")).isEqualTo("https://shop.example/assets/index-abc.js");
        assertThat(e.getString(frame + "minified.function")).isEqualTo("a");
        assertThat(e.getInt(frame + "minified.colno")).isEqualTo(35);
        // a frame whose file has no uploaded map stays as the SDK sent it
        assertThat(e.getString("event.exceptions[0].frames[0].function")).isEqualTo("Xo");
        assertThat(e.getString("event.exceptions[0].frames[0].minified")).isNull();
    }

    /**
     * A frame finds its map by the debug id the event's image gives its file before its URL: here
     * the URL names one build's file and the id another's. An id no upload has (a build whose
     * upload failed) or an image of another file leaves the frame to its URL.
     */
    @Test
    void aFrameFindsItsMapByItsImagesDebugIdFirstAndByUrlOtherwise() throws IOException {
        String project = "web-ids";
        String otherId = "0d3b1c5e-7a2f-4e6b-8c1d-5f9e2a7b3c60";
        upload(
                project,
                zip(Map.of(
                        "manifest.json", manifest("index-abc.js", DEBUG_ID),
                        "files/_/_/index-abc.js", MINIFIED,
                        "files/_/_/index-abc.js.map", MAP)));
        upload(
                project,
                zip(Map.of(
                        "manifest.json",
                        manifest("index-new.js", otherId),
                        "files/_/_/index-new.js",
                        MINIFIED.replace(DEBUG_ID, otherId).replace("index-abc", "index-new"),
                        "files/_/_/index-new.js.map",
                        MAP.replace("src/App.tsx", "src/Checkout.tsx").replace(DEBUG_ID, otherId))));
        String url = "https://shop.example/assets/index-abc.js";

        String byId = sendMinifiedFrame(project, 1, image(url, otherId));
        String unknownId = sendMinifiedFrame(project, 2, image(url, "5b0c2f7e-1d4a-4c8b-9e3f-6a7d8c9b0e11"));
        String otherFile = sendMinifiedFrame(project, 3, image("https://shop.example/assets/vendor.js", otherId));
        // as the browser SDKs send a frame: its URL as filename, no abs_path
        String browserFrame = sendMinifiedFrame(project, 4, image(url, otherId));

        Map<String, String> expectedFile = new LinkedHashMap<>();
        expectedFile.put(byId, "src/Checkout.tsx");
        expectedFile.put(otherFile, "src/App.tsx");
        expectedFile.put(unknownId, "src/App.tsx");
        expectedFile.put(browserFrame, "src/Checkout.tsx");
        for (var expected : expectedFile.entrySet()) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(
                            "/api/v1/events/" + expected.getKey())
                    .then()
                    .statusCode(200)
                    .body("event.exceptions[0].frames[0].filename", is(expected.getValue()))
                    .body("event.exceptions[0].frames[0].lineno", is(5))
                    .body("event.exceptions[0].frames[0].minified.filename", is(url)));
        }
    }

    private static List<DebugImage> image(String codeFile, String debugId) {
        return List.of(DebugImage.newBuilder()
                .setCodeFile(codeFile)
                .setDebugId(debugId)
                .build());
    }

    /** Sends an event whose one frame is at column 35 of {@code index-abc.js}, with these debug images. */
    private String sendMinifiedFrame(String project, int n, List<DebugImage> images) {
        String eventId = ImpactFixtures.eventId(project, n);
        ClassifiedError error = ImpactFixtures.error(
                project,
                eventId,
                project + "-g" + n,
                Instant.parse("2026-04-01T11:00:00Z"),
                "/checkout",
                "booking",
                "high",
                "user_blocking");
        error.getEvent()
                .setExceptions(List.of(ExceptionValue.newBuilder()
                        .setType("TypeError")
                        .setFrames(List.of(StackFrame.newBuilder()
                                .setFilename("https://shop.example/assets/index-abc.js")
                                .setAbsPath(n == 4 ? null : "https://shop.example/assets/index-abc.js")
                                .setFunction("a")
                                .setLineno(1)
                                .setColno(35)
                                .build()))
                        .build()));
        error.getEvent().setDebugImages(images);
        fixtures.send(error);
        return eventId;
    }

    /** A bundle's manifest naming one minified file of {@code assets/} and its map, both with this debug id. */
    private static String manifest(String file, String debugId) {
        return "{\"files\":{\"files/_/_/" + file + "\":{\"url\":\"~/assets/" + file + "\",\"type\":\"minified_source\","
                + "\"headers\":{\"debug-id\":\"" + debugId + "\",\"Sourcemap\":\"" + file + ".map\"}},"
                + "\"files/_/_/" + file + ".map\":{\"url\":\"~/assets/" + file + ".map\",\"type\":\"source_map\","
                + "\"headers\":{\"debug-id\":\"" + debugId + "\"}}}}";
    }

    private static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** Uploads a bundle for a project in one chunk, as sentry-cli does a small one. */
    private static void upload(String project, byte[] bundle) {
        String sum = ArtifactBundleAssembly.sha1(bundle);
        given().multiPart("file", sum, bundle, "application/octet-stream")
                .post(BASE + "/chunk-upload/")
                .then()
                .statusCode(200);
        given().contentType("application/json")
                .body(Map.of(
                        "checksum", sum, "chunks", List.of(sum), "projects", List.of(project), "version", "shop@3"))
                .post(BASE + "/artifactbundle/assemble/")
                .then()
                .statusCode(200)
                .body("state", is("ok"));
    }

    /**
     * The real sentry-cli ({@code npm install @sentry/cli-linux-x64}, then {@code SENTRY_CLI=<its
     * bin/sentry-cli>}, or sentry-cli on the PATH) uploads a build directory; its minified frame
     * then resolves. Skipped, saying so, where the binary is not installed.
     */
    @Test
    void theRealSentryCliUploadsABuildWhoseFrameThenResolves() throws Exception {
        String cli = sentryCli();
        Assumptions.assumeTrue(
                cli != null,
                "sentry-cli not found: npm install @sentry/cli-linux-x64 and set SENTRY_CLI to its bin/sentry-cli");
        java.nio.file.Path dist = java.nio.file.Files.createTempDirectory("faultline-dist");
        java.nio.file.Path assets = java.nio.file.Files.createDirectories(dist.resolve("assets"));
        java.nio.file.Files.writeString(assets.resolve("index-abc.js"), MINIFIED);
        java.nio.file.Files.writeString(assets.resolve("index-abc.js.map"), MAP);
        Process run = new ProcessBuilder(
                        cli,
                        "--url",
                        "http://localhost:" + io.restassured.RestAssured.port,
                        "--auth-token",
                        "faultline-test",
                        "--log-level",
                        "info",
                        "sourcemaps",
                        "upload",
                        "--org",
                        "faultline",
                        "--project",
                        "web-cli",
                        "--release",
                        "shop@2.0.0",
                        dist.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor()).as(output).isZero();

        String eventId = sendMinifiedFrame("web-cli", 1, List.of());
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/events/" + eventId)
                .then()
                .statusCode(200)
                .body("event.exceptions[0].frames[0].filename", is("src/App.tsx"))
                .body("event.exceptions[0].frames[0].lineno", is(5))
                .body("event.exceptions[0].frames[0].function", is("BrokenWidget")));
    }

    private static String sentryCli() {
        String configured = System.getenv("SENTRY_CLI");
        if (configured != null && java.nio.file.Files.isExecutable(java.nio.file.Path.of(configured))) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            java.nio.file.Path candidate = java.nio.file.Path.of(dir, "sentry-cli");
            if (java.nio.file.Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    @Test
    void badUploadsAreRefusedNamingTheFieldAndWhy() throws IOException {
        given().contentType("application/json")
                .body(Map.of("checksum", "xyz", "chunks", List.of(), "projects", List.of()))
                .post(BASE + "/artifactbundle/assemble/")
                .then()
                .statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("errors.field", hasItem("checksum"))
                .body("errors.field", hasItem("chunks"))
                .body("errors.field", hasItem("projects"));

        byte[] chunk = "not the bytes the name promises".getBytes(StandardCharsets.UTF_8);
        given().multiPart("file", "0000000000000000000000000000000000000000", chunk, "application/octet-stream")
                .post(BASE + "/chunk-upload/")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("file"))
                .body("errors[0].reason", containsString("checksum mismatch"));

        given().multiPart("file_gzip", ArtifactBundleAssembly.sha1(chunk), chunk, "application/octet-stream")
                .post(BASE + "/chunk-upload/")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("file_gzip"))
                .body("errors[0].reason", containsString("gzip"));

        // a zip without manifest: assembled, then refused with the reason
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("files/_/_/x.js"));
            zip.write(MINIFIED.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        byte[] bad = out.toByteArray();
        String sum = ArtifactBundleAssembly.sha1(bad);
        given().multiPart("file", sum, bad, "application/octet-stream")
                .post(BASE + "/chunk-upload/")
                .then()
                .statusCode(200);
        given().contentType("application/json")
                .body(assembleBody(sum, List.of(sum)))
                .post(BASE + "/artifactbundle/assemble/")
                .then()
                .statusCode(200)
                .body("state", is("error"))
                .body("detail", containsString("no manifest.json"));
    }
}
