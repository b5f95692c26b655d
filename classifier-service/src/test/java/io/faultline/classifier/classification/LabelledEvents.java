package io.faultline.classifier.classification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.Mechanism;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads src/test/resources/labelled-events.jsonl into Avro events and the labels an SRE gave them. */
final class LabelledEvents {

    static final String RESOURCE = "labelled-events.jsonl";

    /** The SRE's labels; workflow null when the event belongs to no workflow. */
    record Expected(String severity, String category, String businessImpact, String workflow) {}

    /**
     * @param batch {@code initial} for the events written before any rule; {@code blind}, then
     *     {@code blind-2}, for the batches written later and run once before any tuning on them
     */
    record Labelled(String id, ErrorEvent event, Expected expected, String batch) {

        boolean blind() {
            return !"initial".equals(batch);
        }

        ClassificationInput input() {
            return ClassificationInput.from(event, "group-" + id, null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant FIXED_TIME = Instant.parse("2026-01-05T10:00:00Z");

    private LabelledEvents() {}

    static List<Labelled> load() {
        List<Labelled> events = new ArrayList<>();
        try (InputStream in = LabelledEvents.class.getClassLoader().getResourceAsStream(RESOURCE);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    events.add(parse(JSON.readTree(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    private static Labelled parse(JsonNode line) {
        String id = line.get("id").asText();
        List<ExceptionValue> chain = new ArrayList<>();
        JsonNode exceptions = line.path("exceptions");
        for (int i = 0; i < exceptions.size(); i++) {
            JsonNode exception = exceptions.get(i);
            ExceptionValue.Builder value = ExceptionValue.newBuilder()
                    .setType(text(exception, "type"))
                    .setModule(text(exception, "module"))
                    .setValue(text(exception, "value"));
            boolean outermost = i == exceptions.size() - 1;
            if (outermost && line.has("handled")) {
                value.setMechanism(Mechanism.newBuilder()
                        .setType("generic")
                        .setHandled(line.get("handled").asBoolean())
                        .build());
            }
            chain.add(value.build());
        }
        Map<String, String> tags = new HashMap<>();
        line.path("tags")
                .properties()
                .forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        Map<String, String> contexts = new HashMap<>();
        line.path("contexts")
                .properties()
                .forEach(e -> contexts.put(e.getKey(), e.getValue().asText()));
        ErrorEvent event = ErrorEvent.newBuilder()
                .setEventId(id)
                .setProjectId("labelled")
                .setTimestamp(FIXED_TIME)
                .setReceivedAt(FIXED_TIME)
                .setLevel(line.path("level").asText("error"))
                .setPlatform(text(line, "platform"))
                .setLogger(text(line, "logger"))
                .setTransaction(text(line, "transaction"))
                .setMessage(text(line, "message"))
                .setExceptions(chain)
                .setTags(tags)
                .setContexts(contexts)
                .build();
        JsonNode expected = line.get("expected");
        return new Labelled(
                id,
                event,
                new Expected(
                        expected.get("severity").asText(),
                        expected.get("category").asText(),
                        expected.get("businessImpact").asText(),
                        text(expected, "workflow")),
                line.has("batch") ? line.get("batch").asText() : "initial");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
