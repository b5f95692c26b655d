package io.faultline.ingest.project;

import io.faultline.ingest.config.IngestConfig;
import io.faultline.ingest.service.IngestProblem;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Creates projects and rotates and revokes their keys. Changes go through the project log, so
 * they are durable and reach every ingest instance. Two instances changing the same project at
 * the same moment: the last write wins (admin changes are rare and human-paced).
 */
@ApplicationScoped
public class ProjectAdmin {

    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ProjectLog log;
    private final IngestConfig config;

    public ProjectAdmin(ProjectLog log, IngestConfig config) {
        this.log = log;
        this.config = config;
    }

    /** @param id a numeric id (Sentry SDKs require one in the DSN), or null for the next free one */
    public synchronized ProjectEntry create(String id, String name, boolean withSecret) {
        if (id == null) {
            long max = log.all().stream()
                    .map(ProjectEntry::id)
                    .filter(i -> ID.matcher(i).matches())
                    .mapToLong(Long::parseLong)
                    .max()
                    .orElse(0);
            long defaultId = ID.matcher(config.defaultProject().id()).matches()
                    ? Long.parseLong(config.defaultProject().id())
                    : 0;
            id = Long.toString(Math.max(max, defaultId) + 1);
        } else if (!ID.matcher(id).matches()) {
            throw IngestProblem.badRequest("id", "must be a number of at most 18 digits (Sentry DSNs need one)");
        }
        if (log.find(id).isPresent()) {
            throw new IngestProblem(409, "conflict", "project " + id + " exists", List.of());
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw IngestProblem.badRequest("name", "required, at most 200 characters");
        }
        Instant now = Instant.now();
        ProjectEntry project = new ProjectEntry(id, name, List.of(newKey(withSecret, now)), now);
        log.save(project);
        return project;
    }

    public List<ProjectEntry> list() {
        return log.all().stream().sorted(Comparator.comparing(ProjectEntry::id)).toList();
    }

    public ProjectEntry get(String id) {
        return log.find(id).orElseThrow(() -> notFound("project " + id));
    }

    /** Adds a new key; the old ones stay valid until revoked, so clients can move over. */
    public synchronized ClientKey rotate(String id, boolean withSecret) {
        ProjectEntry project = get(id);
        Instant now = Instant.now();
        ClientKey key = newKey(withSecret, now);
        log.save(project.withKey(key, now));
        return key;
    }

    public synchronized void revoke(String id, String publicKey) {
        ProjectEntry project = get(id);
        if (project.key(publicKey).isEmpty()) {
            throw notFound("key " + publicKey + " of project " + id);
        }
        log.save(project.withRevoked(publicKey, Instant.now()));
    }

    private static ClientKey newKey(boolean withSecret, Instant now) {
        return new ClientKey(hex32(), withSecret ? hex32() : null, now, null);
    }

    private static String hex32() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static IngestProblem notFound(String what) {
        return new IngestProblem(404, "not-found", what + " does not exist", List.of());
    }
}
