package io.faultline.classifier.streams;

import io.faultline.classifier.classification.GroupLabelOverrides;
import io.faultline.classifier.classification.InMemoryGroupLabelOverrides;
import io.faultline.classifier.detection.BurnRateRule;
import io.faultline.classifier.detection.DetectionSettings;
import io.faultline.classifier.rates.RateDimension;
import io.faultline.classifier.rates.RateWindow;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ErrorGroup;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.Signal;
import io.faultline.schemas.TrafficSample;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
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
 *                       ├─► (on its project's partition) ──────────┐
 *                       └─► (elsewhere) ─► events-by-project ───────┴─► analyze (template-store) ─┬─► events.raw.dlq
 *                                                                                                 └─► group-state ─┬─► errors.classified
 *                                                                                                                  ├─► group-publish (groups-due-store)
 *                                                                                                                  │     ─► groups (compacted), per round
 *                                                                                                                  ├─► signals
 *                                                                                                                  └─► event-time ─┐
 * resolutions ─► decode-resolutions ─► resolutions-by-project ─► group-status (group-state-store,
 *                       group-labels-store, project-releases-store, group-in-release-store) ─┬─► groups
 *                                                                                             └─► signals
 *   ┌──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘
 *   ├─► spike (spike-hourly-counts-store, spike-fired-store) ─► signals
 *   ├─► error-rates ({group,project,workflow}-rate-{1m,5m,1h}-store)
 *   └─► slo-errors (by scope) ─┐
 * traffic ─► decode-traffic ─┬─► traffic.dlq
 *                            └─► traffic-by-scope ─┴─► slo-burn (slo-buckets-store, ...) ─► signals
 * </pre>
 *
 * Before {@code analyze}, {@code drop-resent} drops an event this task saw already (its project and
 * event id among the task's recent ones, {@link ResentEventFilter}): an event sent twice happened once.
 *
 * <p>Everything from {@code analyze} on runs in one sub-topology, in the task that owns the event's
 * project: the template miner learns per project (one task owns all of a project's
 * templates, so template ids agree across tasks and restarts), and group ids, group state, rates,
 * spikes and SLO scopes all belong to one project too. Traffic is repartitioned onto the same
 * partitions ({@link ProjectPartitioner}), so the SLO detector sees a scope's errors and requests
 * in one task. No repartition hop for an event that ingest published, because ingest keys raw
 * events by project and Kafka's default partitioner then puts them on the partition this task
 * reads; a hop behind the exactly-once commit costs a produce, a fetch, transaction markers and a
 * commit interval of latency per event. An event on any other partition (another producer, a
 * topic with another partition count) still takes the {@code events-by-project} hop, so the
 * miner's per-project ownership never depends on how the topic was written.
 *
 * <p>What an event costs on the way out is kept down too: the classified record is written around
 * the bytes the event arrived as ({@link ClassifiedErrorSerializer}), the decode stage reads only
 * the project id from them, and a changed group goes out once per publishing round ({@link
 * GroupPublishProcessor}) rather than once per event.
 *
 * <p>The detectors work in event time (the error's own timestamp, a traffic sample's window end):
 * every window and bucket has the same grace period, after which a late record no longer counts.
 * Stores are cached ({@code statestore.cache.max.bytes}): a key updated many times between two
 * commits writes one changelog record. The detectors' stores are small (a count per key and
 * window) and live in memory, restored from their changelogs on start: a RocksDB instance per
 * store, task and window segment cost more CPU and memory than the counts they hold. Every processor, store and repartition topic is named, so
 * their internal topic names are part of the contract and survive topology changes.
 */
public final class ClassifierTopology {

    public static final String GROUP_STORE = "group-state-store";
    /** Operators' relabels per group id (severity|category|impact|workflow). */
    public static final String GROUP_LABELS_STORE = "group-labels-store";
    /** Each project's releases in the order it first showed them ({@link ReleaseOrder}). */
    public static final String RELEASES_STORE = "project-releases-store";
    /** Groups resolved in the next release, by project then group ({@link ReleaseResolutions}). */
    public static final String IN_RELEASE_STORE = "group-in-release-store";
    /** Groups changed since the last publishing round ({@link GroupPublishProcessor}). */
    public static final String GROUPS_DUE_STORE = "groups-due-store";

    public static final String TEMPLATE_STORE = "template-store";
    public static final String BY_PROJECT_REPARTITION = "events-by-project";
    public static final String RESOLUTIONS_BY_PROJECT_REPARTITION = "resolutions-by-project";
    public static final String TRAFFIC_BY_SCOPE_REPARTITION = "traffic-by-scope";
    public static final String SPIKE_COUNTS_STORE = "spike-hourly-counts-store";
    public static final String SPIKE_FIRED_STORE = "spike-fired-store";
    public static final String SLO_BUCKETS_STORE = "slo-buckets-store";
    public static final String SLO_LEVEL_STORE = "slo-alert-level-store";
    public static final String TRAFFIC_SAMPLES_STORE = "traffic-sample-ids-store";

    private ClassifierTopology() {}

    public static Topology build(EventAnalyzer.Factory analyzers) {
        return build(analyzers, DetectionSettings.defaults());
    }

    public static Topology build(EventAnalyzer.Factory analyzers, DetectionSettings detection) {
        return build(analyzers, detection, new InMemoryGroupLabelOverrides());
    }

    /**
     * @param overrides the relabels the analyzers' classifier reads; the topology keeps them in
     *     {@link #GROUP_LABELS_STORE} and fills them back in on start
     */
    @SuppressWarnings("unchecked")
    public static Topology build(
            EventAnalyzer.Factory analyzers, DetectionSettings detection, GroupLabelOverrides overrides) {
        Serde<String> keys = Serdes.String();
        AvroSerde<ErrorEvent> eventSerde = (AvroSerde<ErrorEvent>) Topics.EVENTS_RAW.valueSerde();
        Serde<AnalyzedEvent> classifiedSerde = Serdes.serdeFrom(new ClassifiedErrorSerializer(), (topic, bytes) -> {
            throw new UnsupportedOperationException("classified records are only written here");
        });
        Serde<ErrorGroup> groupSerde = Topics.GROUPS.valueSerde();
        Serde<Signal> signalSerde = Topics.SIGNALS.valueSerde();
        Produced<String, byte[]> toDeadLetters = Produced.with(keys, Serdes.ByteArray());

        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(GROUP_STORE), keys, groupSerde)
                .withCachingEnabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(GROUP_LABELS_STORE), keys, Serdes.String()));
        // written when a project shows a release for the first time: the events stage keeps a copy in memory
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RELEASES_STORE), keys, Serdes.Long()));
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IN_RELEASE_STORE), keys, Serdes.String()));
        // which changed groups the next publishing round sends out (a handful per round)
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(GROUPS_DUE_STORE), keys, Serdes.Long())
                        .withCachingEnabled());
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

        // an event already on its project's partition (ingest keys them by project) goes straight
        // on; only one that is not takes the repartition hop
        var placed = decoded.get("decoded-ok")
                .mapValues(Routed::value, Named.as("decoded-events"))
                .split(Named.as("placed-"))
                .branch((key, event) -> event.onProjectPartition(), Branched.as("in-place"))
                .defaultBranch(Branched.as("elsewhere"));
        KStream<String, byte[]> moved = placed.get("placed-elsewhere")
                .mapValues(PlacedEvent::bytes, Named.as("misplaced-events"))
                .repartition(byProject(BY_PROJECT_REPARTITION, Serdes.ByteArray()));
        var analyzed = placed.get("placed-in-place")
                .mapValues(PlacedEvent::bytes, Named.as("in-place-events"))
                .merge(moved, Named.as("events-by-project-merged"))
                // an event sent again with its id (an SDK that lost the answer) happened once
                .processValues(ResentEventFilter::new, Named.as("drop-resent"))
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

        // keyed by group id from here on, but still in the project's task: no repartition
        KStream<String, GroupUpdate> updates = analyzed.get("analyzed-ok")
                .mapValues(Routed::value, Named.as("classified-values"))
                .processValues(
                        () -> new GroupStateProcessor(GROUP_STORE, RELEASES_STORE, IN_RELEASE_STORE),
                        Named.as("group-state"),
                        GROUP_STORE,
                        RELEASES_STORE,
                        IN_RELEASE_STORE);

        KStream<String, ClassifiedError> classifiedEvents =
                updates.mapValues(GroupUpdate::classified, Named.as("classified-events"));
        // written around the bytes the event arrived as: no second encode of the event
        updates.mapValues(GroupUpdate::analyzed, Named.as("analyzed-events"))
                .to(
                        Topics.ERRORS_CLASSIFIED.name(),
                        Produced.with(keys, classifiedSerde).withName("classified-sink"));
        updates.process(
                        () -> new GroupPublishProcessor(GROUP_STORE, GROUPS_DUE_STORE),
                        Named.as("group-publish"),
                        GROUP_STORE,
                        GROUPS_DUE_STORE)
                .to(Topics.GROUPS.name(), Produced.with(keys, groupSerde).withName("groups-sink"));
        // keyed by the group a signal is about, which a release_shipped's need not be the event's:
        // so that a group's regression reaches the consumers after its fix shipped
        updates.flatMap(
                        (groupId, u) -> u.signals().isEmpty()
                                ? List.<KeyValue<String, Signal>>of()
                                : u.signals().stream()
                                        .map(s -> KeyValue.pair(s.getGroupId() != null ? s.getGroupId() : groupId, s))
                                        .toList(),
                        Named.as("signals"))
                .to(Topics.SIGNALS.name(), Produced.with(keys, signalSerde).withName("signals-sink"));

        // resolutions and operators' actions mark groups resolved / ignored / reopened: the audit
        // trail (keyed by group id) is re-keyed by project onto the partition whose task holds the
        // group's state; undecodable entries are dropped there (the impact-service dead-letters them)
        builder.stream(
                        Topics.RESOLUTIONS.name(),
                        Consumed.with(keys, Serdes.ByteArray()).withName("resolutions-source"))
                .process(
                        () -> new ResolutionDecodeProcessor(
                                (AvroSerde<ResolutionEvent>) Topics.RESOLUTIONS.valueSerde()),
                        Named.as("decode-resolutions"))
                .repartition(byProject(RESOLUTIONS_BY_PROJECT_REPARTITION, Topics.RESOLUTIONS.valueSerde()))
                .process(
                        () -> new GroupStatusProcessor(
                                GROUP_STORE, GROUP_LABELS_STORE, RELEASES_STORE, IN_RELEASE_STORE, overrides),
                        Named.as("group-status"),
                        GROUP_STORE,
                        GROUP_LABELS_STORE,
                        RELEASES_STORE,
                        IN_RELEASE_STORE)
                // mostly groups; a release_shipped signal when a resolve in the next release finds it out
                .split(Named.as("group-status-"))
                .branch(
                        (groupId, out) -> out instanceof Signal,
                        Branched.withConsumer(
                                shipped -> shipped.mapValues(
                                                out -> (Signal) out, Named.as("group-status-signal-values"))
                                        .to(
                                                Topics.SIGNALS.name(),
                                                Produced.with(keys, signalSerde).withName("group-status-signals-sink")),
                                "signals"))
                .defaultBranch(Branched.withConsumer(
                        changed -> changed.mapValues(out -> (ErrorGroup) out, Named.as("group-status-group-values"))
                                .to(
                                        Topics.GROUPS.name(),
                                        Produced.with(keys, groupSerde).withName("group-status-sink")),
                        "groups"));

        addDetectors(builder, classifiedEvents, detection);
        return builder.build();
    }

    /** Rates, spikes and SLO burn over the classified stream (keyed by group id) and traffic. */
    @SuppressWarnings("unchecked")
    private static void addDetectors(
            StreamsBuilder builder, KStream<String, ClassifiedError> classifiedEvents, DetectionSettings detection) {
        Serde<String> keys = Serdes.String();
        Serde<Signal> signalSerde = Topics.SIGNALS.valueSerde();
        AvroSerde<TrafficSample> trafficSerde = (AvroSerde<TrafficSample>) Topics.TRAFFIC.valueSerde();
        Duration grace = detection.grace();

        KStream<String, ClassifiedError> errors =
                classifiedEvents.processValues(EventTimeProcessor::new, Named.as("event-time"));

        builder.addStateStore(Stores.windowStoreBuilder(
                        Stores.inMemoryWindowStore(
                                SPIKE_COUNTS_STORE, SpikeProcessor.RETENTION.plus(grace), SpikeProcessor.HOUR, false),
                        keys,
                        Serdes.Long())
                .withCachingEnabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SPIKE_FIRED_STORE), keys, Serdes.Long())
                        .withCachingEnabled());
        errors.processValues(
                        () -> new SpikeProcessor(SPIKE_COUNTS_STORE, SPIKE_FIRED_STORE, detection),
                        Named.as("spike"),
                        SPIKE_COUNTS_STORE,
                        SPIKE_FIRED_STORE)
                .to(Topics.SIGNALS.name(), Produced.with(keys, signalSerde).withName("spike-signals-sink"));

        for (RateDimension dimension : RateDimension.values()) {
            for (RateWindow window : RateWindow.values()) {
                builder.addStateStore(Stores.windowStoreBuilder(
                                Stores.inMemoryWindowStore(
                                        dimension.storeName(window), window.retention(grace), window.size(), false),
                                keys,
                                Serdes.Long())
                        .withCachingEnabled());
            }
        }
        errors.processValues(
                () -> new ErrorRateProcessor(grace.toMillis()),
                Named.as("error-rates"),
                ErrorRateProcessor.storeNames());

        var traffic = builder.stream(
                        Topics.TRAFFIC.name(),
                        Consumed.with(keys, Serdes.ByteArray()).withName("traffic-source"))
                .process(() -> new TrafficDecodeProcessor(trafficSerde), Named.as("decode-traffic"))
                .split(Named.as("traffic-"))
                .branch((key, routed) -> routed.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("ok"));
        traffic.get("traffic-rejected")
                .mapValues(Routed::rejected, Named.as("undecodable-traffic-bytes"))
                .to(
                        Topics.TRAFFIC_DLQ.name(),
                        Produced.with(keys, Serdes.ByteArray()).withName("traffic-dlq-sink"));
        KStream<String, TrafficSample> samples = traffic.get("traffic-ok")
                .mapValues(Routed::value, Named.as("traffic-samples"))
                .repartition(byProject(TRAFFIC_BY_SCOPE_REPARTITION, trafficSerde));

        Duration bucketRetention =
                BurnRateRule.HORIZON.plus(BurnRateRule.BUCKET).plus(grace);
        builder.addStateStore(Stores.windowStoreBuilder(
                        Stores.inMemoryWindowStore(SLO_BUCKETS_STORE, bucketRetention, BurnRateRule.BUCKET, false),
                        keys,
                        BucketCounts.serde())
                .withCachingEnabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SLO_LEVEL_STORE), keys, Serdes.Long()));
        // a resent sample is recognised for as long as its buckets can still change
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.inMemoryWindowStore(TRAFFIC_SAMPLES_STORE, bucketRetention, Duration.ofMillis(1), false),
                keys,
                Serdes.Long()));
        // an error counts for its project and, when it has one, for its workflow
        errors.flatMap((groupId, c) -> projectAndScope(scopeOf(c), SloInput.error()), Named.as("slo-errors"))
                // and so does a sample: a project's requests are all its samples, with a workflow or not
                .merge(
                        samples.flatMap(
                                (scope, sample) -> projectAndScope(scope, SloInput.traffic(sample)),
                                Named.as("scope-traffic")),
                        Named.as("slo-inputs"))
                .process(
                        () -> new SloBurnProcessor(
                                SLO_BUCKETS_STORE, SLO_LEVEL_STORE, TRAFFIC_SAMPLES_STORE, detection),
                        Named.as("slo-burn"),
                        SLO_BUCKETS_STORE,
                        SLO_LEVEL_STORE,
                        TRAFFIC_SAMPLES_STORE)
                .to(Topics.SIGNALS.name(), Produced.with(keys, signalSerde).withName("slo-burn-signals-sink"));
    }

    /** The value keyed by its project, and also by its workflow scope when it has one. */
    private static <V> List<KeyValue<String, V>> projectAndScope(String scope, V value) {
        String project = Scopes.projectId(scope);
        return scope.equals(project)
                ? List.of(KeyValue.pair(project, value))
                : List.of(KeyValue.pair(project, value), KeyValue.pair(scope, value));
    }

    private static String scopeOf(ClassifiedError c) {
        return Scopes.of(c.getEvent().getProjectId(), c.getClassification().getWorkflow());
    }

    /**
     * Events (keyed by project) and traffic (keyed by scope) meet in one sub-topology, so their
     * repartition topics must agree on partition count and on the partition of each project.
     */
    private static <V> Repartitioned<String, V> byProject(String name, Serde<V> values) {
        return Repartitioned.with(Serdes.String(), values)
                .withName(name)
                .withNumberOfPartitions(Topics.PARTITIONS)
                .withStreamPartitioner(new ProjectPartitioner<>());
    }
}
