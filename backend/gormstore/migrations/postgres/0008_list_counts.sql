-- +goose Up
-- Exact list totals without counting every row, and employee search through an index
-- (docs/performance.md has the measurements).
--
-- tenant_counts and user_counts hold how many rows each group has; an unsearched list's
-- total is the sum of the groups its scope and filters select. Triggers keep them exact in
-- the writing transaction, so a total is exactly as current as the rows it sums.
--
-- The triggers run once per statement, over its transition tables, rather than once per
-- row: a statement that writes many rows (COPY, a bulk UPDATE) then changes each group once.
-- Per row, each change to a group in one transaction would leave another version of the
-- same counter row behind, and the next change would walk the whole chain of them.
-- Groups are written in key order, so that two transactions lock them in the same order.

-- Tenants by parent, kind and status. The platform (the only tenant without a parent) is
-- never listed, so it is not counted.
CREATE TABLE tenant_counts (
    parent_id  uuid NOT NULL,
    kind       text NOT NULL,
    status     text NOT NULL,
    n          bigint NOT NULL,
    PRIMARY KEY (parent_id, kind, status)
);

-- Visible users by home tenant and status. The hidden Impersonated Admin is never listed, so
-- it is never counted either.
CREATE TABLE user_counts (
    home_tenant_id  uuid NOT NULL,
    status          text NOT NULL,
    n               bigint NOT NULL,
    PRIMARY KEY (home_tenant_id, status)
);

INSERT INTO tenant_counts (parent_id, kind, status, n)
    SELECT parent_id, kind, status, count(*) FROM tenants WHERE parent_id IS NOT NULL GROUP BY 1, 2, 3;
INSERT INTO user_counts (home_tenant_id, status, n)
    SELECT home_tenant_id, status, count(*) FROM users WHERE NOT hidden GROUP BY 1, 2;

-- Each function adds the statement's new rows to their groups and takes its old rows away
-- from theirs, in one upsert of the net change per group; a group that reaches zero is
-- removed. A count that would go below zero fails the writing statement, so the counts can
-- only be wrong loudly. (Not a CHECK: PostgreSQL checks the row an upsert proposes, a
-- negative change, before it finds the row it updates.)
-- +goose StatementBegin
CREATE FUNCTION tenant_counts_apply() RETURNS trigger AS $$
DECLARE
    zero bigint;
    negative bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO tenant_counts AS c (parent_id, kind, status, n)
            SELECT parent_id, kind, status, count(*) FROM new_rows
            WHERE parent_id IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (parent_id, kind, status) DO UPDATE SET n = c.n + excluded.n;
        RETURN NULL;
    ELSIF TG_OP = 'UPDATE' THEN
        WITH up AS (INSERT INTO tenant_counts AS c (parent_id, kind, status, n)
            SELECT parent_id, kind, status, sum(d) FROM (
                SELECT parent_id, kind, status, -1 AS d FROM old_rows
                UNION ALL SELECT parent_id, kind, status, 1 FROM new_rows) x
            WHERE parent_id IS NOT NULL GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (parent_id, kind, status) DO UPDATE SET n = c.n + excluded.n
            RETURNING c.n)
        SELECT count(*) FILTER (WHERE n = 0), count(*) FILTER (WHERE n < 0) INTO zero, negative FROM up;
    ELSE
        WITH up AS (INSERT INTO tenant_counts AS c (parent_id, kind, status, n)
            SELECT parent_id, kind, status, -count(*) FROM old_rows
            WHERE parent_id IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (parent_id, kind, status) DO UPDATE SET n = c.n + excluded.n
            RETURNING c.n)
        SELECT count(*) FILTER (WHERE n = 0), count(*) FILTER (WHERE n < 0) INTO zero, negative FROM up;
    END IF;
    IF negative > 0 THEN
        RAISE EXCEPTION '% would be counted below zero', TG_TABLE_NAME;
    ELSIF zero > 0 THEN
        DELETE FROM tenant_counts c USING old_rows o
            WHERE c.n = 0 AND c.parent_id = o.parent_id AND c.kind = o.kind AND c.status = o.status;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION user_counts_apply() RETURNS trigger AS $$
DECLARE
    zero bigint;
    negative bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO user_counts AS c (home_tenant_id, status, n)
            SELECT home_tenant_id, status, count(*) FROM new_rows
            WHERE NOT hidden GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (home_tenant_id, status) DO UPDATE SET n = c.n + excluded.n;
        RETURN NULL;
    ELSIF TG_OP = 'UPDATE' THEN
        WITH up AS (INSERT INTO user_counts AS c (home_tenant_id, status, n)
            SELECT home_tenant_id, status, sum(d) FROM (
                SELECT home_tenant_id, status, hidden, -1 AS d FROM old_rows
                UNION ALL SELECT home_tenant_id, status, hidden, 1 FROM new_rows) x
            WHERE NOT hidden GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
            ON CONFLICT (home_tenant_id, status) DO UPDATE SET n = c.n + excluded.n
            RETURNING c.n)
        SELECT count(*) FILTER (WHERE n = 0), count(*) FILTER (WHERE n < 0) INTO zero, negative FROM up;
    ELSE
        WITH up AS (INSERT INTO user_counts AS c (home_tenant_id, status, n)
            SELECT home_tenant_id, status, -count(*) FROM old_rows
            WHERE NOT hidden GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (home_tenant_id, status) DO UPDATE SET n = c.n + excluded.n
            RETURNING c.n)
        SELECT count(*) FILTER (WHERE n = 0), count(*) FILTER (WHERE n < 0) INTO zero, negative FROM up;
    END IF;
    IF negative > 0 THEN
        RAISE EXCEPTION '% would be counted below zero', TG_TABLE_NAME;
    ELSIF zero > 0 THEN
        DELETE FROM user_counts c USING old_rows o
            WHERE c.n = 0 AND c.home_tenant_id = o.home_tenant_id AND c.status = o.status;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION list_counts_truncate() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'tenants' THEN
        DELETE FROM tenant_counts;
    ELSE
        DELETE FROM user_counts;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- (A trigger with transition tables may have only one event, hence three of each.)
CREATE TRIGGER tenant_counts_insert AFTER INSERT ON tenants
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tenant_counts_apply();
CREATE TRIGGER tenant_counts_update AFTER UPDATE ON tenants
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tenant_counts_apply();
CREATE TRIGGER tenant_counts_delete AFTER DELETE ON tenants
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tenant_counts_apply();
CREATE TRIGGER tenant_counts_truncate AFTER TRUNCATE ON tenants
    FOR EACH STATEMENT EXECUTE FUNCTION list_counts_truncate();
CREATE TRIGGER user_counts_insert AFTER INSERT ON users
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION user_counts_apply();
CREATE TRIGGER user_counts_update AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION user_counts_apply();
CREATE TRIGGER user_counts_delete AFTER DELETE ON users
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION user_counts_apply();
CREATE TRIGGER user_counts_truncate AFTER TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION list_counts_truncate();

-- Searching a tenant's people by a substring of the name or the email. One GIN index holds
-- the home tenant (btree_gin) and the trigrams of both, so a search reads the posting lists
-- of the tenant and of the fragment's trigrams and only the rows in both, instead of every
-- person of the tenant. Both extensions are trusted: the database owner may create them.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX users_visible_search ON users
    USING gin (home_tenant_id, lower(name) gin_trgm_ops, lower(email) gin_trgm_ops) WHERE NOT hidden;
-- The name-order index of 0007 no longer carries the email. With it, the planner answered a
-- search from that index alone, computing lower() on every one of the tenant's people (about
-- 10 ms for 20,000), because it costs the search index's heap reads too high; without it,
-- it takes the search index (1-3 ms). Paging needs no email.
DROP INDEX users_visible_name;
CREATE INDEX users_visible_name ON users (home_tenant_id, lower(name), id) INCLUDE (name, status) WHERE NOT hidden;

-- +goose Down
DROP INDEX users_visible_name;
CREATE INDEX users_visible_name ON users (home_tenant_id, lower(name), id) INCLUDE (name, email, status) WHERE NOT hidden;
DROP INDEX users_visible_search;
DROP TRIGGER user_counts_truncate ON users;
DROP TRIGGER user_counts_delete ON users;
DROP TRIGGER user_counts_update ON users;
DROP TRIGGER user_counts_insert ON users;
DROP TRIGGER tenant_counts_truncate ON tenants;
DROP TRIGGER tenant_counts_delete ON tenants;
DROP TRIGGER tenant_counts_update ON tenants;
DROP TRIGGER tenant_counts_insert ON tenants;
DROP FUNCTION list_counts_truncate();
DROP FUNCTION user_counts_apply();
DROP FUNCTION tenant_counts_apply();
DROP TABLE user_counts;
DROP TABLE tenant_counts;
-- btree_gin stays, as pg_trgm does in 0007: other objects may use it by now.
