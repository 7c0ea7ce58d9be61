-- +goose Up
-- The SQLite side of PostgreSQL's 0010: the same column, so that both dialects run the same
-- queries. SQLite adds only VIRTUAL generated columns to an existing table; the ordering
-- index stores it all the same.
ALTER TABLE tenants ADD COLUMN name_lower TEXT GENERATED ALWAYS AS (lower(name)) VIRTUAL;
CREATE INDEX tenants_name_lower_order ON tenants (name_lower, id);
DROP INDEX tenants_name_order;

-- +goose Down
CREATE INDEX tenants_name_order ON tenants (lower(name), id);
DROP INDEX tenants_name_lower_order;
ALTER TABLE tenants DROP COLUMN name_lower;
