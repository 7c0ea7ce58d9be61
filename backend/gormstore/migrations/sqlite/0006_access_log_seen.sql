-- +goose Up
-- When each tenant admin last acknowledged their Access Log: sessions that started since,
-- under a policy that notifies tenant admins, are announced to them.
ALTER TABLE users ADD COLUMN access_log_seen_at datetime;

-- +goose Down
ALTER TABLE users DROP COLUMN access_log_seen_at;
