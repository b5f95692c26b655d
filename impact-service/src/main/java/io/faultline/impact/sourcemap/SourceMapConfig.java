package io.faultline.impact.sourcemap;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Limits of source map uploads (docs/sourcemaps.md). */
@ConfigMapping(prefix = "faultline.sourcemaps")
public interface SourceMapConfig {

    /** Bytes of one chunk; sentry-cli splits bundles into chunks of this size. */
    @WithDefault("2097152")
    int chunkSize();

    /** Chunks per upload request: with the chunk size, within the HTTP body limit. */
    @WithDefault("4")
    int chunksPerRequest();

    /** Bytes an assembled bundle may unpack to: a zip bomb is refused, never inflated in memory. */
    @WithDefault("268435456")
    long maxBundleUnpacked();

    /** Bytes an assembled bundle (the zip) may have. */
    @WithDefault("67108864")
    long maxBundleSize();

    /**
     * The URL sentry-cli posts chunks to, when the address it reached this service under is not
     * the one it must use (a proxy that does not send X-Forwarded-Host).
     */
    Optional<String> chunkUploadUrl();
}
