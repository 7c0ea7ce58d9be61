// Package oidc is Regent's OpenID Connect relying party: it builds the authorization
// request (code flow with PKCE S256, state and nonce, optional login_hint, prompt and
// max_age) and finishes it (code exchange, ID token verification, nonce and auth_time
// checks) with coreos/go-oidc and x/oauth2. It works with any standard provider; in
// development Regent points it at its own embedded provider (package devidp).
//
// The provider's discovery document is fetched lazily and retried until it succeeds, so
// Regent can start before its provider answers (and can serve the embedded one itself).
package oidc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Config configures the relying party.
type Config struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is Regent's callback, {public URL}/auth/callback.
	RedirectURL string
	// HTTPClient is used for discovery, keys and the token endpoint; nil means a client
	// with a 10-second timeout.
	HTTPClient *http.Client
	// Now is the clock for the auth_time check; nil means time.Now.
	Now func() time.Time
}

// RelyingParty signs users in against one provider.
type RelyingParty struct {
	cfg Config

	mu       sync.Mutex
	provider *gooidc.Provider
}

// New returns a relying party; it does not contact the provider yet.
func New(cfg Config) *RelyingParty {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &RelyingParty{cfg: cfg}
}

// Issuer returns the provider's issuer URL.
func (rp *RelyingParty) Issuer() string { return rp.cfg.Issuer }

func (rp *RelyingParty) ctx(ctx context.Context) context.Context {
	return gooidc.ClientContext(ctx, rp.cfg.HTTPClient)
}

// discover returns the provider, fetching its discovery document on first use.
func (rp *RelyingParty) discover(ctx context.Context) (*gooidc.Provider, error) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.provider != nil {
		return rp.provider, nil
	}
	p, err := gooidc.NewProvider(rp.ctx(ctx), rp.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc discovery: %w", err)
	}
	rp.provider = p
	return p, nil
}

func (rp *RelyingParty) oauth2Config(p *gooidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     rp.cfg.ClientID,
		ClientSecret: rp.cfg.ClientSecret,
		RedirectURL:  rp.cfg.RedirectURL,
		Endpoint:     p.Endpoint(),
		Scopes:       []string{gooidc.ScopeOpenID, "email", "profile"},
	}
}

// AuthRequest is one sign-in attempt's secrets and options.
type AuthRequest struct {
	State        string
	Nonce        string
	CodeVerifier string
	LoginHint    string
	// MaxAge, when zero or more, is sent as max_age; -1 sends none. Zero also sends
	// prompt=login: the user must authenticate again now.
	MaxAge int
}

// AuthCodeURL returns the provider URL to send the browser to.
func (rp *RelyingParty) AuthCodeURL(ctx context.Context, r AuthRequest) (string, error) {
	p, err := rp.discover(ctx)
	if err != nil {
		return "", err
	}
	opts := []oauth2.AuthCodeOption{
		gooidc.Nonce(r.Nonce),
		oauth2.S256ChallengeOption(r.CodeVerifier),
	}
	if r.LoginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", r.LoginHint))
	}
	if r.MaxAge >= 0 {
		opts = append(opts, oauth2.SetAuthURLParam("max_age", strconv.Itoa(r.MaxAge)))
	}
	if r.MaxAge == 0 {
		opts = append(opts, oauth2.SetAuthURLParam("prompt", "login"))
	}
	return rp.oauth2Config(p).AuthCodeURL(r.State, opts...), nil
}

// Identity is what a verified ID token says about the user.
type Identity struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
	// AuthTime is the ID token's auth_time, or zero when the provider did not say.
	AuthTime time.Time
}

// Errors of Exchange. Callers show a generic "sign-in failed" for all of them and log which.
var (
	ErrExchange      = errors.New("oidc: code exchange failed")
	ErrNoIDToken     = errors.New("oidc: token response has no id_token")
	ErrVerify        = errors.New("oidc: id token verification failed")
	ErrNonce         = errors.New("oidc: nonce mismatch")
	ErrStaleAuthTime = errors.New("oidc: authentication is older than max_age")
)

// maxAgeLeeway absorbs clock skew between Regent and the provider when checking auth_time.
const maxAgeLeeway = 30 * time.Second

// Exchange trades the code for tokens and verifies the ID token: signature, issuer,
// audience and expiry (go-oidc), then the nonce, and, when max_age was sent, that
// auth_time is present and recent enough.
func (rp *RelyingParty) Exchange(ctx context.Context, code, verifier, nonce string, maxAge int) (*Identity, error) {
	p, err := rp.discover(ctx)
	if err != nil {
		return nil, err
	}
	tok, err := rp.oauth2Config(p).Exchange(rp.ctx(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrExchange, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return nil, ErrNoIDToken
	}
	idt, err := p.Verifier(&gooidc.Config{ClientID: rp.cfg.ClientID, Now: rp.cfg.Now}).Verify(rp.ctx(ctx), raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrVerify, err)
	}
	if idt.Nonce == "" || idt.Nonce != nonce {
		return nil, ErrNonce
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified any    `json:"email_verified"`
		Name          string `json:"name"`
		AuthTime      int64  `json:"auth_time"`
	}
	if err := idt.Claims(&claims); err != nil {
		return nil, fmt.Errorf("%w: claims: %v", ErrVerify, err)
	}
	id := &Identity{Issuer: idt.Issuer, Subject: idt.Subject, Email: claims.Email,
		EmailVerified: truthy(claims.EmailVerified), Name: claims.Name}
	// Without auth_time, when the person authenticated is unknown: the token's iat is only
	// an upper bound (a silent sign-in through the provider's own session can come hours
	// after the password was typed), so taking it would pass an old login for a fresh one.
	// AuthTime stays zero, which every re-authentication window treats as too old.
	if claims.AuthTime > 0 {
		id.AuthTime = time.Unix(claims.AuthTime, 0).UTC()
	}
	if maxAge >= 0 {
		if claims.AuthTime == 0 {
			return nil, fmt.Errorf("%w: no auth_time claim", ErrStaleAuthTime)
		}
		if rp.cfg.Now().Sub(id.AuthTime) > time.Duration(maxAge)*time.Second+maxAgeLeeway {
			return nil, ErrStaleAuthTime
		}
	}
	return id, nil
}

// truthy accepts email_verified as a JSON boolean or the string "true" (some providers).
func truthy(v any) bool {
	switch b := v.(type) {
	case bool:
		return b
	case string:
		return b == "true"
	}
	return false
}
