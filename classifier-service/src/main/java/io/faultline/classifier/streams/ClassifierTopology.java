package io.faultline.classifier.streams;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ErrorGroup;
import io.faultline.schemas.Signal;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.topics.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The classifier's stream topology, built by a plain function so tests drive it with
 * {@code TopologyTestDriver}:
 *
 * <pre>
 * events.raw ─► decode-and-analyze ─┬─► events.raw.dlq            (undecodable / unanalysable)
 *                                   └─► by-group repartition ─► group-state ─┬─► errors.classified
 *                                                                            ├─► groups (compacted)
 *                                                                            └─► signals (new, regression)
 * </pre>
 *
 * Every processor, store and repartition topic is named, so their internal topic names are part
 * of the contract and survive topology changes.
 */
public final class ClassifierTopology {

    public static final String GROUP_STORE = "group-state-store";
    public static final String BY_GROUP_REPARTITION = "events-by-group";

    private ClassifierTopology() {}

    public static Topology build(EventAnalyzer analyzer) {
        Serde<String> keys = Serdes.String();
        AvroSerde<ErrorEvent> eventSerde = (AvroSerde<ErrorEvent>) Topics.EVENTS_RAW.valueSerde();
        Serde<ClassifiedError> classifiedSerde = Topics.ERRORS_CLASSIFIED.valueSerde();
        Serde<ErrorGroup> groupSerde = Topics.GROUPS.valueSerde();
        Serde<Signal> signalSerde = Topics.SIGNALS.valueSerde();

        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(GROUP_STORE), keys, groupSerde));

        KStream<String, StageResult> analyzed = builder.stream(
                        Topics.EVENTS_RAW.name(),
                        Consumed.with(keys, Serdes.ByteArray()).withName("raw-events-source"))
                .process(() -> new DecodeAndAnalyzeProcessor(eventSerde, analyzer), Named.as("decode-and-analyze"));

        var branches = analyzed.split(Named.as("route-"))
                .branch((key, result) -> result.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("analyzed"));

        branches.get("route-rejected")
                .mapValues(StageResult::rejected, Named.as("rejected-bytes"))
                .to(Topics.EVENTS_RAW_DLQ.name(), Produced.with(keys, Serdes.ByteArray()).withName("raw-events-dlq-sink"));

        KStream<String, GroupUpdate> updates = branches.get("route-analyzed")
                .mapValues(StageResult::classified, Named.as("analyzed-events"))
                .repartition(Repartitioned.with(keys, classifiedSerde).withName(BY_GROUP_REPARTITION))
                .processValues(() -> new GroupStateProcessor(GROUP_STORE), Named.as("group-state"), GROUP_STORE);

        updates.mapValues(GroupUpdate::classified, Named.as("classified-events"))
                .to(Topics.ERRORS_CLASSIFIED.name(), Produced.with(keys, classifiedSerde).withName("classified-sink"));
        updates.mapValues(GroupUpdate::group, Named.as("group-states"))
                .to(Topics.GROUPS.name(), Produced.with(keys, groupSerde).withName("groups-sink"));
        updates.filter((key, update) -> update.signal() != null, Named.as("with-signal"))
                .mapValues(GroupUpdate::signal, Named.as("signals"))
                .to(Topics.SIGNALS.name(), Produced.with(keys, signalSerde).withName("signals-sink"));

        return builder.build();
    }
}
