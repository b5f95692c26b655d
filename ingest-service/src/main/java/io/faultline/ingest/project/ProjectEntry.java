package io.faultline.ingest.project;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A project as ingest knows it: its id, a display name and its keys, active and revoked. */
public record ProjectEntry(String id, String name, List<ClientKey> keys, Instant updatedAt) {

    public ProjectEntry {
        keys = List.copyOf(keys);
    }

    public Optional<ClientKey> key(String publicKey) {
        return keys.stream().filter(k -> k.publicKey().equals(publicKey)).findFirst();
    }

    public ProjectEntry withKey(ClientKey key, Instant at) {
        List<ClientKey> next = new ArrayList<>(keys);
        next.add(key);
        return new ProjectEntry(id, name, next, at);
    }

    public ProjectEntry withRevoked(String publicKey, Instant at) {
        return new ProjectEntry(
                id,
                name,
                keys.stream()
                        .map(k -> k.publicKey().equals(publicKey) ? k.revoked(at) : k)
                        .toList(),
                at);
    }
}
