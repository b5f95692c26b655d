package io.faultline.classifier.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.classifier.classification.BusinessImpact;
import io.faultline.classifier.classification.ClassificationRules;
import io.faultline.classifier.classification.EventClassifier;
import io.faultline.classifier.classification.GroupLabelOverrides;
import io.faultline.classifier.classification.InMemoryGroupLabelOverrides;
import io.faultline.classifier.classification.LabelOverride;
import io.faultline.classifier.classification.Severity;
import io.faultline.classifier.detection.DetectionSettings;
import io.faultline.classifier.grouping.GroupingAndRulesAnalyzer;
import io.faultline.classifier.grouping.fingerprint.FingerprintRules;
import io.faultline.classifier.grouping.fingerprint.Fingerprinter;
import io.faultline.classifier.grouping.template.TemplateMiner;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ErrorGroup;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.Signal;
import io.faultline.schemas.StackFrame;
import io.faultline.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;
    private TestInputTopic<String, byte[]> resolutions;
    private final GroupLabelOverrides overrides = new InMemoryGroupLabelOverrides();
    private TestOutputTopic<String, ClassifiedError> classified;
    private TestOutputTopic<String, ErrorGroup> groups;
    private TestOutputTopic<String, Signal> signals;
    private TestOutputTopic<String, byte[]> dlq;

    @TempDir
    Path stateDir;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "classifier-test");
        // a directory of its own: RocksDB locks the store, and builds may run side by side
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(
                ClassifierTopology.build(
                        templates -> analyzer(templates, overrides), DetectionSettings.defaults(), overrides),
                props);
        raw = driver.createInputTopic(Topics.EVENTS_RAW.name(), new StringSerializer(), new ByteArraySerializer());
        resolutions =
                driver.createInputTopic(Topics.RESOLUTIONS.name(), new StringSerializer(), new ByteArraySerializer());
        classified = driver.createOutputTopic(
                Topics.ERRORS_CLASSIFIED.name(),
                new StringDeserializer(),
                Topics.ERRORS_CLASSIFIED.valueSerde().deserializer());
        groups = driver.createOutputTopic(
                Topics.GROUPS.name(),
                new StringDeserializer(),
                Topics.GROUPS.valueSerde().deserializer());
        signals = driver.createOutputTopic(
                Topics.SIGNALS.name(),
                new StringDeserializer(),
                Topics.SIGNALS.valueSerde().deserializer());
        dlq = driver.createOutputTopic(
                Topics.EVENTS_RAW_DLQ.name(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    static GroupingAndRulesAnalyzer analyzer(io.faultline.classifier.grouping.template.TemplateStore templates) {
        return analyzer(templates, new InMemoryGroupLabelOverrides());
    }

    static GroupingAndRulesAnalyzer analyzer(
            io.faultline.classifier.grouping.template.TemplateStore templates, GroupLabelOverrides overrides) {
        return new GroupingAndRulesAnalyzer(
                new Fingerprinter(new TemplateMiner(templates), FingerprintRules.none()),
                new EventClassifier(ClassificationRules.loadDefault(), overrides),
                Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void send(ErrorEvent event) {
        byte[] bytes = Topics.EVENTS_RAW.valueSerde().serializer().serialize("t", event);
        raw.pipeInput(new TestRecord<>(event.getEventId(), bytes, event.getTimestamp()));
    }

    static ErrorEvent sqlError(String id, int line, Instant at) {
        return ErrorEvent.newBuilder()
                .setEventId(id)
                .setProjectId("1")
                .setTimestamp(at)
                .setReceivedAt(at)
                .setLevel("error")
                .setTags(Map.of("workflow", "booking"))
                .setExceptions(List.of(ExceptionValue.newBuilder()
                        .setType("java.sql.SQLException")
                        .setValue("connection refused")
                        .setFrames(List.of(StackFrame.newBuilder()
                                .setModule("com.example.BookingService")
                                .setFunction("book")
                                .setLineno(line)
                                .setInApp(true)
                                .build()))
                        .build()))
                .build();
    }

    @Test
    void sameErrorAtDifferentLinesIsOneGroupCountedTwiceWithOneNewIssueSignal() {
        send(sqlError("a".repeat(32), 10, T0));
        send(sqlError("b".repeat(32), 99, T0.plusSeconds(5)));

        List<ClassifiedError> out = classified.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).getGroupId()).isEqualTo(out.get(1).getGroupId());
        assertThat(out.get(0).getClassification().getWorkflow()).isEqualTo("booking");

        assertThat(groups.isEmpty()).as("groups go out by round, not per event").isTrue();
        driver.advanceWallClockTime(GroupPublishProcessor.INTERVAL);
        List<TestRecord<String, ErrorGroup>> published = groups.readRecordsToList();
        assertThat(published).as("one record for the group's two events").hasSize(1);
        Map<String, ErrorGroup> latest =
                Map.of(published.get(0).key(), published.get(0).value());
        ErrorGroup group = latest.get(out.get(0).getGroupId());
        assertThat(group.getCount()).isEqualTo(2);
        assertThat(group.getFirstSeen()).isEqualTo(T0);
        assertThat(group.getLastSeen()).isEqualTo(T0.plusSeconds(5));
        assertThat(group.getComponents())
                .contains("type=java.sql.SQLException", "frame=com.example.BookingService.book");
        assertThat(group.getCategory()).isEqualTo("database");
        assertThat(out.get(0).getClassification().getRules()).isNotEmpty();

        List<Signal> emitted = signals.readValuesToList();
        assertThat(emitted).extracting(Signal::getType).containsExactly("new_issue");

        KeyValueStore<String, ErrorGroup> store = driver.getKeyValueStore(ClassifierTopology.GROUP_STORE);
        assertThat(store.get(group.getGroupId()).getCount()).isEqualTo(2);
    }

    static ErrorEvent logMessage(String id, String message, Instant at) {
        return ErrorEvent.newBuilder()
                .setEventId(id)
                .setProjectId("1")
                .setTimestamp(at)
                .setReceivedAt(at)
                .setLevel("error")
                .setMessage(message)
                .build();
    }

    @Test
    void messagesFromOneTemplateShareAGroupAndTheTemplateIsLearnedInTheStore() {
        send(logMessage("1".repeat(32), "Timeout after 3000 ms calling payment gateway 10.0.0.7:443", T0));
        send(logMessage("2".repeat(32), "Timeout after 5000 ms calling payment gateway 10.0.0.9:443", T0));
        send(logMessage("3".repeat(32), "User 17 logged out", T0));

        List<ClassifiedError> out = classified.readValuesToList();
        assertThat(out.get(0).getGroupId()).isEqualTo(out.get(1).getGroupId());
        assertThat(out.get(2).getGroupId()).isNotEqualTo(out.get(0).getGroupId());
        assertThat(out.get(0).getGrouping().getStrategy()).isEqualTo("message-template");
        assertThat(out.get(1).getGrouping().getTemplate()).contains("Timeout after", "<*>");
        KeyValueStore<String, byte[]> templates = driver.getKeyValueStore(ClassifierTopology.TEMPLATE_STORE);
        assertThat(templates.approximateNumEntries()).isPositive();
    }

    @Test
    void whenTheMinerMergesTemplatesTheEarlierGroupsAreFoldedIntoTheSurvivorsAndSignalled() {
        // a user name is a parameter only once the third one shows up: alice's and bob's messages
        // founded groups of their own before carol's merged the templates
        send(logMessage("1".repeat(32), "payment declined for user alice", T0));
        send(logMessage("2".repeat(32), "payment declined for user bob", T0.plusSeconds(1)));
        send(logMessage("3".repeat(32), "payment declined for user bob", T0.plusSeconds(2)));
        send(logMessage("4".repeat(32), "payment declined for user carol", T0.plusSeconds(3)));
        send(logMessage("5".repeat(32), "payment declined for user dave", T0.plusSeconds(4)));

        List<ClassifiedError> out = classified.readValuesToList();
        String alice = out.get(0).getGroupId();
        String bob = out.get(1).getGroupId();
        assertThat(bob).as("founded apart").isNotEqualTo(alice);
        assertThat(out.subList(3, 5)).extracting(ClassifiedError::getGroupId).containsOnly(alice);

        driver.advanceWallClockTime(GroupPublishProcessor.INTERVAL);
        Map<String, ErrorGroup> published = groups.readKeyValuesToMap();
        ErrorGroup survivor = published.get(alice);
        assertThat(survivor.getCount()).as("all five events").isEqualTo(5);
        assertThat(survivor.getFirstSeen()).isEqualTo(T0);
        assertThat(survivor.getLastSeen()).isEqualTo(T0.plusSeconds(4));
        assertThat(survivor.getTemplate()).isEqualTo("payment declined for user <*>");
        ErrorGroup orphan = published.get(bob);
        assertThat(orphan.getStatus()).isEqualTo("merged");
        assertThat(orphan.getMergedInto()).isEqualTo(alice);
        assertThat(orphan.getCount()).as("what it held when merged").isEqualTo(2);

        List<Signal> emitted = signals.readValuesToList();
        assertThat(emitted).extracting(Signal::getType).containsExactly("new_issue", "new_issue", "group_merged");
        Signal merge = emitted.get(2);
        assertThat(merge.getGroupId()).isEqualTo(bob);
        assertThat(merge.getDetails()).containsEntry("mergedInto", alice);

        // an operator's resolve addressed to the merged group leaves it merged
        resolution(bob, "verification_passed", "webhook", "reset", false, T0.plusSeconds(10));
        driver.advanceWallClockTime(GroupPublishProcessor.INTERVAL);
        KeyValueStore<String, ErrorGroup> store = driver.getKeyValueStore(ClassifierTopology.GROUP_STORE);
        assertThat(store.get(bob).getStatus()).isEqualTo("merged");
    }

    @Test
    void componentsNamingAMergedTemplateAreRewrittenAndOthersAreLeftAlone() {
        assertThat(GroupStateProcessor.withTemplate(List.of("type=Boom", "value-template=aa"), "aa", "bb"))
                .containsExactly("type=Boom", "value-template=bb");
        assertThat(GroupStateProcessor.withTemplate(List.of("template=aab"), "aa", "bb"))
                .isNull();
        assertThat(GroupStateProcessor.withTemplate(List.of("frame=x"), "aa", "bb"))
                .isNull();
    }

    private void resolution(String groupId, String phase, String strategy, String action, boolean dryRun, Instant at) {
        ResolutionEvent entry = ResolutionEvent.newBuilder()
                .setEntryId(phase + ":" + action + ":" + at)
                .setAttemptId("att-" + at)
                .setGroupId(groupId)
                .setProjectId("1")
                .setTimestamp(at)
                .setPhase(phase)
                .setStrategy(strategy)
                .setAction(action)
                .setDryRun(dryRun)
                .build();
        pipe(groupId, entry, at);
    }

    private void pipe(String groupId, ResolutionEvent entry, Instant at) {
        resolutions.pipeInput(new TestRecord<>(
                groupId, Topics.RESOLUTIONS.valueSerde().serializer().serialize("t", entry), at));
    }

    @Test
    void aVerifiedFixResolvesTheGroupAndOnlyALaterEventIsARegression() {
        send(sqlError("a".repeat(32), 10, T0));
        String groupId = classified.readValue().getGroupId();
        signals.readValuesToList();
        groups.readValuesToList();

        resolution(groupId, "verification_passed", "webhook", "reset-breaker", false, T0.plusSeconds(30));
        ErrorGroup resolved = groups.readValue();
        assertThat(resolved.getStatus()).isEqualTo("resolved");
        assertThat(resolved.getResolvedAt()).isEqualTo(T0.plusSeconds(30));

        // an event that happened before the fix, arriving late, is not a recurrence
        send(sqlError("b".repeat(32), 10, T0.plusSeconds(10)));
        assertThat(signals.readValuesToList()).isEmpty();
        KeyValueStore<String, ErrorGroup> store = driver.getKeyValueStore(ClassifierTopology.GROUP_STORE);
        assertThat(store.get(groupId).getStatus()).isEqualTo("resolved");

        send(sqlError("c".repeat(32), 10, T0.plusSeconds(60)));
        assertThat(signals.readValuesToList()).extracting(Signal::getType).containsExactly("regression");
        assertThat(store.get(groupId).getStatus()).isEqualTo("regressed");
    }

    private static ErrorEvent released(ErrorEvent event, String release) {
        return ErrorEvent.newBuilder(event).setRelease(release).build();
    }

    /** An event of another group of project 1 (another exception type). */
    private static ErrorEvent otherError(String id, Instant at, String release) {
        ErrorEvent e = sqlError(id, 10, at);
        return ErrorEvent.newBuilder(e)
                .setRelease(release)
                .setExceptions(
                        List.of(ExceptionValue.newBuilder(e.getExceptions().get(0))
                                .setType("java.lang.IllegalStateException")
                                .setValue("calendar closed")
                                .build()))
                .build();
    }

    private void resolveInRelease(String groupId, String release, Instant at) {
        pipe(
                groupId,
                ResolutionEvent.newBuilder()
                        .setEntryId("in-release:" + at)
                        .setAttemptId("in-release:" + at)
                        .setGroupId(groupId)
                        .setProjectId("1")
                        .setTimestamp(at)
                        .setPhase("action_succeeded")
                        .setStrategy("manual")
                        .setAction("manual_resolve_in_release")
                        .setDetails(release == null ? Map.of() : Map.of("release", release))
                        .build(),
                at);
    }

    @Test
    void aGroupResolvedInTheNextReleaseRegressesOnlyOnALaterVersionAndItsFixShipsWithTheFirstOne() {
        send(released(sqlError("a".repeat(32), 10, T0), "shop@1.9.2"));
        String groupId = classified.readValue().getGroupId();
        signals.readValuesToList();
        groups.readValuesToList();

        resolveInRelease(groupId, "shop@1.9.2", T0.plusSeconds(30));
        assertThat(groups.readValue().getStatus()).isEqualTo("resolved");
        assertThat(signals.readValuesToList()).as("no later release out yet").isEmpty();

        // the release it was resolved in, and an older one, still run somewhere: no recurrence
        send(released(sqlError("b".repeat(32), 10, T0.plusSeconds(60)), "shop@1.9.2"));
        send(released(sqlError("c".repeat(32), 10, T0.plusSeconds(61)), "shop@1.8.0"));
        send(released(sqlError("d".repeat(32), 10, T0.plusSeconds(62)), null));
        assertThat(signals.readValuesToList()).isEmpty();
        KeyValueStore<String, ErrorGroup> store = driver.getKeyValueStore(ClassifierTopology.GROUP_STORE);
        assertThat(store.get(groupId).getStatus()).isEqualTo("resolved");

        // 1.10.0 comes after 1.9.2 as a version (not as text): it ships, in another group's event
        send(otherError("e".repeat(32), T0.plusSeconds(90), "shop@1.10.0"));
        List<TestRecord<String, Signal>> shipped = signals.readRecordsToList();
        assertThat(shipped).extracting(r -> r.value().getType()).containsExactly("release_shipped", "new_issue");
        assertThat(shipped.get(0).key()).as("keyed by the group it is about").isEqualTo(groupId);
        assertThat(shipped.get(0).value().getGroupId()).isEqualTo(groupId);
        assertThat(shipped.get(0).value().getDetectedAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(shipped.get(0).value().getDetails())
                .containsEntry("release", "shop@1.9.2")
                .containsEntry("shippedRelease", "shop@1.10.0");
        assertThat(store.get(groupId).getStatus()).isEqualTo("resolved");

        // an event of the later release, even one that happened before the resolve, is a regression
        send(released(sqlError("f".repeat(32), 10, T0.plusSeconds(20)), "shop@1.10.0"));
        assertThat(signals.readValuesToList()).extracting(Signal::getType).containsExactly("regression");
        assertThat(store.get(groupId).getStatus()).isEqualTo("regressed");

        // a plain resolve afterwards times the group again, as before
        resolution(groupId, "action_succeeded", "manual", "manual_resolve", false, T0.plusSeconds(200));
        send(released(sqlError("g".repeat(32), 10, T0.plusSeconds(210)), "shop@1.8.0"));
        assertThat(signals.readValuesToList()).extracting(Signal::getType).containsExactly("regression");
    }

    @Test
    void releasesThatAreNotVersionsCompareByTheOrderTheProjectFirstShowedThem() {
        assertThat(ReleaseOrder.compareVersions("1.10.0", "1.9.2")).isPositive();
        assertThat(ReleaseOrder.compareVersions("v2.0.0-rc.2", "2.0.0-rc.10")).isNegative();
        assertThat(ReleaseOrder.compareVersions("2.0.0-rc.1", "2.0.0")).isNegative();
        assertThat(ReleaseOrder.compareVersions("2.0.0+build.7", "2.0.0")).isZero();
        assertThat(ReleaseOrder.compareVersions("a@2.0.0", "b@1.0.0"))
                .as("other packages")
                .isZero();
        assertThat(ReleaseOrder.compareVersions("4f2a9c1", "1.0.0")).isZero();

        // commit hashes: "b7" is before "a3" because the project showed it first
        send(released(sqlError("a".repeat(32), 10, T0), "b7"));
        String groupId = classified.readValue().getGroupId();
        send(otherError("b".repeat(32), T0.plusSeconds(1), "a3"));
        signals.readValuesToList();
        groups.readValuesToList();

        resolveInRelease(groupId, "b7", T0.plusSeconds(30));
        groups.readValuesToList();
        List<Signal> out = signals.readValuesToList();
        assertThat(out)
                .as("a3 came after b7 and is out already: the fix shipped at the resolve")
                .extracting(Signal::getType)
                .containsExactly("release_shipped");
        assertThat(out.get(0).getDetectedAt()).isEqualTo(T0.plusSeconds(30));

        send(released(sqlError("c".repeat(32), 10, T0.plusSeconds(40)), "b7"));
        assertThat(signals.readValuesToList()).isEmpty();
        send(released(sqlError("d".repeat(32), 10, T0.plusSeconds(50)), "a3"));
        assertThat(signals.readValuesToList()).extracting(Signal::getType).containsExactly("regression");

        // without a release, a resolve in the next release is a plain resolve
        resolveInRelease(groupId, null, T0.plusSeconds(60));
        send(released(sqlError("e".repeat(32), 10, T0.plusSeconds(70)), "b7"));
        assertThat(signals.readValuesToList()).extracting(Signal::getType).containsExactly("regression");
    }

    @Test
    void anIgnoredGroupWakesUpWhenItsUntilConditionIsCrossed() {
        send(sqlError("a".repeat(32), 10, T0));
        String groupId = classified.readValue().getGroupId();
        signals.readValuesToList();
        groups.readValuesToList();

        ResolutionEvent ignore = ResolutionEvent.newBuilder()
                .setEntryId("ignore-1")
                .setAttemptId("ignore-1")
                .setGroupId(groupId)
                .setProjectId("1")
                .setTimestamp(T0.plusSeconds(1))
                .setPhase("action_succeeded")
                .setStrategy("manual")
                .setAction("manual_ignore")
                .setDetails(Map.of(
                        "ignoreUntilOccurrences",
                        "2",
                        "ignoreUntil",
                        T0.plusSeconds(3600).toString()))
                .build();
        pipe(groupId, ignore, T0.plusSeconds(1));
        assertThat(groups.readValue().getIgnoredUntilCount())
                .as("1 seen + 2 more")
                .isEqualTo(3L);

        send(sqlError("b".repeat(32), 10, T0.plusSeconds(10)));
        send(sqlError("c".repeat(32), 10, T0.plusSeconds(20)));
        KeyValueStore<String, ErrorGroup> store = driver.getKeyValueStore(ClassifierTopology.GROUP_STORE);
        assertThat(store.get(groupId).getStatus())
                .as("two more are within the ignore")
                .isEqualTo("ignored");
        assertThat(signals.readValuesToList()).isEmpty();

        send(sqlError("d".repeat(32), 10, T0.plusSeconds(30)));
        assertThat(signals.readValuesToList()).extracting(Signal::getType).containsExactly("ignore_expired");
        assertThat(store.get(groupId).getStatus()).isEqualTo("unresolved");
        assertThat(store.get(groupId).getIgnoredUntilCount()).isNull();

        // an ignore for a time: the first event after that instant wakes the group up
        ResolutionEvent forAWhile = ResolutionEvent.newBuilder(ignore)
                .setEntryId("ignore-2")
                .setTimestamp(T0.plusSeconds(31))
                .setDetails(Map.of("ignoreUntil", T0.plusSeconds(100).toString()))
                .build();
        pipe(groupId, forAWhile, T0.plusSeconds(31));
        send(sqlError("f".repeat(32), 10, T0.plusSeconds(90)));
        assertThat(signals.readValuesToList()).isEmpty();
        send(sqlError("g".repeat(32), 10, T0.plusSeconds(101)));
        assertThat(signals.readValuesToList()).extracting(Signal::getType).containsExactly("ignore_expired");

        // ignoring an ignored group again replaces its condition
        pipe(
                groupId,
                ResolutionEvent.newBuilder(forAWhile)
                        .setEntryId("ignore-3")
                        .setDetails(Map.of("ignoreUntil", T0.plusSeconds(200).toString()))
                        .build(),
                T0.plusSeconds(102));
        pipe(
                groupId,
                ResolutionEvent.newBuilder(forAWhile)
                        .setEntryId("ignore-4")
                        .setDetails(Map.of("ignoreUntil", T0.plusSeconds(500).toString()))
                        .build(),
                T0.plusSeconds(103));
        send(sqlError("h".repeat(32), 10, T0.plusSeconds(300)));
        assertThat(signals.readValuesToList())
                .as("the second ignore's later limit holds")
                .isEmpty();
        send(sqlError("i".repeat(32), 10, T0.plusSeconds(501)));
        assertThat(signals.readValuesToList()).extracting(Signal::getType).containsExactly("ignore_expired");

        // an ignore without a condition holds however late and however many
        resolution(groupId, "action_succeeded", "manual", "manual_ignore", false, T0.plusSeconds(40));
        send(sqlError("e".repeat(32), 10, T0.plus(Duration.ofDays(30))));
        assertThat(signals.readValuesToList()).as("ignored forever").isEmpty();
        assertThat(store.get(groupId).getStatus()).isEqualTo("ignored");
    }

    @Test
    void anOperatorsRelabelAppliesToTheGroupsNextEventAndIsKeptInTheLabelStore() {
        send(sqlError("a".repeat(32), 10, T0));
        ClassifiedError before = classified.readValue();
        assertThat(before.getClassification().getCategory()).isEqualTo("database");
        String groupId = before.getGroupId();

        ResolutionEvent relabel = ResolutionEvent.newBuilder()
                .setEntryId("relabel-1")
                .setAttemptId("relabel-1")
                .setGroupId(groupId)
                .setProjectId("1")
                .setTimestamp(T0.plusSeconds(1))
                .setPhase("action_succeeded")
                .setStrategy("manual")
                .setAction("manual_relabel")
                .setDetails(Map.of("severity", "critical", "category", "payment", "workflow", "payment_processing"))
                .build();
        pipe(groupId, relabel, T0.plusSeconds(1));

        send(sqlError("b".repeat(32), 11, T0.plusSeconds(2)));
        ClassifiedError after = classified.readValue();
        assertThat(after.getGroupId()).isEqualTo(groupId);
        assertThat(after.getClassification().getSeverity()).isEqualTo("critical");
        assertThat(after.getClassification().getCategory()).isEqualTo("payment");
        assertThat(after.getClassification().getWorkflow()).isEqualTo("payment_processing");
        KeyValueStore<String, String> labels = driver.getKeyValueStore(ClassifierTopology.GROUP_LABELS_STORE);
        assertThat(labels.get(groupId)).isEqualTo("critical|payment||payment_processing");

        // an empty relabel lifts the override: the rules decide again
        ResolutionEvent lift = ResolutionEvent.newBuilder(relabel)
                .setEntryId("relabel-2")
                .setDetails(Map.of())
                .build();
        pipe(groupId, lift, T0.plusSeconds(3));
        send(sqlError("c".repeat(32), 12, T0.plusSeconds(4)));
        assertThat(classified.readValue().getClassification().getCategory()).isEqualTo("database");
        assertThat(labels.get(groupId)).isNull();
    }

    @Test
    void groupsDueInTheStoreWhenTheTaskStartsAreThePublishingRoundsToo() {
        MockProcessorContext<String, ErrorGroup> context = new MockProcessorContext<>();
        KeyValueStore<String, Long> due = store(context, ClassifierTopology.GROUPS_DUE_STORE, Serdes.Long());
        KeyValueStore<String, ErrorGroup> groupStore =
                store(context, ClassifierTopology.GROUP_STORE, Topics.GROUPS.valueSerde());
        // changed and committed, then a crash before the round that would have published it
        ErrorGroup restored = ErrorGroup.newBuilder()
                .setGroupId("g-restored")
                .setProjectId("1")
                .setFirstSeen(T0)
                .setLastSeen(T0)
                .setCount(7)
                .setStatus("unresolved")
                .setTitle("t")
                .setStrategy("exception-type")
                .setComponents(List.of("type=X"))
                .setSeverity("high")
                .setCategory("database")
                .setBusinessImpact("none")
                .setLastEventId("e")
                .build();
        groupStore.put("g-restored", restored);
        due.put("g-restored", T0.toEpochMilli());

        new GroupPublishProcessor(ClassifierTopology.GROUP_STORE, ClassifierTopology.GROUPS_DUE_STORE).init(context);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(T0.toEpochMilli());

        assertThat(context.forwarded()).hasSize(1);
        assertThat(context.forwarded().get(0).record().value()).isEqualTo(restored);
        assertThat(due.get("g-restored")).as("published, no longer due").isNull();
    }

    private static GroupStatusProcessor statusProcessor(
            MockProcessorContext<String, Object> context, GroupLabelOverrides overrides) {
        store(context, ClassifierTopology.RELEASES_STORE, Serdes.Long());
        store(context, ClassifierTopology.IN_RELEASE_STORE, Serdes.String());
        return new GroupStatusProcessor(
                ClassifierTopology.GROUP_STORE,
                ClassifierTopology.GROUP_LABELS_STORE,
                ClassifierTopology.RELEASES_STORE,
                ClassifierTopology.IN_RELEASE_STORE,
                overrides);
    }

    @Test
    void relabelsKeptInTheStoreArmTheClassifierWhenTheTaskStarts() {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        KeyValueStore<String, String> labels = store(context, ClassifierTopology.GROUP_LABELS_STORE, Serdes.String());
        KeyValueStore<String, ErrorGroup> groupStore =
                store(context, ClassifierTopology.GROUP_STORE, Topics.GROUPS.valueSerde());
        labels.put("g-restored", "high||revenue_blocking|");

        GroupLabelOverrides fresh = new InMemoryGroupLabelOverrides();
        statusProcessor(context, fresh).init(context);

        assertThat(fresh.forGroup("g-restored"))
                .contains(new LabelOverride(Severity.HIGH, null, BusinessImpact.REVENUE_BLOCKING, null));
    }

    @Test
    void aTaskLeavingTheProcessTakesItsRelabelsOutOfTheSharedOverrides() {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        KeyValueStore<String, String> labels = store(context, ClassifierTopology.GROUP_LABELS_STORE, Serdes.String());
        store(context, ClassifierTopology.GROUP_STORE, Topics.GROUPS.valueSerde());
        labels.put("g-moving", "high||revenue_blocking|");
        GroupLabelOverrides shared = new InMemoryGroupLabelOverrides();
        shared.put("g-other-task", new LabelOverride(Severity.LOW, null, null, null));

        GroupStatusProcessor task = statusProcessor(context, shared);
        task.init(context);
        assertThat(shared.forGroup("g-moving")).isPresent();

        // the task moves to another instance, where an operator clears the relabel; coming back,
        // its store no longer has it, and neither may the overrides it left here
        task.close();
        assertThat(shared.forGroup("g-moving")).isEmpty();
        assertThat(shared.forGroup("g-other-task"))
                .as("another task's relabel stays")
                .isPresent();
    }

    @Test
    void operatorsIgnoreAndReopenWhileDryRunsAndOtherStepsChangeNothing() {
        send(sqlError("a".repeat(32), 10, T0));
        String groupId = classified.readValue().getGroupId();
        groups.readValuesToList();

        resolution(groupId, "verification_passed", "webhook", "reset-breaker", true, T0.plusSeconds(5));
        resolution(groupId, "action_succeeded", "webhook", "reset-breaker", false, T0.plusSeconds(6));
        resolutions.pipeInput(groupId, "not avro".getBytes(StandardCharsets.UTF_8), T0.plusSeconds(7));
        resolution("no-such-group", "verification_passed", "webhook", "x", false, T0.plusSeconds(8));
        assertThat(groups.readValuesToList()).as("nothing changed a status").isEmpty();

        resolution(groupId, "action_succeeded", "manual", "manual_ignore", false, T0.plusSeconds(10));
        assertThat(groups.readValue().getStatus()).isEqualTo("ignored");
        resolution(groupId, "action_succeeded", "manual", "manual_reopen", false, T0.plusSeconds(20));
        assertThat(groups.readValue().getStatus()).isEqualTo("unresolved");
        resolution(groupId, "action_succeeded", "manual", "manual_resolve", false, T0.plusSeconds(30));
        assertThat(groups.readValue().getStatus()).isEqualTo("resolved");
    }

    /** A project id whose partition ({@link ProjectPartitioner}) is, or is not, the given one. */
    private static String projectWhosePartition(boolean is, int partition) {
        for (int i = 0; ; i++) {
            String project = "p" + i;
            if ((ProjectPartitioner.of(project, Topics.PARTITIONS) == partition) == is) {
                return project;
            }
        }
    }

    private static ErrorEvent sqlErrorOf(String project, String idDigit, int line, Instant at) {
        return ErrorEvent.newBuilder(sqlError(idDigit.repeat(32), line, at))
                .setProjectId(project)
                .build();
    }

    private void assertClassifiedOnce(String project) {
        assertThat(classified.readValuesToList())
                .singleElement()
                .satisfies(c -> assertThat(c.getEvent().getProjectId()).isEqualTo(project));
    }

    private boolean repartitioned() {
        return driver.producedTopicNames()
                .contains("classifier-test-" + ClassifierTopology.BY_PROJECT_REPARTITION + "-repartition");
    }

    @Test
    void anEventOnItsProjectsPartitionSkipsTheRepartitionHopAndOneElsewhereTakesIt() {
        // the test driver feeds every input record from partition 0
        String inPlace = projectWhosePartition(true, 0);
        String elsewhere = projectWhosePartition(false, 0);

        send(sqlErrorOf(inPlace, "a", 10, T0));
        assertClassifiedOnce(inPlace);
        assertThat(repartitioned())
                .as("no hop for an event on its project's partition")
                .isFalse();

        send(sqlErrorOf(elsewhere, "b", 10, T0));
        assertClassifiedOnce(elsewhere);
        assertThat(repartitioned())
                .as("an event elsewhere is moved to its project's partition")
                .isTrue();

        // the same project's events meet in one analyzer whichever way they came
        send(sqlErrorOf(elsewhere, "c", 11, T0.plusSeconds(1)));
        send(sqlErrorOf(inPlace, "d", 12, T0.plusSeconds(1)));
        List<ClassifiedError> again = classified.readValuesToList();
        assertThat(again).hasSize(2);
        driver.advanceWallClockTime(GroupPublishProcessor.INTERVAL);
        Map<String, Long> counts = new java.util.HashMap<>();
        groups.readValuesToList().forEach(g -> counts.put(g.getProjectId(), g.getCount()));
        assertThat(counts).containsEntry(inPlace, 2L).containsEntry(elsewhere, 2L);
    }

    @Test
    void aRecordWithoutAValueIsDeadLetteredAndTheStreamGoesOn() {
        raw.pipeInput("k0", null, T0);
        send(sqlError("e".repeat(32), 1, T0));

        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertThat(dead.key()).isEqualTo("k0");
        assertThat(dead.value()).isNull();
        assertThat(new String(
                        dead.headers().lastHeader(Topics.DLQ_HEADER_REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo("empty value");
        assertThat(classified.readValuesToList()).hasSize(1);
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithAReasonAndTheStreamGoesOn() {
        raw.pipeInput("k1", "not avro at all".getBytes(StandardCharsets.UTF_8), T0);
        send(sqlError("d".repeat(32), 1, T0));

        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertThat(dead.key()).isEqualTo("k1");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
        assertThat(new String(
                        dead.headers().lastHeader(Topics.DLQ_HEADER_REASON).value(), StandardCharsets.UTF_8))
                .startsWith("decode:BAD_HEADER");
        assertThat(classified.readValuesToList()).hasSize(1);
    }

    @Test
    void bytesAfterAnEventAreNotCarriedIntoItsClassifiedRecord() {
        ErrorEvent event = sqlError("7".repeat(32), 5, T0);
        byte[] whole = Topics.EVENTS_RAW.valueSerde().serializer().serialize("raw", event);
        byte[] trailing = java.util.Arrays.copyOf(whole, whole.length + 3);
        trailing[whole.length] = 42;
        raw.pipeInput(event.getEventId(), trailing, T0);
        send(sqlError("8".repeat(32), 5, T0));

        List<ClassifiedError> out = classified.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).getEvent()).isEqualTo(event);
        assertThat(out.get(0).getGroupId()).isEqualTo(out.get(1).getGroupId());
    }

    @Test
    void anEventCorruptPastItsProjectIdIsDeadLetteredAsUndecodableAndTheStreamGoesOn() {
        byte[] whole = Topics.EVENTS_RAW.valueSerde().serializer().serialize("raw", sqlError("e".repeat(32), 1, T0));
        // header, event id and project id intact, the body cut short after them
        byte[] corrupt = java.util.Arrays.copyOf(whole, 10 + 1 + 32 + 1 + 1 + 2);
        raw.pipeInput("k2", corrupt, T0);
        send(sqlError("f".repeat(32), 1, T0));

        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertThat(dead.key()).isEqualTo("1");
        assertThat(dead.value()).isEqualTo(corrupt);
        assertThat(new String(
                        dead.headers().lastHeader(Topics.DLQ_HEADER_REASON).value(), StandardCharsets.UTF_8))
                .startsWith("decode:CORRUPT_BODY");
        assertThat(classified.readValuesToList()).hasSize(1);
    }

    /** An in-memory store by the topology's name, registered with a processor's mock context. */
    private static <V> KeyValueStore<String, V> store(
            MockProcessorContext<String, ?> context,
            String name,
            org.apache.kafka.common.serialization.Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
