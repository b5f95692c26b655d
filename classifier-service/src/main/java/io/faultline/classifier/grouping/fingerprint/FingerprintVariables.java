package io.faultline.classifier.grouping.fingerprint;

import static io.faultline.classifier.grouping.fingerprint.Contribution.component;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sentry's fingerprint variables: a fingerprint entry that is exactly {@code {{ name }}} (spaces and
 * case ignored) is replaced by a value of the event. {@code {{ default }}} stands for the default
 * grouping, so a fingerprint can refine it ({@code ["{{ default }}", "{{ transaction }}"]}) instead
 * of replacing it.
 */
public final class FingerprintVariables {

    public static final String DEFAULT = "default";

    /** Variables known to Sentry that Faultline resolves; {@code tags.<name>} comes on top. */
    public static final Set<String> NAMES = Set.of(
            DEFAULT,
            "type",
            "error.type",
            "value",
            "error.value",
            "function",
            "module",
            "message",
            "transaction",
            "level",
            "logger");

    private static final Pattern WHOLE_ENTRY = Pattern.compile("^\\s*\\{\\{\\s*([^{}\\s]+)\\s*}}\\s*$");
    private static final Pattern ANYWHERE = Pattern.compile("\\{\\{\\s*([^{}\\s]+)\\s*}}");
    private static final String TAGS_PREFIX = "tags.";

    private final FrameNormalizer normalizer;
    private final IssueSummary summary;

    public FingerprintVariables(FrameNormalizer normalizer, IssueSummary summary) {
        this.normalizer = normalizer;
        this.summary = summary;
    }

    /** The variable an entry consists of, in canonical spelling; empty for a literal entry. */
    public static Optional<String> variableIn(String entry) {
        Matcher matcher = WHOLE_ENTRY.matcher(entry);
        return matcher.matches() ? Optional.of(canonical(matcher.group(1))) : Optional.empty();
    }

    public static boolean isKnown(String canonicalName) {
        return NAMES.contains(canonicalName)
                || (canonicalName.startsWith(TAGS_PREFIX) && canonicalName.length() > TAGS_PREFIX.length());
    }

    /** Every {@code {{ name }}} mentioned in {@code text}, canonical, to validate operator input. */
    public static List<String> variablesMentioned(String text) {
        List<String> names = new ArrayList<>();
        Matcher matcher = ANYWHERE.matcher(text);
        while (matcher.find()) {
            names.add(canonical(matcher.group(1)));
        }
        return names;
    }

    /**
     * The components for a fingerprint: a literal entry gives {@code fingerprint=<entry>}, a
     * variable {@code fingerprint=<its value>}, and {@code {{ default }}} gives {@code
     * default=<strategy>:<hash>} followed by the default grouping's own components (prefixed {@code
     * default.}) so that the explanation stays complete. An unknown variable stays literal, as in
     * Sentry.
     */
    public List<String> components(
            List<String> fingerprint, GroupableEvent event, Supplier<Contribution> defaultGrouping) {
        List<String> components = new ArrayList<>();
        for (String entry : fingerprint) {
            Optional<String> variable = variableIn(entry);
            if (variable.isPresent() && variable.get().equals(DEFAULT)) {
                Contribution defaults = defaultGrouping.get();
                String hash = GroupIds.of(event.projectId(), defaults.strategy(), defaults.components());
                components.add(component(DEFAULT, defaults.strategy() + ":" + hash));
                defaults.components().forEach(c -> components.add(DEFAULT + "." + c));
            } else if (variable.isPresent() && isKnown(variable.get())) {
                components.add(component("fingerprint", resolve(variable.get(), event)));
            } else {
                components.add(component("fingerprint", entry));
            }
        }
        return components;
    }

    /** {@code text} with every known variable replaced by its value (for rule titles). */
    public String interpolate(String text, GroupableEvent event) {
        Matcher matcher = ANYWHERE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = canonical(matcher.group(1));
            String value = isKnown(name) && !name.equals(DEFAULT) ? resolve(name, event) : matcher.group();
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** The value of a known, non-default variable; placeholders as Sentry names them when absent. */
    public String resolve(String name, GroupableEvent event) {
        GroupableEvent.ChainedException outermost = event.outermostException();
        if (name.startsWith(TAGS_PREFIX)) {
            String tag = name.substring(TAGS_PREFIX.length());
            return orPlaceholder(event.tags().get(tag), "<no-value-for-tag-" + tag + ">");
        }
        return switch (name) {
            case "type", "error.type" -> orPlaceholder(
                    outermost == null ? null : normalizer.type(outermost.qualifiedType()), "<no-type>");
            case "value", "error.value" -> orPlaceholder(outermost == null ? null : outermost.value(), "<no-value>");
            case "function" -> orPlaceholder(
                    summary.crashFrame(event)
                            .map(f -> normalizer.function(f.function()))
                            .orElse(null),
                    "<no-function>");
            case "module" -> orPlaceholder(
                    summary.crashFrame(event)
                            .map(f -> f.module() != null
                                    ? normalizer.module(f.module())
                                    : normalizer.filename(f.filename()))
                            .orElse(null),
                    "<no-module>");
            case "message" -> orPlaceholder(
                    event.logTemplate() != null && !event.logTemplate().isBlank()
                            ? event.logTemplate()
                            : event.message(),
                    "<no-message>");
            case "transaction" -> orPlaceholder(event.transaction(), "<no-transaction>");
            case "level" -> orPlaceholder(event.level(), "<no-level>");
            case "logger" -> orPlaceholder(event.logger(), "<no-logger>");
            default -> throw new IllegalArgumentException("not a fingerprint variable: " + name);
        };
    }

    private static String canonical(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        // a tag's name is data, keep its case: {{ tags.Region }} reads tag "Region"
        return lower.startsWith(TAGS_PREFIX) ? TAGS_PREFIX + name.substring(TAGS_PREFIX.length()) : lower;
    }

    private static String orPlaceholder(String value, String placeholder) {
        return value == null || value.isBlank() ? placeholder : value;
    }
}
