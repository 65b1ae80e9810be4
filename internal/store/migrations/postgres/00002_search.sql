-- +goose Up
-- Trigram indexes make substring search ("select everything in the current
-- view") fast at a million contacts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX people_search ON people USING gin ((lower(first_name || ' ' || last_name || ' ' || email)) gin_trgm_ops);
CREATE INDEX organizations_name_search ON organizations USING gin ((lower(name)) gin_trgm_ops);
CREATE INDEX organizations_partner_type ON organizations (partner_type, id);
CREATE INDEX organizations_region ON organizations (region, id);

-- +goose Down
DROP INDEX organizations_region;
DROP INDEX organizations_partner_type;
DROP INDEX organizations_name_search;
DROP INDEX people_search;
