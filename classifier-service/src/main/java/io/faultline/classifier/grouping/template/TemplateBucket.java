package io.faultline.classifier.grouping.template;

import java.util.ArrayList;
import java.util.List;

/**
 * The clusters that compete for a message: same scope, same masked token count. The unit of persistence (see
 * {@link TemplateCodec}); its key is {@code scope + '\u001f' + tokenCount}.
 */
public final class TemplateBucket {

    final List<TemplateCluster> clusters = new ArrayList<>();

    /** Number of live templates in this bucket. */
    public int size() {
        return clusters.size();
    }
}
