package io.faultline.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The classified-error channel runs three consumers in one group: given the instance's one static
 * member name each, the broker fenced two of them (FencedInstanceIdException) and the service never
 * became ready.
 */
class StaticMemberPerConsumerTest {

    private final StaticMemberPerConsumer customizer = new StaticMemberPerConsumer() {};

    @Test
    void eachCopyOfAConcurrentChannelJoinsUnderANameOfItsOwn() {
        assertThat(member("faultline.errors.classified.v1$1", "impact-service-2"))
                .isEqualTo("impact-service-2-1");
        assertThat(member("faultline.errors.classified.v1$3", "impact-service-2"))
                .isEqualTo("impact-service-2-3");
    }

    @Test
    void aChannelOfOneConsumerKeepsTheInstancesName() {
        assertThat(member("faultline.signals.v1", "impact-service")).isEqualTo("impact-service");
    }

    @Test
    void withoutAStaticMemberNameTheConsumerStaysADynamicMember() {
        Map<String, Object> config = new HashMap<>(Map.of("group.id", "faultline-impact"));
        assertThat(customizer.customize("faultline.errors.classified.v1$2", null, config))
                .doesNotContainKey("group.instance.id");
    }

    private String member(String channel, String instance) {
        Map<String, Object> config = new HashMap<>(Map.of("group.id", "g", "group.instance.id", instance));
        return (String) customizer.customize(channel, null, config).get("group.instance.id");
    }
}
