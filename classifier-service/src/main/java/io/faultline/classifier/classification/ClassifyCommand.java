package io.faultline.classifier.classification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faultline.schemas.ErrorEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./faultline classify}: classifies Sentry-shaped events read one JSON object per line
 * (stdin or a file) with the shipped rules or an operator's rule file, and writes one JSON object
 * per line: the four labels and the rule that decided each ({@code default} when none did). Lets
 * an operator test a rule file before deploying it. A line that is not an event gets an
 * {@code error} object in its place, so outputs stay aligned with inputs, and the exit status is 1.
 */
public final class ClassifyCommand {

    static final String USAGE = "usage: classify [--rules FILE] [--explain] [EVENTS.jsonl]";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClassifyCommand() {}

    public static void main(String[] args) throws IOException {
        Path rulesFile = null;
        Path input = null;
        boolean explain = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--rules" -> rulesFile = Path.of(ClassificationEvaluation.value(args, ++i));
                    case "--explain" -> explain = true;
                    default -> {
                        if (args[i].startsWith("-") || input != null) {
                            throw new IllegalArgumentException("unknown argument: " + args[i]);
                        }
                        input = Path.of(args[i]);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("classify: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        ClassificationRules rules = ClassificationEvaluation.rulesOrExit(rulesFile, "classify");
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        EventClassifier classifier = new EventClassifier(rules, new InMemoryGroupLabelOverrides());
        boolean failed;
        try (BufferedReader in = input == null
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            failed = run(in, out, classifier, explain);
        }
        out.flush();
        System.exit(failed ? 1 : 0);
    }

    /** @return whether some line was not an event */
    static boolean run(BufferedReader in, PrintStream out, EventClassifier classifier, boolean explain)
            throws IOException {
        boolean failed = false;
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            ObjectNode result;
            try {
                ErrorEvent event = SentryEventJson.read(JSON.readTree(line));
                result = classify(event, classifier, explain);
            } catch (IOException | RuntimeException e) {
                failed = true;
                result = JSON.createObjectNode();
                result.put("line", n);
                result.put(
                        "error",
                        e.getMessage() == null ? e.toString() : e.getMessage().split("\n", 2)[0]);
            }
            out.println(JSON.writeValueAsString(result));
        }
        return failed;
    }

    static ObjectNode classify(ErrorEvent event, EventClassifier classifier, boolean explain) {
        ClassificationInput input = ClassificationInput.from(event, event.getEventId(), null);
        ClassificationResult r = classifier.classify(input);
        ObjectNode node = JSON.createObjectNode();
        if (!event.getEventId().isEmpty()) {
            node.put("id", event.getEventId());
        }
        node.put("severity", r.severity().wireName());
        node.put("category", r.category().wireName());
        node.put("businessImpact", r.businessImpact().wireName());
        node.put("workflow", r.workflow());
        ObjectNode decidedBy = node.putObject("decidedBy");
        for (String field : ClassificationEvaluation.LABELS) {
            decidedBy.put(field, r.ruleFor(field));
        }
        if (explain) {
            node.set("explain", toJson(classifier.explain(input)));
        }
        return node;
    }

    static JsonNode toJson(Object value) {
        return JSON.valueToTree(value);
    }
}
