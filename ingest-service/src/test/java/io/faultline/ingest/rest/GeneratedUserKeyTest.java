package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Without a configured key, user fields are hashed anyway: with the key ingest generated on its
 * first start and keeps on faultline.ingest.keys.v1 (the fuzzer found users readable because the
 * launcher configures none).
 */
@QuarkusTest
@TestProfile(GeneratedUserKeyTest.NoConfiguredKey.class)
@QuarkusTestResource(KafkaTestResource.class)
class GeneratedUserKeyTest {

    public static class NoConfiguredKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("faultline.ingest.scrubbing.user-hmac-key", "");
        }
    }

    @Test
    void userFieldsAreHashedWithTheStacksGeneratedKey() throws Exception {
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        String id = SentryResourceTest.id();
        given().header("Authorization", "Bearer test-project-key")
                .contentType("application/json")
                .body("{\"event_id\":\"" + id + "\",\"message\":\"boom\",\"user\":{\"id\":\"ada-42\","
                        + "\"email\":\"ada@example.com\",\"username\":\"ada\"}}")
                .post("/api/v1/projects/1/events")
                .then()
                .statusCode(202);
        ErrorEvent stored = RawTopic.event(id);

        List<ConsumerRecord<String, byte[]>> keys = RawTopic.client()
                .readUntil(Topics.INGEST_KEYS.name(), records -> !records.isEmpty(), Duration.ofSeconds(20));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(keys.get(0).value(), "HmacSHA256"));
        String expected =
                "hmac:" + HexFormat.of().formatHex(mac.doFinal("ada-42".getBytes(StandardCharsets.UTF_8)), 0, 16);
        assertThat(stored.getUser().getId()).isEqualTo(expected);
        assertThat(stored.getUser().getEmail()).startsWith("hmac:");
        assertThat(stored.getUser().getUsername()).startsWith("hmac:");
    }
}
