-- +goose Up
-- The account tree, users with their OIDC binding, roles, sign-in state and the audit trail.
-- Identifiers are UUID text; times are RFC 3339 text in UTC as written by the driver.

CREATE TABLE tenants (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('platform', 'partner', 'customer')),
    parent_id   text REFERENCES tenants (id),
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at  datetime NOT NULL,
    updated_at  datetime NOT NULL,
    version     integer NOT NULL DEFAULT 1,
    CHECK ((kind = 'platform') = (parent_id IS NULL))
);
CREATE UNIQUE INDEX tenants_name_key ON tenants (lower(name));
CREATE UNIQUE INDEX tenants_one_platform ON tenants (kind) WHERE kind = 'platform';
CREATE INDEX tenants_parent ON tenants (parent_id);

CREATE TABLE users (
    id              text PRIMARY KEY,
    home_tenant_id  text NOT NULL REFERENCES tenants (id),
    email           text NOT NULL,
    name            text NOT NULL,
    status          text NOT NULL CHECK (status IN ('invited', 'active', 'deactivated')),
    hidden          boolean NOT NULL DEFAULT false,
    oidc_issuer     text,
    oidc_subject    text,
    last_login_at   datetime,
    created_at      datetime NOT NULL,
    updated_at      datetime NOT NULL,
    version         integer NOT NULL DEFAULT 1,
    CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL))
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE UNIQUE INDEX users_oidc_identity ON users (oidc_issuer, oidc_subject);
CREATE INDEX users_home ON users (home_tenant_id, hidden);
CREATE UNIQUE INDEX users_one_hidden_per_tenant ON users (home_tenant_id) WHERE hidden;

CREATE TABLE roles (
    id          text PRIMARY KEY,
    tenant_id   text REFERENCES tenants (id),
    key         text NOT NULL DEFAULT '',
    name        text NOT NULL,
    home_kind   text NOT NULL CHECK (home_kind IN ('platform', 'partner', 'customer')),
    hidden      boolean NOT NULL DEFAULT false,
    created_at  datetime NOT NULL,
    updated_at  datetime NOT NULL,
    version     integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX roles_builtin_key ON roles (key) WHERE tenant_id IS NULL;
CREATE UNIQUE INDEX roles_tenant_name ON roles (tenant_id, lower(name)) WHERE tenant_id IS NOT NULL;

-- The built-in roles. Their permissions are fixed in code (regent.BuiltinRoles); these rows
-- exist so that assignments can reference them.
INSERT INTO roles (id, tenant_id, key, name, home_kind, hidden, created_at, updated_at, version) VALUES
    ('00000000-0000-7000-8000-000000000001', NULL, 'tm_admin', 'TM Admin', 'platform', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1),
    ('00000000-0000-7000-8000-000000000002', NULL, 'implementer', 'Implementer', 'platform', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1),
    ('00000000-0000-7000-8000-000000000003', NULL, 'support', 'Support', 'platform', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1),
    ('00000000-0000-7000-8000-000000000004', NULL, 'partner_admin', 'Partner Admin', 'partner', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1),
    ('00000000-0000-7000-8000-000000000005', NULL, 'partner_support', 'Partner Support', 'partner', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1),
    ('00000000-0000-7000-8000-000000000006', NULL, 'tenant_admin', 'Tenant Admin', 'customer', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1),
    ('00000000-0000-7000-8000-000000000007', NULL, 'supervisor', 'Supervisor', 'customer', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1),
    ('00000000-0000-7000-8000-000000000008', NULL, 'agent', 'Agent', 'customer', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1);

CREATE TABLE role_permissions (
    role_id     text NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    permission  text NOT NULL,
    PRIMARY KEY (role_id, permission)
);

CREATE TABLE user_roles (
    user_id  text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id  text NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role ON user_roles (role_id);

CREATE TABLE login_sessions (
    id            text PRIMARY KEY,
    token_hash    blob NOT NULL,
    user_id       text NOT NULL REFERENCES users (id),
    auth_time     datetime NOT NULL,
    created_at    datetime NOT NULL,
    last_seen_at  datetime NOT NULL,
    expires_at    datetime NOT NULL,
    ip            text NOT NULL DEFAULT '',
    user_agent    text NOT NULL DEFAULT '',
    ended_at      datetime,
    end_reason    text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX login_sessions_token ON login_sessions (token_hash);
CREATE INDEX login_sessions_user ON login_sessions (user_id) WHERE ended_at IS NULL;

CREATE TABLE login_states (
    state_hash     blob PRIMARY KEY,
    nonce          text NOT NULL,
    code_verifier  text NOT NULL,
    return_to      text NOT NULL,
    max_age        integer NOT NULL,
    created_at     datetime NOT NULL,
    expires_at     datetime NOT NULL
);

CREATE TABLE audit_events (
    seq              integer PRIMARY KEY AUTOINCREMENT,
    id               text NOT NULL UNIQUE,
    time             datetime NOT NULL,
    action           text NOT NULL,
    outcome          text NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
    actor_id         text,
    actor_email      text NOT NULL DEFAULT '',
    actor_name       text NOT NULL DEFAULT '',
    principal_id     text,
    principal_name   text NOT NULL DEFAULT '',
    session_id       text,
    tenant_id        text,
    target_type      text NOT NULL DEFAULT '',
    target_id        text NOT NULL DEFAULT '',
    before           text,
    after            text,
    detail           text NOT NULL DEFAULT '',
    ip               text NOT NULL DEFAULT '',
    user_agent       text NOT NULL DEFAULT '',
    request_id       text NOT NULL DEFAULT '',
    -- The hash chain: each event's hash covers its content and the previous hash of its chain.
    chain            text NOT NULL,
    chain_seq        bigint NOT NULL,
    prev_hash        blob NOT NULL,
    hash             blob NOT NULL
);
CREATE UNIQUE INDEX audit_events_chain ON audit_events (chain, chain_seq);
-- The head of each chain; writers lock it, so concurrent writers extend a chain one at a time.
CREATE TABLE audit_chain_heads (
    chain  text PRIMARY KEY,
    seq    bigint NOT NULL,
    hash   blob NOT NULL
);
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, seq);
CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);
CREATE INDEX audit_events_session ON audit_events (session_id, seq);

-- The trail is append-only: the database itself refuses to change or remove an event.
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_chain_heads;
DROP TABLE audit_events;
DROP TABLE login_states;
DROP TABLE login_sessions;
DROP TABLE user_roles;
DROP TABLE role_permissions;
DROP TABLE roles;
DROP TABLE users;
DROP TABLE tenants;
