package io.faultline.schemas.kafka;

import io.smallrye.reactive.messaging.ClientCustomizer;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.Config;

/**
 * Gives each consumer of a channel with {@code concurrency} a static member name of its own.
 *
 * <p>The connector runs such a channel as copies named {@code CHANNEL$1}, {@code CHANNEL$2}, ...,
 * each with the channel's configuration, so each would join the group under the one
 * {@code group.instance.id} the instance was given, and the broker fences all but the last to join.
 * Each copy joins as {@code NAME-1}, {@code NAME-2}, ... instead: still stable across the process's
 * restarts, as a static member's name must be, and unique within the group.
 *
 * <p>Every service whose channels join a group as static members ({@code group.instance.id}) registers
 * it as an {@code @ApplicationScoped} subclass (this module has no bean index), so no channel of
 * theirs can be fenced by a later {@code concurrency} setting.
 */
public abstract class StaticMemberPerConsumer implements ClientCustomizer<Map<String, Object>> {

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        Object name = config.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        int copy = channel.lastIndexOf('$');
        if (name != null && copy >= 0 && copy < channel.length() - 1) {
            config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, name + "-" + channel.substring(copy + 1));
        }
        return config;
    }
}
