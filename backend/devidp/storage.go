package devidp

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// supportedScopes are the only scopes the provider grants; others are dropped from requests.
var supportedScopes = []string{oidc.ScopeOpenID, oidc.ScopeEmail, oidc.ScopeProfile}

// supportedClaims are the claims the provider's tokens and userinfo may carry.
var supportedClaims = []string{
	"sub", "aud", "exp", "iat", "iss", "auth_time", "nonce", "azp", "at_hash", "c_hash",
	"email", "email_verified", "name",
}

var (
	errUnknownAuthRequest = errors.New("unknown or expired auth request")
	errAuthRequestDone    = errors.New("auth request already signed in")
	errUnknownCode        = errors.New("unknown or expired code")
	errCodeReused         = errors.New("code already used")
	errUnknownToken       = errors.New("unknown or expired access token")
	errUnsupported        = errors.New("not supported by the development identity provider")
)

// storage is the provider's in-memory op.Storage: auth requests, codes and access tokens live in
// maps behind one mutex and vanish at restart, which only means signing in again.
type storage struct {
	now       func() time.Time
	client    *client
	key       *signingKey
	cryptoKey [32]byte // encrypts the opaque access tokens and codes
	logger    *slog.Logger

	mu           sync.Mutex
	authRequests map[string]*authRequest
	codes        map[string]*authCode
	tokens       map[string]*accessToken
}

var (
	_ op.Storage                   = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
)

// authCode is an issued authorization code. It is kept after use, until it expires, so that a
// second use is recognised and the tokens of the first are revoked (RFC 6749, section 4.1.2).
type authCode struct {
	requestID string
	expiresAt time.Time
	used      bool
}

// accessToken is an issued opaque access token, good for userinfo until it expires.
type accessToken struct {
	clientID  string
	requestID string
	subject   string
	user      User
	scopes    []string
	authTime  time.Time
	expiresAt time.Time
}

func newStorage(now func() time.Time, logger *slog.Logger, c *client) (*storage, error) {
	key, err := newSigningKey()
	if err != nil {
		return nil, err
	}
	s := &storage{
		now:          now,
		logger:       logger,
		client:       c,
		key:          key,
		authRequests: make(map[string]*authRequest),
		codes:        make(map[string]*authCode),
		tokens:       make(map[string]*accessToken),
	}
	if _, err := rand.Read(s.cryptoKey[:]); err != nil {
		return nil, fmt.Errorf("devidp: generate token encryption key: %w", err)
	}
	return s, nil
}

// sweepLocked forgets everything that has expired. The caller holds s.mu.
func (s *storage) sweepLocked(now time.Time) {
	for id, ar := range s.authRequests {
		if !now.Before(ar.expiresAt) {
			delete(s.authRequests, id)
		}
	}
	for code, c := range s.codes {
		if !now.Before(c.expiresAt) {
			delete(s.codes, code)
		}
	}
	for id, t := range s.tokens {
		if !now.Before(t.expiresAt) {
			delete(s.tokens, id)
		}
	}
}

// CreateAuthRequest stores a validated authorization request. Besides what op checks, it
// insists on PKCE with S256 and on the openid scope, and keeps only the supported scopes.
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if req.CodeChallenge == "" || req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE is required: send code_challenge with code_challenge_method=S256")
	}
	if !slices.Contains(req.Scopes, oidc.ScopeOpenID) {
		return nil, oidc.ErrInvalidScope().WithDescription("the openid scope is required")
	}
	scopes := make([]string, 0, len(supportedScopes))
	for _, scope := range req.Scopes {
		if slices.Contains(supportedScopes, scope) && !slices.Contains(scopes, scope) {
			scopes = append(scopes, scope)
		}
	}
	now := s.now()
	ar := &authRequest{
		id:            rand.Text(),
		expiresAt:     now.Add(authRequestLifetime),
		clientID:      req.ClientID,
		redirectURI:   req.RedirectURI,
		state:         req.State,
		nonce:         req.Nonce,
		scopes:        scopes,
		responseType:  req.ResponseType,
		responseMode:  req.ResponseMode,
		codeChallenge: req.CodeChallenge,
		loginHint:     req.LoginHint,
		prompt:        slices.Clone([]string(req.Prompt)),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	s.authRequests[ar.id] = ar
	return ar.snapshot(), nil
}

// AuthRequestByID returns a copy of a pending auth request, so that op reads it without the lock.
func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	ar, err := s.authRequest(id)
	if err != nil {
		return nil, err
	}
	return ar, nil
}

// authRequest is AuthRequestByID with the concrete type.
func (s *storage) authRequest(id string) (*authRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, ok := s.authRequests[id]
	if !ok || !s.now().Before(ar.expiresAt) {
		return nil, errUnknownAuthRequest
	}
	return ar.snapshot(), nil
}

// signIn marks the pending auth request id as authenticated by user, now. It fails when the
// request is unknown, expired or already signed in, so a request is signed in at most once.
func (s *storage) signIn(id string, user User) (*authRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	ar, ok := s.authRequests[id]
	if !ok || !now.Before(ar.expiresAt) {
		return nil, errUnknownAuthRequest
	}
	if ar.done {
		return nil, errAuthRequestDone
	}
	ar.user = user
	ar.authTime = now
	ar.done = true
	// From now on the request only waits for its code to be redeemed; it must outlive that
	// code even when the sign-in came late in the request's life.
	ar.expiresAt = now.Add(2 * codeLifetime)
	return ar.snapshot(), nil
}

// SaveAuthCode records a code for a signed-in auth request; it is valid for codeLifetime.
func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	ar, ok := s.authRequests[id]
	if !ok || !ar.done || !now.Before(ar.expiresAt) {
		return errUnknownAuthRequest
	}
	s.codes[code] = &authCode{requestID: id, expiresAt: now.Add(codeLifetime)}
	return nil
}

// AuthRequestByCode redeems a code: the first call consumes it, whatever happens next (a wrong
// PKCE verifier included), and a later call revokes the tokens issued for it.
func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	c, ok := s.codes[code]
	if !ok || !now.Before(c.expiresAt) {
		return nil, errUnknownCode
	}
	if c.used {
		delete(s.authRequests, c.requestID)
		for id, t := range s.tokens {
			if t.requestID == c.requestID {
				delete(s.tokens, id)
			}
		}
		s.logger.Warn("development identity provider: authorization code used twice; its tokens are revoked")
		return nil, errCodeReused
	}
	c.used = true
	ar, ok := s.authRequests[c.requestID]
	if !ok || !ar.done {
		return nil, errUnknownCode
	}
	return ar.snapshot(), nil
}

// DeleteAuthRequest forgets an auth request once its tokens are issued.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.authRequests, id)
	return nil
}

// CreateAccessToken issues an access token for a signed-in auth request.
func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	ar, ok := req.(*authRequest)
	if !ok || !ar.done {
		return "", time.Time{}, oidc.ErrUnsupportedGrantType()
	}
	now := s.now()
	t := &accessToken{
		clientID:  ar.clientID,
		requestID: ar.id,
		subject:   ar.GetSubject(),
		user:      ar.user,
		scopes:    slices.Clone(ar.scopes),
		authTime:  ar.authTime,
		expiresAt: now.Add(accessTokenLifetime),
	}
	id := rand.Text()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	s.tokens[id] = t
	return id, t.expiresAt, nil
}

// CreateAccessAndRefreshTokens refuses: the provider issues no refresh tokens.
func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType().WithDescription("refresh tokens are not issued")
}

// TokenRequestByRefreshToken refuses: the provider issues no refresh tokens.
func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

// TerminateSession does nothing: the provider keeps no session.
func (s *storage) TerminateSession(context.Context, string, string) error {
	return nil
}

// RevokeToken forgets an access token of the given client. Unknown tokens are not an error
// (RFC 7009, section 2.2).
func (s *storage) RevokeToken(_ context.Context, tokenOrTokenID, _, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tokens[tokenOrTokenID]; ok && t.clientID == clientID {
		delete(s.tokens, tokenOrTokenID)
	}
	return nil
}

// GetRefreshTokenInfo reports that no token is a refresh token.
func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

// SigningKey returns the key ID tokens are signed with.
func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	return s.key, nil
}

// SignatureAlgorithms returns RS256, the only algorithm used.
func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

// KeySet returns the public half of the signing key, served as the JWKS.
func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{s.key}}, nil
}

// GetClientByClientID returns the one client.
func (s *storage) GetClientByClientID(_ context.Context, clientID string) (op.Client, error) {
	if clientID != s.client.id {
		return nil, errors.New("unknown client")
	}
	return s.client, nil
}

// AuthorizeClientIDSecret checks the client's credentials in constant time.
func (s *storage) AuthorizeClientIDSecret(_ context.Context, clientID, clientSecret string) error {
	if !s.client.authenticate(clientID, clientSecret) {
		return errors.New("invalid client credentials")
	}
	return nil
}

// SetUserinfoFromScopes is deprecated in op and left empty; SetUserinfoFromRequest does the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest puts the signed-in person's claims into the ID token.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	ar, ok := req.(*authRequest)
	if !ok || !ar.done {
		return errUnknownAuthRequest
	}
	setUserinfo(info, ar.user, scopes)
	return nil
}

// SetUserinfoFromToken answers the userinfo endpoint for a valid access token.
func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, subject, _ string) error {
	t, err := s.token(tokenID, subject)
	if err != nil {
		return err
	}
	setUserinfo(info, t.user, t.scopes)
	return nil
}

// SetIntrospectionFromToken describes a valid access token to the client it was issued to.
func (s *storage) SetIntrospectionFromToken(_ context.Context, resp *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	t, err := s.token(tokenID, subject)
	if err != nil {
		return err
	}
	if t.clientID != clientID {
		return errUnknownToken
	}
	info := new(oidc.UserInfo)
	setUserinfo(info, t.user, t.scopes)
	resp.SetUserInfo(info)
	resp.Scope = t.scopes
	resp.ClientID = t.clientID
	resp.Audience = []string{t.clientID}
	resp.Expiration = oidc.FromTime(t.expiresAt)
	resp.AuthTime = oidc.FromTime(t.authTime)
	return nil
}

// token returns an unexpired access token issued to subject.
func (s *storage) token(tokenID, subject string) (*accessToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenID]
	if !ok || !s.now().Before(t.expiresAt) || t.subject != subject {
		return nil, errUnknownToken
	}
	return t, nil
}

// GetPrivateClaimsFromScopes adds no private claims.
func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// GetKeyByIDAndClientID refuses: clients do not authenticate with keys (no JWT profile).
func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errUnsupported
}

// ValidateJWTProfileScopes refuses: the JWT profile grant is not supported.
func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errUnsupported
}

// Health reports the in-memory storage as always healthy.
func (s *storage) Health(context.Context) error {
	return nil
}

// setUserinfo fills the standard claims of user allowed by scopes.
func setUserinfo(info *oidc.UserInfo, user User, scopes []string) {
	info.Subject = Subject(user.Email)
	if slices.Contains(scopes, oidc.ScopeEmail) {
		info.Email = user.Email
		info.EmailVerified = true
	}
	if slices.Contains(scopes, oidc.ScopeProfile) {
		info.Name = user.Name
	}
}

// authRequest is a pending authorization request; once a person signs in, done is set and
// user and authTime say who and when.
type authRequest struct {
	id            string
	expiresAt     time.Time
	clientID      string
	redirectURI   string
	state         string
	nonce         string
	scopes        []string
	responseType  oidc.ResponseType
	responseMode  oidc.ResponseMode
	codeChallenge string
	loginHint     string
	prompt        []string

	done     bool
	user     User
	authTime time.Time
}

var _ op.AuthRequest = (*authRequest)(nil)

// snapshot returns a copy that stays consistent after the storage lock is released; the slices
// are never modified in place, so sharing them is safe.
func (a *authRequest) snapshot() *authRequest {
	c := *a
	return &c
}

func (a *authRequest) GetID() string          { return a.id }
func (a *authRequest) GetACR() string         { return "" }
func (a *authRequest) GetAMR() []string       { return nil }
func (a *authRequest) GetAudience() []string  { return []string{a.clientID} }
func (a *authRequest) GetAuthTime() time.Time { return a.authTime }
func (a *authRequest) GetClientID() string    { return a.clientID }
func (a *authRequest) GetNonce() string       { return a.nonce }
func (a *authRequest) GetRedirectURI() string { return a.redirectURI }
func (a *authRequest) GetScopes() []string    { return a.scopes }
func (a *authRequest) GetState() string       { return a.state }
func (a *authRequest) Done() bool             { return a.done }
func (a *authRequest) GetResponseType() oidc.ResponseType {
	return a.responseType
}
func (a *authRequest) GetResponseMode() oidc.ResponseMode {
	return a.responseMode
}

func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	return &oidc.CodeChallenge{Challenge: a.codeChallenge, Method: oidc.CodeChallengeMethodS256}
}

func (a *authRequest) GetSubject() string {
	if !a.done {
		return ""
	}
	return Subject(a.user.Email)
}

// hasPrompt reports whether the request asked for prompt value v.
func (a *authRequest) hasPrompt(v string) bool {
	return slices.Contains(a.prompt, v)
}

// signingKey is the RSA key ID tokens are signed with, generated at start and never stored.
type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func newSigningKey() (*signingKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("devidp: generate signing key: %w", err)
	}
	// The key ID is the JWK thumbprint (RFC 7638), so it changes whenever the key does.
	thumb, err := (&jose.JSONWebKey{Key: &key.PublicKey}).Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("devidp: signing key thumbprint: %w", err)
	}
	return &signingKey{id: base64.RawURLEncoding.EncodeToString(thumb), key: key}, nil
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k *signingKey) Key() any                                    { return k.key }
func (k *signingKey) ID() string                                  { return k.id }

// publicKey is the public half of a signingKey, as published in the JWKS.
type publicKey struct{ *signingKey }

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.signingKey.key.PublicKey }
