-- +goose Up
-- Indexes for searching and paging large lists (docs/performance.md has the measurements).

-- Tenant search is a substring match, lower(t.name) LIKE '%…%'. A B-tree cannot serve a
-- pattern with a leading wildcard; a trigram GIN index can, for any fragment of three
-- characters or more. pg_trgm is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX tenants_name_trgm ON tenants USING gin (lower(name) gin_trgm_ops);

-- The tenant list in name order. The key is the whole ORDER BY (lower(name), id), so no
-- incremental sort is needed, and the INCLUDE columns are every column the list filters on
-- plus name itself: PostgreSQL answers an ORDER BY lower(name) from the index alone only when
-- name is in it. A page can then skip its OFFSET rows without touching the table.
CREATE INDEX tenants_name_order ON tenants (lower(name), id) INCLUDE (name, kind, parent_id, status);

-- A tenant's visible people in name order, for the employee list. It replaces
-- users_home_name: partial (the hidden Impersonated Admin is never listed), with id in the
-- key for the tie-break, and with what the list filters and searches on, so paging and
-- searching inside a large tenant read the index only.
DROP INDEX users_home_name;
CREATE INDEX users_visible_name ON users (home_tenant_id, lower(name), id) INCLUDE (name, email, status) WHERE NOT hidden;

-- +goose Down
DROP INDEX users_visible_name;
CREATE INDEX users_home_name ON users (home_tenant_id, lower(name));
DROP INDEX tenants_name_order;
DROP INDEX tenants_name_trgm;
-- pg_trgm stays: it may have been there before, and other objects may use it by now.
