package io.faultline.resolver.engine;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts running now, one per runbook and group: later errors of the group feed the running
 * attempt's verification instead of starting another.
 */
final class ActiveAttempts {

    private final Map<String, Attempt> active = new ConcurrentHashMap<>();
    private final AttemptJournal journal;
    private final Clock clock;

    ActiveAttempts(AttemptJournal journal, Clock clock) {
        this.journal = journal;
        this.clock = clock;
    }

    /** Makes the attempt the active one of its runbook and group, if there is none. */
    boolean activate(Attempt run) {
        return active.putIfAbsent(run.activeKey(), run) == null;
    }

    void deactivate(Attempt run) {
        active.remove(run.activeKey(), run);
    }

    /** Journals the attempt's outcome and makes room for the next attempt of its runbook and group. */
    void finish(Attempt run, AttemptOutcome outcome) {
        journal.finish(run.attemptId, outcome, clock.instant());
        deactivate(run);
    }
}
