package io.faultline.classifier.grouping.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupCommandTest {

    private static List<String> run(String input, boolean templates) throws IOException {
        StringWriter out = new StringWriter();
        GroupCommand.run(new StringReader(input), out, templates);
        return out.toString().lines().toList();
    }

    @Test
    void writesOneGroupKeyPerInputLine() throws IOException {
        List<String> messages = TemplateMinerTest.sample();
        List<String> keys = run(String.join("\n", messages) + "\n", false);

        assertThat(keys).hasSize(messages.size());
        assertThat(keys.get(0)).as("both 'Connection refused'").isEqualTo(keys.get(2));
        assertThat(keys.get(6)).as("VM Started vs VM Stopped").isNotEqualTo(keys.get(7));
        assertThat(keys.get(6)).as("VM Started twice").isEqualTo(keys.get(16));
        assertThat(keys.get(11)).as("RUNNING vs FAILED").isNotEqualTo(keys.get(12));
    }

    @Test
    void reportsTheFinalGroupOfLinesThatArrivedBeforeAMerge() throws IOException {
        List<String> keys = run(
                """
                session closed for user alice
                session closed for user bob
                session closed for user carol
                """,
                false);

        assertThat(keys).hasSize(3).containsOnly(keys.get(0));
    }

    @Test
    void printsTemplatesWhenAsked() throws IOException {
        List<String> templates = run(
                """
                Worker 7 restarted after 12 s
                Worker 12 restarted after 3 min

                """,
                true);

        assertThat(templates).containsExactly("Worker <*> restarted after <*>", "Worker <*> restarted after <*>", "");
    }
}
