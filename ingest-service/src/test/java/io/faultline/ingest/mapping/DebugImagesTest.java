package io.faultline.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.faultline.ingest.service.IngestProblem;
import io.faultline.schemas.DebugImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The event's {@code debug_meta.images} as both mappers store them: the JavaScript SDKs list there
 * the debug id the bundler plugin gave each minified file of the stack, by which the frame finds
 * its source map. Only source map images are kept, bounded, their URL scrubbed as a frame's is.
 */
class DebugImagesTest {

    private static final String ID = "8a5c1e0e-3f7b-4c3e-9a3d-2f0e6c1b7d4a";

    private final BothPaths paths = new BothPaths();

    @Test
    void sourceMapImagesAreKeptWithTheirDebugIdInOneForm() throws Exception {
        List<DebugImage> images = both(
                """
                {"message":"m","debug_meta":{"sdk_info":{"x":1},"images":[
                  {"type":"sourcemap","code_file":"https://shop.example/assets/index-4f2a.js","debug_id":"%s"},
                  {"type":"sourcemap","code_file":"https://shop.example/assets/vendor.js",
                   "debug_id":"8A5C1E0E3F7B4C3E9A3D2F0E6C1B7D4B"},
                  {"type":"macho","code_file":"/usr/lib/libsystem.dylib","debug_id":"%s"},
                  {"type":"sourcemap","code_file":"https://shop.example/assets/no-id.js"},
                  {"type":"sourcemap","code_file":"https://shop.example/assets/bad-id.js","debug_id":"not-a-uuid"},
                  {"type":"sourcemap","debug_id":"%s"},
                  "not an image"]}}"""
                        .formatted(ID, ID, ID));

        assertThat(images)
                .extracting(DebugImage::getType, DebugImage::getCodeFile, DebugImage::getDebugId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "sourcemap", "https://shop.example/assets/index-4f2a.js", ID),
                        org.assertj.core.groups.Tuple.tuple(
                                "sourcemap",
                                "https://shop.example/assets/vendor.js",
                                "8a5c1e0e-3f7b-4c3e-9a3d-2f0e6c1b7d4b"));
    }

    @Test
    void anEventWithoutDebugMetaHasNoImages() throws Exception {
        assertThat(both("{\"message\":\"m\"}")).isEmpty();
        assertThat(both("{\"message\":\"m\",\"debug_meta\":null}")).isEmpty();
        assertThat(both("{\"message\":\"m\",\"debug_meta\":{\"images\":null}}")).isEmpty();
    }

    @Test
    void theCodeFileIsScrubbedAsTheFramesUrlIs() throws Exception {
        String url = "https://shop.example/assets/index.js?access_token=tok_8f3a9c2e1b&v=2";
        List<DebugImage> images = both(
                "{\"message\":\"m\",\"exception\":[{\"type\":\"E\",\"stacktrace\":{\"frames\":[{\"abs_path\":\"" + url
                        + "\",\"lineno\":1,\"colno\":5}]}}],\"debug_meta\":{\"images\":[{\"type\":\"sourcemap\","
                        + "\"code_file\":\"" + url + "\",\"debug_id\":\"" + ID + "\"}]}}");

        assertThat(images.get(0).getCodeFile()).doesNotContain("tok_8f3a9c2e1b").contains("v=2");
        assertThat(images.get(0).getCodeFile())
                .as("the same text as the frame's, so the frame still finds its image")
                .isEqualTo(paths.scrubber.text(url));
    }

    @Test
    void imagesAreBoundedInNumberAndLength() throws Exception {
        StringBuilder many = new StringBuilder("{\"message\":\"m\",\"debug_meta\":{\"images\":[");
        for (int i = 0; i < SentryEventMapper.MAX_DEBUG_IMAGES + 20; i++) {
            many.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"sourcemap\",\"code_file\":\"https://cdn.example/c")
                    .append(i)
                    .append(".js\",\"debug_id\":\"")
                    .append(ID)
                    .append("\"}");
        }
        many.append(",{\"type\":\"sourcemap\",\"code_file\":\"https://cdn.example/")
                .append("x".repeat(SentryEventMapper.MAX_CODE_FILE))
                .append(".js\",\"debug_id\":\"")
                .append(ID)
                .append("\"}]}}");

        List<DebugImage> images = both(many.toString());

        assertThat(images).hasSize(SentryEventMapper.MAX_DEBUG_IMAGES);
        assertThat(images.get(0).getCodeFile()).isEqualTo("https://cdn.example/c0.js");
        assertThat(images)
                .allSatisfy(i -> assertThat(i.getCodeFile()).hasSizeLessThan(SentryEventMapper.MAX_CODE_FILE));
    }

    @Test
    void debugMetaOfTheWrongShapeIsRefusedNamingTheField() {
        for (String bad : List.of(
                "{\"message\":\"m\",\"debug_meta\":[]}", "{\"message\":\"m\",\"debug_meta\":{\"images\":{}}}")) {
            IngestProblem problem = catchThrowableOfType(
                    IngestProblem.class,
                    () -> paths.tree.map(paths.json.readTree(bad), "1", BothPaths.RECEIVED, "native", null));
            assertThat(problem).as(bad).isNotNull();
            assertThat(problem.errors())
                    .extracting(IngestProblem.FieldError::field)
                    .singleElement()
                    .asString()
                    .startsWith("debug_meta");
            assertThat(paths.streamed(bad))
                    .as("the streaming path leaves it to the tree's")
                    .isNull();
        }
    }

    private List<DebugImage> both(String event) throws Exception {
        assertThat(paths.streamed(event))
                .as("the streaming path maps it itself")
                .isNotNull();
        return paths.both(event).getDebugImages();
    }
}
