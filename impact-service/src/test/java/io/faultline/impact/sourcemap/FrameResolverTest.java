package io.faultline.impact.sourcemap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameResolverTest {

    @Test
    void aMinifiedFilesUrlIsLookedUpAsUploadedAndUnderSentryClisPrefix() {
        assertThat(FrameResolver.candidates("https://shop.example/app/assets/index-abc.js?v=3#x"))
                .containsExactly(
                        "https://shop.example/app/assets/index-abc.js",
                        "~/app/assets/index-abc.js",
                        "~/assets/index-abc.js",
                        "~/index-abc.js");
        assertThat(FrameResolver.candidates("app:///main.jsbundle")).contains("app:///main.jsbundle");
    }

    @Test
    void aMapsSourcesAreResolvedAgainstTheMapsUrl() {
        assertThat(FrameResolver.relative("~/assets/index.js.map", "../../src/App.tsx"))
                .isEqualTo("~/src/App.tsx");
        assertThat(FrameResolver.relative("~/assets/index.js", "index.js.map")).isEqualTo("~/assets/index.js.map");
        assertThat(FrameResolver.relative("https://cdn.example/a/b.js", "/maps/b.js.map"))
                .isEqualTo("https://cdn.example/maps/b.js.map");
        assertThat(FrameResolver.relative("~/a.js.map", "webpack://shop/./src/a.ts"))
                .isEqualTo("webpack://shop/./src/a.ts");
    }

    @Test
    void sourcesAreShownWithoutBundlerSchemesAndRelativePrefixes() {
        assertThat(FrameResolver.displayName("../../src/App.tsx")).isEqualTo("src/App.tsx");
        assertThat(FrameResolver.displayName("webpack://shop/./src/a.ts")).isEqualTo("src/a.ts");
        assertThat(FrameResolver.displayName("webpack:///./src/a.ts")).isEqualTo("src/a.ts");
        assertThat(FrameResolver.displayName("~/src/b.js")).isEqualTo("src/b.js");
    }

    @Test
    void theEnclosingFunctionIsTheNearestDeclarationAbove() {
        String[] source = {
            "export function BookingPage() {",
            "  const load = async (id: string) => {",
            "    if (id) {",
            "      throw new Error('x');",
            "    }",
            "  };",
            "  class Cart {",
            "    total(items) {",
            "      return items.sum();",
            "    }",
            "  }",
            "}"
        };
        assertThat(FrameResolver.enclosingFunction(source, 3)).isEqualTo("load");
        assertThat(FrameResolver.enclosingFunction(source, 8)).isEqualTo("total");
        assertThat(FrameResolver.enclosingFunction(source, 0)).isEqualTo("BookingPage");
        assertThat(FrameResolver.enclosingFunction(new String[] {"x = 1;"}, 0)).isNull();
    }
}
