package io.faultline.ingest.project;

import java.time.Instant;

/** A DSN key of a project. Revoked keys are kept, marked, so the history survives compaction. */
public record ClientKey(String publicKey, String secretKey, Instant createdAt, Instant revokedAt) {

    public boolean active() {
        return revokedAt == null;
    }

    public ClientKey revoked(Instant at) {
        return new ClientKey(publicKey, secretKey, createdAt, revokedAt == null ? at : revokedAt);
    }
}
