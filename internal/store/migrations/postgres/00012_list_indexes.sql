-- +goose Up
-- Contacts and users share `people`; their lists walk it in id order and
-- stop after a page. Through the primary key a users list first skipped
-- every contact created before the first user: 1.2 s at a million
-- contacts (docs/query-plans.md). This index walks one kind only.
CREATE INDEX people_kind_id ON people (kind, id);

-- +goose Down
DROP INDEX people_kind_id;
