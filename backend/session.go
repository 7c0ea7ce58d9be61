package regent

import (
	"context"
	"time"
)

// Reasons a login session ends.
const (
	SessionEndLogout  = "logout"
	SessionEndIdle    = "idle_timeout"
	SessionEndExpired = "expired"
	SessionEndRotated = "rotated"
)

// LoginSession is a signed-in browser. The browser holds only an opaque random token in an
// HttpOnly cookie; the store keeps its SHA-256, so a leaked database cannot be replayed as
// cookies.
type LoginSession struct {
	ID     string
	UserID string
	// AuthTime is when the user last authenticated at the identity provider (the ID token's
	// auth_time), which impersonation's re-authentication window is measured against.
	AuthTime   time.Time
	CreatedAt  time.Time
	LastSeenAt time.Time
	// ExpiresAt is the absolute end; the idle end is LastSeenAt plus the idle timeout.
	ExpiresAt time.Time
	IP        string
	UserAgent string
	EndedAt   *time.Time
	EndReason string
}

// SessionPolicy bounds how long a login session lives.
type SessionPolicy struct {
	IdleTimeout time.Duration
	MaxAge      time.Duration
}

// DefaultSessionPolicy is a working day with a two-hour idle limit.
var DefaultSessionPolicy = SessionPolicy{IdleTimeout: 2 * time.Hour, MaxAge: 12 * time.Hour}

// SignIn is what the relying party learned from a verified ID token.
type SignIn struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	AuthTime      time.Time
}

// AuthService signs people in and out and resolves session cookies to callers.
type AuthService interface {
	// SignIn binds the identity to a provisioned user (by issuer and subject, or on first
	// sign-in by the verified invited email), records the login, and opens a session; it
	// returns the session and the cookie token. An unknown identity is ENOTFOUND with reason
	// "not_provisioned"; a deactivated account is EFORBIDDEN with reason "account_deactivated",
	// and anyone of a suspended tenant EFORBIDDEN with reason "tenant_suspended".
	// Both refusals are audited too.
	SignIn(ctx context.Context, in SignIn) (*LoginSession, string, error)

	// Authenticate resolves a cookie token to the caller, or EUNAUTHORIZED when the token is
	// unknown, ended, idle or expired, or the user can no longer sign in. It records activity.
	Authenticate(ctx context.Context, token string) (*Caller, error)

	// SignOut ends the caller's session (reason logout) and records it.
	SignOut(ctx context.Context) error
}

// LoginState is a sign-in in progress: what the callback needs to finish it. It is stored
// server-side, keyed by a hash of the state parameter, and consumed exactly once.
type LoginState struct {
	State        string
	Nonce        string
	CodeVerifier string
	ReturnTo     string
	// MaxAge is the max_age sent to the provider, or -1 when none was sent.
	MaxAge    int
	CreatedAt time.Time
	ExpiresAt time.Time
}

// LoginStateStore keeps sign-ins in progress so that any replica can finish them.
type LoginStateStore interface {
	// SaveLoginState stores s.
	SaveLoginState(ctx context.Context, s *LoginState) error
	// ConsumeLoginState returns and deletes the state; a second call, an unknown state or an
	// expired one is ENOTFOUND.
	ConsumeLoginState(ctx context.Context, state string) (*LoginState, error)
}
