package io.faultline.devstack.quarkus;

import io.faultline.devstack.EmbeddedPostgresServer;
import io.faultline.devstack.FreePorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Starts a real PostgreSQL for a {@code @QuarkusTest} and points both datasource kinds at it. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EmbeddedPostgresServer running;

    private EmbeddedPostgresServer postgres;
    private Path dir;

    /** The server this resource started last: tests that take the database away and bring it back. */
    public static EmbeddedPostgresServer server() {
        return running;
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("faultline-pg-");
            postgres = new EmbeddedPostgresServer(dir, FreePorts.next()).start();
            running = postgres;
        } catch (Exception e) {
            throw new IllegalStateException("embedded PostgreSQL did not start", e);
        }
        return Map.of(
                "quarkus.datasource.reactive.url",
                postgres.reactiveUrl(),
                "quarkus.datasource.jdbc.url",
                postgres.jdbcUrl(),
                "quarkus.datasource.username",
                EmbeddedPostgresServer.USER,
                "quarkus.datasource.password",
                "");
    }

    @Override
    public void stop() {
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("embedded PostgreSQL did not stop", e);
        } finally {
            TestDirectories.delete(dir);
        }
    }
}
