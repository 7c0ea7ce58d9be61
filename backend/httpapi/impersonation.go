package httpapi

import (
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regent/regent"
)

type tenantRefResponse struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type principalResponse struct {
	Name string `json:"name"`
}

// impersonationResponse is a session as /api/me, the start answer and the session list
// show it.
type impersonationResponse struct {
	ID                 string            `json:"id"`
	Tenant             tenantRefResponse `json:"tenant"`
	Mode               string            `json:"mode"`
	Principal          principalResponse `json:"principal"`
	Actor              userRefResponse   `json:"actor"`
	StartedAt          time.Time         `json:"startedAt"`
	ExpiresAt          time.Time         `json:"expiresAt"`
	IdleTimeoutSeconds int               `json:"idleTimeoutSeconds"`
	LastActivityAt     time.Time         `json:"lastActivityAt"`
	Reason             string            `json:"reason"`
	Restrictions       []string          `json:"restrictions"`
	EndedAt            *time.Time        `json:"endedAt"`   // null while the session runs
	EndReason          string            `json:"endReason"` // "" while the session runs
	Active             bool              `json:"active"`
}

func impersonationView(s *regent.ImpersonationSession) impersonationResponse {
	return impersonationResponse{ID: s.ID, Tenant: tenantRefResponse{s.TenantID, s.TenantName}, Mode: s.Mode,
		Principal: principalResponse{regent.ImpersonatedAdminName},
		Actor:     userRefResponse{ID: s.ActorID, Email: s.ActorEmail, Name: s.ActorName},
		StartedAt: s.StartedAt, ExpiresAt: s.ExpiresAt, IdleTimeoutSeconds: int(s.IdleTimeout / time.Second),
		LastActivityAt: s.LastActivityAt, Reason: s.Reason, Restrictions: s.Restrictions(),
		EndedAt: s.EndedAt, EndReason: s.EndReason, Active: s.Active()}
}

type startRequest struct {
	Mode   string `json:"mode"`
	Reason string `json:"reason"`
}

type startResponse struct {
	impersonationResponse
	Landing string `json:"landing"`
}

// handleImpersonationStart starts impersonating the tenant and sets a fresh cookie: the one
// the browser held before the start no longer works.
func (s *Server) handleImpersonationStart() echo.HandlerFunc {
	return func(c echo.Context) error {
		var req startRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		sess, token, err := s.cfg.Impersonations.Start(c.Request().Context(), regent.StartImpersonation{
			TenantID: c.Param("id"), Mode: req.Mode, Reason: req.Reason})
		if err != nil {
			return err
		}
		s.setCookie(c, sessionCookie, token, "/", s.cookieLifetime(c))
		return c.JSON(http.StatusCreated, startResponse{impersonationView(sess), regent.Landing(sess.TenantID, sess.Mode, regent.ImpersonationPermissionsIn(sess.TenantKind, sess.Mode))})
	}
}

// handleImpersonationStop ends the caller's impersonation and sets a fresh cookie: the one
// used during the impersonation no longer works.
func (s *Server) handleImpersonationStop() echo.HandlerFunc {
	return func(c echo.Context) error {
		token, err := s.cfg.Impersonations.Stop(c.Request().Context())
		if err != nil {
			return err
		}
		s.setCookie(c, sessionCookie, token, "/", s.cookieLifetime(c))
		return c.NoContent(http.StatusNoContent)
	}
}

// cookieLifetime is what is left of the caller's login session.
func (s *Server) cookieLifetime(c echo.Context) time.Duration {
	caller := regent.CallerFromContext(c.Request().Context())
	return time.Until(caller.Session.ExpiresAt)
}

func handleImpersonationList(svc regent.ImpersonationService) echo.HandlerFunc {
	return func(c echo.Context) error {
		lf, err := listFilter(c)
		if err != nil {
			return err
		}
		f := regent.ImpersonationFilter{ListFilter: lf, TenantID: c.QueryParam("tenantId"), ActorID: c.QueryParam("actorId")}
		if a := c.QueryParam("active"); a != "" {
			b, err := strconv.ParseBool(a)
			if err != nil {
				return regent.Invalid(map[string]string{"active": "must be true or false"})
			}
			f.Active = &b
		}
		items, total, err := svc.List(c.Request().Context(), f)
		if err != nil {
			return err
		}
		out := list[impersonationResponse]{Items: make([]impersonationResponse, len(items)), Total: total}
		for i, it := range items {
			out.Items[i] = impersonationView(it)
		}
		return c.JSON(http.StatusOK, out)
	}
}

func handleImpersonationRevoke(svc regent.ImpersonationService) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := svc.Revoke(c.Request().Context(), c.Param("sid")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

func handleImpersonationRevokeAll(svc regent.ImpersonationService) echo.HandlerFunc {
	return func(c echo.Context) error {
		n, err := svc.RevokeAll(c.Request().Context(), c.QueryParam("tenantId"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]int{"revoked": n})
	}
}

// accessLogResponse is one outside access as a tenant's admins see it.
type accessLogResponse struct {
	ID        string `json:"id"`
	SessionID string `json:"sessionId"`
	Actor     struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	} `json:"actor"`
	Mode      string     `json:"mode"`
	Reason    string     `json:"reason"`
	StartedAt time.Time  `json:"startedAt"`
	EndedAt   *time.Time `json:"endedAt"`
	EndReason string     `json:"endReason"`
}

func handleAccessLog(svc regent.ImpersonationService) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, err := listFilter(c)
		if err != nil {
			return err
		}
		items, total, err := svc.AccessLog(c.Request().Context(), c.Param("id"), f)
		if err != nil {
			return err
		}
		out := list[accessLogResponse]{Items: make([]accessLogResponse, len(items)), Total: total}
		for i, s := range items {
			r := accessLogResponse{ID: s.ID, SessionID: s.ID, Mode: s.Mode, Reason: s.Reason, StartedAt: s.StartedAt,
				EndedAt: s.EndedAt, EndReason: s.EndReason}
			r.Actor.Email, r.Actor.Name = s.ActorEmail, s.ActorName
			out.Items[i] = r
		}
		return c.JSON(http.StatusOK, out)
	}
}

// tenantAppPath matches the API paths of a tenant's own app.
var tenantAppPath = regexp.MustCompile(`^/api/tenants/([^/]+)/(employees|roles|business-units|skills|branding|contacts)(/|$)`)

// impersonationGuard closes the console to a caller who is impersonating: what is left is
// who-am-I, stop, and the impersonated tenant's own app. Services refuse the rest anyway
// (the caller's permissions are the mode's); this says so plainly, in one place. Echo wraps
// a group's handlers in its middleware on every request, so nothing is prepared here.
func impersonationGuard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		caller := regent.CallerFromContext(c.Request().Context())
		if !caller.Impersonating() {
			return next(c)
		}
		r := c.Request()
		// The path as the router matches it: the raw one when the client escaped anything.
		// Matching the decoded path let "/api/tenants/{id}%2Femployees/settings/impersonation"
		// pass here as the tenant's employees and reach a console handler.
		path := echo.GetPath(r)
		switch {
		case r.Method == http.MethodGet && (path == "/api/me" || path == "/api/openapi.yaml" || path == "/api/permissions"):
			return next(c)
		case r.Method == http.MethodDelete && path == "/api/impersonation":
			return next(c)
		}
		if m := tenantAppPath.FindStringSubmatch(path); m != nil && m[1] == caller.Impersonation.TenantID {
			return next(c)
		}
		if r.Method == http.MethodPost && tenantImpersonations.MatchString(path) {
			return next(c) // the service refuses it as already_impersonating, and records that
		}
		return &regent.Error{Code: regent.EFORBIDDEN, Reason: "impersonating",
			Message: "While impersonating you can only work inside " + caller.Impersonation.TenantName + ". Stop impersonating to use the console."}
	}
}

var tenantImpersonations = regexp.MustCompile(`^/api/tenants/[^/]+/impersonations$`)

type accessNoticeResponse struct {
	Unseen   int        `json:"unseen"`
	Since    *time.Time `json:"since"`
	LatestAt *time.Time `json:"latestAt"`
	LatestBy string     `json:"latestBy,omitempty"`
	Active   int        `json:"active"`
}

func handleAccessNotice(svc regent.ImpersonationService) echo.HandlerFunc {
	return func(c echo.Context) error {
		n, err := svc.AccessNotice(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusOK, accessNoticeResponse{n.Unseen, n.Since, n.LatestAt, n.LatestBy, n.Active})
	}
}

func handleAccessAcknowledge(svc regent.ImpersonationService) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := svc.AcknowledgeAccess(c.Request().Context(), c.Param("id")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}
