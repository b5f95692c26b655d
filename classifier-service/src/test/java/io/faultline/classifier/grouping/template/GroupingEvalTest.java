package io.faultline.classifier.grouping.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupingEvalTest {

    /** The shared benchmark data beside the repository; the module's tests run in classifier-service/. */
    private static final Path LOGHUB = Path.of("../../shared/benchmarks/loghub-2k");

    @Test
    void groupingAccuracyCountsOnlyExactGroups() {
        // predicted group "a" holds exactly true group 1; "b" mixes groups 2 and 3
        List<String> predicted = List.of("a", "a", "b", "b", "b");
        List<String> truth = List.of("1", "1", "2", "2", "3");

        assertThat(GroupingEval.groupingAccuracy(predicted, truth)).isEqualTo(0.4);
    }

    @Test
    void everyHalfOfEightSetsIsOneSplit() {
        List<int[]> splits = GroupingEval.halves(8);

        assertThat(splits).hasSize(70);
        Set<String> distinct = new HashSet<>();
        for (int[] train : splits) {
            assertThat(train).hasSize(4);
            distinct.add(java.util.Arrays.toString(train));
        }
        assertThat(distinct).hasSize(70);
    }

    @Test
    void settingsAreChosenOnTheTrainingSetsOnly(@TempDir Path dir) throws IOException {
        write(
                dir,
                "a",
                List.of("login by alice ok", "login by bob ok", "login by carol ok", "login by dave ok"),
                List.of("1", "1", "1", "1"));
        write(
                dir,
                "b",
                List.of("disk is ok now", "disk is bad now", "disk is gone now", "net is up now"),
                List.of("1", "2", "3", "4"));

        String json = GroupingEval.evaluate(
                GroupingEval.load(dir),
                List.of(new TemplateMiner.Settings(3, 8), new TemplateMiner.Settings(4, 8)),
                Integer.MAX_VALUE);

        // trained on a, three distinct words already make a variable there; that choice is scored on b, where it
        // merges three constant words: the held-out figure sees the cost the training figure could not
        assertThat(json).contains("{\"train\":[\"a\"],\"heldOut\":[\"b\"],\"chosen\":{\"minWordValues\":3");
        assertThat(json).contains("\"heldOutGA\":0.2500");
        assertThat(json).contains("\"tunedOnAll\":{\"settings\":{\"minWordValues\":4");
    }

    @Test
    void crossValidatesTheSharedBenchmarkSets() throws IOException {
        assumeTrue(Files.isDirectory(LOGHUB), "no shared benchmark data at " + LOGHUB.toAbsolutePath());

        String json =
                GroupingEval.evaluate(GroupingEval.load(LOGHUB), TemplateMiner.Settings.grid(), Integer.MAX_VALUE);

        assertThat(json).contains("\"crossValidated\":{\"splits\":70,");
        Matcher heldOut = Pattern.compile("\"averageHeldOutGA\":([0-9.]+)").matcher(json);
        assertThat(heldOut.find()).isTrue();
        // a floor well under the documented figure: it catches a miner broken outright, not a point lost
        assertThat(Double.parseDouble(heldOut.group(1))).isGreaterThan(0.9);
    }

    private static void write(Path dir, String name, List<String> messages, List<String> truth) throws IOException {
        Files.write(dir.resolve(name + ".messages.txt"), messages);
        Files.write(dir.resolve(name + ".truth.txt"), truth);
    }
}
