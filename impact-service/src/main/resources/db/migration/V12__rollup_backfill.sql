-- Faultline impact store, version 12: the tag and user rollups of V8 for events stored before it
-- (docs/impact-model.md, Search, tags and users; issue #26).

-- V8 added the rollups but counted only the events stored after it: a group older than the upgrade
-- showed no tags and no users for its earlier events. Filling them in one UPDATE here would read and
-- decompress every stored payload while holding locks on the groups for the whole migration; the
-- service does it instead (RollupBackfill), a few hundred events per transaction in keyset order
-- of (group_id, occurred_at, event_id), keeping its position in this row in the same transaction,
-- so it resumes where a restart left it and counts no event twice.
--
-- horizon: when V8 was applied. An event whose processed-record marker is older was stored by a
-- version without the rollups; one stored after it was counted when it was stored. On a new
-- install V8 runs with this migration and nothing is older: the first run finds nothing and ends.
CREATE TABLE rollup_backfill (
    id             SMALLINT     PRIMARY KEY CHECK (id = 1),
    horizon        TIMESTAMPTZ  NOT NULL,
    next_group     VARCHAR(64),
    next_at        TIMESTAMPTZ,
    next_event     VARCHAR(64),
    events_done    BIGINT       NOT NULL DEFAULT 0,
    finished_at    TIMESTAMPTZ
);
INSERT INTO rollup_backfill (id, horizon)
SELECT 1, COALESCE((SELECT installed_on FROM flyway_schema_history WHERE version = '8' AND success), now());
