package io.faultline.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds {@code examples/booking-web} as its README says ({@code npm ci && npm run build}, the
 * second with the source map upload's variables when a test gives them), in a copy
 * under this module's {@code target/booking-web} so the example's folder stays clean and
 * {@code node_modules} is installed once, again only when the lockfile changes. The test that needs
 * it is skipped, saying why, where Node.js and npm are missing or the npm registry is out of reach:
 * a clone without them still builds and tests everything else.
 */
final class BookingWebBuild {

    /** Vite 6 runs on Node.js 18, the oldest a Debian stable ships; see examples/booking-web/README.md. */
    private static final int NODE_MAJOR = 18;

    private static final Set<String> SOURCES = Set.of(
            "package.json",
            "package-lock.json",
            ".npmrc",
            "index.html",
            "vite.config.js",
            "tsconfig.json",
            "src",
            "public");

    /** How npm says the registry could not be reached, as opposed to a broken lockfile or build. */
    private static final Pattern OFFLINE = Pattern.compile(
            "ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|proxy");

    private BookingWebBuild() {}

    /**
     * The work copy with its dependencies installed, ready to {@link #build}; or the test is
     * skipped (never failed) for lack of Node.js, npm or network.
     */
    static Path installed(Path repo) throws IOException, InterruptedException {
        Path source = repo.resolve("examples/booking-web");
        Path work = Path.of("target", "booking-web").toAbsolutePath();
        requireNode(work);
        copySources(source, work);

        Path lock = work.resolve("package-lock.json");
        Path installedLock = work.resolve("node_modules/.faultline-installed-lock.json");
        boolean installed = Files.exists(installedLock) && Files.mismatch(lock, installedLock) == -1;
        if (!installed) {
            Run ci = run(work, "npm-ci.log", 600, Map.of(), "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline");
            if (ci.exit != 0) {
                Assumptions.assumeFalse(
                        OFFLINE.matcher(ci.output).find(),
                        "examples/booking-web: `npm ci` could not reach the npm registry (no network?), so its"
                                + " browser test is skipped:\n" + ci.tail());
                throw new IllegalStateException("npm ci failed in " + work + ":\n" + ci.tail());
            }
            Files.copy(lock, installedLock, StandardCopyOption.REPLACE_EXISTING);
        }
        return work;
    }

    /**
     * {@code npm run build} in the work copy with these variables (the source map upload's, see
     * the example's vite.config.js), answering the built {@code dist/}. The output stays in {@code
     * npm-build.log} beside it.
     */
    static Path build(Path work, Map<String, String> env) throws IOException, InterruptedException {
        Run build = run(work, "npm-build.log", 300, env, "npm", "run", "build");
        if (build.exit != 0) {
            throw new IllegalStateException("npm run build failed in " + work + ":\n" + build.tail());
        }
        return work.resolve("dist");
    }

    private static void requireNode(Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Run node;
        Run npm;
        try {
            node = run(work, "node-version.log", 30, Map.of(), "node", "--version");
            npm = run(work, "npm-version.log", 60, Map.of(), "npm", "--version");
        } catch (IOException e) {
            node = null;
            npm = null;
        }
        Assumptions.assumeTrue(
                node != null && npm != null && node.exit == 0 && npm.exit == 0,
                "examples/booking-web needs Node.js " + NODE_MAJOR + "+ and npm to build (Debian: apt-get"
                        + " install nodejs npm); its browser test is skipped");
        Matcher version = Pattern.compile("v(\\d+)\\.").matcher(node.output);
        Assumptions.assumeTrue(
                version.find() && Integer.parseInt(version.group(1)) >= NODE_MAJOR,
                "examples/booking-web needs Node.js " + NODE_MAJOR + "+, found " + node.output.trim()
                        + "; its browser test is skipped");
    }

    /** The example's sources over the work copy, whose stale sources go first; node_modules stays. */
    private static void copySources(Path source, Path work) throws IOException {
        for (String name : SOURCES) {
            Path from = source.resolve(name);
            Path to = work.resolve(name);
            deleteTree(to);
            if (!Files.exists(from)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : files.toList()) {
                    Path target = to.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        deleteTree(work.resolve("dist"));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private record Run(int exit, String output) {
        String tail() {
            List<String> lines = output.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
    }

    private static Run run(Path dir, String logName, int timeoutSeconds, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        Path log = dir.resolve(logName);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder.directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return new Run(
                    -1,
                    String.join(" ", command) + " timed out after " + timeoutSeconds + " s\n"
                            + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
