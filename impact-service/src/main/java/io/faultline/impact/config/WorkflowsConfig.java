package io.faultline.impact.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Where the workflows come from. */
@ConfigMapping(prefix = "faultline.workflows")
public interface WorkflowsConfig {

    /**
     * Path of a workflows YAML file ({@code FAULTLINE_WORKFLOWS_FILE}); absent = the bundled
     * example {@code workflows.yaml}.
     */
    Optional<String> file();
}
