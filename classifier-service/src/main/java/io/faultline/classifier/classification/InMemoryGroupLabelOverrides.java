package io.faultline.classifier.classification;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Overrides held in memory only: they vanish on restart, so production backs the interface with a store. */
public final class InMemoryGroupLabelOverrides implements GroupLabelOverrides {

    private final ConcurrentMap<String, LabelOverride> byGroup = new ConcurrentHashMap<>();

    @Override
    public Optional<LabelOverride> forGroup(String groupId) {
        return groupId == null ? Optional.empty() : Optional.ofNullable(byGroup.get(groupId));
    }

    @Override
    public void put(String groupId, LabelOverride override) {
        Objects.requireNonNull(groupId, "groupId");
        if (override == null || override.isEmpty()) {
            byGroup.remove(groupId);
        } else {
            byGroup.put(groupId, override);
        }
    }

    @Override
    public void remove(String groupId) {
        byGroup.remove(groupId);
    }
}
