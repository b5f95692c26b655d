package io.faultline.impact.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.impact.service.ClassifiedBatch.Event;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.UserInfo;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TagValuesTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-03-01T10:00:00Z");

    private static ErrorEvent event(Map<String, String> tags, Map<String, String> contexts, UserInfo user) {
        return ErrorEvent.newBuilder()
                .setEventId("e")
                .setProjectId("p")
                .setTimestamp(Instant.EPOCH)
                .setReceivedAt(Instant.EPOCH)
                .setLevel("warning")
                .setRelease("shop@1.0")
                .setServerName("web-1")
                .setTags(tags)
                .setContexts(contexts)
                .setUser(user)
                .build();
    }

    private static Map<String, String> pairs(TagValues.Extracted x) {
        Map<String, String> m = new LinkedHashMap<>();
        x.tags().forEach(t -> m.put(t[0], t[1]));
        return m;
    }

    @Test
    void theIssuesTagsComeFromFieldsContextsAndCustomTags() {
        TagValues.Extracted x = TagValues.of(
                event(
                        Map.of("customer_tier", "gold", "release", "spoofed", "long", "v".repeat(300)),
                        Map.of(
                                "browser", "{\"name\":\"Chrome\",\"version\":\"131.0\"}",
                                "os", "{\"name\":\"iOS\"}",
                                "device", "{\"model\":\"iPhone15,2\",\"family\":\"iOS\"}",
                                "runtime", "not json"),
                        UserInfo.newBuilder().setId("sha256:abc").build()),
                "checkout");
        assertThat(pairs(x))
                .containsEntry("level", "warning")
                .containsEntry("release", "shop@1.0") // the event's field wins over a custom tag of its name
                .containsEntry("server_name", "web-1")
                .containsEntry("workflow", "checkout")
                .containsEntry("browser", "Chrome 131.0")
                .containsEntry("os", "iOS")
                .containsEntry("device", "iPhone15,2")
                .containsEntry("customer_tier", "gold")
                .doesNotContainKeys("runtime", "environment");
        assertThat(pairs(x).get("long")).hasSize(200);
        assertThat(x.tags().stream().filter(t -> t[0].equals("release"))).hasSize(1);
        assertThat(x.user()).isEqualTo("sha256:abc");
    }

    /**
     * A context is JSON text: a NUL written in it as an escape ({@code \\u0000}) passes ingest's
     * cleaning of event fields and comes out of the parse as a real NUL, which PostgreSQL text
     * refuses (22021): the event's whole batch, then the event itself, went to the dead-letter topic
     * though it had been acknowledged (CI fuzz seed 1811796022429455657, 12 events).
     */
    @Test
    void aNulOrALoneSurrogateInsideAContextIsReplacedBeforeItIsStored() {
        TagValues.Extracted x = TagValues.of(
                event(
                        Map.of("custom", "ok"),
                        Map.of(
                                "browser", "{\"name\":\"Chr\\u0000ome\",\"version\":\"1\\ud800\"}",
                                "os", "{\"name\":\"\\u0000\"}"),
                        null),
                null);
        assertThat(pairs(x))
                .containsEntry("browser", "Chr\uFFFDome 1\uFFFD")
                .containsEntry("os", "\uFFFD")
                .containsEntry("custom", "ok");
    }

    @Test
    void theUserIsTheHashedIdElseEmailUsernameOrIp() {
        assertThat(TagValues.of(event(Map.of(), Map.of(), null), null).user()).isNull();
        assertThat(TagValues.of(
                                event(
                                        Map.of(),
                                        Map.of(),
                                        UserInfo.newBuilder()
                                                .setIpAddress("sha256:ip")
                                                .build()),
                                null)
                        .user())
                .isEqualTo("sha256:ip");
    }

    private static Event stored(String id, String group, int minutes) {
        return new Event(
                id,
                group,
                "p",
                T0.plusSeconds(60L * minutes),
                T0,
                "error",
                "high",
                "payment",
                "user_blocking",
                null,
                null,
                null,
                "m",
                "t",
                null,
                "message");
    }

    @Test
    void aBatchFoldsToOneRowPerGroupKeyAndValueSortedAndDistinctUsers() {
        Map<String, TagValues.Extracted> x = Map.of(
                "e1",
                        new TagValues.Extracted(
                                java.util.Collections.singletonList(new String[] {"release", "1.0"}), "u1"),
                "e2",
                        new TagValues.Extracted(
                                java.util.Collections.singletonList(new String[] {"release", "1.0"}), "u1"),
                "e3",
                        new TagValues.Extracted(
                                java.util.Collections.singletonList(new String[] {"release", "1.1"}), "u2"),
                "e4",
                        new TagValues.Extracted(
                                java.util.Collections.singletonList(new String[] {"release", "1.0"}), "u1"));
        List<Event> events =
                List.of(stored("e1", "g-b", 5), stored("e2", "g-b", 1), stored("e3", "g-b", 3), stored("e4", "g-a", 0));
        assertThat(TagValues.fold(events, x))
                .containsExactly(
                        new TagValues.Change("g-a", "release", "1.0", 1, T0, T0),
                        new TagValues.Change("g-b", "release", "1.0", 2, T0.plusSeconds(60), T0.plusSeconds(300)),
                        new TagValues.Change("g-b", "release", "1.1", 1, T0.plusSeconds(180), T0.plusSeconds(180)));
        String[][] users = TagValues.users(events, x);
        assertThat(users[0]).containsExactly("g-a", "g-b", "g-b");
        assertThat(users[1]).containsExactly("u1", "u1", "u2");
    }
}
