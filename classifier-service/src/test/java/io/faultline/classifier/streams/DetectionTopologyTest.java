package io.faultline.classifier.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.faultline.classifier.detection.DetectionSettings;
import io.faultline.classifier.detection.SpikeThreshold;
import io.faultline.classifier.rates.ErrorRates;
import io.faultline.classifier.rates.RateDimension;
import io.faultline.classifier.rates.RateQueries;
import io.faultline.classifier.rates.RateWindow;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.Signal;
import io.faultline.schemas.TrafficSample;
import io.faultline.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The windowed detectors of the classifier topology, driven in event time with fixed timestamps. */
class DetectionTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Duration MIN = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final String BOOKING = "1/booking";
    /**
     * The shipped defaults but for smaller spike numbers (floor 3, median + 2 spreads), so a test
     * pipes a few dozen events rather than hundreds through the whole topology.
     */
    private static final DetectionSettings SETTINGS = new DetectionSettings(Duration.ofMinutes(5), 3, 5, 5, 2, 0.001);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;
    private TestInputTopic<String, byte[]> traffic;
    private TestOutputTopic<String, ClassifiedError> classified;
    private TestOutputTopic<String, Signal> signals;
    private TestOutputTopic<String, byte[]> trafficDlq;
    private int nextEventId;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "classifier-detection-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(ClassifierTopology.build(ClassifierTopologyTest::analyzer, SETTINGS), props);
        raw = driver.createInputTopic(Topics.EVENTS_RAW.name(), new StringSerializer(), new ByteArraySerializer());
        traffic = driver.createInputTopic(Topics.TRAFFIC.name(), new StringSerializer(), new ByteArraySerializer());
        classified = driver.createOutputTopic(
                Topics.ERRORS_CLASSIFIED.name(),
                new StringDeserializer(),
                Topics.ERRORS_CLASSIFIED.valueSerde().deserializer());
        signals = driver.createOutputTopic(
                Topics.SIGNALS.name(),
                new StringDeserializer(),
                Topics.SIGNALS.valueSerde().deserializer());
        trafficDlq = driver.createOutputTopic(
                Topics.TRAFFIC_DLQ.name(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    /** One SQL error of project 1, workflow booking (all in one group), happening at {@code at}. */
    private String error(Instant at) {
        ErrorEvent event = ClassifierTopologyTest.sqlError(String.format("%032x", ++nextEventId), 10, at);
        byte[] bytes = Topics.EVENTS_RAW.valueSerde().serializer().serialize("t", event);
        raw.pipeInput(new TestRecord<>(event.getEventId(), bytes, at));
        return event.getEventId();
    }

    private void errors(int count, Instant from, Duration spacing) {
        for (int i = 0; i < count; i++) {
            error(from.plus(spacing.multipliedBy(i)));
        }
    }

    private void sample(String id, Instant start, Instant end, long requests) {
        sample(id, "booking", start, end, requests);
    }

    private void sample(String id, String workflow, Instant start, Instant end, long requests) {
        TrafficSample sample = TrafficSample.newBuilder()
                .setSampleId(id)
                .setProjectId("1")
                .setWorkflow(workflow)
                .setWindowStart(start)
                .setWindowEnd(end)
                .setRequests(requests)
                .build();
        // a sender produces a sample when its window is over; TopologyTestDriver keeps one stream time
        // for the whole topology, so a producer timestamp far ahead would close every window here
        traffic.pipeInput(BOOKING, Topics.TRAFFIC.valueSerde().serializer().serialize("t", sample), end);
    }

    /**
     * A time the broker would refuse as a record's (before 1970, an hour or more ahead of it) once
     * stopped the classifier for good: a sample whose window ends there is dead-lettered, an event
     * dated there counts when it was written (as the intake clamps it), keeping its own time.
     */
    @Test
    void senderTimesTheBrokerWouldRefuseAreNotStampedOnRecords() {
        for (Instant end : List.of(Instant.ofEpochMilli(-1), T0.plus(Duration.ofHours(2)))) {
            TrafficSample sample = TrafficSample.newBuilder()
                    .setSampleId("s" + end.toEpochMilli())
                    .setProjectId("1")
                    .setWorkflow("booking")
                    .setWindowStart(end.minus(MIN))
                    .setWindowEnd(end)
                    .setRequests(100)
                    .build();
            traffic.pipeInput(BOOKING, Topics.TRAFFIC.valueSerde().serializer().serialize("t", sample), T0);
        }
        assertThat(trafficDlq.readRecordsToList())
                .extracting(r -> new String(
                        r.headers().lastHeader(Topics.DLQ_HEADER_REASON).value(), StandardCharsets.UTF_8))
                .containsExactly(
                        "invalid: windowEnd 1969-12-31T23:59:59.999Z is not within 60 s after or 30 days before"
                                + " the sample was written (2026-11-30T10:00:00Z)",
                        "invalid: windowEnd 2026-11-30T12:00:00Z is not within 60 s after or 30 days before"
                                + " the sample was written (2026-11-30T10:00:00Z)");

        ErrorEvent ahead = ClassifierTopologyTest.sqlError("a".repeat(32), 10, T0.plus(Duration.ofHours(2)));
        raw.pipeInput(new TestRecord<>(
                ahead.getEventId(), Topics.EVENTS_RAW.valueSerde().serializer().serialize("t", ahead), T0));
        ClassifiedError c = classified.readValue();
        assertThat(c.getEvent().getTimestamp()).isEqualTo(T0.plus(Duration.ofHours(2)));
        WindowStore<String, Long> minutes = driver.getWindowStore(RateDimension.GROUP.storeName(RateWindow.ONE_MINUTE));
        assertThat(minutes.fetch(c.getGroupId(), T0.toEpochMilli())).isEqualTo(1L);
        assertThat(minutes.fetch(c.getGroupId(), T0.plus(Duration.ofHours(2)).toEpochMilli()))
                .isNull();
    }

    private List<Signal> signalsOfType(String type) {
        return signals.readValuesToList().stream()
                .filter(s -> s.getType().equals(type))
                .toList();
    }

    private String groupId() {
        return classified.readValuesToList().get(0).getGroupId();
    }

    private WindowStore<String, Long> rateStore(RateDimension dimension, RateWindow window) {
        return driver.getWindowStore(dimension.storeName(window));
    }

    @Nested
    class Rates {

        @Test
        void errorsAreCountedPerGroupProjectAndWorkflowInOneFiveAndSixtyMinuteWindows() {
            error(T0.plusSeconds(10));
            error(T0.plusSeconds(20));
            error(T0.plusSeconds(70));
            error(T0.plus(MIN.multipliedBy(6)));
            String groupId = groupId();

            for (var dimensionAndKey : List.of(
                    new Object[] {RateDimension.GROUP, groupId},
                    new Object[] {RateDimension.PROJECT, "1"},
                    new Object[] {RateDimension.WORKFLOW, BOOKING})) {
                RateDimension dimension = (RateDimension) dimensionAndKey[0];
                String key = (String) dimensionAndKey[1];
                WindowStore<String, Long> oneMinute = rateStore(dimension, RateWindow.ONE_MINUTE);
                assertThat(oneMinute.fetch(key, T0.toEpochMilli()))
                        .as(dimension + " 1m")
                        .isEqualTo(2);
                assertThat(oneMinute.fetch(key, T0.plus(MIN).toEpochMilli())).isEqualTo(1);
                assertThat(oneMinute.fetch(key, T0.plus(MIN.multipliedBy(6)).toEpochMilli()))
                        .isEqualTo(1);
                WindowStore<String, Long> fiveMinutes = rateStore(dimension, RateWindow.FIVE_MINUTES);
                assertThat(fiveMinutes.fetch(key, T0.toEpochMilli()))
                        .as(dimension + " 5m")
                        .isEqualTo(3);
                assertThat(fiveMinutes.fetch(key, T0.plus(MIN.multipliedBy(5)).toEpochMilli()))
                        .isEqualTo(1);
                assertThat(rateStore(dimension, RateWindow.ONE_HOUR).fetch(key, T0.toEpochMilli()))
                        .as(dimension + " 1h")
                        .isEqualTo(4);
            }
        }

        /**
         * An SDK that lost the answer sends the event again, with its id: it happened once, so it
         * counts once in every rate and comes out classified once (the drill resends one
         * acknowledged batch in twenty; the rates used to count each resent event twice).
         */
        @Test
        void anEventSentTwiceCountsOnceAndIsClassifiedOnce() {
            ErrorEvent event = ClassifierTopologyTest.sqlError(String.format("%032x", ++nextEventId), 10, T0);
            byte[] bytes = Topics.EVENTS_RAW.valueSerde().serializer().serialize("t", event);
            raw.pipeInput(new TestRecord<>(event.getEventId(), bytes, T0));
            error(T0.plusSeconds(5));
            raw.pipeInput(new TestRecord<>(event.getEventId(), bytes, T0.plusSeconds(9)));
            // the same id from another project is another event
            event.setProjectId("2");
            raw.pipeInput(new TestRecord<>(
                    event.getEventId(),
                    Topics.EVENTS_RAW.valueSerde().serializer().serialize("t", event),
                    T0.plusSeconds(10)));

            List<ClassifiedError> out = classified.readValuesToList();
            assertThat(out).extracting(c -> c.getEvent().getProjectId()).containsExactly("1", "1", "2");
            String groupId = out.get(0).getGroupId();
            assertThat(rateStore(RateDimension.GROUP, RateWindow.ONE_MINUTE).fetch(groupId, T0.toEpochMilli()))
                    .isEqualTo(2);
            assertThat(rateStore(RateDimension.WORKFLOW, RateWindow.ONE_HOUR).fetch(BOOKING, T0.toEpochMilli()))
                    .isEqualTo(2);
        }

        @Test
        void rateQueriesReportTheWindowsAroundNowAndTheOnesBefore() {
            error(T0.plusSeconds(10));
            error(T0.plusSeconds(20));
            error(T0.plusSeconds(70));
            error(T0.plus(MIN.multipliedBy(6)));
            String groupId = groupId();
            Instant now = T0.plus(Duration.ofSeconds(6 * 60 + 30));
            RateQueries queries = new RateQueries(driver::getWindowStore, Clock.fixed(now, ZoneOffset.UTC));

            ErrorRates rates = queries.group(groupId);

            assertThat(rates.asOf()).isEqualTo(now);
            assertThat(rates.window(RateWindow.ONE_MINUTE))
                    .isEqualTo(new ErrorRates.WindowRate(
                            "1m", T0.plus(MIN.multipliedBy(6)), T0.plus(MIN.multipliedBy(7)), 1, 0));
            assertThat(rates.window(RateWindow.FIVE_MINUTES))
                    .isEqualTo(new ErrorRates.WindowRate(
                            "5m", T0.plus(MIN.multipliedBy(5)), T0.plus(MIN.multipliedBy(10)), 1, 3));
            assertThat(rates.window(RateWindow.ONE_HOUR).count()).isEqualTo(4);
            assertThat(queries.workflow("1", "booking")
                            .window(RateWindow.ONE_HOUR)
                            .count())
                    .isEqualTo(4);
            assertThat(queries.project("2").window(RateWindow.ONE_HOUR).count()).isZero();
        }

        @Test
        void aLateEventWithinGraceCountsAndOneBeyondGraceOnlyWhereItsWindowIsStillOpen() {
            error(T0.plus(MIN.multipliedBy(10))); // stream time 10:10
            error(T0.plus(Duration.ofSeconds(6 * 60 + 30))); // 1m window 10:06-10:07 closes at 10:12: counts
            error(T0.plusSeconds(30)); // 10:00-10:01 closed at 10:06, 10:00-10:05 at 10:10: only the hour
            String groupId = groupId();

            WindowStore<String, Long> oneMinute = rateStore(RateDimension.GROUP, RateWindow.ONE_MINUTE);
            assertThat(oneMinute.fetch(groupId, T0.plus(MIN.multipliedBy(6)).toEpochMilli()))
                    .isEqualTo(1);
            assertThat(oneMinute.fetch(groupId, T0.toEpochMilli())).isNull();
            WindowStore<String, Long> fiveMinutes = rateStore(RateDimension.GROUP, RateWindow.FIVE_MINUTES);
            assertThat(fiveMinutes.fetch(groupId, T0.plus(MIN.multipliedBy(5)).toEpochMilli()))
                    .isEqualTo(1);
            assertThat(fiveMinutes.fetch(groupId, T0.toEpochMilli())).isNull();
            assertThat(rateStore(RateDimension.GROUP, RateWindow.ONE_HOUR).fetch(groupId, T0.toEpochMilli()))
                    .isEqualTo(3);
            // same rule in the project dimension, behind its repartition topic
            assertThat(rateStore(RateDimension.PROJECT, RateWindow.ONE_MINUTE).fetch("1", T0.toEpochMilli()))
                    .isNull();
            assertThat(rateStore(RateDimension.PROJECT, RateWindow.ONE_HOUR).fetch("1", T0.toEpochMilli()))
                    .isEqualTo(3);
        }
    }

    @Nested
    class Spike {

        @Test
        void steadyHourlyTrafficDoesNotSpike() {
            for (int hour = 0; hour < 4; hour++) {
                errors(4, T0.plus(HOUR.multipliedBy(hour)), Duration.ofMinutes(10));
            }
            String groupId = groupId();

            assertThat(signalsOfType("spike")).isEmpty();
            WindowStore<String, Long> hourly = driver.getWindowStore(ClassifierTopology.SPIKE_COUNTS_STORE);
            assertThat(hourly.fetch(groupId, T0.plus(HOUR.multipliedBy(3)).toEpochMilli()))
                    .isEqualTo(4);
            KeyValueStore<String, Long> fired = driver.getKeyValueStore(ClassifierTopology.SPIKE_FIRED_STORE);
            assertThat(fired.get(groupId)).isNull();
        }

        @Test
        void aBurstOverAShortHistoryFiresOnceWhenItPassesMedianPlusTwoSpreads() {
            for (int hour = 0; hour < 3; hour++) {
                errors(4, T0.plus(HOUR.multipliedBy(hour)), Duration.ofMinutes(10));
            }
            Instant burst = T0.plus(HOUR.multipliedBy(3));
            errors(11, burst, Duration.ofMinutes(1));
            String groupId = groupId();

            List<Signal> spikes = signalsOfType("spike");
            assertThat(spikes).hasSize(1);
            Signal spike = spikes.get(0);
            // median 4, MAD 0 but a count of 4 spreads at least √4 = 2: limit 4 + 2·2 = 8
            assertThat(spike.getThreshold()).isEqualTo(8.0);
            assertThat(spike.getObserved()).isEqualTo(9);
            assertThat(spike.getSignalId()).isEqualTo("spike:" + groupId + ":" + burst.toEpochMilli());
            assertThat(spike.getGroupId()).isEqualTo(groupId);
            assertThat(spike.getWorkflow()).isEqualTo("booking");
            assertThat(spike.getWindowStart()).isEqualTo(burst);
            assertThat(spike.getWindowEnd()).isEqualTo(burst.plus(HOUR));
            assertThat(spike.getDetectedAt()).isEqualTo(burst.plus(MIN.multipliedBy(8)));
            assertThat(spike.getDetails())
                    .containsEntry("basis", "short-history-median-mad")
                    .containsEntry("historyHours", "3");
            WindowStore<String, Long> hourly = driver.getWindowStore(ClassifierTopology.SPIKE_COUNTS_STORE);
            assertThat(hourly.fetch(groupId, burst.toEpochMilli())).isEqualTo(11);
            KeyValueStore<String, Long> fired = driver.getKeyValueStore(ClassifierTopology.SPIKE_FIRED_STORE);
            assertThat(fired.get(groupId)).isEqualTo(burst.toEpochMilli());
        }

        @Test
        void withAFullWeekTheLimitIsFiveTimesTheHourlyMean() {
            error(T0);
            String groupId = groupId();
            WindowStore<String, Long> hourly = driver.getWindowStore(ClassifierTopology.SPIKE_COUNTS_STORE);
            for (int hour = 0; hour < SpikeThreshold.WEEK_HOURS; hour++) {
                hourly.put(groupId, 2L, T0.plus(HOUR.multipliedBy(hour)).toEpochMilli());
            }
            Instant week = T0.plus(HOUR.multipliedBy(SpikeThreshold.WEEK_HOURS));

            errors(10, week, Duration.ofMinutes(1));
            assertThat(signalsOfType("spike")).isEmpty();

            error(week.plus(Duration.ofMinutes(55)));
            List<Signal> spikes = signalsOfType("spike");
            assertThat(spikes).hasSize(1);
            assertThat(spikes.get(0).getObserved()).isEqualTo(11);
            assertThat(spikes.get(0).getThreshold()).isEqualTo(10);
            assertThat(spikes.get(0).getDetails())
                    .containsEntry("basis", "week-spike")
                    .containsEntry("historyHours", "168");
        }
    }

    @Nested
    class SloBurn {

        private static final Duration BUCKET = Duration.ofMinutes(5);

        private WindowStore<String, BucketCounts> buckets() {
            return driver.getWindowStore(ClassifierTopology.SLO_BUCKETS_STORE);
        }

        /** Real error events spread over the bucket from {@code start}, then that bucket's traffic. */
        private void bucket(Instant start, int errors, long requests) {
            errors(errors, start.plusSeconds(1), Duration.ofSeconds(10));
            sample("s-" + start.toEpochMilli(), start, start.plus(BUCKET), requests);
        }

        /**
         * Error counts written straight into the bucket store, then the bucket's traffic: for
         * scenarios needing hours of errors, whose counting the other tests prove event by event.
         */
        private void countedBucket(Instant start, long errors, long requests) {
            buckets().put(BOOKING, new BucketCounts(errors, 0), start.toEpochMilli());
            sample("s-" + start.toEpochMilli(), start, start.plus(BUCKET), requests);
        }

        @Test
        void fifteenTimesTheBudgetFiresTheFastPairWithItsWindowsInTheDetails() {
            bucket(T0, 15, 1000);
            countedBucket(T0.plus(BUCKET), 15, 1000); // still burning: no second signal

            List<TestRecord<String, Signal>> burns = signals.readRecordsToList().stream()
                    .filter(r -> r.value().getType().equals("slo_burn"))
                    .toList();
            // the workflow burns, and so does its project: all its errors and requests are booking's
            assertThat(burns).extracting(TestRecord::key).containsExactlyInAnyOrder("1", BOOKING);
            Signal project = burns.stream()
                    .filter(r -> r.key().equals("1"))
                    .findFirst()
                    .orElseThrow()
                    .value();
            assertThat(project.getWorkflow()).isNull();
            assertThat(project.getMessage()).contains("on project 1");
            Signal signal = burns.stream()
                    .filter(r -> r.key().equals(BOOKING))
                    .findFirst()
                    .orElseThrow()
                    .value();
            Instant end = T0.plus(BUCKET);
            assertThat(signal.getSignalId()).isEqualTo("slo_burn:1/booking:1h/5m:" + end.toEpochMilli());
            assertThat(signal.getProjectId()).isEqualTo("1");
            assertThat(signal.getWorkflow()).isEqualTo("booking");
            assertThat(signal.getGroupId()).isNull();
            assertThat(signal.getSeverity()).isEqualTo("critical");
            assertThat(signal.getThreshold()).isEqualTo(14.4);
            assertThat(signal.getObserved()).isCloseTo(15.0, within(1e-9));
            assertThat(signal.getWindowStart()).isEqualTo(end.minus(HOUR));
            assertThat(signal.getWindowEnd()).isEqualTo(end);
            assertThat(signal.getDetails())
                    .containsEntry("windowPair", "1h/5m")
                    .containsEntry("longWindow", "PT1H")
                    .containsEntry("shortWindow", "PT5M")
                    .containsEntry("longErrors", "15")
                    .containsEntry("longRequests", "1000")
                    .containsEntry("errorRateTarget", "0.001");

            assertThat(buckets().fetch(BOOKING, T0.toEpochMilli())).isEqualTo(new BucketCounts(15, 1000));
            // errors and requests also count for the whole project
            assertThat(buckets().fetch("1", T0.toEpochMilli())).isEqualTo(new BucketCounts(15, 1000));
            KeyValueStore<String, Long> levels = driver.getKeyValueStore(ClassifierTopology.SLO_LEVEL_STORE);
            assertThat(levels.get(BOOKING)).isZero();
        }

        @Test
        void justBelowFourteenPointFourTheSixHourPairFiresInstead() {
            bucket(T0, 14, 1000);

            // one signal for the workflow, one for its project (all of whose errors and requests it has)
            List<Signal> burns = signalsOfType("slo_burn");
            assertThat(burns).extracting(Signal::getWorkflow).containsExactlyInAnyOrder(null, "booking");
            assertThat(burns).extracting(s -> s.getDetails().get("windowPair")).containsOnly("6h/30m");
            assertThat(burns).extracting(Signal::getSeverity).containsOnly("high");
            assertThat(burns).extracting(Signal::getThreshold).containsOnly(6.0);
        }

        @Test
        void aBurnThatGetsFasterSignalsAgainAtTheMoreUrgentPair() {
            for (int i = 0; i < 6; i++) {
                countedBucket(T0.plus(BUCKET.multipliedBy(i)), 14, 1000);
            }
            countedBucket(T0.plus(BUCKET.multipliedBy(6)), 100, 1000);

            // 1h: (6·14 + 100) / 7000 = 26x, 5m: 100x
            assertThat(signalsOfType("slo_burn"))
                    .extracting(s -> s.getDetails().get("windowPair"))
                    .containsExactly("6h/30m", "1h/5m");
        }

        @Test
        void aBurnThatStopsAndComesBackSignalsAgain() {
            countedBucket(T0, 15, 1000);
            countedBucket(T0.plus(BUCKET), 0, 1_000_000); // drowned: every window below 1x
            countedBucket(T0.plus(BUCKET.multipliedBy(2)), 0, 0);
            countedBucket(T0.plus(BUCKET.multipliedBy(3)), 30_000, 1000);

            assertThat(signalsOfType("slo_burn"))
                    .extracting(s -> s.getDetails().get("windowPair"))
                    .containsExactly("1h/5m", "1h/5m");
        }

        @Test
        void belowTheBudgetNothingFires() {
            for (int i = 0; i < 3; i++) {
                bucket(T0.plus(BUCKET.multipliedBy(i)), 1, 2000); // 0.05% errors: burn rate 0.5
            }

            assertThat(signalsOfType("slo_burn")).isEmpty();
            assertThat(buckets().fetch(BOOKING, T0.plus(BUCKET.multipliedBy(2)).toEpochMilli()))
                    .isEqualTo(new BucketCounts(1, 2000));
        }

        @Test
        void aResentSampleIsCountedOnceAndASpanningOneIsSplitAcrossBuckets() {
            sample("s1", T0, T0.plus(BUCKET), 1000);
            sample("s1", T0, T0.plus(BUCKET), 1000);
            sample("s2", T0.plus(BUCKET), T0.plus(BUCKET.multipliedBy(3)), 500);

            assertThat(buckets().fetch(BOOKING, T0.toEpochMilli())).isEqualTo(new BucketCounts(0, 1000));
            assertThat(buckets().fetch(BOOKING, T0.plus(BUCKET).toEpochMilli())).isEqualTo(new BucketCounts(0, 250));
            assertThat(buckets().fetch(BOOKING, T0.plus(BUCKET.multipliedBy(2)).toEpochMilli()))
                    .isEqualTo(new BucketCounts(0, 250));
        }

        @Test
        void errorsLaterThanTheGracePeriodAreNotCounted() {
            sample("s1", T0.plus(MIN.multipliedBy(20)), T0.plus(MIN.multipliedBy(25)), 1000); // stream time 10:25
            error(T0.plus(MIN.multipliedBy(16))); // bucket 10:15-10:20 closed at 10:25
            error(T0.plus(MIN.multipliedBy(22))); // bucket 10:20-10:25 open until 10:30

            assertThat(buckets().fetch(BOOKING, T0.plus(MIN.multipliedBy(15)).toEpochMilli()))
                    .isNull();
            assertThat(buckets().fetch(BOOKING, T0.plus(MIN.multipliedBy(20)).toEpochMilli()))
                    .isEqualTo(new BucketCounts(1, 1000));
        }

        @Test
        void aSampleCountsForItsWorkflowUnderTheNameErrorsGiveItAndForItsProject() {
            sample("s-named", " Booking ", T0, T0.plus(BUCKET), 400);
            sample("s-project", null, T0, T0.plus(BUCKET), 100);

            assertThat(buckets().fetch(BOOKING, T0.toEpochMilli())).isEqualTo(new BucketCounts(0, 400));
            assertThat(buckets().fetch("1", T0.toEpochMilli())).isEqualTo(new BucketCounts(0, 500));
        }

        @Test
        void aTrafficRecordWithoutAValueIsDeadLetteredNotCountedAsAnError() {
            traffic.pipeInput(BOOKING, null, T0);
            sample("s1", T0, T0.plus(BUCKET), 1000);

            TestRecord<String, byte[]> dead = trafficDlq.readRecord();
            assertThat(dead.value()).isNull();
            assertThat(new String(
                            dead.headers().lastHeader(Topics.DLQ_HEADER_REASON).value(), StandardCharsets.UTF_8))
                    .isEqualTo("empty value");
            assertThat(buckets().fetch(BOOKING, T0.toEpochMilli())).isEqualTo(new BucketCounts(0, 1000));
        }

        @Test
        void aSampleWhoseWindowReachesBackToTheEpochIsAttributedOverTheEvaluatedDaysOnly() {
            // a client may send any start: one share per bucket since 1970 would be ~5.9 million
            sample("s-old", Instant.EPOCH, T0.plus(BUCKET), 1_000_000_000_000L);

            // 1e12 requests over ~57 years: ~169,000 per 5-minute bucket, in the buckets evaluated
            BucketCounts last = buckets().fetch(BOOKING, T0.toEpochMilli());
            long perBucket =
                    1_000_000_000_000L * BUCKET.toMillis() / T0.plus(BUCKET).toEpochMilli();
            assertThat(last.requests()).isBetween(perBucket - 1, perBucket + 1);
            assertThat(buckets()
                            .fetch(BOOKING, T0.minus(Duration.ofDays(2)).toEpochMilli())
                            .requests())
                    .isBetween(perBucket - 1, perBucket + 1);
        }

        @Test
        void undecodableTrafficGoesToItsDeadLetterTopicAndTheStreamGoesOn() {
            traffic.pipeInput("k1", "not avro".getBytes(StandardCharsets.UTF_8), T0);
            sample("s1", T0, T0.plus(BUCKET), 1000);

            TestRecord<String, byte[]> dead = trafficDlq.readRecord();
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
            assertThat(new String(
                            dead.headers()
                                    .lastHeader(Topics.DLQ_HEADER_SOURCE_TOPIC)
                                    .value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo(Topics.TRAFFIC.name());
            assertThat(new String(
                            dead.headers().lastHeader(Topics.DLQ_HEADER_REASON).value(), StandardCharsets.UTF_8))
                    .startsWith("decode:");
            assertThat(buckets().fetch(BOOKING, T0.toEpochMilli())).isEqualTo(new BucketCounts(0, 1000));
        }
    }
}
