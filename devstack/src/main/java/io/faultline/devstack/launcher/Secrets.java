package io.faultline.devstack.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack's credentials, made once per home and kept in {@code HOME/secrets.env}
 * ({@code KEY=VALUE} lines, readable by its owner only), so a restart keeps the DSN that SDKs
 * were given.
 */
public record Secrets(
        String projectId,
        String projectKey,
        String adminToken,
        String adminUser,
        String adminPassword,
        String sessionSecret) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The DSN a Sentry SDK is given: the project's key as the user, the project id as the path. */
    public String dsn(String host, int ingestPort) {
        return "http://" + projectKey + "@" + host + ":" + ingestPort + "/" + projectId;
    }

    /** Reads the home's secrets, creating the file, or adding what an older home lacks. */
    static Secrets ensure(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            append(file, List.of("PROJECT_ID=1", "PROJECT_KEY=" + randomHex(), "ADMIN_TOKEN=" + randomHex()));
        }
        // added later than the first three: older homes get them on their next start
        Map<String, String> values = read(file);
        if (!values.containsKey("ADMIN_PASSWORD")) {
            append(file, List.of("ADMIN_USER=admin", "ADMIN_PASSWORD=" + randomHex()));
        }
        if (!values.containsKey("SESSION_SECRET")) {
            append(file, List.of("SESSION_SECRET=" + randomHex() + randomHex()));
        }
        values = read(file);
        return new Secrets(
                values.get("PROJECT_ID"),
                values.get("PROJECT_KEY"),
                values.get("ADMIN_TOKEN"),
                values.getOrDefault("ADMIN_USER", "admin"),
                values.get("ADMIN_PASSWORD"),
                values.get("SESSION_SECRET"));
    }

    /** {@code KEY=VALUE} lines; the last of a key wins, as when the shell sourced the file. */
    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                values.put(
                        line.substring(0, eq).trim(),
                        unquote(line.substring(eq + 1).trim()));
            }
        }
        return values;
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2
                && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    private static void append(Path file, List<String> lines) throws IOException {
        Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    static String randomHex() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
