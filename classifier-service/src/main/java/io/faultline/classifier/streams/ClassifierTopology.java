package io.faultline.classifier.streams;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ErrorGroup;
import io.faultline.schemas.Signal;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.topics.Topics;
import java.util.Map;
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
 * events.raw ─► decode ─┬─► events.raw.dlq
 *                       └─► by-project ─► analyze (template-store) ─┬─► events.raw.dlq
 *                                                                   └─► by-group ─► group-state ─┬─► errors.classified
 *                                                                                                ├─► groups (compacted)
 *                                                                                                └─► signals
 * </pre>
 *
 * Events are partitioned by project for analysis because the template miner learns per project:
 * one task owns all of a project's templates, so template ids agree across tasks and restarts.
 * Group state is partitioned by group id. Every processor, store and repartition topic is named,
 * so their internal topic names are part of the contract and survive topology changes.
 */
public final class ClassifierTopology {

    public static final String GROUP_STORE = "group-state-store";
    public static final String TEMPLATE_STORE = "template-store";
    public static final String BY_PROJECT_REPARTITION = "events-by-project";
    public static final String BY_GROUP_REPARTITION = "events-by-group";

    private ClassifierTopology() {}

    @SuppressWarnings("unchecked")
    public static Topology build(EventAnalyzer.Factory analyzers) {
        Serde<String> keys = Serdes.String();
        AvroSerde<ErrorEvent> eventSerde = (AvroSerde<ErrorEvent>) Topics.EVENTS_RAW.valueSerde();
        Serde<ClassifiedError> classifiedSerde = Topics.ERRORS_CLASSIFIED.valueSerde();
        Serde<ErrorGroup> groupSerde = Topics.GROUPS.valueSerde();
        Serde<Signal> signalSerde = Topics.SIGNALS.valueSerde();
        Produced<String, byte[]> toDeadLetters = Produced.with(keys, Serdes.ByteArray());

        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(GROUP_STORE), keys, groupSerde));
        // the miner keeps what it learned in memory and writes through: no cache needed
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TEMPLATE_STORE), keys, Serdes.ByteArray())
                        .withLoggingEnabled(Map.of())
                        .withCachingDisabled());

        var decoded = builder.stream(
                        Topics.EVENTS_RAW.name(),
                        Consumed.with(keys, Serdes.ByteArray()).withName("raw-events-source"))
                .process(() -> new DecodeProcessor(eventSerde), Named.as("decode"))
                .split(Named.as("decoded-"))
                .branch((key, routed) -> routed.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("ok"));
        decoded.get("decoded-rejected")
                .mapValues(Routed::rejected, Named.as("undecodable-bytes"))
                .to(Topics.EVENTS_RAW_DLQ.name(), toDeadLetters.withName("undecodable-dlq-sink"));

        var analyzed = decoded.get("decoded-ok")
                .mapValues(Routed::value, Named.as("decoded-events"))
                .repartition(Repartitioned.with(keys, eventSerde).withName(BY_PROJECT_REPARTITION))
                .process(
                        () -> new AnalyzeProcessor(analyzers, TEMPLATE_STORE, eventSerde),
                        Named.as("analyze"),
                        TEMPLATE_STORE)
                .split(Named.as("analyzed-"))
                .branch((key, routed) -> routed.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("ok"));
        analyzed.get("analyzed-rejected")
                .mapValues(Routed::rejected, Named.as("unanalysable-bytes"))
                .to(Topics.EVENTS_RAW_DLQ.name(), toDeadLetters.withName("unanalysable-dlq-sink"));

        KStream<String, GroupUpdate> updates = analyzed.get("analyzed-ok")
                .mapValues(Routed::value, Named.as("classified-values"))
                .repartition(Repartitioned.with(keys, classifiedSerde).withName(BY_GROUP_REPARTITION))
                .processValues(() -> new GroupStateProcessor(GROUP_STORE), Named.as("group-state"), GROUP_STORE);

        updates.mapValues(GroupUpdate::classified, Named.as("classified-events"))
                .to(
                        Topics.ERRORS_CLASSIFIED.name(),
                        Produced.with(keys, classifiedSerde).withName("classified-sink"));
        updates.mapValues(GroupUpdate::group, Named.as("group-states"))
                .to(Topics.GROUPS.name(), Produced.with(keys, groupSerde).withName("groups-sink"));
        updates.filter((key, update) -> update.signal() != null, Named.as("with-signal"))
                .mapValues(GroupUpdate::signal, Named.as("signals"))
                .to(Topics.SIGNALS.name(), Produced.with(keys, signalSerde).withName("signals-sink"));

        return builder.build();
    }
}
