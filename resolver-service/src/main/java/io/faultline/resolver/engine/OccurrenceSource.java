package io.faultline.resolver.engine;

import io.faultline.resolver.runbook.Trigger;
import java.time.Instant;

/**
 * Where a verification learns which errors followed an action: every classified error of the
 * trigger's group (or, for a workflow- or project-level signal, of its workflow or project),
 * whichever resolver instance consumed it. An instance sees only the errors of the partitions
 * assigned to it, and a signal may be handled by another instance than its group's errors, so a
 * verdict cannot rest on what this instance happened to consume.
 */
public interface OccurrenceSource {

    /**
     * The trigger's occurrences placed (by {@link OccurrenceLog#occurrenceTime}) after {@code
     * from} and up to {@code to}, each event id once, in a log keyed by {@code trigger.groupId()}.
     *
     * @throws OccurrencesUnavailable when they could not be read in time
     */
    OccurrenceLog read(Trigger trigger, Instant from, Instant to);

    /** The errors could not be read (the broker is unreachable or too slow). */
    final class OccurrencesUnavailable extends RuntimeException {
        public OccurrencesUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
