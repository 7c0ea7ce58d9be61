-- +goose Up
-- The SQLite side of PostgreSQL's 0007_search_indexes. SQLite has no trigram index: a
-- LIKE '%…%' search scans, which is fine at the sizes the embedded mode is for. The ordering
-- indexes are kept in step with PostgreSQL so both dialects page the same way.
-- (SQLite indexes have no INCLUDE; a covering index would need the columns in the key.)
CREATE INDEX tenants_name_order ON tenants (lower(name), id);
DROP INDEX users_home_name;
CREATE INDEX users_visible_name ON users (home_tenant_id, lower(name), id) WHERE NOT hidden;

-- +goose Down
DROP INDEX users_visible_name;
CREATE INDEX users_home_name ON users (home_tenant_id, lower(name));
DROP INDEX tenants_name_order;
