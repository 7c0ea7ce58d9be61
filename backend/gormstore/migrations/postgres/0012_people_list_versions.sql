-- +goose Up
-- A version per tenant of what its list of people is made of: who is in it (not hidden),
-- with what name, email, status and creation time (the index sorts by each). The people index (gormstore/peopleindex.go) holds a large
-- tenant's list in memory at one version and answers a page from it only while the
-- version read with the page's rows is the same, so a change by any process, or by a
-- statement run outside Regent, is never answered past. A write that changes none of these
-- (a sign-in's last_login_at, a new version number) leaves the version alone.
--
-- Like 0008's counts, the trigger runs once per statement over its transition tables and
-- moves each tenant's version once, in key order. A tenant without a row is at version 0.
CREATE TABLE people_list_versions (
    home_tenant_id  uuid PRIMARY KEY,
    version         bigint NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION people_list_versions_bump() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO people_list_versions AS v (home_tenant_id, version)
            SELECT DISTINCT home_tenant_id, 1 FROM new_rows ORDER BY 1
            ON CONFLICT (home_tenant_id) DO UPDATE SET version = v.version + 1;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO people_list_versions AS v (home_tenant_id, version)
            SELECT DISTINCT t, 1 FROM (
                SELECT o.home_tenant_id AS a, n.home_tenant_id AS b
                FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE (o.home_tenant_id, o.name, o.email, o.status, o.hidden, o.created_at)
                    IS DISTINCT FROM (n.home_tenant_id, n.name, n.email, n.status, n.hidden, n.created_at)) c,
                LATERAL (VALUES (c.a), (c.b)) x(t)
            ORDER BY 1
            ON CONFLICT (home_tenant_id) DO UPDATE SET version = v.version + 1;
    ELSE
        INSERT INTO people_list_versions AS v (home_tenant_id, version)
            SELECT DISTINCT home_tenant_id, 1 FROM old_rows ORDER BY 1
            ON CONFLICT (home_tenant_id) DO UPDATE SET version = v.version + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER people_list_versions_insert AFTER INSERT ON users
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION people_list_versions_bump();
CREATE TRIGGER people_list_versions_update AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION people_list_versions_bump();
CREATE TRIGGER people_list_versions_delete AFTER DELETE ON users
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION people_list_versions_bump();

-- +goose Down
DROP TRIGGER people_list_versions_delete ON users;
DROP TRIGGER people_list_versions_update ON users;
DROP TRIGGER people_list_versions_insert ON users;
DROP FUNCTION people_list_versions_bump();
DROP TABLE people_list_versions;
