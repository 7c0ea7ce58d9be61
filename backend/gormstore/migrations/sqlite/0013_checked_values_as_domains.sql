-- +goose Up
-- PostgreSQL's 0013 turns the CHECK constraints of the tables every audited change writes into
-- domains, which it compiles once per connection instead of once per statement. SQLite has no
-- domains, and compiles its checks with the statement it keeps prepared: nothing changes here.
SELECT 1;

-- +goose Down
SELECT 1;
