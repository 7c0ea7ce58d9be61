package devidp

import (
	"crypto/subtle"
	"net/url"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// client is the one confidential client the provider knows: Regent's relying party.
type client struct {
	id           string
	secret       string
	redirectURIs []string
	loginURL     string // absolute URL of the sign-in page
}

var _ op.Client = (*client)(nil)

// authenticate compares the credentials in constant time.
func (c *client) authenticate(id, secret string) bool {
	idOK := subtle.ConstantTimeCompare([]byte(id), []byte(c.id))
	secretOK := subtle.ConstantTimeCompare([]byte(secret), []byte(c.secret))
	return idOK&secretOK == 1
}

func (c *client) GetID() string                    { return c.id }
func (c *client) RedirectURIs() []string           { return slices.Clone(c.redirectURIs) }
func (c *client) PostLogoutRedirectURIs() []string { return nil }
func (c *client) ApplicationType() op.ApplicationType {
	return op.ApplicationTypeWeb
}

// AuthMethod is client_secret_basic; op also accepts client_secret_post because
// op.Config.AuthMethodPost is set.
func (c *client) AuthMethod() oidc.AuthMethod { return oidc.AuthMethodBasic }

func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}

func (c *client) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeCode}
}

// LoginURL is where op sends the browser after storing an auth request: the sign-in page.
func (c *client) LoginURL(authRequestID string) string {
	return c.loginURL + "?id=" + url.QueryEscape(authRequestID)
}

func (c *client) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeBearer }
func (c *client) IDTokenLifetime() time.Duration      { return idTokenLifetime }
func (c *client) DevMode() bool                       { return false }

func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}

func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}

// IsScopeAllowed allows no scope beyond the standard ones op always accepts.
func (c *client) IsScopeAllowed(string) bool { return false }

// IDTokenUserinfoClaimsAssertion puts the profile claims into the ID token even though an access
// token is issued alongside it, so the relying party needs no userinfo call.
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }

// ClockSkew is zero: op subtracts it from auth_time and iat, which must be exact.
func (c *client) ClockSkew() time.Duration { return 0 }
