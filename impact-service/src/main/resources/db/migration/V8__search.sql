-- Faultline impact store, version 8: the groups search, tag distributions and users affected
-- (docs/impact-model.md, Search).

-- Per group and tag: every value its events carried, counted at write time in the batch
-- transaction (one upsert per batch, rows folded per group first). A rollup rather than a scan of
-- the newest N payloads: the distribution is exact over the group's whole life, reading it costs
-- one index range per group whatever its event count, and the search's tag terms are an index
-- probe instead of a decompression of stored events. Its size is bounded by distinct values per
-- group, not by events; values are clipped to 200 characters.
CREATE TABLE group_tag_values (
    group_id    VARCHAR(64)  NOT NULL,
    key         VARCHAR(32)  NOT NULL,
    value       VARCHAR(200) NOT NULL,
    times_seen  BIGINT       NOT NULL DEFAULT 0,
    first_seen  TIMESTAMPTZ  NOT NULL,
    last_seen   TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (group_id, key, value)
) WITH (fillfactor = 70);
-- A selective tag term (release:1.4.2) starts from the groups that carry it.
CREATE INDEX group_tag_values_key_value ON group_tag_values (key, value, group_id);

-- Distinct users per group by their hashed id: the insert that finds a pair new bumps the
-- group's users_affected in the same statement, so the list reads a column, never a count.
CREATE TABLE group_users (
    group_id   VARCHAR(64)  NOT NULL,
    user_hash  VARCHAR(128) NOT NULL,
    PRIMARY KEY (group_id, user_hash)
);
ALTER TABLE error_groups ADD COLUMN users_affected BIGINT NOT NULL DEFAULT 0;

-- Sentry's priority, from what Faultline knows of a group: severity first, business impact next.
ALTER TABLE error_groups ADD COLUMN priority SMALLINT GENERATED ALWAYS AS (
    (CASE severity WHEN 'critical' THEN 40 WHEN 'high' THEN 30 WHEN 'medium' THEN 20 WHEN 'low' THEN 10 ELSE 0 END)
    + (CASE business_impact WHEN 'revenue_blocking' THEN 5 WHEN 'user_blocking' THEN 4
       WHEN 'experience_degrading' THEN 3 WHEN 'operational' THEN 2 WHEN 'monitoring' THEN 1 ELSE 0 END)) STORED;

-- The two new sort orders, keyset-paginated like the others.
CREATE INDEX error_groups_users_id ON error_groups (users_affected, group_id);
CREATE INDEX error_groups_priority_id ON error_groups (priority, group_id);
