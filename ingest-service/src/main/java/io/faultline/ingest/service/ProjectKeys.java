package io.faultline.ingest.service;

import io.faultline.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Decides whether a presented key may post events to a project. */
@ApplicationScoped
public class ProjectKeys {

    private final IngestConfig config;

    public ProjectKeys(IngestConfig config) {
        this.config = config;
    }

    /**
     * Checks {@code key} for {@code projectId}.
     *
     * @throws IngestProblem 401 when no key was presented, 403 when it is not valid for the project
     */
    public void authorize(String projectId, String key) {
        if (key == null || key.isBlank()) {
            throw IngestProblem.unauthorized("missing project key: send Authorization: Bearer <project key>");
        }
        String expected = config.defaultProject().key().orElse(null);
        boolean matches = expected != null
                && config.defaultProject().id().equals(projectId)
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8));
        if (!matches) {
            throw IngestProblem.unauthorized("project key not valid for project " + projectId);
        }
    }
}
