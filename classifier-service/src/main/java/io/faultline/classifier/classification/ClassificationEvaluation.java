package io.faultline.classifier.classification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faultline.schemas.ErrorEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;

/**
 * The classification evaluation protocol (issue #25), one command: {@code ./faultline classify
 * --evaluate}. It prints, as JSON, per-label accuracy of
 *
 * <ul>
 *   <li>{@code tuned}: the shipped classifier on the labelled events its rules were written
 *       against: what the rules fit, not what they generalise to;
 *   <li>{@code crossValidated}: k-fold over the same events with a fixed seed: the learned fallback
 *       is trained on k-1 folds and the rules with it score the fold it never saw; hand-written
 *       rules cannot be refitted per fold, so this figure tells only the learned part's
 *       generalisation;
 *   <li>{@code blind}: per set (named by its file), the sets written from the classification guide
 *       before the classifier was run on them, never used for tuning; only their totals are
 *       printed, never their misses, so that nobody tunes on them by accident.
 * </ul>
 */
public final class ClassificationEvaluation {

    static final String[] LABELS = {"severity", "category", "businessImpact", "workflow"};

    static int labelIndex(String label) {
        for (int i = 0; i < LABELS.length; i++) {
            if (LABELS[i].equals(label)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no such label: " + label);
    }

    /** An event with the labels a person gave it, in the order {@link #LABELS}. */
    public record Labelled(String id, ErrorEvent event, String[] expected) {}

    /** Builds a classifier from training events (ignored by a classifier that learns nothing). */
    public interface Trainer {
        Function<ErrorEvent, ClassificationResult> train(List<Labelled> training);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClassificationEvaluation() {}

    static final String USAGE = "usage: classify --evaluate --labelled FILE [--blind FILE]... [--rules FILE]"
            + " [--folds K] [--seed N] [--misses] [--rules-only]";

    public static void main(String[] args) throws IOException {
        Path rulesFile = null;
        Path labelled = null;
        List<Path> blind = new ArrayList<>();
        boolean misses = false;
        boolean rulesOnly = false;
        int folds = 5;
        long seed = 25;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--rules" -> rulesFile = Path.of(value(args, ++i));
                    case "--labelled" -> labelled = Path.of(value(args, ++i));
                    case "--blind" -> blind.add(Path.of(value(args, ++i)));
                    case "--folds" -> folds = Integer.parseInt(value(args, ++i));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i));
                    case "--misses" -> misses = true;
                    case "--rules-only" -> rulesOnly = true;
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            if (labelled == null) {
                throw new IllegalArgumentException("--labelled FILE is required");
            }
            if (folds < 2) {
                throw new IllegalArgumentException("--folds must be 2 or more");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("classify --evaluate: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        ClassificationRules rules = rulesOrExit(rulesFile, "classify --evaluate");
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        run(labelled, blind, rulesOnly ? rulesOnly(rules) : withModel(rules), folds, seed, misses, out);
        out.flush();
    }

    /** The rules alone: nothing is learned, so every fold gets the same classifier. */
    static Trainer rulesOnly(ClassificationRules rules) {
        EventClassifier classifier = new EventClassifier(rules, new InMemoryGroupLabelOverrides(), null);
        return training -> event -> classifier.classify(ClassificationInput.from(event, event.getEventId(), null));
    }

    /** The rules with a learned fallback trained on the training events only, as shipped. */
    static Trainer withModel(ClassificationRules rules) {
        return training -> {
            EventClassifier classifier =
                    new EventClassifier(rules, new InMemoryGroupLabelOverrides(), TokenFallback.train(training));
            return event -> classifier.classify(ClassificationInput.from(event, event.getEventId(), null));
        };
    }

    /** The shipped rules or an operator's file; a faulty file ends the command with status 2. */
    static ClassificationRules rulesOrExit(Path rulesFile, String command) {
        try {
            return rulesFile == null ? ClassificationRules.loadDefault() : ClassificationRules.load(rulesFile);
        } catch (RuleFileException e) {
            System.err.println(command + ": " + e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    public static List<Labelled> load(Path file) throws IOException {
        List<Labelled> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode json = JSON.readTree(line);
            JsonNode expected = json.get("expected");
            if (expected == null || !expected.isObject()) {
                throw new IllegalArgumentException(file + ":" + n + ": no expected labels");
            }
            String[] labels = new String[LABELS.length];
            for (int i = 0; i < LABELS.length; i++) {
                JsonNode value = expected.get(LABELS[i]);
                labels[i] = value == null || value.isNull() ? null : value.asText();
            }
            ErrorEvent event = SentryEventJson.read(json);
            out.add(new Labelled(event.getEventId(), event, labels));
        }
        return out;
    }

    /** Accuracy per label, in the order {@link #LABELS}, and the misses' ids. */
    record Score(int n, int[] correct, List<String> misses) {

        ObjectNode toJson() {
            ObjectNode node = JSON.createObjectNode();
            node.put("n", n);
            for (int i = 0; i < LABELS.length; i++) {
                node.put(LABELS[i], n == 0 ? 0.0 : Math.round(10000.0 * correct[i] / n) / 100.0);
            }
            return node;
        }

        Score plus(Score other) {
            int[] sum = correct.clone();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += other.correct[i];
            }
            List<String> all = new ArrayList<>(misses);
            all.addAll(other.misses);
            return new Score(n + other.n, sum, all);
        }
    }

    static String[] labels(ClassificationResult r) {
        return new String[] {
            r.severity().wireName(), r.category().wireName(), r.businessImpact().wireName(), r.workflow()
        };
    }

    static Score score(List<Labelled> events, Function<ErrorEvent, ClassificationResult> classifier) {
        int[] correct = new int[LABELS.length];
        List<String> misses = new ArrayList<>();
        for (Labelled e : events) {
            String[] got = labels(classifier.apply(e.event()));
            StringBuilder miss = new StringBuilder();
            for (int i = 0; i < LABELS.length; i++) {
                if (Objects.equals(got[i], e.expected()[i])) {
                    correct[i]++;
                } else {
                    miss.append(' ')
                            .append(LABELS[i])
                            .append(": got ")
                            .append(got[i])
                            .append(" want ")
                            .append(e.expected()[i]);
                }
            }
            if (!miss.isEmpty()) {
                misses.add(e.id() + miss);
            }
        }
        return new Score(events.size(), correct, misses);
    }

    /** k-fold with a fixed shuffle: every event is scored once, by a model that never saw it. */
    static Score crossValidate(List<Labelled> events, Trainer trainer, int k, long seed) {
        List<Labelled> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(seed));
        Score total = new Score(0, new int[LABELS.length], List.of());
        for (int fold = 0; fold < k; fold++) {
            List<Labelled> training = new ArrayList<>();
            List<Labelled> test = new ArrayList<>();
            for (int i = 0; i < shuffled.size(); i++) {
                (i % k == fold ? test : training).add(shuffled.get(i));
            }
            total = total.plus(score(test, trainer.train(training)));
        }
        return total;
    }

    /**
     * @param misses also print the labelled set's misses (for whoever tunes the rules); the blind
     *     set's misses are never printed
     */
    public static void run(
            Path labelledFile,
            List<Path> blindFiles,
            Trainer trainer,
            int k,
            long seed,
            boolean misses,
            PrintStream out)
            throws IOException {
        List<Labelled> labelled = load(labelledFile);
        ObjectNode report = JSON.createObjectNode();
        Score tuned = score(labelled, trainer.train(labelled));
        report.set("tuned", tuned.toJson());
        ObjectNode cv = crossValidate(labelled, trainer, k, seed).toJson();
        cv.put("folds", k);
        cv.put("seed", seed);
        report.set("crossValidated", cv);
        if (!blindFiles.isEmpty()) {
            ObjectNode blind = report.putObject("blind");
            Function<ErrorEvent, ClassificationResult> shipped = trainer.train(labelled);
            for (Path file : blindFiles) {
                String name = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
                blind.set(name, score(load(file), shipped).toJson());
            }
        }
        if (misses) {
            tuned.misses().forEach(m -> out.println("miss " + m));
        }
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }
}
