package io.faultline.classifier.streams;

import io.faultline.classifier.grouping.template.TemplateBucket;
import io.faultline.classifier.grouping.template.TemplateStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The task's template store, noting the merges the miner makes while one event is analysed, so
 * that the groups built on a merged-away template can be folded into the survivor's group ({@link
 * GroupStateProcessor}). The miner writes an alias exactly when it merges two clusters.
 */
final class MergeRecordingTemplateStore implements TemplateStore {

    private final TemplateStore store;
    private final List<String> mergedAway = new ArrayList<>();

    MergeRecordingTemplateStore(TemplateStore store) {
        this.store = store;
    }

    @Override
    public TemplateBucket bucket(String key) {
        return store.bucket(key);
    }

    @Override
    public void putBucket(String key, TemplateBucket bucket) {
        store.putBucket(key, bucket);
    }

    @Override
    public String alias(String id) {
        return store.alias(id);
    }

    @Override
    public void putAlias(String id, String survivorId) {
        store.putAlias(id, survivorId);
        mergedAway.add(id);
    }

    /**
     * The merges since the last call, each as the merged-away template id and the id it is known by
     * now (the end of its alias chain: a survivor may itself be merged away in the same step).
     */
    List<TemplateMerge> drain() {
        if (mergedAway.isEmpty()) {
            return List.of();
        }
        List<TemplateMerge> merges = new ArrayList<>(mergedAway.size());
        for (String id : mergedAway) {
            String current = id;
            String next;
            while ((next = store.alias(current)) != null) {
                current = next;
            }
            merges.add(new TemplateMerge(id, current));
        }
        mergedAway.clear();
        return merges;
    }

    /** A template id merged away, and the id that absorbed it. */
    record TemplateMerge(String mergedAway, String survivor) {}
}
