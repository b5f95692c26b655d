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

-- A group's events are paged newest first on the keyset (occurred_at, event_id): the index
-- error_events (group_id, occurred_at) of V1 serves it (ties at one instant are sorted in the few
-- rows they hold). An index with event_id as well would have to be built on error_events, a large
-- table, which blocks its writes unless built CONCURRENTLY in a migration of its own
-- (docs/operations.md, Database migrations).
