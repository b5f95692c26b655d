package io.faultline.dashboard.rest;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.topics.Topics;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads what the dashboard wrote to the audit trail (the resolutions topic) in a test. */
public final class AuditTrailReader {

    private AuditTrailReader() {}

    /** The first entry for this group, waiting up to 30 s for it. */
    public static ResolutionEvent firstEntryOf(String group) {
        KafkaTestClient kafka =
                new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        return kafka
                .readUntil(
                        Topics.RESOLUTIONS.name(),
                        rs -> rs.stream().anyMatch(r -> group.equals(r.key())),
                        Duration.ofSeconds(30))
                .stream()
                .filter(r -> group.equals(r.key()))
                .map(r -> Topics.RESOLUTIONS.valueSerde().deserializer().deserialize("t", r.value()))
                .findFirst()
                .orElseThrow();
    }
}
