package io.faultline.system;

import io.faultline.system.SeededSecrets.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Looks for every planted secret in every place the stack keeps data: each Kafka topic read end
 * to end (internal ones too, decompressed by the consumer), every column of every table of
 * PostgreSQL as text, the service logs, and every other file under the stack's home, byte for
 * byte (RocksDB, broker segments and the database's files included).
 */
final class LeakScan {

    /** Where a secret was found: the place (kafka, postgres, logs, files) and what there. */
    record Leak(String place, String location, Secret secret) {}

    private final NeedleScanner scanner;
    private final Map<String, Map<Secret, String>> found = new LinkedHashMap<>();

    LeakScan(List<Secret> secrets) {
        this.scanner = new NeedleScanner(secrets, Secret::needles);
    }

    /** Every secret found, by place, with where it was found first. */
    List<Leak> leaks() {
        List<Leak> out = new ArrayList<>();
        found.forEach((place, bySecret) -> bySecret.forEach((s, where) -> out.add(new Leak(place, where, s))));
        return out;
    }

    Map<String, Integer> countByPlace() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String place : List.of("kafka", "postgres", "logs", "files")) {
            out.put(place, found.getOrDefault(place, Map.of()).size());
        }
        return out;
    }

    private NeedleScanner.Hits<Secret> hits(String place, String location) {
        Map<Secret, String> byPlace = found.computeIfAbsent(place, p -> new LinkedHashMap<>());
        return (secret, needle) -> byPlace.putIfAbsent(secret, location);
    }

    /** Every record of every topic, from the first offset to the end as it is now. */
    long kafka(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<TopicPartition> partitions = new ArrayList<>();
        try (Admin admin = Admin.create(p)) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true))
                    .names()
                    .get();
            for (TopicDescription d :
                    admin.describeTopics(topics).allTopicNames().get().values()) {
                d.partitions().forEach(tp -> partitions.add(new TopicPartition(d.name(), tp.partition())));
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not list the topics", e);
        }
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "fuzz-leak-scan-" + UUID.randomUUID());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // aborted transactions' records are on the broker's disk too
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline) {
                boolean done = true;
                for (TopicPartition tp : partitions) {
                    if (consumer.position(tp) < end.get(tp)) {
                        done = false;
                        break;
                    }
                }
                if (done) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    String where = r.topic() + "-" + r.partition() + "@" + r.offset();
                    NeedleScanner.Hits<Secret> h = hits("kafka", where);
                    if (r.key() != null) {
                        scanner.scan(r.key(), h);
                    }
                    if (r.value() != null) {
                        scanner.scan(r.value(), h);
                    }
                    for (Header header : r.headers()) {
                        if (header.value() != null) {
                            scanner.scan(header.value(), h);
                        }
                    }
                }
            }
        }
        return records;
    }

    /** Every column of every row of every table outside the system catalogs, as text. */
    long postgres(String jdbcUrl) throws SQLException {
        long rows = 0;
        try (Connection conn = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            List<String> tables = new ArrayList<>();
            try (Statement st = conn.createStatement();
                    ResultSet rs = st.executeQuery("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name)"
                            + " FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
                            + " AND table_schema NOT IN ('pg_catalog', 'information_schema')")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            conn.setAutoCommit(false);
            for (String table : tables) {
                try (Statement st = conn.createStatement()) {
                    st.setFetchSize(2000);
                    try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            rows++;
                            for (int i = 1; i <= columns; i++) {
                                String column = rs.getMetaData().getColumnName(i);
                                if ("bytea".equals(rs.getMetaData().getColumnTypeName(i))) {
                                    // stored events are deflated Avro: as hex text they would hide any secret
                                    byte[] bytes = rs.getBytes(i);
                                    if (bytes != null) {
                                        // both readings: bytes that merely look like deflate stay scanned as they are
                                        scanner.scan(
                                                new String(bytes, StandardCharsets.UTF_8) + "\n"
                                                        + new String(inflatedOrAsIs(bytes), StandardCharsets.UTF_8),
                                                hits("postgres", table + "." + column));
                                    }
                                    continue;
                                }
                                scanner.scan(rs.getString(i), hits("postgres", table + "." + column));
                            }
                        }
                    }
                }
            }
            conn.rollback();
        }
        return rows;
    }

    /** The bytes inflated when they are raw deflate (as the impact-service stores events), else as they are. */
    static byte[] inflatedOrAsIs(byte[] bytes) {
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        try {
            inflater.setInput(bytes);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length * 3);
            byte[] chunk = new byte[8192];
            while (!inflater.finished() && out.size() < (64 << 20)) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return bytes;
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (java.util.zip.DataFormatException notDeflate) {
            return bytes;
        } finally {
            inflater.end();
        }
    }

    /** Every regular file under {@code home}: the logs directory counts as logs, the rest as files. */
    long files(Path home) throws IOException {
        long bytes = 0;
        Path logs = home.resolve("logs");
        List<Path> all;
        try (Stream<Path> walk = Files.walk(home)) {
            all = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : all) {
            String place = f.startsWith(logs)
                            || f.getFileName().toString().endsWith(".log")
                                    && f.getParent().equals(home)
                    ? "logs"
                    : "files";
            try (InputStream in = Files.newInputStream(f)) {
                scanner.scan(in, hits(place, home.relativize(f).toString()));
                bytes += Files.size(f);
            } catch (IOException e) {
                // a file removed while walking (a rolled segment, a compacted SST) holds nothing any more
            }
        }
        return bytes;
    }

    /** Kinds of secrets found per place, for the summary. */
    Map<String, Set<String>> kindsByPlace() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        found.forEach((place, bySecret) -> {
            Set<String> kinds = new LinkedHashSet<>();
            bySecret.keySet().forEach(s -> kinds.add(s.kind().name()));
            out.put(place, kinds);
        });
        return out;
    }
}
