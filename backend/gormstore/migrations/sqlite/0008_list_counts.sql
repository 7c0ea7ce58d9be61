-- +goose Up
-- The SQLite side of PostgreSQL's 0008_list_counts: the same count tables, backfilled the
-- same way. SQLite has only row triggers; it updates a row in place, so counting row by row
-- costs the same for one row as for many. There is no trigram index: a search scans the
-- tenant's people, which is fine at the sizes the embedded mode is for.

CREATE TABLE tenant_counts (
    parent_id  text NOT NULL,
    kind       text NOT NULL,
    status     text NOT NULL,
    n          integer NOT NULL CHECK (n >= 0),
    PRIMARY KEY (parent_id, kind, status)
);

CREATE TABLE user_counts (
    home_tenant_id  text NOT NULL,
    status          text NOT NULL,
    n               integer NOT NULL CHECK (n >= 0),
    PRIMARY KEY (home_tenant_id, status)
);

INSERT INTO tenant_counts (parent_id, kind, status, n)
    SELECT parent_id, kind, status, count(*) FROM tenants WHERE parent_id IS NOT NULL GROUP BY 1, 2, 3;
INSERT INTO user_counts (home_tenant_id, status, n)
    SELECT home_tenant_id, status, count(*) FROM users WHERE NOT hidden GROUP BY 1, 2;

-- A row leaves its old group (removed at zero) and joins its new one. The platform has no
-- parent and hidden users are never listed: neither is counted. (The SELECT … WHERE form of
-- the upserts is SQLite's way to make a row conditional; its WHERE also keeps the parser
-- from reading ON CONFLICT as part of a join.)
-- +goose StatementBegin
CREATE TRIGGER tenant_counts_insert AFTER INSERT ON tenants WHEN NEW.parent_id IS NOT NULL
BEGIN
    INSERT INTO tenant_counts (parent_id, kind, status, n) VALUES (NEW.parent_id, NEW.kind, NEW.status, 1)
        ON CONFLICT (parent_id, kind, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tenant_counts_update AFTER UPDATE OF parent_id, kind, status ON tenants
WHEN OLD.parent_id IS NOT NEW.parent_id OR OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status
BEGIN
    UPDATE tenant_counts SET n = n - 1
        WHERE parent_id = OLD.parent_id AND kind = OLD.kind AND status = OLD.status;
    DELETE FROM tenant_counts
        WHERE parent_id = OLD.parent_id AND kind = OLD.kind AND status = OLD.status AND n = 0;
    INSERT INTO tenant_counts (parent_id, kind, status, n)
        SELECT NEW.parent_id, NEW.kind, NEW.status, 1 WHERE NEW.parent_id IS NOT NULL
        ON CONFLICT (parent_id, kind, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tenant_counts_delete AFTER DELETE ON tenants WHEN OLD.parent_id IS NOT NULL
BEGIN
    UPDATE tenant_counts SET n = n - 1
        WHERE parent_id = OLD.parent_id AND kind = OLD.kind AND status = OLD.status;
    DELETE FROM tenant_counts
        WHERE parent_id = OLD.parent_id AND kind = OLD.kind AND status = OLD.status AND n = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_counts_insert AFTER INSERT ON users WHEN NOT NEW.hidden
BEGIN
    INSERT INTO user_counts (home_tenant_id, status, n) VALUES (NEW.home_tenant_id, NEW.status, 1)
        ON CONFLICT (home_tenant_id, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_counts_update AFTER UPDATE OF home_tenant_id, status, hidden ON users
WHEN OLD.home_tenant_id IS NOT NEW.home_tenant_id OR OLD.status IS NOT NEW.status OR OLD.hidden IS NOT NEW.hidden
BEGIN
    UPDATE user_counts SET n = n - 1
        WHERE NOT OLD.hidden AND home_tenant_id = OLD.home_tenant_id AND status = OLD.status;
    DELETE FROM user_counts
        WHERE home_tenant_id = OLD.home_tenant_id AND status = OLD.status AND n = 0;
    INSERT INTO user_counts (home_tenant_id, status, n)
        SELECT NEW.home_tenant_id, NEW.status, 1 WHERE NOT NEW.hidden
        ON CONFLICT (home_tenant_id, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_counts_delete AFTER DELETE ON users WHEN NOT OLD.hidden
BEGIN
    UPDATE user_counts SET n = n - 1 WHERE home_tenant_id = OLD.home_tenant_id AND status = OLD.status;
    DELETE FROM user_counts WHERE home_tenant_id = OLD.home_tenant_id AND status = OLD.status AND n = 0;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER user_counts_delete;
DROP TRIGGER user_counts_update;
DROP TRIGGER user_counts_insert;
DROP TRIGGER tenant_counts_delete;
DROP TRIGGER tenant_counts_update;
DROP TRIGGER tenant_counts_insert;
DROP TABLE user_counts;
DROP TABLE tenant_counts;
