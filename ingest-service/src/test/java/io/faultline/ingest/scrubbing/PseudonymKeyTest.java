package io.faultline.ingest.scrubbing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faultline.devstack.EmbeddedKafkaBroker;
import io.faultline.devstack.FreePorts;
import io.faultline.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The key for user fields: configured, or generated once per stack and shared through its topic. */
class PseudonymKeyTest {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        Path dir = Files.createTempDirectory("faultline-keys-");
        broker = new EmbeddedKafkaBroker(dir, FreePorts.next(), FreePorts.next()).start();
        broker.createTopics(List.of(Topics.INGEST_KEYS));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aConfiguredKeyWinsAndNeedsNoBroker() {
        PseudonymKey key = new PseudonymKey(Map.of("bootstrap.servers", "127.0.0.1:1"), Optional.of("configured"));
        key.start();
        assertThat(key.key()).contains("configured".getBytes(StandardCharsets.UTF_8));
        key.stop();
    }

    @Test
    void instancesStartingTogetherAgreeOnOneGeneratedKeyThatOutlivesThem() {
        Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        PseudonymKey first = new PseudonymKey(kafka, Optional.empty());
        PseudonymKey second = new PseudonymKey(kafka, Optional.empty());
        first.start();
        second.start();
        await().atMost(Duration.ofSeconds(90))
                .until(() -> first.key().isPresent() && second.key().isPresent());
        byte[] generated = first.key().orElseThrow();
        assertThat(generated).hasSize(32);
        assertThat(second.key()).contains(generated);
        first.stop();
        second.stop();

        PseudonymKey restarted = new PseudonymKey(kafka, Optional.empty());
        restarted.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> restarted.key().isPresent());
        assertThat(restarted.key()).contains(generated);
        restarted.stop();
    }
}
