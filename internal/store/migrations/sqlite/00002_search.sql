-- +goose Up
-- PostgreSQL adds trigram search indexes here; SQLite scans, which is fine
-- at the sizes it serves. The version exists so both schemas stay in step.
CREATE INDEX organizations_partner_type ON organizations (partner_type, id);
CREATE INDEX organizations_region ON organizations (region, id);

-- +goose Down
DROP INDEX organizations_region;
DROP INDEX organizations_partner_type;
