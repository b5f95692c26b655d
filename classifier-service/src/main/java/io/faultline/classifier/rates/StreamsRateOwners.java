package io.faultline.classifier.rates;

import io.faultline.classifier.streams.ClassifierTopology;
import io.faultline.classifier.streams.ProjectPartitioner;
import io.faultline.schemas.ErrorGroup;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@link RateOwners} from the running streams' metadata. Each instance advertises its HTTP
 * address as {@code application.server} ({@code FAULTLINE_CLASSIFIER_ADDRESS}); without one (a
 * single instance) every key is this instance's.
 */
public final class StreamsRateOwners implements RateOwners {

    private final KafkaStreams streams;
    private final Optional<HostInfo> self;

    public StreamsRateOwners(KafkaStreams streams, Optional<HostInfo> self) {
        this.streams = streams;
        this.self = self;
    }

    @Override
    public boolean holdsGroup(String groupId) {
        ReadOnlyKeyValueStore<String, ErrorGroup> groups = streams.store(StoreQueryParameters.fromNameAndType(
                ClassifierTopology.GROUP_STORE, QueryableStoreTypes.keyValueStore()));
        return groups.get(groupId) != null;
    }

    @Override
    public Optional<HostInfo> ownerOfScope(String scope) {
        if (self.isEmpty()) {
            return Optional.empty();
        }
        // the stores follow the project's partition, as the events were routed
        KeyQueryMetadata owner = streams.queryMetadataForKey(
                RateDimension.PROJECT.storeName(RateWindow.values()[0]), scope, new ProjectPartitioner<>());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw new InvalidStateStoreException("the owner of " + scope + " is not known yet (rebalancing)");
        }
        HostInfo active = owner.activeHost();
        return active.equals(self.get()) ? Optional.empty() : Optional.of(active);
    }

    @Override
    public List<HostInfo> others() {
        if (self.isEmpty()) {
            return List.of();
        }
        return streams.metadataForAllStreamsClients().stream()
                .map(StreamsMetadata::hostInfo)
                .filter(h -> h.port() > 0 && !h.equals(self.get()))
                .distinct()
                .toList();
    }

    /** {@code host:port} as Kafka Streams' {@code application.server} takes it; empty when unset. */
    public static Optional<HostInfo> parse(String address) {
        if (address == null || address.isBlank()) {
            return Optional.empty();
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("application.server must be host:port, not '" + address + "'");
        }
        return Optional.of(new HostInfo(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))));
    }
}
