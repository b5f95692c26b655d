package io.faultline.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PreparedBodiesTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyEventOfEveryBodyIsValidJsonWithAnIdNoOtherEventHas() throws Exception {
        PreparedBodies bodies = new PreparedBodies(3, 5);
        Set<String> ids = new HashSet<>();
        // more bodies than templates: the cycle reuses templates, never ids
        for (int b = 0; b < 10; b++) {
            String[] lines = bodies.next().toString().split("\n");
            assertThat(lines).hasSize(5);
            for (String line : lines) {
                JsonNode event = json.readTree(line);
                assertThat(event.get("event_id").asText()).matches("[0-9a-f]{32}");
                assertThat(ids.add(event.get("event_id").asText())).isTrue();
            }
        }
        assertThat(ids).hasSize(50);
    }

    @Test
    void theIdsOfABodyAreTheIdsOfItsEventsInOrder() throws Exception {
        PreparedBodies bodies = new PreparedBodies(2, 3);
        java.util.List<String> ids = new java.util.ArrayList<>();
        String[] lines = new String(bodies.next(ids), java.nio.charset.StandardCharsets.UTF_8).split("\n");
        assertThat(ids).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(json.readTree(lines[i]).get("event_id").asText()).isEqualTo(ids.get(i));
        }
    }

    @Test
    void aSingleEventBodyIsOneJsonObject() throws Exception {
        JsonNode event = json.readTree(new PreparedBodies(1, 1).next().getBytes());
        assertThat(event.isObject()).isTrue();
        assertThat(event.get("event_id").asText()).hasSize(32);
    }
}
