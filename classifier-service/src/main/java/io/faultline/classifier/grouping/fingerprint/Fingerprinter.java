package io.faultline.classifier.grouping.fingerprint;

import io.faultline.classifier.grouping.MessageTemplates;
import io.faultline.schemas.ErrorEvent;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Decides which group an event belongs to, by asking a fixed list of named strategies in order;
 * the first that contributes decides:
 *
 * <ol>
 *   <li>{@code fingerprint-rule}: the operator's rules;
 *   <li>{@code client-fingerprint}: the fingerprint sent with the event;
 *   <li>{@code exception-stack} / {@code exception-type}: the exception chain and its frames;
 *   <li>{@code message-template}: the message's template;
 *   <li>{@code fallback}.
 * </ol>
 *
 * The last three are the default grouping, which the first two can embed with {@code {{ default
 * }}}. Stateless apart from the {@link MessageTemplates} it is given; safe to share between threads
 * when that is.
 */
public final class Fingerprinter {

    /** Frames kept per exception, those nearest the crash. */
    public static final int DEFAULT_MAX_FRAMES = 30;

    private final List<GroupingStrategy> overrides;
    private final List<GroupingStrategy> defaults;
    private final IssueSummary summary;

    public Fingerprinter(MessageTemplates templates, FingerprintRules rules) {
        this(templates, rules, DEFAULT_MAX_FRAMES);
    }

    public Fingerprinter(MessageTemplates templates, FingerprintRules rules, int maxFramesPerException) {
        FrameNormalizer normalizer = new FrameNormalizer();
        this.summary = new IssueSummary(normalizer);
        FingerprintVariables variables = new FingerprintVariables(normalizer, summary);
        this.overrides =
                List.of(new FingerprintRuleStrategy(rules, variables), new ClientFingerprintStrategy(variables));
        this.defaults = List.of(
                new ExceptionStackStrategy(normalizer, templates, maxFramesPerException),
                new MessageTemplateStrategy(templates),
                new FallbackStrategy());
    }

    public GroupingResult group(ErrorEvent event) {
        return group(GroupableEvent.from(event));
    }

    public GroupingResult group(GroupableEvent event) {
        Supplier<Contribution> defaultGrouping = memoized(() -> firstContribution(defaults, event, null)
                .orElseThrow(() -> new IllegalStateException("the fallback strategy always contributes")));
        Contribution decided =
                firstContribution(overrides, event, defaultGrouping).orElseGet(defaultGrouping);
        return new GroupingResult(
                GroupIds.of(event.projectId(), decided.strategy(), decided.components()),
                decided.strategy(),
                decided.components(),
                decided.template(),
                decided.title() != null ? decided.title() : summary.title(event),
                summary.culprit(event));
    }

    /** The pipeline's strategy names, in the order they are asked. */
    public List<String> strategyNames() {
        return Stream.concat(overrides.stream(), defaults.stream())
                .map(GroupingStrategy::name)
                .toList();
    }

    private static Optional<Contribution> firstContribution(
            List<GroupingStrategy> strategies, GroupableEvent event, Supplier<Contribution> defaultGrouping) {
        for (GroupingStrategy strategy : strategies) {
            Optional<Contribution> contribution = strategy.contribute(event, defaultGrouping);
            if (contribution.isPresent()) {
                return contribution;
            }
        }
        return Optional.empty();
    }

    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
