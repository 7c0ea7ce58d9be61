-- +goose Up
-- Impersonation: the sessions, and the policy layers (global, and per tenant at the
-- platform's and the partner's level; the most restrictive applies).

CREATE TABLE impersonation_sessions (
    id                 text PRIMARY KEY,
    login_session_id   text NOT NULL REFERENCES login_sessions (id),
    actor_id           text NOT NULL REFERENCES users (id),
    tenant_id          text NOT NULL REFERENCES tenants (id),
    principal_id       text NOT NULL REFERENCES users (id),
    mode               text NOT NULL CHECK (mode IN ('support', 'configure')),
    reason             text NOT NULL,
    started_at         datetime NOT NULL,
    expires_at         datetime NOT NULL,
    last_activity_at   datetime NOT NULL,
    idle_timeout_s     integer NOT NULL,
    ip                 text NOT NULL,
    user_agent         text NOT NULL,
    bind_footprint     boolean NOT NULL,
    mask_personal_data boolean NOT NULL,
    disable_export     boolean NOT NULL,
    notify_tenant_admins boolean NOT NULL,
    ended_at           datetime,
    end_reason         text NOT NULL DEFAULT '',
    ended_by_id        text
);
-- A login session carries at most one live impersonation: nesting is impossible by schema.
CREATE UNIQUE INDEX impersonation_one_live ON impersonation_sessions (login_session_id) WHERE ended_at IS NULL;
CREATE INDEX impersonation_tenant ON impersonation_sessions (tenant_id, started_at);
CREATE INDEX impersonation_actor ON impersonation_sessions (actor_id, started_at);
CREATE INDEX impersonation_live ON impersonation_sessions (ended_at) WHERE ended_at IS NULL;

CREATE TABLE impersonation_policies (
    id                    text PRIMARY KEY,
    tenant_id             text REFERENCES tenants (id),
    level                 text NOT NULL CHECK (level IN ('platform', 'partner')),
    support_enabled       boolean,
    configure_enabled     boolean,
    require_reason        boolean,
    max_duration_minutes  integer CHECK (max_duration_minutes BETWEEN 1 AND 480),
    idle_timeout_minutes  integer CHECK (idle_timeout_minutes BETWEEN 1 AND 480),
    reauth_within_minutes integer CHECK (reauth_within_minutes BETWEEN 0 AND 1440),
    bind_footprint        boolean,
    mask_personal_data    boolean,
    disable_export        boolean,
    notify_tenant_admins  boolean,
    updated_at            datetime NOT NULL,
    updated_by_id         text,
    version               integer NOT NULL DEFAULT 1,
    CHECK (tenant_id IS NOT NULL OR level = 'platform')
);
CREATE UNIQUE INDEX impersonation_policies_global ON impersonation_policies (level) WHERE tenant_id IS NULL;
CREATE UNIQUE INDEX impersonation_policies_tenant ON impersonation_policies (tenant_id, level) WHERE tenant_id IS NOT NULL;

INSERT INTO impersonation_policies (id, tenant_id, level, support_enabled, configure_enabled, require_reason,
    max_duration_minutes, idle_timeout_minutes, reauth_within_minutes, bind_footprint, mask_personal_data,
    disable_export, notify_tenant_admins, updated_at, version)
VALUES ('00000000-0000-7000-8000-000000000101', NULL, 'platform', true, true, true, 60, 15, 15, true, true, true, true, CURRENT_TIMESTAMP, 1);

-- +goose Down
DROP TABLE impersonation_policies;
DROP TABLE impersonation_sessions;
