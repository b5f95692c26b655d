package io.faultline.impact.sourcemap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SourceMapTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The map of Mozilla's source-map library test suite ({@code test/util.js}, testMap) and the
     * positions its consumer test asserts, so the decoder is checked against an independent reader.
     */
    private static final String MOZILLA = "{\"version\":3,\"file\":\"min.js\",\"names\":[\"bar\",\"baz\",\"n\"],"
            + "\"sources\":[\"one.js\",\"two.js\"],\"sourceRoot\":\"/the/root\","
            + "\"mappings\":\"CAAC,IAAI,IAAM,SAAUA,GAClB,OAAOC,IAAID;CCDb,IAAI,IAAM,SAAUE,GAClB,OAAOA\"}";

    private static SourceMap map(String json) {
        return SourceMap.parse(json.getBytes(StandardCharsets.UTF_8), JSON);
    }

    /** Mozilla's assertions use one-based lines and zero-based columns; ours are both zero-based. */
    private static void assertMapping(
            SourceMap map, int genLine, int genCol, String source, int line, int col, String name) {
        SourceMap.Original o = map.lookup(genLine - 1, genCol).orElseThrow();
        assertThat(o.source()).isEqualTo(source);
        assertThat(o.line()).isEqualTo(line - 1);
        assertThat(o.column()).isEqualTo(col);
        assertThat(o.name()).isEqualTo(name);
    }

    @Test
    void decodesTheMappingsAsMozillasConsumerDoes() {
        SourceMap m = map(MOZILLA);
        assertMapping(m, 1, 1, "/the/root/one.js", 1, 1, null);
        assertMapping(m, 1, 5, "/the/root/one.js", 1, 5, null);
        assertMapping(m, 1, 9, "/the/root/one.js", 1, 11, null);
        assertMapping(m, 1, 18, "/the/root/one.js", 1, 21, "bar");
        assertMapping(m, 1, 21, "/the/root/one.js", 2, 3, null);
        assertMapping(m, 1, 28, "/the/root/one.js", 2, 10, "baz");
        assertMapping(m, 1, 32, "/the/root/one.js", 2, 14, "bar");
        assertMapping(m, 2, 1, "/the/root/two.js", 1, 1, null);
        assertMapping(m, 2, 5, "/the/root/two.js", 1, 5, null);
        assertMapping(m, 2, 9, "/the/root/two.js", 1, 11, null);
        assertMapping(m, 2, 18, "/the/root/two.js", 1, 21, "n");
        assertMapping(m, 2, 21, "/the/root/two.js", 2, 3, null);
        assertMapping(m, 2, 28, "/the/root/two.js", 2, 10, "n");
    }

    @Test
    void aColumnBetweenSegmentsTakesTheSegmentBeforeIt() {
        SourceMap m = map(MOZILLA);
        assertMapping(m, 1, 30, "/the/root/one.js", 2, 10, "baz");
        assertThat(m.lookup(0, 0)).isEmpty(); // before the line's first segment
        assertThat(m.lookup(7, 0)).isEmpty(); // past the last line
    }

    @Test
    void sourcesContentComesWithItsSource() {
        SourceMap m = map("{\"version\":3,\"sources\":[\"src/App.tsx\"],\"names\":[\"boom\"],"
                + "\"sourcesContent\":[\"line one\\nline two\"],\"mappings\":\"AACAA\"}");
        SourceMap.Original o = m.lookup(0, 0).orElseThrow();
        assertThat(o.source()).isEqualTo("src/App.tsx");
        assertThat(o.line()).isEqualTo(1);
        assertThat(o.name()).isEqualTo("boom");
        assertThat(o.content()).isEqualTo("line one\nline two");
    }

    @Test
    void anIndexMapLooksUpInTheSectionAtItsOffset() {
        SourceMap m = map("{\"version\":3,\"sections\":["
                + "{\"offset\":{\"line\":0,\"column\":0},\"map\":" + MOZILLA + "},"
                + "{\"offset\":{\"line\":10,\"column\":0},\"map\":{\"version\":3,\"sources\":[\"b.js\"],"
                + "\"names\":[],\"mappings\":\"AAAA;AACA\"}}]}");
        assertMapping(m, 1, 18, "/the/root/one.js", 1, 21, "bar");
        SourceMap.Original second = m.lookup(11, 4).orElseThrow();
        assertThat(second.source()).isEqualTo("b.js");
        assertThat(second.line()).isEqualTo(1);
    }

    @Test
    void brokenMapsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> map("{\"version\":3,\"sources\":[],\"mappings\":\"A!\"}"))
                .isInstanceOf(InvalidSourceMapException.class)
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> map("{\"version\":3}")).hasMessageContaining("mappings");
        assertThatThrownBy(() -> map("[1]")).hasMessageContaining("object");
        assertThatThrownBy(() -> map("{\"version\":3,\"mappings\":\"g\"}")).hasMessageContaining("inside a number");
    }
}
