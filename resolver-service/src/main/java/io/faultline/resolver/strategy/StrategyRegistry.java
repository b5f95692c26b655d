package io.faultline.resolver.strategy;

import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every {@link RemediationStrategy} bean, by the name runbooks use. */
@ApplicationScoped
public class StrategyRegistry {

    private final Map<String, RemediationStrategy> byName;

    public StrategyRegistry(@All List<RemediationStrategy> strategies) {
        this.byName = strategies.stream()
                .collect(Collectors.toUnmodifiableMap(RemediationStrategy::name, Function.identity()));
    }

    public Optional<RemediationStrategy> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
