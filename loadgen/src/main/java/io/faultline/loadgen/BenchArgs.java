package io.faultline.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Command-line options shared by the benchmarks. */
final class BenchArgs {

    private BenchArgs() {}

    /** The variables of {@code --stack-env FILE} (the launcher's stack.env). */
    static Map<String, String> stackEnv(String[] args) throws IOException {
        String file = option(args, "--stack-env", System.getenv("FAULTLINE_HOME") + "/stack.env");
        Map<String, String> vars = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(file))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                vars.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return vars;
    }

    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    static int intOption(String[] args, String name, int fallback) {
        return Integer.parseInt(option(args, name, Integer.toString(fallback)));
    }
}
