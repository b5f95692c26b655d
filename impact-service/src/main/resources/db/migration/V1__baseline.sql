-- Faultline impact store, version 1.

-- Idempotent consumption: a record's id is inserted in the same transaction as its effect,
-- so a redelivered record finds its id taken and changes nothing.
CREATE TABLE processed_records (
    consumer      VARCHAR(64)  NOT NULL,
    record_id     VARCHAR(160) NOT NULL,
    processed_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, record_id)
);
CREATE INDEX processed_records_processed_at ON processed_records (processed_at);

CREATE TABLE error_groups (
    group_id         VARCHAR(64)  PRIMARY KEY,
    project_id       VARCHAR(64)  NOT NULL,
    title            TEXT         NOT NULL,
    culprit          TEXT,
    strategy         VARCHAR(64)  NOT NULL,
    severity         VARCHAR(16)  NOT NULL,
    category         VARCHAR(32)  NOT NULL,
    business_impact  VARCHAR(32)  NOT NULL,
    workflow         VARCHAR(64),
    status           VARCHAR(16)  NOT NULL DEFAULT 'unresolved',
    first_seen       TIMESTAMPTZ  NOT NULL,
    last_seen        TIMESTAMPTZ  NOT NULL,
    event_count      BIGINT       NOT NULL DEFAULT 0
);
CREATE INDEX error_groups_project_last_seen ON error_groups (project_id, last_seen DESC);

-- One row per distinct event: the summary the queries and the retention purge work on.
CREATE TABLE error_events (
    event_id         VARCHAR(64)  PRIMARY KEY,
    group_id         VARCHAR(64)  NOT NULL,
    project_id       VARCHAR(64)  NOT NULL,
    occurred_at      TIMESTAMPTZ  NOT NULL,
    received_at      TIMESTAMPTZ  NOT NULL,
    level            VARCHAR(16)  NOT NULL,
    severity         VARCHAR(16)  NOT NULL,
    category         VARCHAR(32)  NOT NULL,
    business_impact  VARCHAR(32)  NOT NULL,
    workflow         VARCHAR(64),
    release          VARCHAR(200),
    environment      VARCHAR(100),
    message          TEXT
);
CREATE INDEX error_events_project_time ON error_events (project_id, occurred_at);
CREATE INDEX error_events_group_time ON error_events (group_id, occurred_at);
CREATE INDEX error_events_workflow_time ON error_events (workflow, occurred_at);

-- Per workflow and minute: the counters impact and SLA figures are computed from.
CREATE TABLE workflow_minutes (
    project_id        VARCHAR(64)  NOT NULL,
    workflow          VARCHAR(64)  NOT NULL,
    minute            TIMESTAMPTZ  NOT NULL,
    errors            BIGINT       NOT NULL DEFAULT 0,
    critical_errors   BIGINT       NOT NULL DEFAULT 0,
    revenue_blocking  BIGINT       NOT NULL DEFAULT 0,
    requests          BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, workflow, minute)
);
