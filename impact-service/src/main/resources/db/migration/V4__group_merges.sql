-- Faultline impact store, version 4: merged groups (docs/impact-model.md, persistence path).

-- When the classifier's template miner finds two groups' templates to be one (the third user
-- name at one position), the younger group is merged into the older: its events move there and
-- it stays behind, status 'merged', pointing at the survivor.
ALTER TABLE error_groups ADD COLUMN merged_into VARCHAR(64);
CREATE INDEX error_groups_merged_into ON error_groups (merged_into) WHERE merged_into IS NOT NULL;

-- Every merge, also of a group this service has not stored yet (its events still in flight):
-- they are stored under the survivor when they come.
CREATE TABLE group_merges (
    group_id     VARCHAR(64)  PRIMARY KEY,
    merged_into  VARCHAR(64)  NOT NULL,
    merged_at    TIMESTAMPTZ  NOT NULL
);
CREATE INDEX group_merges_merged_into ON group_merges (merged_into);
