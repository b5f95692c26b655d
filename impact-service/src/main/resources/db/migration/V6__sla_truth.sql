-- Faultline impact store, version 6: time to resolve that counts every way a group gets resolved
-- and every group left open past its target (docs/impact-model.md, SLA).

-- When the group's current clock started: its first event, or the first event after it was
-- resolved (a regression starts a new clock), or the moment an operator reopened it or an ignore
-- expired. NULL only on a group a pod of the previous version stores during a rolling upgrade:
-- first_seen stands in, which is what it is for a group never resolved.
ALTER TABLE error_groups ADD COLUMN clock_started_at TIMESTAMPTZ;
UPDATE error_groups SET clock_started_at = CASE WHEN status = 'regressed' AND resolved_at IS NOT NULL
    THEN resolved_at ELSE first_seen END;

-- Open groups past their priority's target are counted on every /sla: an index-only range per
-- priority over the open groups (a plain column: an expression would cost a heap visit per group).
CREATE INDEX error_groups_open_clock ON error_groups (severity, clock_started_at)
    INCLUDE (project_id) WHERE status IN ('unresolved', 'regressed');

-- A resolving entry (a verified fix or an operator's resolve that resolved an open group) keeps the
-- clock it stopped and the priority it was timed at, so a later regression, which restarts the
-- group's clock, does not rewrite the history of /sla.
ALTER TABLE resolutions ADD COLUMN clock_started_at TIMESTAMPTZ;
ALTER TABLE resolutions ADD COLUMN priority VARCHAR(16);
CREATE INDEX resolutions_resolving_time ON resolutions (occurred_at) WHERE clock_started_at IS NOT NULL;

-- Verified fixes stored before this version keep the timing they had: from the triggering event
-- while it is stored, else from the group's first event.
UPDATE resolutions r SET priority = COALESCE(r.severity, g.severity),
    clock_started_at = COALESCE((SELECT e.occurred_at FROM error_events e WHERE e.event_id = r.event_id), g.first_seen)
FROM error_groups g
WHERE g.group_id = r.group_id AND r.phase = 'verification_passed' AND NOT r.dry_run;
