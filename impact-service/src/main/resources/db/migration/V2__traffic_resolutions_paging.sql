-- Faultline impact store, version 2: traffic, resolutions, query indexes.

-- Requests the sender itself counted as failed (TrafficSample.failed), kept beside our own errors.
ALTER TABLE workflow_minutes ADD COLUMN failed_requests BIGINT NOT NULL DEFAULT 0;
-- Cross-project impact queries and the retention purge scan by minute alone.
CREATE INDEX workflow_minutes_minute ON workflow_minutes (minute);

-- When a verified fix last resolved the group; a later event turns it 'regressed'.
ALTER TABLE error_groups ADD COLUMN resolved_at TIMESTAMPTZ;
-- Keyset pagination: each sort order is (key, group_id) so a cursor is a unique position.
CREATE INDEX error_groups_last_seen_id ON error_groups (last_seen, group_id);
CREATE INDEX error_groups_first_seen_id ON error_groups (first_seen, group_id);
CREATE INDEX error_groups_count_id ON error_groups (event_count, group_id);

-- The resolver's audit trail; entry_id is the idempotency key (a redelivered entry conflicts).
CREATE TABLE resolutions (
    entry_id     VARCHAR(160) PRIMARY KEY,
    attempt_id   VARCHAR(160) NOT NULL,
    group_id     VARCHAR(64)  NOT NULL,
    project_id   VARCHAR(64)  NOT NULL,
    event_id     VARCHAR(64),
    occurred_at  TIMESTAMPTZ  NOT NULL,
    phase        VARCHAR(32)  NOT NULL,
    runbook_id   VARCHAR(160),
    action       VARCHAR(160),
    strategy     VARCHAR(160),
    attempt      INT          NOT NULL DEFAULT 0,
    dry_run      BOOLEAN      NOT NULL DEFAULT false,
    severity     VARCHAR(16),
    message      TEXT         NOT NULL DEFAULT ''
);
CREATE INDEX resolutions_time_id ON resolutions (occurred_at, entry_id);
CREATE INDEX resolutions_group_time ON resolutions (group_id, occurred_at);
CREATE INDEX resolutions_phase_time ON resolutions (phase, occurred_at);
