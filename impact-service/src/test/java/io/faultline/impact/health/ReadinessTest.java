package io.faultline.impact.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.schemas.kafka.StaticMemberPerConsumer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The service becomes ready, and only through every channel's consumers having joined their groups. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ReadinessTest {

    private static final String CHECK = "checks.find { it.name == 'Kafka consumers joined their groups' }";

    @Inject
    @Any
    Instance<ClientCustomizer<Map<String, Object>>> customizers;

    /** Without it, the launcher's static member name was shared by a channel's concurrent consumers. */
    @Test
    void channelsJoinWithAStaticMemberNamePerConsumer() {
        assertThat(customizers.select(StaticMemberPerConsumer.class).isResolvable())
                .isTrue();
    }

    @Test
    void readyOnceEveryConsumerHasJoined() {
        Awaitility.await()
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> given().get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("UP"))
                        .body(CHECK + ".status", equalTo("UP"))
                        .body(CHECK + ".data.'faultline-impact'", equalTo("3/3"))
                        .body(CHECK + ".data.'faultline-impact-traffic'", equalTo("1/1"))
                        .body(CHECK + ".data.'faultline-impact-resolutions'", equalTo("1/1"))
                        .body(CHECK + ".data.'faultline-impact-signals'", equalTo("1/1")));
    }
}
