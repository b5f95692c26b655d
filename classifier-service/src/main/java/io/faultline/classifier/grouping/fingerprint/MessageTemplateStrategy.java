package io.faultline.classifier.grouping.fingerprint;

import static io.faultline.classifier.grouping.fingerprint.Contribution.component;

import io.faultline.classifier.grouping.MessageTemplates;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Groups a message-only event by the template it was printed from. The logentry's own template
 * ({@code "user %s not found"}) is preferred over the formatted message because it is exact; the
 * formatted message goes through template mining, which masks what varies. The component is the
 * template's id, which stays stable while the miner refines the template's text.
 */
public final class MessageTemplateStrategy implements GroupingStrategy {

    public static final String NAME = "message-template";

    private final MessageTemplates templates;

    public MessageTemplateStrategy(MessageTemplates templates) {
        this.templates = templates;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Contribution> contribute(GroupableEvent event, Supplier<Contribution> defaultGrouping) {
        String source = !isBlank(event.logTemplate()) ? event.logTemplate() : event.message();
        if (isBlank(source)) {
            return Optional.empty();
        }
        MessageTemplates.Template template = templates.templateOf(event.projectId(), source.strip());
        return Optional.of(new Contribution(NAME, List.of(component("template", template.id())), template.text()));
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
