package io.faultline.classifier.grouping.template;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

public final class GroupCommand {

    public static void main(String[] args) throws IOException {
        boolean templates = args.length > 0 && args[0].equals("--templates");
        TemplateMiner miner = new TemplateMiner();
        List<TemplateCluster> joined = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) joined.add(miner.clusterOf("cli", line));
        }
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        for (TemplateCluster c : joined) {
            TemplateCluster s = c.survivor();
            out.println(templates ? s.text() : s.id);
        }
        out.flush();
    }
}
