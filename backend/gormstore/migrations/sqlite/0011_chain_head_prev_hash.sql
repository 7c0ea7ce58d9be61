-- +goose Up
-- The SQLite side of PostgreSQL's 0011: a chain's head keeps the hash before its own. The
-- SQLite writer sets it too, so the head means the same on both dialects.
ALTER TABLE audit_chain_heads ADD COLUMN prev_hash blob;

-- +goose Down
ALTER TABLE audit_chain_heads DROP COLUMN prev_hash;
