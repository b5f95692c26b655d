package io.faultline.classifier.classification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faultline.schemas.ErrorEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;

/**
 * The classification evaluation protocol (issue #25), one command: {@code ./faultline classify
 * --evaluate}. The training events are the labelled set and every {@value #TRAINING_GLOB} file
 * beside it (a new file joins without code changes). It prints, as JSON, per-label accuracy of
 *
 * <ul>
 *   <li>{@code tuned}: the shipped classifier on all training events: what the rules and the model
 *       fit, not what they generalise to;
 *   <li>{@code crossValidated}: k-fold over all training events with a fixed seed: the learned
 *       fallback is trained on k-1 folds and the rules with it score the fold it never saw;
 *       hand-written rules cannot be refitted per fold, so this figure tells only the learned
 *       part's generalisation;
 *   <li>{@code leaveOneFileOut}: per training file, the fallback trained on all the other files
 *       and the rules with it score that file: files come from different writers, so this is the
 *       transfer to another writer's events, which k-fold (sharing every writer between training
 *       and test) overstates; {@code pooled} sums the files;
 *   <li>{@code leaveOneBatchOut}: the same per batch of the labelled set ({@link
 *       #leaveOneBatchOut}), when it has batches;
 *   <li>{@code blind}: per set (named by its file), the sets written from the classification guide
 *       before the classifier was run on them, never used for tuning; only their totals are
 *       printed, never their misses, so that nobody tunes on them by accident.
 * </ul>
 *
 * <p>Every score also counts the fields the model decided ({@code modelDecided}) and how many of
 * those were right ({@code modelRight}): the model's own precision, whatever the rules did.
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

    /** Training files beside the labelled set, written by other labellers; merged in by name. */
    static final String TRAINING_GLOB = "training-set-*.jsonl";

    static final String USAGE = "usage: classify --evaluate --labelled FILE [--blind FILE]... [--rules FILE]"
            + " [--folds K] [--seed N] [--misses] [--rules-only] [--min-probability P] [--sweep]\n"
            + "  the training events are FILE and every " + TRAINING_GLOB + " in its directory";

    public static void main(String[] args) throws IOException {
        Path rulesFile = null;
        Path labelled = null;
        List<Path> blind = new ArrayList<>();
        boolean misses = false;
        boolean rulesOnly = false;
        boolean sweep = false;
        int folds = 5;
        long seed = 25;
        double minProbability = TokenFallback.DEFAULT.minProbability();
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
                    case "--sweep" -> sweep = true;
                    case "--min-probability" -> minProbability = Double.parseDouble(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            if (labelled == null) {
                throw new IllegalArgumentException("--labelled FILE is required");
            }
            if (folds < 2) {
                throw new IllegalArgumentException("--folds must be 2 or more");
            }
            if (!(minProbability >= 0 && minProbability <= 1)) {
                throw new IllegalArgumentException("--min-probability must be between 0 and 1");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("classify --evaluate: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        ClassificationRules rules = rulesOrExit(rulesFile, "classify --evaluate");
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Trainer trainer = rulesOnly
                ? rulesOnly(rules)
                : withModel(rules, TokenFallback.DEFAULT.withMinProbability(minProbability));
        run(trainingFiles(labelled), blind, trainer, sweep ? policies(rules) : Map.of(), folds, seed, misses, out);
        out.flush();
    }

    /** The rules alone: nothing is learned, so every fold gets the same classifier. */
    static Trainer rulesOnly(ClassificationRules rules) {
        EventClassifier classifier = new EventClassifier(rules, new InMemoryGroupLabelOverrides(), null);
        return training -> event -> classifier.classify(ClassificationInput.from(event, event.getEventId(), null));
    }

    /** The rules with a learned fallback trained on the training events only, as shipped. */
    static Trainer withModel(ClassificationRules rules) {
        return withModel(rules, TokenFallback.DEFAULT);
    }

    static Trainer withModel(ClassificationRules rules, TokenFallback.Config config) {
        return training -> {
            EventClassifier classifier = new EventClassifier(
                    rules, new InMemoryGroupLabelOverrides(), TokenFallback.train(training, config));
            return event -> classifier.classify(ClassificationInput.from(event, event.getEventId(), null));
        };
    }

    /** Thresholds and models to compare by cross-validation and leave-one-file-out (--sweep). */
    static Map<String, Trainer> policies(ClassificationRules rules) {
        Map<String, Trainer> out = new LinkedHashMap<>();
        out.put("rulesOnly", rulesOnly(rules));
        for (double p : new double[] {0.5, 0.6, 0.7, 0.8, 0.9, 0.95}) {
            out.put("logistic@" + p, withModel(rules, TokenFallback.DEFAULT.withMinProbability(p)));
        }
        for (double p : new double[] {0.9, 0.95}) {
            out.put(
                    "logisticOverAnyRule@" + p,
                    withModel(rules, TokenFallback.DEFAULT.withMinProbability(p).overrulingAnyRule()));
        }
        TokenFallback.Config bayes =
                new TokenFallback.Config(TokenFallback.Kind.NAIVE_BAYES, 0, 0, 0, 1.0, 0.95, false, false);
        out.put("naiveBayes@0.95", withModel(rules, bayes));
        return out;
    }

    /**
     * The labelled set and, sorted by name, every {@value #TRAINING_GLOB} in its directory: all the
     * events the model is trained on.
     */
    static List<Path> trainingFiles(Path labelled) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(labelled);
        Path dir = labelled.toAbsolutePath().getParent();
        List<Path> more = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, TRAINING_GLOB)) {
            found.forEach(p -> more.add(labelled.resolveSibling(p.getFileName())));
        }
        more.sort(Comparator.comparing(p -> p.getFileName().toString()));
        files.addAll(more);
        return files;
    }

    /** The events of several files, in file order. */
    static List<Labelled> loadAll(List<Path> files) throws IOException {
        List<Labelled> all = new ArrayList<>();
        for (Path file : files) {
            all.addAll(load(file));
        }
        return all;
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

    /**
     * Accuracy per label, in the order {@link #LABELS}, how many fields the model decided and got
     * right, and the misses' ids.
     */
    record Score(int n, int[] correct, int[] modelDecided, int[] modelRight, List<String> misses) {

        static Score empty() {
            return new Score(0, new int[LABELS.length], new int[LABELS.length], new int[LABELS.length], List.of());
        }

        ObjectNode toJson() {
            ObjectNode node = JSON.createObjectNode();
            node.put("n", n);
            for (int i = 0; i < LABELS.length; i++) {
                node.put(LABELS[i], n == 0 ? 0.0 : Math.round(10000.0 * correct[i] / n) / 100.0);
            }
            ObjectNode model = node.putObject("modelDecided");
            for (int i = 0; i < LABELS.length; i++) {
                if (modelDecided[i] > 0) {
                    model.put(LABELS[i], modelDecided[i]);
                    model.put(LABELS[i] + "Right", modelRight[i]);
                }
            }
            return node;
        }

        Score plus(Score other) {
            List<String> all = new ArrayList<>(misses);
            all.addAll(other.misses);
            return new Score(
                    n + other.n,
                    sum(correct, other.correct),
                    sum(modelDecided, other.modelDecided),
                    sum(modelRight, other.modelRight),
                    all);
        }

        private static int[] sum(int[] a, int[] b) {
            int[] out = a.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] += b[i];
            }
            return out;
        }
    }

    static String[] labels(ClassificationResult r) {
        return new String[] {
            r.severity().wireName(), r.category().wireName(), r.businessImpact().wireName(), r.workflow()
        };
    }

    static Score score(List<Labelled> events, Function<ErrorEvent, ClassificationResult> classifier) {
        int[] correct = new int[LABELS.length];
        int[] modelDecided = new int[LABELS.length];
        int[] modelRight = new int[LABELS.length];
        List<String> misses = new ArrayList<>();
        for (Labelled e : events) {
            ClassificationResult result = classifier.apply(e.event());
            String[] got = labels(result);
            StringBuilder miss = new StringBuilder();
            for (int i = 0; i < LABELS.length; i++) {
                boolean right = Objects.equals(got[i], e.expected()[i]);
                if (result.rules().contains(LABELS[i] + "=" + TokenFallback.MODEL_RULE_ID)) {
                    modelDecided[i]++;
                    modelRight[i] += right ? 1 : 0;
                }
                if (right) {
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
        return new Score(events.size(), correct, modelDecided, modelRight, misses);
    }

    /** k-fold with a fixed shuffle: every event is scored once, by a model that never saw it. */
    static Score crossValidate(List<Labelled> events, Trainer trainer, int k, long seed) {
        List<Labelled> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(seed));
        Score total = Score.empty();
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
     * Leave one file out: each file scored by a classifier trained on the other files only, so the
     * figure is what another writer's events get.
     *
     * @return per file name (without .jsonl), in file order, its score
     */
    static Map<String, Score> leaveOneFileOut(List<Path> files, Trainer trainer) throws IOException {
        Map<String, List<Labelled>> byFile = new LinkedHashMap<>();
        for (Path file : files) {
            byFile.put(name(file), load(file));
        }
        return leaveOneOut(byFile, List.of(), trainer);
    }

    /**
     * Leave one batch out: the labelled set's batches ({@code batch}: written before any rule, then
     * each blind batch written later, on libraries and wordings the earlier ones lacked) each scored
     * by a classifier trained on every other training event, the other files included: the same
     * transfer as {@link #leaveOneFileOut}, measurable before any other file exists.
     *
     * @return per batch, in the order first seen, its score; empty when the file has one batch
     */
    static Map<String, Score> leaveOneBatchOut(List<Path> files, Trainer trainer) throws IOException {
        Map<String, List<Labelled>> byBatch = new LinkedHashMap<>();
        Map<String, String> batchOf = batches(files.get(0));
        for (Labelled e : load(files.get(0))) {
            byBatch.computeIfAbsent(batchOf.get(e.id()), b -> new ArrayList<>()).add(e);
        }
        if (byBatch.size() < 2) {
            return Map.of();
        }
        return leaveOneOut(byBatch, loadAll(files.subList(1, files.size())), trainer);
    }

    /** The batch each event of a file names, by event id ({@value #FIRST_BATCH} when none). */
    static Map<String, String> batches(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode json = JSON.readTree(line);
                out.put(
                        SentryEventJson.read(json).getEventId(),
                        json.path("batch").asText(FIRST_BATCH));
            }
        }
        return out;
    }

    static final String FIRST_BATCH = "initial";

    /** Each group scored by a classifier trained on every other group and {@code alwaysTrained}. */
    private static Map<String, Score> leaveOneOut(
            Map<String, List<Labelled>> groups, List<Labelled> alwaysTrained, Trainer trainer) {
        Map<String, Score> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Labelled>> left : groups.entrySet()) {
            List<Labelled> training = new ArrayList<>(alwaysTrained);
            groups.forEach((name, events) -> {
                if (!name.equals(left.getKey())) {
                    training.addAll(events);
                }
            });
            out.put(left.getKey(), score(left.getValue(), trainer.train(training)));
        }
        return out;
    }

    private static ObjectNode withPooled(Map<String, Score> scores, ObjectNode into) {
        Score pooled = Score.empty();
        for (Map.Entry<String, Score> group : scores.entrySet()) {
            into.set(group.getKey(), group.getValue().toJson());
            pooled = pooled.plus(group.getValue());
        }
        into.set("pooled", pooled.toJson());
        return into;
    }

    private static String name(Path file) {
        return file.getFileName().toString().replaceFirst("\\.jsonl$", "");
    }

    /**
     * @param trainingFiles the labelled set and the training sets ({@link #trainingFiles})
     * @param alternatives other classifiers (thresholds, models) whose cross-validated and pooled
     *     leave-one-file-out figures are printed beside the main one's, under {@code policies}
     * @param misses also print the training events' misses (for whoever tunes the rules); the blind
     *     set's misses are never printed
     */
    public static void run(
            List<Path> trainingFiles,
            List<Path> blindFiles,
            Trainer trainer,
            Map<String, Trainer> alternatives,
            int k,
            long seed,
            boolean misses,
            PrintStream out)
            throws IOException {
        List<Labelled> labelled = loadAll(trainingFiles);
        ObjectNode report = JSON.createObjectNode();
        report.set(
                "trainingFiles",
                JSON.valueToTree(trainingFiles.stream()
                        .map(ClassificationEvaluation::name)
                        .toList()));
        Function<ErrorEvent, ClassificationResult> shipped = trainer.train(labelled);
        Score tuned = score(labelled, shipped);
        report.set("tuned", tuned.toJson());
        ObjectNode cv = crossValidate(labelled, trainer, k, seed).toJson();
        cv.put("folds", k);
        cv.put("seed", seed);
        report.set("crossValidated", cv);
        withPooled(leaveOneFileOut(trainingFiles, trainer), report.putObject("leaveOneFileOut"));
        Map<String, Score> batches = leaveOneBatchOut(trainingFiles, trainer);
        if (!batches.isEmpty()) {
            withPooled(batches, report.putObject("leaveOneBatchOut"));
        }
        if (!alternatives.isEmpty()) {
            ObjectNode policies = report.putObject("policies");
            for (Map.Entry<String, Trainer> alternative : alternatives.entrySet()) {
                ObjectNode node = policies.putObject(alternative.getKey());
                node.set(
                        "crossValidated",
                        crossValidate(labelled, alternative.getValue(), k, seed).toJson());
                node.set(
                        "leaveOneFileOut",
                        withPooled(leaveOneFileOut(trainingFiles, alternative.getValue()), JSON.createObjectNode())
                                .get("pooled"));
                if (!batches.isEmpty()) {
                    node.set(
                            "leaveOneBatchOut",
                            withPooled(leaveOneBatchOut(trainingFiles, alternative.getValue()), JSON.createObjectNode())
                                    .get("pooled"));
                }
            }
        }
        if (!blindFiles.isEmpty()) {
            ObjectNode blind = report.putObject("blind");
            for (Path file : blindFiles) {
                blind.set(name(file), score(load(file), shipped).toJson());
            }
        }
        if (misses) {
            tuned.misses().forEach(m -> out.println("miss " + m));
        }
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }
}
