-- +goose Up
-- The tenant app's records. Every one belongs to one tenant and remembers who created and
-- last changed it as the tenant app shows it (the person, or Impersonated Admin).

CREATE TABLE business_units (
    id               text PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenants (id),
    name             text NOT NULL,
    time_zone        text NOT NULL,
    status           text NOT NULL CHECK (status IN ('active', 'inactive')),
    created_at       datetime NOT NULL,
    updated_at       datetime NOT NULL,
    created_by_id    text,
    created_by_name  text NOT NULL DEFAULT '',
    updated_by_id    text,
    updated_by_name  text NOT NULL DEFAULT '',
    version          integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX business_units_name ON business_units (tenant_id, lower(name));

CREATE TABLE skills (
    id               text PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenants (id),
    name             text NOT NULL,
    channel          text NOT NULL CHECK (channel IN ('phone', 'email', 'chat', 'sms')),
    direction        text NOT NULL CHECK (direction IN ('inbound', 'outbound', 'blended')),
    created_at       datetime NOT NULL,
    updated_at       datetime NOT NULL,
    created_by_id    text,
    created_by_name  text NOT NULL DEFAULT '',
    updated_by_id    text,
    updated_by_name  text NOT NULL DEFAULT '',
    version          integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX skills_name ON skills (tenant_id, lower(name));

CREATE TABLE branding_profiles (
    id               text PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenants (id),
    name             text NOT NULL,
    product_name     text NOT NULL,
    primary_color    text NOT NULL,
    accent_color     text NOT NULL DEFAULT '',
    logo_url         text NOT NULL DEFAULT '',
    created_at       datetime NOT NULL,
    updated_at       datetime NOT NULL,
    created_by_id    text,
    created_by_name  text NOT NULL DEFAULT '',
    updated_by_id    text,
    updated_by_name  text NOT NULL DEFAULT '',
    version          integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX branding_profiles_name ON branding_profiles (tenant_id, lower(name));

CREATE TABLE contacts (
    id               text PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenants (id),
    name             text NOT NULL,
    email            text NOT NULL DEFAULT '',
    phone            text NOT NULL DEFAULT '',
    notes            text NOT NULL DEFAULT '',
    created_at       datetime NOT NULL,
    updated_at       datetime NOT NULL,
    created_by_id    text,
    created_by_name  text NOT NULL DEFAULT '',
    updated_by_id    text,
    updated_by_name  text NOT NULL DEFAULT '',
    version          integer NOT NULL DEFAULT 1
);
CREATE INDEX contacts_name ON contacts (tenant_id, lower(name));

ALTER TABLE users ADD COLUMN created_by_id text;
ALTER TABLE roles ADD COLUMN created_by_id text;
ALTER TABLE users ADD COLUMN updated_by_id text;
ALTER TABLE roles ADD COLUMN updated_by_id text;
ALTER TABLE users ADD COLUMN created_by_name text NOT NULL DEFAULT '';
ALTER TABLE roles ADD COLUMN created_by_name text NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN updated_by_name text NOT NULL DEFAULT '';
ALTER TABLE roles ADD COLUMN updated_by_name text NOT NULL DEFAULT '';
CREATE INDEX users_home_name ON users (home_tenant_id, lower(name));

-- +goose Down
DROP INDEX users_home_name;
ALTER TABLE users DROP COLUMN created_by_id;
ALTER TABLE roles DROP COLUMN created_by_id;
ALTER TABLE users DROP COLUMN updated_by_id;
ALTER TABLE roles DROP COLUMN updated_by_id;
ALTER TABLE users DROP COLUMN created_by_name;
ALTER TABLE roles DROP COLUMN created_by_name;
ALTER TABLE users DROP COLUMN updated_by_name;
ALTER TABLE roles DROP COLUMN updated_by_name;
DROP TABLE contacts;
DROP TABLE branding_profiles;
DROP TABLE skills;
DROP TABLE business_units;
