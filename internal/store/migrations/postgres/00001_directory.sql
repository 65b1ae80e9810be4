-- +goose Up
CREATE TABLE accounts (
    id            uuid NOT NULL PRIMARY KEY,
    name          text NOT NULL,
    street        text NOT NULL DEFAULT '',
    city          text NOT NULL DEFAULT '',
    state         text NOT NULL DEFAULT '',
    postal_code   text NOT NULL DEFAULT '',
    country       text NOT NULL DEFAULT '',
    phone         text NOT NULL DEFAULT '',
    website       text NOT NULL DEFAULT '',
    custom_fields jsonb NOT NULL DEFAULT '{}',
    version       bigint NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- account_id is unique: one organization per account, races included.
CREATE TABLE organizations (
    id            uuid NOT NULL PRIMARY KEY,
    name          text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('partner', 'distributor', 'customer')),
    status        text NOT NULL CHECK (status IN ('prospective', 'active', 'inactive')),
    partner_type  text NOT NULL DEFAULT '',
    region        text NOT NULL DEFAULT '',
    street        text NOT NULL DEFAULT '',
    city          text NOT NULL DEFAULT '',
    state         text NOT NULL DEFAULT '',
    postal_code   text NOT NULL DEFAULT '',
    country       text NOT NULL DEFAULT '',
    phone         text NOT NULL DEFAULT '',
    website       text NOT NULL DEFAULT '',
    custom_fields jsonb NOT NULL DEFAULT '{}',
    account_id    uuid UNIQUE REFERENCES accounts (id) ON DELETE SET NULL,
    version       bigint NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX organizations_kind_status ON organizations (kind, status, id);
CREATE INDEX organizations_status ON organizations (status, id);

-- A domain is owned by one organization or ignored (organization_id NULL);
-- the primary key makes both exclusive.
CREATE TABLE email_domains (
    domain          text NOT NULL PRIMARY KEY,
    organization_id uuid REFERENCES organizations (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL
);
CREATE INDEX email_domains_organization ON email_domains (organization_id);

-- Contacts and users are one table: promotion keeps the id and demotion
-- keeps groups, role and data. email_key is lower(trim(email)).
CREATE TABLE people (
    id              uuid NOT NULL PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('contact', 'user')),
    first_name      text NOT NULL DEFAULT '',
    last_name       text NOT NULL DEFAULT '',
    email           text NOT NULL DEFAULT '',
    email_key       text NOT NULL DEFAULT '',
    phone           text NOT NULL DEFAULT '',
    title           text NOT NULL DEFAULT '',
    organization_id uuid REFERENCES organizations (id) ON DELETE RESTRICT,
    account_id      uuid REFERENCES accounts (id) ON DELETE RESTRICT,
    status          text NOT NULL DEFAULT '' CHECK (status IN ('', 'pending', 'active', 'disabled', 'inactive')),
    role            text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'creator', 'admin')),
    primary_contact boolean NOT NULL DEFAULT false,
    password_hash   text NOT NULL DEFAULT '',
    activated_at    timestamptz,
    version         bigint NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
-- two users never share an email
CREATE UNIQUE INDEX people_user_email ON people (email_key) WHERE kind = 'user';
CREATE INDEX people_kind_org ON people (kind, organization_id, id);
CREATE INDEX people_kind_account ON people (kind, account_id, id);
CREATE INDEX people_email_key ON people (email_key);

-- name_key is lower(trim(name)); smart_rule holds kinds, partner types and
-- regions (NULL: not a smart group).
CREATE TABLE groups (
    id                 uuid NOT NULL PRIMARY KEY,
    name               text NOT NULL,
    name_key           text NOT NULL UNIQUE,
    description        text NOT NULL DEFAULT '',
    partner_assignable boolean NOT NULL DEFAULT false,
    smart_rule         jsonb,
    version            bigint NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

-- organization ids of a smart rule, so that deleting an organization
-- leaves no dangling id behind
CREATE TABLE group_rule_organizations (
    group_id        uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, organization_id)
);
CREATE INDEX group_rule_organizations_org ON group_rule_organizations (organization_id);

CREATE TABLE group_memberships (
    person_id  uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    group_id   uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    source     text NOT NULL CHECK (source IN ('manual', 'smart')),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (person_id, group_id)
);
CREATE INDEX group_memberships_group ON group_memberships (group_id, person_id);

CREATE TABLE field_definitions (
    id         uuid NOT NULL PRIMARY KEY,
    entity     text NOT NULL CHECK (entity IN ('account', 'organization')),
    key        text NOT NULL,
    label      text NOT NULL,
    type       text NOT NULL CHECK (type IN ('text', 'textarea', 'html', 'number', 'date', 'boolean', 'select')),
    required   boolean NOT NULL DEFAULT false,
    max_length integer,
    min        double precision,
    max        double precision,
    options    jsonb NOT NULL DEFAULT '[]',
    version    bigint NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (entity, key)
);

-- +goose Down
DROP TABLE field_definitions;
DROP TABLE group_memberships;
DROP TABLE group_rule_organizations;
DROP TABLE groups;
DROP TABLE people;
DROP TABLE email_domains;
DROP TABLE organizations;
DROP TABLE accounts;
