package io.faultline.classifier.classification;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.schemas.ErrorEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassificationEvaluationTest {

    private static final Path LABELLED = Path.of("src/test/resources/labelled-events.jsonl");
    private static final Path BLIND = Path.of("src/test/resources/blind-set-guide.jsonl");
    private static final Path BLIND_C = Path.of("src/test/resources/blind-set-c.jsonl");

    /** A trainer that memorises each training event's labels: perfect on what it saw, blank elsewhere. */
    private static final ClassificationEvaluation.Trainer MEMORISER = training -> {
        Map<String, String[]> seen = new HashMap<>();
        training.forEach(t -> seen.put(t.id(), t.expected()));
        return event -> {
            String[] l = seen.get(event.getEventId());
            return l == null
                    ? new ClassificationResult(
                            Severity.INFO, Category.BUSINESS_LOGIC, BusinessImpact.MONITORING, "nowhere", List.of())
                    : new ClassificationResult(
                            Severity.fromWire(l[0]).orElseThrow(),
                            Category.fromWire(l[1]).orElseThrow(),
                            BusinessImpact.fromWire(l[2]).orElseThrow(),
                            l[3],
                            List.of());
        };
    };

    @Test
    void crossValidationNeverScoresAnEventWithAModelTrainedOnIt() throws Exception {
        List<ClassificationEvaluation.Labelled> events = ClassificationEvaluation.load(LABELLED);

        ClassificationEvaluation.Score tuned = ClassificationEvaluation.score(events, MEMORISER.train(events));
        ClassificationEvaluation.Score cv = ClassificationEvaluation.crossValidate(events, MEMORISER, 5, 25);

        assertThat(tuned.correct()[3]).isEqualTo(events.size());
        assertThat(cv.n()).isEqualTo(events.size());
        assertThat(cv.correct()[3]).isZero();
    }

    @Test
    void crossValidationTrainsTheFallbackOnEachFoldsTrainingEventsOnly() throws Exception {
        List<ClassificationEvaluation.Labelled> events = ClassificationEvaluation.load(LABELLED);
        ClassificationEvaluation.Trainer withModel =
                ClassificationEvaluation.withModel(ClassificationRules.loadDefault());
        List<Integer> trainedOn = new java.util.ArrayList<>();
        java.util.Set<String> scored = new java.util.HashSet<>();
        ClassificationEvaluation.Trainer spy = training -> {
            trainedOn.add(training.size());
            java.util.Set<String> seen = new java.util.HashSet<>();
            training.forEach(t -> seen.add(t.id()));
            var classify = withModel.train(training);
            return event -> {
                assertThat(seen).as("scored by a model trained on it").doesNotContain(event.getEventId());
                scored.add(event.getEventId());
                return classify.apply(event);
            };
        };

        ClassificationEvaluation.Score cv = ClassificationEvaluation.crossValidate(events, spy, 5, 25);
        ClassificationEvaluation.Score tuned = ClassificationEvaluation.score(events, withModel.train(events));

        assertThat(trainedOn).hasSize(5).allSatisfy(n -> assertThat(n)
                .isBetween(events.size() * 4 / 5 - 1, events.size() * 4 / 5 + 1));
        assertThat(scored).hasSize(events.size());
        // a model trained per fold cannot know the fold it scores as well as the shipped one does
        assertThat(cv.correct()).isNotEqualTo(tuned.correct());
    }

    @Test
    void theReportIsTheSameForTheSameSeed() throws Exception {
        ClassificationEvaluation.Trainer rules = ClassificationEvaluation.rulesOnly(ClassificationRules.loadDefault());

        String first = report(rules);

        assertThat(report(rules)).isEqualTo(first);
        var json = new ObjectMapper().readTree(first);
        assertThat(json.path("blind").path("blind-set-guide").path("n").asInt()).isEqualTo(175);
        assertThat(json.path("blind").path("blind-set-c").path("n").asInt()).isEqualTo(240);
        assertThat(json.path("crossValidated").path("folds").asInt()).isEqualTo(5);
        assertThat(json.path("leaveOneFileOut")
                        .path("labelled-events")
                        .path("n")
                        .asInt())
                .isEqualTo(628);
        assertThat(first).doesNotContain("miss ");
    }

    @Test
    void everyBlindEventIsSentryShapedAndLabelledWithKnownValues() throws Exception {
        List<ClassificationEvaluation.Labelled> blind = new ArrayList<>(ClassificationEvaluation.load(BLIND));
        blind.addAll(ClassificationEvaluation.load(BLIND_C));
        for (ClassificationEvaluation.Labelled e : blind) {
            ErrorEvent event = e.event();
            assertThat(event.getExceptions().isEmpty() && event.getMessage() == null)
                    .as(e.id())
                    .isFalse();
            assertThat(Severity.fromWire(e.expected()[0])).as(e.id()).isPresent();
            assertThat(Category.fromWire(e.expected()[1])).as(e.id()).isPresent();
            assertThat(BusinessImpact.fromWire(e.expected()[2])).as(e.id()).isPresent();
        }
    }

    @Test
    void everyTrainingSetBesideTheLabelledSetJoinsTheTrainingAndChangesTheModel(@TempDir Path dir) throws Exception {
        Path labelled = dir.resolve("labelled-events.jsonl");
        Files.writeString(labelled, lines("l", "QuotaGoneError", "quota exhausted", "low", "security", 6));
        Files.writeString(dir.resolve("unrelated.jsonl"), lines("u", "NotTraining", "ignored", "high", "database", 3));
        Path model = dir.resolve("model.tsv");

        TokenFallback.main(new String[] {labelled.toString(), model.toString()});
        String before = Files.readString(model);
        Files.writeString(
                dir.resolve("training-set-x.jsonl"),
                lines("x", "DiskMissingError", "disk vanished", "critical", "performance", 6));
        TokenFallback.main(new String[] {labelled.toString(), model.toString()});
        String after = Files.readString(model);

        assertThat(ClassificationEvaluation.trainingFiles(labelled))
                .containsExactly(labelled, dir.resolve("training-set-x.jsonl"));
        assertThat(before).doesNotContain("ts:diskmissingerror").doesNotContain("ts:nottraining");
        assertThat(after)
                .contains("\tts:diskmissingerror\t")
                .contains("critical")
                .isNotEqualTo(before);
    }

    @Test
    void leaveOneFileOutScoresEachFileWithAModelThatNeverSawIt(@TempDir Path dir) throws Exception {
        List<Path> files = List.of(
                write(
                        dir,
                        "labelled-events.jsonl",
                        lines("l", "QuotaGoneError", "quota exhausted", "low", "security", 4)),
                write(
                        dir,
                        "training-set-a.jsonl",
                        lines("a", "QuotaGoneError", "quota exhausted", "low", "security", 5)),
                write(
                        dir,
                        "training-set-b.jsonl",
                        lines("b", "DiskMissingError", "disk vanished", "critical", "performance", 6)));
        List<Integer> trainedOn = new ArrayList<>();
        ClassificationEvaluation.Trainer spy = training -> {
            trainedOn.add(training.size());
            var memorise = MEMORISER.train(training);
            java.util.Set<String> seen = new java.util.HashSet<>();
            training.forEach(t -> seen.add(t.id()));
            return event -> {
                assertThat(seen).as("scored by a model trained on it").doesNotContain(event.getEventId());
                return memorise.apply(event);
            };
        };

        Map<String, ClassificationEvaluation.Score> scores = ClassificationEvaluation.leaveOneFileOut(files, spy);

        assertThat(scores.keySet()).containsExactly("labelled-events", "training-set-a", "training-set-b");
        assertThat(trainedOn).containsExactly(11, 10, 9);
        // the memoriser knows only what it was trained on: a file's own events would score 100%
        assertThat(scores.values()).allSatisfy(s -> assertThat(s.correct()[3]).isZero());
        assertThat(scores.get("training-set-b").n()).isEqualTo(6);
    }

    @Test
    void theReportHasEveryFileLeftOutAndTheirPooledFigure(@TempDir Path dir) throws Exception {
        Path labelled =
                write(dir, "labelled-events.jsonl", lines("l", "QuotaGoneError", "quota gone", "low", "security", 6));
        write(
                dir,
                "training-set-a.jsonl",
                lines("a", "DiskMissingError", "disk vanished", "critical", "performance", 6));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        ClassificationEvaluation.run(
                ClassificationEvaluation.trainingFiles(labelled),
                List.of(),
                ClassificationEvaluation.withModel(ClassificationRules.loadDefault()),
                Map.of("rulesOnly", ClassificationEvaluation.rulesOnly(ClassificationRules.loadDefault())),
                3,
                25,
                false,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        var json = new ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8));
        assertThat(json.path("trainingFiles").toString()).isEqualTo("[\"labelled-events\",\"training-set-a\"]");
        assertThat(json.path("tuned").path("n").asInt()).isEqualTo(12);
        assertThat(json.path("leaveOneFileOut").path("training-set-a").path("n").asInt())
                .isEqualTo(6);
        assertThat(json.path("leaveOneFileOut").path("pooled").path("n").asInt())
                .isEqualTo(12);
        assertThat(json.path("policies")
                        .path("rulesOnly")
                        .path("leaveOneFileOut")
                        .path("n")
                        .asInt())
                .isEqualTo(12);
    }

    @Test
    void leaveOneBatchOutScoresEachBatchWithEverythingElseButNeverItself(@TempDir Path dir) throws Exception {
        String later = lines("b", "DiskMissingError", "disk vanished", "critical", "performance", 3)
                .replace("\"platform\"", "\"batch\": \"blind\", \"platform\"");
        List<Path> files = List.of(
                write(
                        dir,
                        "labelled-events.jsonl",
                        lines("i", "QuotaGoneError", "quota gone", "low", "security", 4) + later),
                write(dir, "training-set-a.jsonl", lines("a", "QuotaGoneError", "quota gone", "low", "security", 5)));
        List<Integer> trainedOn = new ArrayList<>();
        ClassificationEvaluation.Trainer spy = training -> {
            trainedOn.add(training.size());
            return MEMORISER.train(training);
        };

        Map<String, ClassificationEvaluation.Score> scores = ClassificationEvaluation.leaveOneBatchOut(files, spy);

        assertThat(scores.keySet()).containsExactly("initial", "blind");
        assertThat(trainedOn).containsExactly(3 + 5, 4 + 5);
        assertThat(scores.values()).allSatisfy(s -> assertThat(s.correct()[3]).isZero());
        assertThat(ClassificationEvaluation.leaveOneBatchOut(files.subList(1, 2), spy))
                .isEmpty();
    }

    private static Path write(Path dir, String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    /** Sentry-shaped training events as the training-set files hold them. */
    private static String lines(String prefix, String type, String value, String severity, String category, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append("{\"event_id\": \"")
                    .append(prefix)
                    .append(i)
                    .append("\", \"platform\": \"python\", \"exception\": {\"values\": [{\"type\": \"")
                    .append(type)
                    .append("\", \"value\": \"")
                    .append(value)
                    .append(' ')
                    .append(i)
                    .append("\"}]}, \"request\": {\"url\": \"https://app.test/api/things/")
                    .append(i)
                    .append("\"}, \"expected\": {\"severity\": \"")
                    .append(severity)
                    .append("\", \"category\": \"")
                    .append(category)
                    .append("\", \"businessImpact\": \"monitoring\", \"workflow\": null}}\n");
        }
        return out.toString();
    }

    private static String report(ClassificationEvaluation.Trainer trainer) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ClassificationEvaluation.run(
                ClassificationEvaluation.trainingFiles(LABELLED),
                List.of(BLIND, BLIND_C),
                trainer,
                Map.of(),
                5,
                25,
                false,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
