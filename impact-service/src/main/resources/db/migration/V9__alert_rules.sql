-- Alert rules people set without writing a runbook (docs/alerts.md). A rule says when (a trigger),
-- about what (filters) and where to (one channel); its channel holds the signing secret, which the
-- API never returns.
CREATE TABLE alert_rules (
    rule_id                  BIGSERIAL PRIMARY KEY,
    name                     VARCHAR(200) NOT NULL,
    enabled                  BOOLEAN NOT NULL DEFAULT TRUE,
    trigger                  VARCHAR(32) NOT NULL,
    threshold                INT,
    window_seconds           INT,
    per_scope                VARCHAR(16),
    filters                  JSONB NOT NULL DEFAULT '{}',
    channel                  JSONB NOT NULL,
    action_interval_seconds  INT NOT NULL DEFAULT 300,
    created_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at               TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- When a rule last fired for a group (or workflow, or project): no repeat within its action interval.
CREATE TABLE alert_throttle (
    rule_id        BIGINT NOT NULL REFERENCES alert_rules ON DELETE CASCADE,
    alert_key      VARCHAR(300) NOT NULL,
    last_fired_at  TIMESTAMPTZ NOT NULL,
    quiet_until    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (rule_id, alert_key)
);

-- The outbox: an alert is written in the transaction that stored what fired it, and delivered after,
-- so a receiver that is down loses nothing and a restart resumes. It is also the rule's history.
CREATE TABLE alert_deliveries (
    alert_id         BIGSERIAL PRIMARY KEY,
    rule_id          BIGINT NOT NULL REFERENCES alert_rules ON DELETE CASCADE,
    alert_key        VARCHAR(300) NOT NULL,
    action           VARCHAR(16) NOT NULL DEFAULT 'trigger',
    trigger          VARCHAR(32) NOT NULL,
    project_id       VARCHAR(100),
    group_id         VARCHAR(160),
    workflow         VARCHAR(100),
    severity         VARCHAR(32),
    title            TEXT NOT NULL,
    fired_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    status           VARCHAR(16) NOT NULL DEFAULT 'pending',
    attempts         INT NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at     TIMESTAMPTZ,
    last_error       TEXT
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX alert_deliveries_rule ON alert_deliveries (rule_id, alert_id DESC);

-- Every try of a delivery, failed or not.
CREATE TABLE alert_attempts (
    alert_id      BIGINT NOT NULL REFERENCES alert_deliveries ON DELETE CASCADE,
    attempt       INT NOT NULL,
    attempted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    outcome       VARCHAR(16) NOT NULL,
    detail        TEXT,
    PRIMARY KEY (alert_id, attempt)
);
