-- +goose Up
-- The SQLite side of PostgreSQL's 0009_audit_filter_indexes: the audit trail filtered by
-- action, alone or within a tenant, newest first, and a tenant's events by time. (SQLite's
-- LIKE ignores case and cannot seek an ordinary index: an action prefix filter still scans;
-- an exact action seeks.)
CREATE INDEX audit_events_tenant_action ON audit_events (tenant_id, action, seq);
CREATE INDEX audit_events_action ON audit_events (action, seq);
CREATE INDEX audit_events_tenant_time ON audit_events (tenant_id, time);

-- +goose Down
DROP INDEX audit_events_tenant_time;
DROP INDEX audit_events_action;
DROP INDEX audit_events_tenant_action;
