-- +goose Up
-- Retention without breaking the chain: see the PostgreSQL migration of the same number.
CREATE TABLE audit_anchors (
    id           text PRIMARY KEY,
    chain        text NOT NULL,
    seq          bigint NOT NULL,
    hash         blob NOT NULL,
    events       bigint NOT NULL,
    archive      text NOT NULL,
    archive_sha256 text NOT NULL,
    archived_at  datetime NOT NULL,
    UNIQUE (chain, seq)
);
-- +goose StatementBegin
CREATE TRIGGER audit_anchors_no_update BEFORE UPDATE ON audit_anchors
BEGIN
    SELECT RAISE(ABORT, 'audit_anchors is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_anchors_no_delete BEFORE DELETE ON audit_anchors
BEGIN
    SELECT RAISE(ABORT, 'audit_anchors is append-only');
END;
-- +goose StatementEnd

-- Events may be deleted only once an anchor covers them.
DROP TRIGGER audit_events_no_delete;
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN NOT EXISTS (SELECT 1 FROM audit_anchors a WHERE a.chain = OLD.chain AND a.seq >= OLD.chain_seq)
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_events_no_delete;
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd
DROP TABLE audit_anchors;
