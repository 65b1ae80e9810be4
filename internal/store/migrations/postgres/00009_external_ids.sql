-- +goose Up
-- The CRM's id of a record, unique per kind of record. Contacts and users
-- share the people table, so a user keeps its contact's external id through
-- promotion and demotion. NULL is "none"; the indexes are partial so that
-- any number of records may have none.
ALTER TABLE organizations ADD COLUMN external_id text;
ALTER TABLE accounts ADD COLUMN external_id text;
ALTER TABLE people ADD COLUMN external_id text;
CREATE UNIQUE INDEX organizations_external_id ON organizations (external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX accounts_external_id ON accounts (external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX people_external_id ON people (external_id) WHERE external_id IS NOT NULL;

-- A job selected by emails or external ids remembers, per item, the value
-- it was selected by; contact_id is the nil UUID when that value matched
-- no single contact (the item is failed from the start).
ALTER TABLE promotion_job_items ADD COLUMN email text NOT NULL DEFAULT '';
ALTER TABLE promotion_job_items ADD COLUMN external_id text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE promotion_job_items DROP COLUMN external_id;
ALTER TABLE promotion_job_items DROP COLUMN email;
DROP INDEX people_external_id;
DROP INDEX accounts_external_id;
DROP INDEX organizations_external_id;
ALTER TABLE people DROP COLUMN external_id;
ALTER TABLE accounts DROP COLUMN external_id;
ALTER TABLE organizations DROP COLUMN external_id;
