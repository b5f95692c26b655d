package io.faultline.classifier.streams;

import io.faultline.classifier.detection.BurnRateRule;
import io.faultline.classifier.detection.DetectionSettings;
import io.faultline.classifier.detection.TrafficAttribution;
import io.faultline.schemas.Signal;
import io.faultline.schemas.TrafficSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Partitioned by scope (project, or project/workflow): counts errors and requests in
 * {@link BurnRateRule#BUCKET 5-minute} event-time buckets and applies the multi-window burn-rate
 * rule.
 *
 * <p><b>Attributing traffic.</b> A sample's requests are spread over the buckets its
 * [windowStart, windowEnd) overlaps, pro rata ({@link TrafficAttribution}); its event time is
 * its windowEnd. Errors count in the bucket of their own event time. A sample is dropped whole
 * if the bucket holding its last instant closed more than the grace period ago, as is an error
 * whose bucket closed; a sample id already counted (same id and window start) is ignored, since
 * senders may resend. Errors and traffic share this detector's clock (the latest event time it saw), which real-time errors
 * push forward: a sender that reports a window later than the grace period after it ended is
 * ignored, so {@code faultline.detection.grace} must cover the traffic senders' reporting delay.
 *
 * <p><b>When to evaluate.</b> Only when traffic arrives, over windows ending at the end of the
 * bucket the sample ends in. Errors arrive as they happen but the request count for the same
 * minutes comes later; judging at each error would divide by a denominator not yet reported and
 * page on every burst.
 *
 * <p><b>When to signal.</b> The alert level of a scope is its most urgent firing pair. A signal
 * goes out when the level rises (none → 3d/6h, 6h/30m → 1h/5m, ...), not at every evaluation of
 * an ongoing burn; the level is kept per scope in a store, so it survives restarts. When the burn
 * falls or stops the level follows it down silently, so a burn that comes back signals again.
 * The signal id is derived from scope, pair and evaluation point, so a replay produces the same id.
 */
final class SloBurnProcessor implements Processor<String, SloInput, String, Signal> {

    private static final long BUCKET_MS = BurnRateRule.BUCKET.toMillis();
    /** Alert level when no pair fires: less urgent than every pair index. */
    private static final long NO_BURN = BurnRateRule.PAIRS.size();

    private final String bucketStoreName;
    private final String levelStoreName;
    private final String sampleStoreName;
    private final long graceMs;
    private final double errorRateTarget;
    private final BurnRateRule rule;
    private ProcessorContext<String, Signal> context;
    private WindowStore<String, BucketCounts> buckets;
    private KeyValueStore<String, Long> levels;
    private WindowStore<String, Long> samples;
    /** The latest event time seen (errors' own times, samples' window ends): this detector's clock. */
    private long observedTimeMs = Long.MIN_VALUE;

    SloBurnProcessor(
            String bucketStoreName, String levelStoreName, String sampleStoreName, DetectionSettings settings) {
        this.bucketStoreName = bucketStoreName;
        this.levelStoreName = levelStoreName;
        this.sampleStoreName = sampleStoreName;
        this.graceMs = settings.grace().toMillis();
        this.errorRateTarget = settings.errorRateTarget();
        this.rule = new BurnRateRule(settings.errorRateTarget());
    }

    @Override
    public void init(ProcessorContext<String, Signal> context) {
        this.context = context;
        this.buckets = context.getStateStore(bucketStoreName);
        this.levels = context.getStateStore(levelStoreName);
        this.samples = context.getStateStore(sampleStoreName);
    }

    @Override
    public void process(Record<String, SloInput> record) {
        String scope = record.key();
        observedTimeMs = Math.max(observedTimeMs, record.timestamp());
        if (record.value().isError()) {
            long bucket = bucketOf(record.timestamp());
            if (!closed(bucket)) {
                add(scope, bucket, 1, 0);
            }
            return;
        }
        TrafficSample sample = record.value().traffic();
        long start = sample.getWindowStart().toEpochMilli();
        long end = sample.getWindowEnd().toEpochMilli();
        long lastBucket = bucketOf(end > start ? end - 1 : start);
        // a sample counts once per scope (its workflow's and its project's)
        String sampleKey = scope + Scopes.SEPARATOR + sample.getSampleId();
        if (closed(lastBucket) || samples.fetch(sampleKey, start) != null) {
            return;
        }
        samples.put(sampleKey, end, start);
        // buckets older than the longest window evaluated are never read again: a window reaching
        // further back (a client may send any start) is attributed pro rata, but only from there
        long oldestRead = observedTimeMs - BurnRateRule.HORIZON.toMillis() - graceMs;
        for (TrafficAttribution.Share share :
                TrafficAttribution.split(start, end, sample.getRequests(), BUCKET_MS, oldestRead)) {
            add(scope, share.bucketStartMs(), 0, share.requests());
        }
        evaluate(scope, lastBucket + BUCKET_MS, record);
    }

    private void evaluate(String scope, long endMs, Record<String, SloInput> record) {
        List<BurnRateRule.Bucket> seen = new ArrayList<>();
        try (WindowStoreIterator<BucketCounts> it = buckets.fetch(
                scope,
                Instant.ofEpochMilli(endMs - BurnRateRule.HORIZON.toMillis()),
                Instant.ofEpochMilli(endMs - 1))) {
            it.forEachRemaining(
                    kv -> seen.add(new BurnRateRule.Bucket(kv.key, kv.value.errors(), kv.value.requests())));
        }
        Optional<BurnRateRule.Burn> burn = rule.evaluate(seen, endMs);
        long level = burn.map(b -> (long) BurnRateRule.PAIRS.indexOf(b.pair())).orElse(NO_BURN);
        Long previous = levels.get(scope);
        long previousLevel = previous == null ? NO_BURN : previous;
        if (level != previousLevel) {
            levels.put(scope, level);
        }
        if (level < previousLevel) {
            context.forward(new Record<>(scope, signal(scope, burn.get()), endMs, record.headers()));
        }
    }

    private Signal signal(String scope, BurnRateRule.Burn b) {
        Map<String, String> details = new HashMap<>();
        details.put("windowPair", b.pair().name());
        details.put("longWindow", b.pair().longWindow().toString());
        details.put("shortWindow", b.pair().shortWindow().toString());
        details.put("longBurnRate", Double.toString(b.longWindow().burnRate()));
        details.put("shortBurnRate", Double.toString(b.shortWindow().burnRate()));
        details.put("longErrors", Long.toString(b.longWindow().errors()));
        details.put("longRequests", Long.toString(b.longWindow().requests()));
        details.put("shortErrors", Long.toString(b.shortWindow().errors()));
        details.put("shortRequests", Long.toString(b.shortWindow().requests()));
        details.put("burnRateFactor", Double.toString(b.pair().factor()));
        details.put("errorRateTarget", Double.toString(errorRateTarget));
        String workflow = Scopes.workflow(scope);
        return Signal.newBuilder()
                .setSignalId("slo_burn:" + scope + ":" + b.pair().name() + ":"
                        + b.longWindow().endMs())
                .setType("slo_burn")
                .setProjectId(Scopes.projectId(scope))
                .setGroupId(null)
                .setWorkflow(workflow)
                .setSeverity(b.pair().severity())
                .setDetectedAt(Instant.ofEpochMilli(b.longWindow().endMs()))
                .setWindowStart(Instant.ofEpochMilli(b.longWindow().startMs()))
                .setWindowEnd(Instant.ofEpochMilli(b.longWindow().endMs()))
                .setObserved(Math.min(b.longWindow().burnRate(), b.shortWindow().burnRate()))
                .setThreshold(b.pair().factor())
                .setMessage(String.format(
                        "SLO burn %s on %s: %.1fx over %s and %.1fx over %s (limit %.1fx)",
                        b.pair().name(),
                        workflow == null ? "project " + Scopes.projectId(scope) : "workflow " + workflow,
                        b.longWindow().burnRate(),
                        b.pair().longWindow(),
                        b.shortWindow().burnRate(),
                        b.pair().shortWindow(),
                        b.pair().factor()))
                .setDetails(details)
                .build();
    }

    private void add(String scope, long bucket, long errors, long requests) {
        BucketCounts current = buckets.fetch(scope, bucket);
        buckets.put(scope, (current == null ? BucketCounts.EMPTY : current).plus(errors, requests), bucket);
    }

    private boolean closed(long bucket) {
        return bucket + BUCKET_MS + graceMs <= observedTimeMs;
    }

    private static long bucketOf(long timestampMs) {
        return Math.floorDiv(timestampMs, BUCKET_MS) * BUCKET_MS;
    }
}
