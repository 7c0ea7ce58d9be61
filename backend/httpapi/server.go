// Package httpapi is Regent's HTTP surface on echo: the JSON API under /api, the sign-in
// endpoints under /auth, health probes, and the mounting points of the embedded identity
// provider and the web UI.
//
// Who the caller is gets resolved once per request by middleware (session cookie -> user,
// home, roles, permissions) and put into the request's context.Context; handlers and
// services read it from there. Handlers return errors; one central handler writes them as
// RFC 9457 problem+json and never lets internal details out.
package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/regent/regent"
	"github.com/regent/regent/oidc"
)

// Config is everything the server needs; main wires it.
type Config struct {
	Logger      *slog.Logger
	PublicURL   *url.URL
	Auth        regent.AuthService
	LoginStates regent.LoginStateStore
	RP          *oidc.RelyingParty
	// SessionSecret keys the CSRF tokens and the sign-in binding cookie.
	SessionSecret []byte
	// The console's and the tenant app's services.
	Tenants       regent.TenantService
	Users         regent.UserService
	Roles         regent.RoleService
	BusinessUnits regent.TenantResourceService[regent.BusinessUnit]
	Skills        regent.TenantResourceService[regent.Skill]
	Branding      regent.TenantResourceService[regent.BrandingProfile]
	Contacts      ContactService
	// Impersonation and its policy.
	Impersonations regent.ImpersonationService
	Policies       regent.PolicyService
	Audit          regent.AuditService
	// Ready reports whether the database answers, for /readyz.
	Ready func(context.Context) error
	// IdentityProvider, when set, is the embedded development provider, served under /idp.
	IdentityProvider http.Handler
	// Web serves the single-page app for every other GET.
	Web http.Handler
	// IPExtractor decides the client address; nil trusts only the direct peer.
	IPExtractor echo.IPExtractor
	// Metrics, when set, records request durations.
	Metrics *Metrics
	Now     regent.Clock
}

// ContactService is the contacts collection with its export.
type ContactService interface {
	regent.TenantResourceService[regent.Contact]
	regent.ContactExporter
}

// Server is Regent's HTTP handler.
type Server struct {
	cfg  Config
	echo *echo.Echo
}

// NewServer builds the handler with every route registered.
func NewServer(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.JSONSerializer = jsonSerializer{}
	e.IPExtractor = cfg.IPExtractor
	if e.IPExtractor == nil {
		// Never believe X-Forwarded-For unless a trusted proxy range is configured: the
		// address is part of the audit trail and of an impersonation's footprint.
		e.IPExtractor = echo.ExtractIPDirect()
	}
	s := &Server{cfg: cfg, echo: e}
	e.HTTPErrorHandler = s.handleError
	s.routes()
	return s
}

// jsonSerializer writes a JSON answer in one write, with its length: echo's default hands
// the body to the response without one, which sends it chunked, a write per 4 KiB.
type jsonSerializer struct{ echo.DefaultJSONSerializer }

func (jsonSerializer) Serialize(c echo.Context, v any, indent string) error {
	var b []byte
	var err error
	if indent != "" {
		b, err = json.MarshalIndent(v, "", indent)
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		return err
	}
	b = append(b, '\n')
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(b)))
	_, err = c.Response().Write(b)
	return err
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// secureCookies reports whether cookies must carry the Secure attribute.
func (s *Server) secureCookies() bool { return s.cfg.PublicURL.Scheme == "https" }
