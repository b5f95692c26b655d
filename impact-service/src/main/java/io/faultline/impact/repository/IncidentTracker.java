package io.faultline.impact.repository;

import io.faultline.impact.alerts.AlertEvaluator;
import io.faultline.impact.config.IncidentsConfig;
import io.faultline.schemas.Signal;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Opens incidents from the detectors' signals and closes the ones that went quiet. Incidents
 * opened by errors (critical, revenue-blocking) are written by {@link ImpactRecorder} in the
 * batch transaction; verified fixes close theirs in {@link ResolutionRecorder}.
 */
@ApplicationScoped
public class IncidentTracker {

    private static final Logger LOG = Logger.getLogger(IncidentTracker.class);
    static final String CONSUMER = "impact-signals";
    /** Signal types that mean trouble; {@code rate} and unknown types are informational. */
    static final Set<String> OPENING_SIGNALS = Set.of("spike", "new_issue", "regression", "slo_burn");
    /** An ignored group crossed its until-condition (the classifier's signal). */
    static final String IGNORE_EXPIRED = "ignore_expired";

    private final IncidentsConfig config;
    private final AlertEvaluator alerts;
    private final Pool pool;

    public IncidentTracker(IncidentsConfig config, AlertEvaluator alerts, Pool pool) {
        this.config = config;
        this.alerts = alerts;
        this.pool = pool;
    }

    /** The incident scope a signal is about: its group, else its workflow, else its project. */
    static String[] scopeOf(Signal s) {
        if (s.getGroupId() != null) {
            return new String[] {"group", s.getGroupId()};
        }
        if (s.getWorkflow() != null) {
            return new String[] {"workflow", s.getWorkflow()};
        }
        return new String[] {"project", s.getProjectId()};
    }

    /** @return whether the signal was new (false: a duplicate, nothing changed) */
    public Uni<Boolean> record(Signal signal) {
        return pool.withTransaction(conn -> record(conn, signal));
    }

    private Uni<Boolean> record(SqlConnection conn, Signal signal) {
        return conn.preparedQuery("INSERT INTO processed_records (consumer, record_id) VALUES ($1, $2)"
                        + " ON CONFLICT DO NOTHING")
                .execute(Tuple.of(CONSUMER, signal.getSignalId()))
                .map(rows -> rows.rowCount())
                .flatMap(inserted -> {
                    if (inserted == 0) {
                        return Uni.createFrom().item(false);
                    }
                    if (IGNORE_EXPIRED.equals(signal.getType()) && signal.getGroupId() != null) {
                        // the classifier woke an ignored group up: it counts as open trouble again,
                        // and its time to resolve runs from now (the ignore was an operator's decision)
                        return conn.preparedQuery("UPDATE error_groups SET status = 'unresolved',"
                                        + " clock_started_at = $2 WHERE group_id = $1 AND status = 'ignored'")
                                .execute(Tuple.of(
                                        signal.getGroupId(),
                                        OffsetDateTime.ofInstant(signal.getDetectedAt(), ZoneOffset.UTC)))
                                .replaceWith(true);
                    }
                    if (GroupMerges.GROUP_MERGED.equals(signal.getType())) {
                        return GroupMerges.apply(conn, signal);
                    }
                    if (ReleaseResolutions.RELEASE_SHIPPED.equals(signal.getType())) {
                        return ReleaseResolutions.shipped(conn, signal).replaceWith(true);
                    }
                    if (!OPENING_SIGNALS.contains(signal.getType())) {
                        return Uni.createFrom().item(true);
                    }
                    String[] scope = scopeOf(signal);
                    // the alert rides in the signal's transaction, written once with it
                    Uni<Void> alerted = ReleaseResolutions.REGRESSION.equals(signal.getType())
                            ? ReleaseResolutions.regressed(conn, signal).chain(() -> alerts.onSignal(conn, signal))
                            : alerts.onSignal(conn, signal);
                    OffsetDateTime at = OffsetDateTime.ofInstant(signal.getDetectedAt(), ZoneOffset.UTC);
                    String title =
                            signal.getMessage() == null || signal.getMessage().isBlank()
                                    ? signal.getType() + " on " + scope[0] + " " + scope[1]
                                    : signal.getMessage();
                    return alerted.chain(
                                    () -> conn.preparedQuery("INSERT INTO incidents (incident_id, project_id, scope,"
                                                    + " scope_key, group_id, workflow, title, severity, trigger, opened_at,"
                                                    + " last_activity_at, signal_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                                                    + " $10, $10, 1) ON CONFLICT (project_id, scope, scope_key) WHERE status = 'open'"
                                                    + " DO UPDATE SET signal_count = incidents.signal_count + 1,"
                                                    + " last_activity_at = GREATEST(incidents.last_activity_at,"
                                                    + " EXCLUDED.last_activity_at),"
                                                    + " severity = CASE WHEN EXCLUDED.severity = 'critical' THEN 'critical'"
                                                    + " ELSE incidents.severity END")
                                            .execute(Tuple.from(Arrays.asList(
                                                    "inc-sig-" + signal.getSignalId(),
                                                    signal.getProjectId(),
                                                    scope[0],
                                                    scope[1],
                                                    signal.getGroupId(),
                                                    signal.getWorkflow(),
                                                    title,
                                                    signal.getSeverity(),
                                                    signal.getType(),
                                                    at))))
                            .replaceWith(true);
                });
    }

    @Scheduled(
            identity = "incident-quiet-close",
            every = "${faultline.incidents.every:1m}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        Instant now = Instant.now();
        return closeQuiet(now.minus(config.quietPeriod()), now)
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("closed %d quiet incidents", n);
                    }
                })
                .replaceWithVoid();
    }

    /** Closes open incidents whose last activity is before {@code quietSince}; @return how many. */
    public Uni<Integer> closeQuiet(Instant quietSince, Instant now) {
        return pool.preparedQuery("UPDATE incidents SET status = 'closed',"
                        + " closed_at = $2, close_reason = 'quiet' WHERE status = 'open'"
                        + " AND last_activity_at < $1")
                .execute(Tuple.of(
                        OffsetDateTime.ofInstant(quietSince, ZoneOffset.UTC),
                        OffsetDateTime.ofInstant(now, ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }
}
