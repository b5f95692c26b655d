package io.faultline.classifier.grouping.fingerprint;

import io.faultline.schemas.rulefile.Glob;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * An operator's rule: when every matcher matches the event, the event gets {@code fingerprint}
 * instead of the default grouping.
 *
 * @param id names the rule in components ({@code rule=db-down}); defaults to the matchers' text
 * @param title the group title to show instead of the exception's (variables allowed); nullable
 * @param origin where the rule was written, e.g. {@code rules.yaml:12}, for diagnostics
 */
public record FingerprintRule(
        String id, List<Matcher> matchers, List<String> fingerprint, String title, String origin) {

    public FingerprintRule {
        Objects.requireNonNull(id, "id");
        matchers = List.copyOf(matchers);
        fingerprint = List.copyOf(fingerprint);
    }

    public boolean matches(GroupableEvent event) {
        return matchers.stream().allMatch(matcher -> matcher.matches(event));
    }

    /** The event attribute a matcher looks at, with the names Sentry accepts for it. */
    public enum Field {
        TYPE(false, "type", "error.type"),
        VALUE(true, "value", "error.value"),
        MESSAGE(true, "message"),
        MODULE(false, "module", "stack.module"),
        FUNCTION(false, "function", "stack.function"),
        LEVEL(true, "level"),
        LOGGER(false, "logger"),
        TRANSACTION(false, "transaction"),
        TAG(false, "tags");

        final boolean ignoreCase;
        final List<String> names;

        Field(boolean ignoreCase, String... names) {
            this.ignoreCase = ignoreCase;
            this.names = List.of(names);
        }

        public String canonicalName() {
            return names.get(0);
        }

        static Field byName(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (Field field : values()) {
                if (field.names.contains(lower)) {
                    return field;
                }
            }
            return null;
        }

        static String knownNames() {
            return "type (error.type), value (error.value), message, module (stack.module),"
                    + " function (stack.function), level, logger, transaction, tags.<name>";
        }
    }

    /**
     * Matches when any of the event's values for {@code field} matches any of the globs (for frames:
     * any frame of any exception, raw or normalised name); {@code negated} inverts the result.
     *
     * @param tag the tag's name when {@code field} is {@link Field#TAG}, else null
     */
    public record Matcher(Field field, String tag, List<Glob> globs, boolean negated) {

        public Matcher {
            globs = List.copyOf(globs);
        }

        public boolean matches(GroupableEvent event) {
            boolean any = values(event).anyMatch(value -> globs.stream().anyMatch(glob -> glob.matches(value)));
            return any != negated;
        }

        private static final FrameNormalizer NORMALIZER = new FrameNormalizer();

        private Stream<String> values(GroupableEvent event) {
            FrameNormalizer normalizer = NORMALIZER;
            return switch (field) {
                case TYPE -> event.exceptions().stream()
                        .flatMap(e -> Stream.of(e.type(), e.qualifiedType(), normalizer.type(e.qualifiedType())));
                case VALUE -> event.exceptions().stream().map(GroupableEvent.ChainedException::value);
                case MESSAGE -> Stream.concat(
                        Stream.of(event.message(), event.logTemplate()),
                        event.exceptions().stream().map(GroupableEvent.ChainedException::value));
                case MODULE -> frames(event).flatMap(f -> Stream.of(f.module(), normalizer.module(f.module())));
                case FUNCTION -> frames(event).flatMap(f -> Stream.of(f.function(), normalizer.function(f.function())));
                case LEVEL -> Stream.of(event.level());
                case LOGGER -> Stream.of(event.logger());
                case TRANSACTION -> Stream.of(event.transaction());
                case TAG -> Stream.of(event.tags().get(tag));
            };
        }

        private static Stream<GroupableEvent.Frame> frames(GroupableEvent event) {
            return event.exceptions().stream().flatMap(e -> e.frames().stream());
        }

        /** The matcher in Sentry's syntax, e.g. {@code !error.type:"*Timeout*"}. */
        @Override
        public String toString() {
            String key = field == Field.TAG ? "tags." + tag : field.canonicalName();
            String patterns = globs.stream()
                    .map(Glob::pattern)
                    .reduce((a, b) -> a + "|" + b)
                    .orElse("");
            return (negated ? "!" : "") + key + ":" + patterns;
        }
    }
}
