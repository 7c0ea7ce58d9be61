-- +goose Up
-- A chain's head keeps the hash before its own, so that on PostgreSQL the one statement that
-- moves the head (computing the new event's hash) can hand both to the event it inserts;
-- UPDATE … RETURNING sees only the row after the update. Heads written before this are NULL
-- here until their next event.
ALTER TABLE audit_chain_heads ADD COLUMN prev_hash BYTEA;

-- +goose Down
ALTER TABLE audit_chain_heads DROP COLUMN prev_hash;
