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
    /**
     * Checks a Sentry public key: unknown or revoked keys get 403, as Sentry answers for a
     * disabled or foreign key.
     */
    public void authorizeSentry(String projectId, String key) {
        if (!matches(projectId, key)) {
            throw IngestProblem.forbidden("project key not valid for project " + projectId);
        }
    }

    public void authorize(String projectId, String key) {
        if (key == null || key.isBlank()) {
            throw IngestProblem.unauthorized("missing project key: send Authorization: Bearer <project key>");
        }
        if (!matches(projectId, key)) {
            throw IngestProblem.unauthorized("project key not valid for project " + projectId);
        }
    }

    private boolean matches(String projectId, String key) {
        String expected = config.defaultProject().key().orElse(null);
        return expected != null
                && config.defaultProject().id().equals(projectId)
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8));
    }
}
