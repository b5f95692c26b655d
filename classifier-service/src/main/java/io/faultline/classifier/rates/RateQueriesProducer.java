package io.faultline.classifier.rates;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

@ApplicationScoped
public class RateQueriesProducer {

    /**
     * Stores are looked up per query: a handle taken before a rebalance goes stale after it, and a
     * lookup during one throws {@code InvalidStateStoreException}, which the resource turns into 503.
     */
    @Produces
    @ApplicationScoped
    public RateQueries rateQueries(KafkaStreams streams) {
        return new RateQueries(
                name -> streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.windowStore())),
                Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    public RateOwners rateOwners(
            KafkaStreams streams,
            @ConfigProperty(name = "kafka-streams.application.server") java.util.Optional<String> address) {
        return new StreamsRateOwners(streams, StreamsRateOwners.parse(address.orElse(null)));
    }
}
