-- +goose Up
-- The SQLite side of PostgreSQL's 0012_people_list_versions: a version per tenant of who is
-- in its list of people, with what name, email, status and creation time, moved by row
-- triggers.

CREATE TABLE people_list_versions (
    home_tenant_id  text PRIMARY KEY,
    version         integer NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER people_list_versions_insert AFTER INSERT ON users
BEGIN
    INSERT INTO people_list_versions (home_tenant_id, version) VALUES (NEW.home_tenant_id, 1)
        ON CONFLICT (home_tenant_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER people_list_versions_update AFTER UPDATE OF home_tenant_id, name, email, status, hidden, created_at ON users
WHEN OLD.home_tenant_id IS NOT NEW.home_tenant_id OR OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email
    OR OLD.status IS NOT NEW.status OR OLD.hidden IS NOT NEW.hidden OR OLD.created_at IS NOT NEW.created_at
BEGIN
    INSERT INTO people_list_versions (home_tenant_id, version) VALUES (OLD.home_tenant_id, 1)
        ON CONFLICT (home_tenant_id) DO UPDATE SET version = version + 1;
    INSERT INTO people_list_versions (home_tenant_id, version) VALUES (NEW.home_tenant_id, 1)
        ON CONFLICT (home_tenant_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER people_list_versions_delete AFTER DELETE ON users
BEGIN
    INSERT INTO people_list_versions (home_tenant_id, version) VALUES (OLD.home_tenant_id, 1)
        ON CONFLICT (home_tenant_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER people_list_versions_delete;
DROP TRIGGER people_list_versions_update;
DROP TRIGGER people_list_versions_insert;
DROP TABLE people_list_versions;
