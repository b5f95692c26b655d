package io.faultline.impact.service;

import io.faultline.impact.alerts.AlertEvaluator;
import io.faultline.impact.config.IncidentsConfig;
import io.faultline.schemas.Signal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

    public IncidentTracker(IncidentsConfig config, AlertEvaluator alerts) {
        this.config = config;
        this.alerts = alerts;
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
    @WithTransaction
    public Uni<Boolean> record(Signal signal) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "INSERT INTO processed_records (consumer, record_id) VALUES (?1, ?2)"
                                + " ON CONFLICT DO NOTHING")
                .setParameter(1, CONSUMER)
                .setParameter(2, signal.getSignalId())
                .executeUpdate()
                .flatMap(inserted -> {
                    if (inserted == 0) {
                        return Uni.createFrom().item(false);
                    }
                    if (IGNORE_EXPIRED.equals(signal.getType()) && signal.getGroupId() != null) {
                        // the classifier woke an ignored group up: it counts as open trouble again,
                        // and its time to resolve runs from now (the ignore was an operator's decision)
                        return session.createNativeQuery("UPDATE error_groups SET status = 'unresolved',"
                                        + " clock_started_at = ?2 WHERE group_id = ?1 AND status = 'ignored'")
                                .setParameter(1, signal.getGroupId())
                                .setParameter(2, OffsetDateTime.ofInstant(signal.getDetectedAt(), ZoneOffset.UTC))
                                .executeUpdate()
                                .replaceWith(true);
                    }
                    if (GroupMerges.GROUP_MERGED.equals(signal.getType())) {
                        return GroupMerges.apply(session, signal);
                    }
                    if (ReleaseResolutions.RELEASE_SHIPPED.equals(signal.getType())) {
                        return ReleaseResolutions.shipped(session, signal).replaceWith(true);
                    }
                    if (!OPENING_SIGNALS.contains(signal.getType())) {
                        return Uni.createFrom().item(true);
                    }
                    String[] scope = scopeOf(signal);
                    // the alert rides in the signal's transaction, written once with it
                    Uni<Void> alerted = ReleaseResolutions.REGRESSION.equals(signal.getType())
                            ? ReleaseResolutions.regressed(session, signal)
                                    .chain(() -> alerts.onSignal(session, signal))
                            : alerts.onSignal(session, signal);
                    OffsetDateTime at = OffsetDateTime.ofInstant(signal.getDetectedAt(), ZoneOffset.UTC);
                    String title =
                            signal.getMessage() == null || signal.getMessage().isBlank()
                                    ? signal.getType() + " on " + scope[0] + " " + scope[1]
                                    : signal.getMessage();
                    return alerted.chain(() -> session.createNativeQuery(
                                            "INSERT INTO incidents (incident_id, project_id, scope,"
                                                    + " scope_key, group_id, workflow, title, severity, trigger, opened_at,"
                                                    + " last_activity_at, signal_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                                                    + " ?10, ?10, 1) ON CONFLICT (project_id, scope, scope_key) WHERE status = 'open'"
                                                    + " DO UPDATE SET signal_count = incidents.signal_count + 1,"
                                                    + " last_activity_at = GREATEST(incidents.last_activity_at,"
                                                    + " EXCLUDED.last_activity_at),"
                                                    + " severity = CASE WHEN EXCLUDED.severity = 'critical' THEN 'critical'"
                                                    + " ELSE incidents.severity END")
                                    .setParameter(1, "inc-sig-" + signal.getSignalId())
                                    .setParameter(2, signal.getProjectId())
                                    .setParameter(3, scope[0])
                                    .setParameter(4, scope[1])
                                    .setParameter(5, signal.getGroupId())
                                    .setParameter(6, signal.getWorkflow())
                                    .setParameter(7, title)
                                    .setParameter(8, signal.getSeverity())
                                    .setParameter(9, signal.getType())
                                    .setParameter(10, at)
                                    .executeUpdate())
                            .replaceWith(true);
                }));
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
    @WithTransaction
    public Uni<Integer> closeQuiet(Instant quietSince, Instant now) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("UPDATE incidents SET status = 'closed',"
                                + " closed_at = ?2, close_reason = 'quiet' WHERE status = 'open'"
                                + " AND last_activity_at < ?1")
                        .setParameter(1, OffsetDateTime.ofInstant(quietSince, ZoneOffset.UTC))
                        .setParameter(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                        .executeUpdate());
    }
}
