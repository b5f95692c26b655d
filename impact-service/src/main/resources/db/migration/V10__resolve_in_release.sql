-- Faultline impact store, version 10: resolve in the next release (docs/releases.md) and the
-- SLA-breach alert trigger (docs/alerts.md).

-- The release an operator resolved the group in (its fix comes after it): only an event of a later
-- release reopens the group, which the classifier decides and signals (regression). Until a later
-- release ships (release_shipped_at, the classifier's release_shipped signal) the group's
-- time-to-resolve clock keeps running: it counts as open for /sla.
ALTER TABLE error_groups ADD COLUMN resolved_in_release VARCHAR(200);
ALTER TABLE error_groups ADD COLUMN release_shipped_at TIMESTAMPTZ;
CREATE INDEX error_groups_release_pending_clock ON error_groups (severity, clock_started_at)
    INCLUDE (project_id) WHERE status = 'resolved' AND resolved_in_release IS NOT NULL
    AND release_shipped_at IS NULL;

-- An SLA-breach rule fires once per group per clock: the evaluator looks up the rule's last
-- alert for the group.
CREATE INDEX alert_deliveries_rule_group ON alert_deliveries (rule_id, group_id, fired_at DESC)
    WHERE trigger = 'sla_breach';

-- The classifier's release_shipped signal and the operator's resolve it follows reach the
-- impact-service on two topics, consumed apart: the shipping is kept, so a resolve stored after
-- it still finds its release shipped.
CREATE TABLE release_shipments (
    group_id    VARCHAR(160) NOT NULL,
    release     VARCHAR(200) NOT NULL,
    shipped_at  TIMESTAMPTZ  NOT NULL,
    message     TEXT         NOT NULL DEFAULT '',
    PRIMARY KEY (group_id, release)
);
