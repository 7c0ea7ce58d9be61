// Package devidp is Regent's embedded development OpenID Connect identity provider.
//
// When no external issuer is configured, Regent serves this provider under its own origin
// (by default at http://127.0.0.1:8080/idp) so that a fresh checkout can sign in without any
// outside service. It speaks just enough OpenID Connect for Regent's relying party: one
// confidential client, the authorization code flow with PKCE S256, the scopes openid, email and
// profile, RS256 ID tokens, userinfo, JWKS, discovery and RP-initiated logout. The protocol is
// handled by github.com/zitadel/oidc's op package; this package supplies a small in-memory
// storage (auth requests, codes, access tokens, one RSA key generated at start) and a sign-in
// page.
//
// The provider asks for no password: whoever reaches the sign-in page may sign in as any person
// the Directory lists. It keeps no sign-in session of its own, so every authorization request
// authenticates anew — either immediately, when login_hint names a Directory person, or by a
// click on the sign-in page — and auth_time is always the time of that sign-in. Because of all
// this, [New] refuses to build a provider whose issuer is not a loopback address
// (127.0.0.0/8, ::1 or localhost): it must never be reachable from another machine.
//
// Everything the provider serves lives under the issuer's path:
//
//	{issuer}/.well-known/openid-configuration  discovery
//	{issuer}/authorize                         authorization endpoint
//	{issuer}/login                             the sign-in page (GET) and its form (POST)
//	{issuer}/oauth/token                       token endpoint
//	{issuer}/userinfo                          userinfo endpoint
//	{issuer}/keys                              JWKS
//	{issuer}/end_session                       RP-initiated logout
package devidp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// User is a person the development provider can sign in.
type User struct {
	// Email identifies the person; the subject of their tokens is derived from it (see [Subject]).
	Email string
	// Name is the display name put in the name claim and on the sign-in page.
	Name string
}

// Directory lists the people that may sign in (Regent passes its seeded, loginable users).
// The provider asks it on every sign-in, so people added or removed take effect at once.
type Directory interface {
	// DevUsers returns the people who may sign in, in the order the sign-in page shows them.
	DevUsers(ctx context.Context) ([]User, error)
}

// Config configures a [Provider]. Issuer, ClientID, ClientSecret, RedirectURIs and Directory are
// required.
type Config struct {
	// Issuer is the provider's issuer URL, e.g. "http://127.0.0.1:8080/idp". Its host must be a
	// loopback address. The provider is served under the issuer's path.
	Issuer string
	// ClientID is the identifier of the only client, Regent's relying party.
	ClientID string
	// ClientSecret is that client's secret, accepted with client_secret_basic or client_secret_post.
	ClientSecret string
	// RedirectURIs are the exact redirect URIs the client may use, e.g.
	// ["http://127.0.0.1:8080/auth/callback"]; any other is refused.
	RedirectURIs []string
	// Directory lists the people that may sign in.
	Directory Directory
	// Logger receives the provider's own log lines; nil means slog.Default().
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now. It decides auth_time and the expiry of
	// auth requests, codes and access tokens (tests inject a clock).
	Now func() time.Time
}

// Provider is a running development identity provider. Build one with [New] and mount
// [Provider.Handler] at the issuer's path. A Provider is safe for concurrent use.
type Provider struct {
	issuer    *url.URL
	basePath  string // the issuer's path without a trailing slash, e.g. "/idp"; "" at the root
	directory Directory
	logger    *slog.Logger
	storage   *storage
	op        *op.Provider
	csp       string
	handler   http.Handler
}

// Lifetimes of what the provider issues. They are short because everything is re-created by
// simply signing in again.
const (
	authRequestLifetime = 10 * time.Minute
	codeLifetime        = 60 * time.Second
	accessTokenLifetime = time.Hour
	idTokenLifetime     = time.Hour
)

// New validates cfg and builds a provider with a freshly generated RSA 2048 signing key.
//
// New refuses (returns an error) unless the issuer's host is a loopback address (127.0.0.0/8,
// ::1, localhost), and when a required field is missing or malformed.
func New(cfg Config) (*Provider, error) {
	issuer, err := parseIssuer(cfg.Issuer)
	if err != nil {
		return nil, err
	}
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("devidp: a client id and a client secret are required")
	}
	if len(cfg.RedirectURIs) == 0 {
		return nil, errors.New("devidp: at least one redirect URI is required")
	}
	formOrigins := []string{originOf(issuer)}
	for _, raw := range cfg.RedirectURIs {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
			return nil, fmt.Errorf("devidp: redirect URI %q is not an absolute http(s) URL without a fragment", raw)
		}
		if o := originOf(u); !slices.Contains(formOrigins, o) {
			formOrigins = append(formOrigins, o)
		}
	}
	if cfg.Directory == nil {
		return nil, errors.New("devidp: a directory of users is required")
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}

	p := &Provider{
		issuer:    issuer,
		basePath:  strings.TrimSuffix(issuer.Path, "/"),
		directory: cfg.Directory,
		logger:    logger,
		// The sign-in form posts to this provider, which then redirects to the client's
		// redirect URI; browsers check form-action on that redirect too.
		csp: "default-src 'none'; style-src 'unsafe-inline'; form-action " +
			strings.Join(formOrigins, " ") + "; frame-ancestors 'none'; base-uri 'none'",
	}
	p.storage, err = newStorage(now, logger, &client{
		id:           cfg.ClientID,
		secret:       cfg.ClientSecret,
		redirectURIs: append([]string(nil), cfg.RedirectURIs...),
		loginURL:     issuer.String() + "/login",
	})
	if err != nil {
		return nil, err
	}

	opConfig := &op.Config{
		CryptoKey:       p.storage.cryptoKey,
		CryptoKeyId:     "devidp",
		CodeMethodS256:  true,
		AuthMethodPost:  true,
		SupportedScopes: supportedScopes,
		SupportedClaims: supportedClaims,
	}
	options := []op.Option{
		// The relying party talks to the provider from the server, never from a browser
		// script, so no CORS headers are sent at all.
		op.WithCORSOptions(nil),
	}
	if issuer.Scheme == "http" {
		// Plain http is acceptable only because the issuer is loopback (checked above).
		options = append(options, op.WithAllowInsecure())
	}
	p.op, err = op.NewProvider(opConfig, p.storage, op.StaticIssuer(issuer.String()), options...)
	if err != nil {
		return nil, fmt.Errorf("devidp: %w", err)
	}
	p.handler = p.routes()
	logger.Info("development identity provider ready; it signs in any listed user without a password",
		slog.String("issuer", issuer.String()))
	return p, nil
}

// Handler serves everything of the provider: discovery, authorize, the sign-in page, token,
// keys, userinfo and end_session. It expects requests with their full path (mount it at the
// issuer's path prefix, e.g. "/idp/*") and strips that prefix itself; requests outside the
// prefix get 404. It sets no cookies and needs none.
func (p *Provider) Handler() http.Handler {
	return p.handler
}

// Subject returns the stable subject the provider issues for an email: "dev-" followed by the
// first 24 hex characters of the SHA-256 of the lowercased email.
func Subject(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	return "dev-" + hex.EncodeToString(sum[:])[:24]
}

// parseIssuer checks that raw is an absolute http(s) URL on a loopback host, without query,
// fragment, user info or trailing slash (the issuer is compared byte for byte by relying
// parties, and every endpoint is built by appending to it).
func parseIssuer(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return nil, fmt.Errorf("devidp: issuer %q is not a URL", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("devidp: issuer %q must be an http or https URL", raw)
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("devidp: issuer %q must be scheme://host[:port][/path] only", raw)
	}
	if strings.HasSuffix(u.Path, "/") {
		return nil, fmt.Errorf("devidp: issuer %q must not end with a slash", raw)
	}
	if !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("devidp: refusing to run the development identity provider on %q: its host must be a loopback address (127.0.0.0/8, ::1 or localhost)", raw)
	}
	return u, nil
}

// isLoopback reports whether host names this machine only.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// originOf returns scheme://host[:port] of u.
func originOf(u *url.URL) string {
	return u.Scheme + "://" + u.Host
}
