package io.faultline.classifier.grouping.template;

/**
 * One learned template: a stable id, the token sequence with {@code <*>} for variables, and how many messages joined
 * it. Mutable, owned by one {@link TemplateMiner}; {@link #mergedInto} points at the survivor once merged away.
 */
final class TemplateCluster {

    final String id;
    final String[] tokens;
    long size;
    TemplateCluster mergedInto;
    private String text;

    TemplateCluster(String id, String[] tokens, long size) {
        this.id = id;
        this.tokens = tokens;
        this.size = size;
    }

    String text() {
        if (text == null) text = String.join(" ", tokens);
        return text;
    }

    void makeVariable(int position) {
        tokens[position] = MessageScanner.WILDCARD;
        text = null;
    }

    TemplateCluster survivor() {
        TemplateCluster c = this;
        while (c.mergedInto != null) c = c.mergedInto;
        return c;
    }
}
