package io.faultline.classifier.rates;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;

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
}
