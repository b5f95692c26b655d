package io.faultline.ingest.scrubbing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.mapping.SentryEventMapper;
import io.faultline.ingest.mapping.StreamingEventMapper;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every kind of secret in every field, through both ways ingest maps an event: the streaming
 * mapper that scrubs as it reads, and the tree mapper followed by {@link Scrubber#scrub}. What
 * would go on the raw topic, the record's bytes, holds none of the seeded secrets.
 */
class ScrubbingPathsTest {

    private final ObjectMapper json = new ObjectMapper();
    private final Scrubber scrubber = new Scrubber(List.of(), "corpus-key");
    private final StreamingEventMapper streaming =
            new StreamingEventMapper(json, scrubber, Duration.ofSeconds(60), Duration.ofDays(30));
    private final SentryEventMapper tree = new SentryEventMapper(Duration.ofSeconds(60), Duration.ofDays(30));

    @Test
    void noSeededSecretSurvivesEitherMapper() throws Exception {
        List<SecretCorpus.Seeded> corpus = SecretCorpus.events(20261206);
        Instant now = Instant.now();
        List<String> leaks = new ArrayList<>();
        int streamed = 0;
        for (SecretCorpus.Seeded seeded : corpus) {
            byte[] line = seeded.json().getBytes(StandardCharsets.UTF_8);
            ErrorEvent fast = streaming.map(line, 0, line.length, "1", now, "native", null);
            if (fast != null) {
                streamed++;
                leaks.addAll(leaks("streaming", seeded, fast));
            }
            ErrorEvent slow = scrubber.scrub(tree.map(json.readTree(line), "1", now, "native", null));
            leaks.addAll(leaks("tree", seeded, slow));
        }
        assertThat(corpus).hasSizeGreaterThan(1_000);
        assertThat(streamed).as("events the streaming mapper took").isEqualTo(corpus.size());
        assertThat(leaks).isEmpty();
    }

    private static List<String> leaks(String path, SecretCorpus.Seeded seeded, ErrorEvent event) {
        byte[] record = Topics.EVENTS_RAW.valueSerde().serializer().serialize(Topics.EVENTS_RAW.name(), event);
        String bytes = new String(record, StandardCharsets.ISO_8859_1);
        List<String> found = new ArrayList<>();
        for (String needle : seeded.secret().needles()) {
            if (bytes.contains(needle)) {
                found.add(path + ": " + seeded.secret().kind() + " in " + seeded.field() + ": " + needle);
            }
        }
        return found;
    }
}
