-- Faultline impact store, version 3: hourly rollups, query indexes, incidents.

-- Per workflow and hour: the same counters as workflow_minutes, written in the same transaction.
-- Long windows (the 30-day error budgets, the overview's totals) read whole hours from here and
-- only the partial hours at their edges from workflow_minutes, so no query scans raw events or
-- a month of minutes.
CREATE TABLE workflow_hours (
    project_id        VARCHAR(64)  NOT NULL,
    workflow          VARCHAR(64)  NOT NULL,
    hour              TIMESTAMPTZ  NOT NULL,
    errors            BIGINT       NOT NULL DEFAULT 0,
    critical_errors   BIGINT       NOT NULL DEFAULT 0,
    revenue_blocking  BIGINT       NOT NULL DEFAULT 0,
    requests          BIGINT       NOT NULL DEFAULT 0,
    failed_requests   BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, workflow, hour)
) WITH (fillfactor = 70);
CREATE INDEX workflow_hours_hour ON workflow_hours (hour);

INSERT INTO workflow_hours (project_id, workflow, hour, errors, critical_errors, revenue_blocking, requests,
                            failed_requests)
SELECT project_id, workflow, date_trunc('hour', minute, 'UTC'), SUM(errors), SUM(critical_errors), SUM(revenue_blocking),
       SUM(requests), SUM(failed_requests)
FROM workflow_minutes
GROUP BY project_id, workflow, date_trunc('hour', minute, 'UTC');

-- Counter rows are updated in place by every batch; free space on each page lets PostgreSQL keep
-- those updates HOT (no index change, no index write): no counter column is indexed.
ALTER TABLE workflow_minutes SET (fillfactor = 70);
CREATE INDEX workflow_minutes_project_minute ON workflow_minutes (project_id, minute);

-- Groups list: each sort order filtered by project walks one index in order, the group id as the
-- keyset tie-breaker.
DROP INDEX error_groups_project_last_seen;
CREATE INDEX error_groups_project_last_seen_id ON error_groups (project_id, last_seen, group_id);
CREATE INDEX error_groups_project_first_seen_id ON error_groups (project_id, first_seen, group_id);
CREATE INDEX error_groups_project_count_id ON error_groups (project_id, event_count, group_id);

-- Events are looked up by id (time to resolve) and expired by time; the per-project and
-- per-workflow scans they served now read the rollups, so those two indexes only cost writes.
DROP INDEX error_events_project_time;
DROP INDEX error_events_workflow_time;
CREATE INDEX error_events_occurred_at ON error_events (occurred_at);

-- A period during which a group or a workflow is in trouble (docs/impact-model.md, Incidents).
-- At most one open incident per scope: later triggers extend it instead of opening another.
CREATE TABLE incidents (
    incident_id       VARCHAR(160) PRIMARY KEY,
    project_id        VARCHAR(64)  NOT NULL,
    scope             VARCHAR(16)  NOT NULL,
    scope_key         VARCHAR(160) NOT NULL,
    group_id          VARCHAR(64),
    workflow          VARCHAR(64),
    trigger           VARCHAR(32)  NOT NULL,
    severity          VARCHAR(16)  NOT NULL,
    title             TEXT         NOT NULL,
    status            VARCHAR(16)  NOT NULL DEFAULT 'open',
    opened_at         TIMESTAMPTZ  NOT NULL,
    last_activity_at  TIMESTAMPTZ  NOT NULL,
    closed_at         TIMESTAMPTZ,
    close_reason      VARCHAR(32),
    event_count       BIGINT       NOT NULL DEFAULT 0,
    signal_count      BIGINT       NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX incidents_one_open_per_scope ON incidents (project_id, scope, scope_key) WHERE status = 'open';
CREATE INDEX incidents_opened_id ON incidents (opened_at, incident_id);
CREATE INDEX incidents_project_opened_id ON incidents (project_id, opened_at, incident_id);
CREATE INDEX incidents_group ON incidents (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX incidents_closed_at ON incidents (closed_at) WHERE closed_at IS NOT NULL;
