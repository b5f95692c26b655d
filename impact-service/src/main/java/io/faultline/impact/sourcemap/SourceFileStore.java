package io.faultline.impact.sourcemap;

import io.faultline.impact.service.EventPayloads;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Upload chunks, assembled artifact bundles and their files in PostgreSQL (V11). Files are stored
 * deflated, like event payloads; they expire with the events they resolve (RetentionPurge).
 */
@ApplicationScoped
public class SourceFileStore {

    /** A minified file found for a frame, and where its map is: by debug id, or by URL in its bundle. */
    public record Minified(String bundle, String url, UUID debugId, String sourcemap) {}

    /** A stored source map and the URL it was uploaded under (its sources are relative to it). */
    public record StoredMap(String bundle, String url, byte[] content) {}

    private final Pool pool;

    public SourceFileStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> putChunks(Map<String, byte[]> chunks) {
        if (chunks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Tuple> rows = new ArrayList<>();
        chunks.forEach((sum, data) -> rows.add(Tuple.of(sum, now, Buffer.buffer(data))));
        return pool.preparedQuery("INSERT INTO sourcemap_chunks (checksum, uploaded_at, data) VALUES ($1, $2, $3)"
                        + " ON CONFLICT (checksum) DO UPDATE SET uploaded_at = EXCLUDED.uploaded_at")
                .executeBatch(rows)
                .replaceWithVoid();
    }

    /** @return those of {@code checksums} that are stored */
    public Uni<Set<String>> presentChunks(List<String> checksums) {
        return pool.preparedQuery("SELECT checksum FROM sourcemap_chunks WHERE checksum = ANY($1)")
                .execute(Tuple.of(checksums.toArray(new String[0])))
                .map(rows -> {
                    Set<String> present = new HashSet<>();
                    for (Row r : rows) {
                        present.add(r.getString(0));
                    }
                    return present;
                });
    }

    /** The chunks' bytes in the order given; null where one is gone. */
    public Uni<List<byte[]>> chunks(List<String> checksums) {
        return pool.preparedQuery("SELECT checksum, data FROM sourcemap_chunks WHERE checksum = ANY($1)")
                .execute(Tuple.of(checksums.toArray(new String[0])))
                .map(rows -> {
                    Map<String, byte[]> found = new HashMap<>();
                    for (Row r : rows) {
                        found.put(r.getString(0), r.getBuffer(1).getBytes());
                    }
                    List<byte[]> ordered = new ArrayList<>();
                    for (String sum : checksums) {
                        ordered.add(found.get(sum));
                    }
                    return ordered;
                });
    }

    /** @return whether the bundle is already stored for every one of the projects */
    public Uni<Boolean> bundleStored(List<String> projects, String checksum) {
        return pool.preparedQuery("SELECT count(*) FROM artifact_bundles WHERE project_id = ANY($1) AND checksum = $2")
                .execute(Tuple.of(projects.toArray(new String[0]), checksum))
                .map(rows -> rows.iterator().next().getLong(0) == projects.size());
    }

    /** A bundle uploaded again (its assemble repeated) lives on from now: its retention starts over. */
    public Uni<Void> renew(List<String> projects, String checksum) {
        Tuple params = Tuple.of(projects.toArray(new String[0]), checksum, OffsetDateTime.now(ZoneOffset.UTC));
        return pool.withTransaction(conn -> conn.preparedQuery(
                        "UPDATE artifact_bundles SET uploaded_at = $3 WHERE project_id = ANY($1) AND checksum = $2")
                .execute(params)
                .chain(() -> conn.preparedQuery("UPDATE source_files SET uploaded_at = $3"
                                + " WHERE project_id = ANY($1) AND bundle = $2")
                        .execute(params))
                .replaceWithVoid());
    }

    /**
     * Stores the bundle's files for each project in one transaction, then drops its chunks. A
     * release given to assemble wins over the manifest's (sentry-cli sends both, the same).
     */
    public Uni<Void> storeBundle(
            List<String> projects,
            String checksum,
            String release,
            String dist,
            ArtifactBundle bundle,
            List<String> chunks) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String rel = release != null ? release : bundle.release();
        String dst = dist != null ? dist : bundle.dist();
        List<Tuple> files = new ArrayList<>();
        List<Tuple> bundles = new ArrayList<>();
        for (String project : projects) {
            bundles.add(Tuple.of(project, checksum, rel, dst, bundle.files().size(), now));
            for (ArtifactBundle.File f : bundle.files()) {
                files.add(Tuple.tuple(List.of(project, checksum, f.url(), f.kind()))
                        .addValue(f.debugId())
                        .addValue(f.sourcemap())
                        .addValue(rel)
                        .addValue(now)
                        .addValue(Buffer.buffer(EventPayloads.deflate(f.content()))));
            }
        }
        return pool.withTransaction(conn -> insertFiles(conn, files)
                .chain(() -> conn.preparedQuery("INSERT INTO artifact_bundles (project_id, checksum, release, dist,"
                                + " file_count, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (project_id,"
                                + " checksum) DO UPDATE SET uploaded_at = EXCLUDED.uploaded_at")
                        .executeBatch(bundles))
                .chain(() -> conn.preparedQuery("DELETE FROM sourcemap_chunks WHERE checksum = ANY($1)")
                        .execute(Tuple.of(chunks.toArray(new String[0]))))
                .replaceWithVoid());
    }

    private static Uni<Void> insertFiles(SqlConnection conn, List<Tuple> files) {
        if (files.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("INSERT INTO source_files (project_id, bundle, url, kind, debug_id, sourcemap,"
                        + " release, uploaded_at, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                        + " ON CONFLICT (project_id, bundle, url) DO UPDATE SET uploaded_at = EXCLUDED.uploaded_at")
                .executeBatch(files)
                .replaceWithVoid();
    }

    /**
     * The newest minified file of the project at one of {@code urls}, one of the event's release
     * before any other (a URL without a content hash is reused by every release).
     */
    public Uni<Optional<Minified>> minified(String project, List<String> urls, String release) {
        return pool.preparedQuery("SELECT bundle, url, debug_id, sourcemap FROM source_files WHERE project_id = $1"
                        + " AND kind = 'minified_source' AND url = ANY($2)"
                        + " ORDER BY (release IS NOT DISTINCT FROM $3) DESC, uploaded_at DESC LIMIT 1")
                .execute(Tuple.of(project, urls.toArray(new String[0]), release))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(minified(rows.iterator().next())));
    }

    private static Minified minified(Row r) {
        return new Minified(r.getString(0), r.getString(1), r.getUUID(2), r.getString(3));
    }

    public Uni<Optional<StoredMap>> mapByDebugId(String project, UUID debugId) {
        return map("debug_id = $2 ORDER BY uploaded_at DESC", Tuple.of(project, debugId));
    }

    public Uni<Optional<StoredMap>> mapAt(String project, String bundle, String url) {
        return map("bundle = $2 AND url = $3", Tuple.of(project, bundle, url));
    }

    private Uni<Optional<StoredMap>> map(String where, Tuple params) {
        return pool.preparedQuery("SELECT bundle, url, content FROM source_files WHERE project_id = $1"
                        + " AND kind = 'source_map' AND " + where + " LIMIT 1")
                .execute(params)
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    return Optional.of(new StoredMap(
                            r.getString(0),
                            r.getString(1),
                            EventPayloads.inflate(r.getBuffer(2).getBytes())));
                });
    }

    /** Whether the project has any source file: events of projects without skip every lookup. */
    public Uni<Boolean> hasFiles(String project) {
        return pool.preparedQuery("SELECT 1 FROM source_files WHERE project_id = $1 LIMIT 1")
                .execute(Tuple.of(project))
                .map(rows -> rows.size() > 0);
    }
}
