package io.faultline.impact.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long impact data is kept and how the purge deletes it. */
@ConfigMapping(prefix = "faultline.retention")
public interface RetentionConfig {

    /** Rows older than this are deleted ({@code FAULTLINE_RETENTION_MAX_AGE}). */
    @WithDefault("30D")
    Duration maxAge();

    /**
     * Rows per DELETE statement: small enough that one statement never holds locks or WAL for long
     * while consumers keep writing.
     */
    @WithDefault("5000")
    int batchSize();

    /** How often the purge runs (Quarkus scheduler syntax: {@code 1h}, {@code 15m}; {@code off} disables it). */
    @WithDefault("1h")
    String every();
}
