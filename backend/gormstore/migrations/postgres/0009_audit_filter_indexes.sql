-- +goose Up
-- Indexes for the audit trail's other filters (docs/performance-audit.md has the plans).
-- 0001 indexes tenant, actor and session, each with seq for the newest-first order. A filter
-- on the action, alone or within a tenant, had none: the newest-first scan read events until
-- it found a page of matches, every event of the tenant for a rare action (10.8 s for one
-- tenant of 100,000 events, cold), and the whole trail for a rare action alone.
-- text_pattern_ops lets the action prefix filter (action LIKE 'impersonation.%') use the
-- index whatever the database's collation; equality uses it too.
CREATE INDEX audit_events_tenant_action ON audit_events (tenant_id, action text_pattern_ops, seq);
CREATE INDEX audit_events_action ON audit_events (action text_pattern_ops, seq);
-- A tenant's activity figures count this month's events: by time, not by reading every
-- event the tenant ever had.
CREATE INDEX audit_events_tenant_time ON audit_events (tenant_id, time);

-- +goose Down
DROP INDEX audit_events_tenant_time;
DROP INDEX audit_events_action;
DROP INDEX audit_events_tenant_action;
