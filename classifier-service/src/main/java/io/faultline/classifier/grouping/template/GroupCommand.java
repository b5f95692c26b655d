package io.faultline.classifier.grouping.template;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups messages read one per line from stdin (UTF-8) and writes one line per message to stdout: its group key, or
 * with {@code --templates} its template text. All lines are mined first and then printed, so each line gets the
 * final key of its group (the survivor of any merge that happened after it arrived) rather than the key it was
 * handed on arrival. JDK only at run time:
 *
 * <pre>java -cp classifier-service/target/classes io.faultline.classifier.grouping.template.GroupCommand &lt; msgs</pre>
 */
public final class GroupCommand {

    private static final String SCOPE = "cli";

    private GroupCommand() {}

    public static void main(String[] args) throws IOException {
        boolean templates = false;
        for (String arg : args) {
            if (arg.equals("--templates")) {
                templates = true;
            } else {
                System.err.println("usage: GroupCommand [--templates] < messages.txt");
                System.exit(2);
            }
        }
        Reader in = new InputStreamReader(System.in, StandardCharsets.UTF_8);
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        run(in, out, templates);
    }

    static void run(Reader input, Writer output, boolean templates) throws IOException {
        TemplateMiner miner = new TemplateMiner();
        List<TemplateCluster> joined = new ArrayList<>();
        BufferedReader in = new BufferedReader(input);
        String line;
        while ((line = in.readLine()) != null) joined.add(miner.clusterOf(SCOPE, line));
        PrintWriter out = new PrintWriter(output);
        for (TemplateCluster c : joined) {
            TemplateCluster group = c.survivor();
            out.println(templates ? group.text() : group.id);
        }
        out.flush();
    }
}
