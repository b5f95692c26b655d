package io.faultline.resolver.health;

import io.faultline.schemas.health.ConsumerGroupsJoined;
import io.faultline.schemas.health.ConsumerReadinessCheck;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.Readiness;

/** Ready once every consumer of every Kafka channel in the configuration has joined its group. */
@Readiness
@Singleton
@Identifier(ConsumerReadinessCheck.NAME)
public class ConsumerReadiness extends ConsumerReadinessCheck {

    @Inject
    public ConsumerReadiness(Config config) {
        super(ConsumerGroupsJoined.expectedConsumers(
                config.getPropertyNames(), name -> config.getOptionalValue(name, String.class)));
    }
}
