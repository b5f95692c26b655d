package io.faultline.classifier.grouping.fingerprint;

import static io.faultline.classifier.grouping.fingerprint.Contribution.component;

import io.faultline.classifier.grouping.MessageTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Groups by the exception chain: every exception's type, root cause first, each followed by its
 * frames as {@code module.function} (never line numbers). Like Sentry's chained-exception strategy,
 * each exception of the chain contributes its own frames, so "the same wrapper around a different
 * root cause" stays apart.
 *
 * <p>Frame choice: only in-app frames when the SDK marked any frame of the chain in-app (library
 * frames change with dependency upgrades, not with the bug); all frames otherwise. Consecutive
 * identical frames are collapsed so recursion depth does not split a group, and at most {@code
 * maxFrames} frames per exception are kept, those nearest the crash: callers far up the stack vary
 * with the entry point, the crash site does not.
 *
 * <p>An exception without any frame contributes the template of its value instead (strategy
 * {@code exception-type} when no exception has frames), as Sentry does for stackless exceptions.
 * The type and value of a synthetic exception (one the SDK made up to carry a stack) are ignored,
 * as in Sentry: they are the same for every error that went through that SDK path.
 */
public final class ExceptionStackStrategy implements GroupingStrategy {

    public static final String WITH_FRAMES = "exception-stack";
    public static final String WITHOUT_FRAMES = "exception-type";

    private final FrameNormalizer normalizer;
    private final MessageTemplates templates;
    private final int maxFrames;

    public ExceptionStackStrategy(FrameNormalizer normalizer, MessageTemplates templates, int maxFrames) {
        if (maxFrames < 1) {
            throw new IllegalArgumentException("maxFrames must be at least 1, was " + maxFrames);
        }
        this.normalizer = normalizer;
        this.templates = templates;
        this.maxFrames = maxFrames;
    }

    @Override
    public String name() {
        return "exception";
    }

    @Override
    public Optional<Contribution> contribute(GroupableEvent event, Supplier<Contribution> defaultGrouping) {
        List<GroupableEvent.ChainedException> chain = event.exceptions().stream()
                .filter(e ->
                        !isBlank(e.type()) || !isBlank(e.value()) || !e.frames().isEmpty())
                .toList();
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        boolean inAppOnly = chain.stream().flatMap(e -> e.frames().stream()).anyMatch(GroupableEvent.Frame::inApp);
        List<String> components = new ArrayList<>();
        String template = null;
        boolean anyFrame = false;
        for (GroupableEvent.ChainedException exception : chain) {
            if (!exception.synthetic()) {
                String type = normalizer.type(exception.qualifiedType());
                components.add(component("type", type == null ? "<unknown>" : type));
            }
            List<String> frames = frameNames(exception.frames(), inAppOnly);
            frames.forEach(frame -> components.add(component("frame", frame)));
            anyFrame |= !frames.isEmpty();
            if (exception.frames().isEmpty() && !exception.synthetic() && !isBlank(exception.value())) {
                MessageTemplates.Template valueTemplate = templates.templateOf(event.projectId(), exception.value());
                components.add(component("value-template", valueTemplate.id()));
                template = valueTemplate.text();
            }
        }
        if (components.isEmpty()) {
            // only synthetic exceptions without frames: nothing here tells errors apart
            return Optional.empty();
        }
        return Optional.of(new Contribution(anyFrame ? WITH_FRAMES : WITHOUT_FRAMES, components, template));
    }

    private List<String> frameNames(List<GroupableEvent.Frame> frames, boolean inAppOnly) {
        List<String> names = new ArrayList<>();
        for (GroupableEvent.Frame frame : frames) {
            if (inAppOnly && !frame.inApp()) {
                continue;
            }
            String name = normalizer.frameName(frame);
            boolean recursion = !names.isEmpty() && names.get(names.size() - 1).equals(name);
            if (name != null && !recursion) {
                names.add(name);
            }
        }
        return names.size() <= maxFrames ? names : List.copyOf(names.subList(names.size() - maxFrames, names.size()));
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
