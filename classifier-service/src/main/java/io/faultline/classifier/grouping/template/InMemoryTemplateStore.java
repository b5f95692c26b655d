package io.faultline.classifier.grouping.template;

import java.util.HashMap;
import java.util.Map;

/** A {@link TemplateStore} on plain hash maps: for the CLI, tests and single-process use. */
public final class InMemoryTemplateStore implements TemplateStore {

    private final Map<String, TemplateBucket> buckets = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();

    @Override
    public TemplateBucket bucket(String key) {
        return buckets.get(key);
    }

    @Override
    public void putBucket(String key, TemplateBucket bucket) {
        buckets.put(key, bucket);
    }

    @Override
    public String alias(String id) {
        return aliases.get(id);
    }

    @Override
    public void putAlias(String id, String survivorId) {
        aliases.put(id, survivorId);
    }
}
