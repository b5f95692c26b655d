package io.faultline.classifier.grouping.fingerprint;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An operator's fingerprint rules, in file order; the first rule that matches an event decides its
 * fingerprint. Rules are data (YAML, or JSON which is YAML too), so an operator changes grouping
 * without a release. Each rule is either a mapping or one line of Sentry's rule syntax:
 *
 * <pre>
 * rules:
 *   - id: db-down
 *     match:
 *       type: "*DatabaseUnavailable"          # glob; a list means any of them
 *       "!function": healthCheck              # "!" negates
 *       tags: {environment: "prod*"}
 *     fingerprint: [system-down, "{{ default }}"]
 *     title: "Database unavailable"           # optional
 *   - 'error.type:TimeoutException stack.function:"book*" -> booking-timeout title="Booking timed out"'
 * </pre>
 *
 * Matchers: {@code type} ({@code error.type}), {@code value} ({@code error.value}), {@code message},
 * {@code module} ({@code stack.module}), {@code function} ({@code stack.function}), {@code level},
 * {@code logger}, {@code transaction}, {@code tags.<name>}. {@code value}, {@code message} and
 * {@code level} ignore case.
 */
public final class FingerprintRules {

    private static final FingerprintRules NONE = new FingerprintRules(List.of());

    private final List<FingerprintRule> rules;

    private FingerprintRules(List<FingerprintRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static FingerprintRules none() {
        return NONE;
    }

    public static FingerprintRules of(List<FingerprintRule> rules) {
        return new FingerprintRules(rules);
    }

    /** @throws InvalidFingerprintRulesException naming the line, rule and field of the first problem */
    public static FingerprintRules load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fingerprint rules from " + file, e);
        }
    }

    /**
     * @param sourceName how error messages name the input, e.g. a file name
     * @throws InvalidFingerprintRulesException naming the line, rule and field of the first problem
     */
    public static FingerprintRules load(InputStream in, String sourceName) {
        return new FingerprintRules(FingerprintRulesParser.parse(in, sourceName));
    }

    public static FingerprintRules parse(String text, String sourceName) {
        return load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), sourceName);
    }

    public List<FingerprintRule> rules() {
        return rules;
    }

    public Optional<FingerprintRule> firstMatch(GroupableEvent event) {
        return rules.stream().filter(rule -> rule.matches(event)).findFirst();
    }
}
