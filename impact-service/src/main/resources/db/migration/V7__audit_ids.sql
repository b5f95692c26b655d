-- An attempt started by a signal carries the signal's id as its event id (new_issue:<group>:<uuid>,
-- 75 characters), and a workflow's or project's SLO burn keys its attempt by the workflow or project
-- (workflow:<name>, project:<id>): the audit trail's columns took 64 and refused those entries. They
-- take as much as its entry and attempt ids now.
ALTER TABLE resolutions ALTER COLUMN group_id TYPE VARCHAR(160);
ALTER TABLE resolutions ALTER COLUMN event_id TYPE VARCHAR(160);
