package io.faultline.ingest.service;

import io.faultline.ingest.config.IngestConfig;
import io.faultline.ingest.project.ProjectLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Decides whether a presented key may post events to a project: the default project's key from
 * configuration (the launcher's), or an active key of a project in the project log.
 */
@ApplicationScoped
public class ProjectKeys {

    private final IngestConfig config;
    private final ProjectLog projects;

    public ProjectKeys(IngestConfig config, ProjectLog projects) {
        this.config = config;
        this.projects = projects;
    }

    /**
     * Checks a Sentry public key: unknown or revoked keys get 403, as Sentry answers for a
     * disabled or foreign key.
     */
    public void authorizeSentry(String projectId, String key) {
        if (!matches(projectId, key)) {
            requireProjectsRead();
            throw IngestProblem.forbidden("project key not valid for project " + projectId);
        }
    }

    /**
     * Checks {@code key} for {@code projectId}.
     *
     * @throws IngestProblem 401 when no key was presented or it is not valid for the project
     */
    public void authorize(String projectId, String key) {
        if (key == null || key.isBlank()) {
            throw IngestProblem.unauthorized("missing project key: send Authorization: Bearer <project key>");
        }
        if (!matches(projectId, key)) {
            requireProjectsRead();
            throw IngestProblem.unauthorized("project key not valid for project " + projectId);
        }
    }

    /**
     * An instance that has not read the project list to its end yet (it has just started) cannot
     * tell a wrong key from one it has not read: a 401/403 would make the SDK drop the event for
     * good, a 503 makes it retry.
     */
    private void requireProjectsRead() {
        if (!projects.caughtUp()) {
            throw IngestProblem.unavailable("the project list is still being read; retry in a moment");
        }
    }

    /** Whether the project exists: the configured default or one in the project log. */
    public boolean known(String projectId) {
        return config.defaultProject().id().equals(projectId)
                || projects.find(projectId).isPresent();
    }

    private boolean matches(String projectId, String key) {
        if (key == null || projectId == null) {
            return false;
        }
        String configured = config.defaultProject().key().orElse(null);
        if (configured != null && config.defaultProject().id().equals(projectId) && same(configured, key)) {
            return true;
        }
        return projects.find(projectId)
                .flatMap(p -> p.keys().stream()
                        .filter(k -> k.active() && same(k.publicKey(), key))
                        .findFirst())
                .isPresent();
    }

    private static boolean same(String expected, String presented) {
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
