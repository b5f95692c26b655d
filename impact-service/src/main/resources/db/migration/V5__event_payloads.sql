-- Faultline impact store, version 5: every accepted event kept whole (docs/impact-model.md, Event payloads).

-- The scrubbed ErrorEvent as the classified topic carried it: Avro single-object bytes (the
-- writer's schema fingerprint in front, so an event written before a schema change still decodes),
-- deflated. Its own table rather than a column of error_events: the summary rows that queries,
-- merges and the purge scan stay narrow, and a merge's UPDATE of group_id never copies a payload.
-- completeness ranks the group's recommended event without decompressing anything.
CREATE TABLE event_payloads (
    event_id      VARCHAR(64)  PRIMARY KEY,
    occurred_at   TIMESTAMPTZ  NOT NULL,
    completeness  SMALLINT     NOT NULL,
    payload       BYTEA        NOT NULL
);
-- Already compressed: PostgreSQL must not spend CPU compressing it again when it is moved out of line.
ALTER TABLE event_payloads ALTER COLUMN payload SET STORAGE EXTERNAL;
CREATE INDEX event_payloads_occurred_at ON event_payloads (occurred_at);

-- A group's events newest first, one page after another: the event id breaks ties at equal times,
-- so the keyset cursor (occurred_at, event_id) is a unique position. Replaces (group_id, occurred_at).
CREATE INDEX error_events_group_time_id ON error_events (group_id, occurred_at, event_id);
DROP INDEX error_events_group_time;
