package io.faultline.classifier.grouping.template;

import java.util.ArrayList;
import java.util.List;

/** The clusters that can compete for a message: same scope, same token count. The unit of persistence. */
final class TemplateBucket {

    final List<TemplateCluster> clusters = new ArrayList<>();
}
