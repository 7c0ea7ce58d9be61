-- +goose Up
-- Retention without breaking the chain: an archived prefix of a chain is written to a file,
-- anchored here (the last archived event's position and hash, and the file's checksum), and
-- only then may the database delete it. Anchors are append-only, and each one is also
-- recorded as an audit.archive event in the global chain, which verify cross-checks.
CREATE TABLE audit_anchors (
    id           uuid PRIMARY KEY,
    chain        text NOT NULL,
    seq          bigint NOT NULL,
    hash         bytea NOT NULL,
    events       bigint NOT NULL,
    archive      text NOT NULL,
    archive_sha256 text NOT NULL,
    archived_at  timestamptz NOT NULL,
    UNIQUE (chain, seq)
);

-- +goose StatementBegin
CREATE FUNCTION audit_anchors_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_anchors is append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER audit_anchors_no_change BEFORE UPDATE OR DELETE ON audit_anchors
    FOR EACH ROW EXECUTE FUNCTION audit_anchors_append_only();

-- Events may be deleted only once an anchor covers them; nothing may ever be updated.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (
        SELECT 1 FROM audit_anchors a WHERE a.chain = OLD.chain AND a.seq >= OLD.chain_seq) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
DROP TABLE audit_anchors;
DROP FUNCTION audit_anchors_append_only();
