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

    /** What the tree the contexts were once read into answered, for the shapes SDKs and fuzzers send. */
    @Test
    void aContextReadsItsTopLevelNameAndVersionWhateverSurroundsThem() {
        assertThat(TagValues.context(
                        "{\"type\":\"browser\",\"extra\":{\"name\":\"inner\",\"v\":[1,{\"version\":2}]},"
                                + "\"name\":\"Firefox\",\"list\":[\"a\"],\"version\":\"128\"}",
                        "name",
                        "version"))
                .isEqualTo("Firefox 128");
        assertThat(TagValues.context("{\"name\":\"Node\",\"version\":20}", "name", "version"))
                .isEqualTo("Node 20");
        assertThat(TagValues.context("{\"name\":\"CPython\",\"version\":3.10}", "name", "version"))
                .isEqualTo("CPython 3.1");
        assertThat(TagValues.context("{\"name\":true,\"version\":null}", "name", "version"))
                .isEqualTo("true null");
        assertThat(TagValues.context("{\"name\":\"a\",\"name\":\"b\"}", "name", "version"))
                .as("the last of repeated fields")
                .isEqualTo("b");
        assertThat(TagValues.context("{\"name\":\"Safari\",\"version\":{\"major\":17}}", "name", "version"))
                .isEqualTo("Safari");
        assertThat(TagValues.context("{\"name\":\"Safari\",\"version\":\"\"}", "name", "version"))
                .isEqualTo("Safari");
        assertThat(TagValues.context("{\"model\":\"Pixel 8\",\"version\":\"x\"}", "model", null))
                .isEqualTo("Pixel 8");
        assertThat(TagValues.context("{\"name\":[\"Chrome\"]}", "name", "version"))
                .isNull();
        assertThat(TagValues.context("[{\"name\":\"Chrome\"}]", "name", "version"))
                .isNull();
        assertThat(TagValues.context("\"Chrome\"", "name", "version")).isNull();
        assertThat(TagValues.context("{\"name\":\"Chrome\",\"version\":", "name", "version"))
                .as("truncated")
                .isNull();
        assertThat(TagValues.context("{\"name\":\"Chrome\",}", "name", "version"))
                .as("malformed after the fields read")
                .isNull();
        assertThat(TagValues.context("{\"version\":\"1\"}", "name", "version")).isNull();
        assertThat(TagValues.context("  ", "name", "version")).isNull();
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

    /** Concurrent batches must lock shared rows in one order: the order of group, key and value joined. */
    @Test
    void foldedRowsAreOrderedByGroupThenKeyThenValuePrefixesFirst() {
        Map<String, TagValues.Extracted> x = Map.of(
                "e1", new TagValues.Extracted(List.of(new String[] {"os", "b"}, new String[] {"o", "z"}), null),
                "e2", new TagValues.Extracted(List.of(new String[] {"os", "a"}, new String[] {"os", "ab"}), null),
                "e3", new TagValues.Extracted(List.of(new String[] {"o", "z"}, new String[] {"o", "\uFFFD"}), null));
        List<Event> events = List.of(stored("e1", "g-a", 0), stored("e2", "g-a", 2), stored("e3", "g", 1));
        List<String> joined = TagValues.fold(events, x).stream()
                .map(c -> c.groupId() + '\u0000' + c.key() + '\u0000' + c.value() + '=' + c.count())
                .toList();
        assertThat(joined)
                .containsExactly(
                        "g\u0000o\u0000z=1",
                        "g\u0000o\u0000\uFFFD=1",
                        "g-a\u0000o\u0000z=1",
                        "g-a\u0000os\u0000a=1",
                        "g-a\u0000os\u0000ab=1",
                        "g-a\u0000os\u0000b=1");
    }

    @Test
    void usersAreDistinctPairsOrderedByGroupThenUserPrefixesFirst() {
        Map<String, TagValues.Extracted> x = Map.of(
                "e1", new TagValues.Extracted(List.of(), "u1"),
                "e2", new TagValues.Extracted(List.of(), "u"),
                "e3", new TagValues.Extracted(List.of(), "u1"),
                "e4", new TagValues.Extracted(List.of(), "u1"),
                "e5", new TagValues.Extracted(List.of(), null));
        List<Event> events = List.of(
                stored("e1", "g-a", 0),
                stored("e2", "g-a", 1),
                stored("e3", "g", 2),
                stored("e4", "g-a", 3),
                stored("e5", "g", 4));
        String[][] users = TagValues.users(events, x);
        assertThat(users[0]).containsExactly("g", "g-a", "g-a");
        assertThat(users[1]).containsExactly("u1", "u", "u1");
    }
}
