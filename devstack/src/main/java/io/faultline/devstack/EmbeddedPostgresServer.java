package io.faultline.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL 14 server from the zonky binaries (no Docker). As root it runs initdb and
 * postgres under {@code unshare -U}, which zonky does on its own. Data, binaries and the socket
 * all live under one directory, so a stopped stack leaves nothing elsewhere and a restart on the
 * same directory keeps the data.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "faultline";
    public static final String USER = "postgres";

    private final Path home;
    private final int port;
    private final java.util.Map<String, String> serverConfig = new java.util.LinkedHashMap<>();
    private EmbeddedPostgres postgres;
    private volatile boolean closed;

    public EmbeddedPostgresServer(Path home, int port) {
        this.home = home;
        this.port = port;
    }

    /** A server setting (postgresql.conf) besides the defaults, e.g. {@code ssl=on}. Call before {@link #start()}. */
    public synchronized EmbeddedPostgresServer withServerConfig(String key, String value) {
        serverConfig.put(key, value);
        return this;
    }

    /** The data directory (pg_hba.conf lives there). */
    public Path dataDirectory() {
        return home.resolve("data");
    }

    public synchronized EmbeddedPostgresServer start() throws Exception {
        Path data = home.resolve("data");
        Path work = home.resolve("work");
        Files.createDirectories(work);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setOverrideWorkingDirectory(work.toFile())
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(true)
                // only C/POSIX locales exist on the build machines; initdb fails on en_US.UTF-8
                .setLocaleConfig("locale", "C")
                .setLocaleConfig("encoding", "UTF8")
                .setServerConfig("unix_socket_directories", work.toString())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                .setServerConfig("shared_buffers", "64MB")
                .setServerConfig("fsync", "on")
                // zonky turns synchronous_commit off for test speed; a committed row must survive a crash
                .setServerConfig("synchronous_commit", "on")
                .setPGStartupWait(Duration.ofSeconds(60));
        serverConfig.forEach(builder::setServerConfig);
        postgres = builder.start();
        ensureDatabase();
        return this;
    }

    private void ensureDatabase() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        }
    }

    /** The postmaster runs (a zombie does not count). */
    public boolean running() {
        return Processes.fromPidFile(home.resolve("data/postmaster.pid")).isPresent();
    }

    /**
     * Starts PostgreSQL again on the same data after its postmaster died (a kill -9, the OOM
     * killer): it recovers from its write-ahead log, so every committed row is there. Its backends
     * notice the postmaster's death and exit within a moment; until they have, the old shared
     * memory is in use and a start fails, so this tries for a while.
     */
    public synchronized void restartAfterCrash(Duration patience) throws Exception {
        if (closed) {
            return; // stopped on purpose meanwhile
        }
        EmbeddedPostgres dead = postgres;
        postgres = null;
        if (dead != null) {
            try {
                dead.close();
            } catch (Exception alreadyGone) {
                // pg_ctl stop on a dead server: nothing to stop
            }
        }
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                start();
                return;
            } catch (Exception notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(500);
            }
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** The URL form Quarkus' reactive PostgreSQL client takes. */
    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    @Override
    public synchronized void close() throws Exception {
        closed = true;
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
