package io.faultline.resolver.messaging;

import io.faultline.resolver.engine.AuditEntry;
import io.faultline.resolver.engine.AuditTrail;
import io.faultline.schemas.ResolutionEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** The audit trail is the {@code faultline.resolutions.v1} topic, keyed by group id. */
@ApplicationScoped
public class KafkaAuditTrail implements AuditTrail {

    private final Emitter<Record<String, ResolutionEvent>> emitter;
    private final MeterRegistry metrics;

    public KafkaAuditTrail(
            @Channel("faultline.resolutions.v1") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                    Emitter<Record<String, ResolutionEvent>> emitter,
            MeterRegistry metrics) {
        this.emitter = emitter;
        this.metrics = metrics;
    }

    @Override
    public CompletionStage<Void> record(AuditEntry e) {
        ResolutionEvent event = ResolutionEvent.newBuilder()
                .setEntryId(e.entryId())
                .setAttemptId(e.attemptId())
                .setGroupId(e.groupId())
                .setProjectId(e.projectId())
                .setEventId(e.eventId())
                .setTimestamp(e.timestamp())
                .setPhase(e.phase().wireName())
                .setRunbookId(e.runbookId())
                .setAction(e.action())
                .setStrategy(e.strategy())
                .setAttempt(e.attempt())
                .setDryRun(e.dryRun())
                .setSeverity(e.severity())
                .setMessage(e.message())
                .setDetails(new java.util.HashMap<>(e.details()))
                .build();
        // escalations per runbook and the auto-resolution rate are read off this counter
        metrics.counter(
                        "faultline.resolver.entries",
                        "phase",
                        e.phase().wireName(),
                        "runbook",
                        e.runbookId() == null ? "none" : e.runbookId(),
                        "dry_run",
                        Boolean.toString(e.dryRun()))
                .increment();
        return emitter.send(Record.of(e.groupId(), event));
    }
}
