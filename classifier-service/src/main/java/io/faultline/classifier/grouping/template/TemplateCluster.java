package io.faultline.classifier.grouping.template;

import java.util.Arrays;

/** One learned template: a stable id, the token sequence with {@code <*>} for variables, and how often it was seen. */
final class TemplateCluster {

    final String id;
    final String[] tokens;
    long size;

    TemplateCluster(String id, String[] tokens, long size) {
        this.id = id;
        this.tokens = tokens;
        this.size = size;
    }

    String text() {
        return String.join(" ", tokens);
    }

    @Override
    public String toString() {
        return id + " " + size + " " + Arrays.toString(tokens);
    }
}
