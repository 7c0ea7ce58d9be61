package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/regent/regent"
)

// Cookie names.
const (
	sessionCookie = "regent_session"
	loginCookie   = "regent_login"
)

// markPolls marks the SPA's own polling as background requests: GET /api/me, which it asks
// every two seconds while impersonating (to follow an end made elsewhere), and any GET sent
// with "X-Regent-Background: 1" (the Access Log notice checked every minute, a list's timed
// refresh). They are authenticated and checked as ever but are not the person's activity, or
// an unattended tab would never reach an idle timeout. The header can only shorten the
// caller's own session, so it is believed; it means nothing on a change.
func markPolls(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method == http.MethodGet && (r.URL.Path == "/api/me" || r.Header.Get(backgroundHeader) == "1") {
			c.SetRequest(r.WithContext(regent.NewBackgroundContext(r.Context())))
		}
		return next(c)
	}
}

// backgroundHeader marks a GET the SPA makes on its own, not for the person.
const backgroundHeader = "X-Regent-Background"

// routes lists the whole HTTP surface in one place.
func (s *Server) routes() {
	e := s.echo
	e.Use(s.requestContext, s.recoverPanics, s.securityHeaders)
	if s.cfg.Metrics != nil {
		e.Use(s.cfg.Metrics.observe)
	}

	e.GET("/healthz", handleHealthz())
	e.GET("/readyz", handleReadyz(s.cfg.Ready))

	// The sign-in endpoints are open to anyone and each login stores a row: a per-address
	// rate limit keeps that from being used to fill the table or hammer the provider.
	auth := e.Group("/auth", middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(5), Burst: 60, ExpiresIn: 10 * time.Minute}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			return &echo.HTTPError{Code: http.StatusTooManyRequests, Message: "Too many sign-in attempts from your address. Wait a minute and try again."}
		},
	}))
	auth.GET("/login", s.handleLogin())
	auth.GET("/callback", s.handleCallback())
	auth.POST("/logout", s.handleLogout(), s.optionalCaller, s.requireCSRF)
	// Signing out changes state, so it is never a GET (a link or an image must not do it).
	auth.GET("/logout", func(c echo.Context) error {
		c.Response().Header().Set("Allow", "POST")
		return echo.ErrMethodNotAllowed
	})
	auth.Any("/*", func(c echo.Context) error { return echo.ErrNotFound })

	api := e.Group("/api", markPolls, s.requireCaller, s.requireCSRF, impersonationGuard)
	api.GET("/me", s.handleMe())
	api.GET("/openapi.yaml", handleOpenAPI())
	api.GET("/permissions", handlePermissionCatalogue())

	// The console: the account tree and its people.
	api.GET("/tenants", handleTenantList(s.cfg.Tenants, s.cfg.Policies))
	api.POST("/tenants", handleTenantCreate(s.cfg.Tenants, s.cfg.Policies))
	api.GET("/tenants/:id", handleTenantGet(s.cfg.Tenants, s.cfg.Policies))
	api.PATCH("/tenants/:id", handleTenantUpdate(s.cfg.Tenants, s.cfg.Policies))
	api.GET("/users", handleUserList(s.cfg.Users))
	api.POST("/users", handleUserCreate(s.cfg.Users))
	api.GET("/users/:userId", handleUserGet(s.cfg.Users))
	api.PATCH("/users/:userId", handleUserUpdate(s.cfg.Users))
	api.GET("/roles", handleConsoleRoles(s.cfg.Roles))

	// Impersonation.
	api.POST("/tenants/:id/impersonations", s.handleImpersonationStart())
	api.DELETE("/impersonation", s.handleImpersonationStop())
	api.GET("/impersonations", handleImpersonationList(s.cfg.Impersonations))
	api.POST("/impersonations/revoke-all", handleImpersonationRevokeAll(s.cfg.Impersonations))
	api.GET("/impersonations/:sid", handleSessionTimeline(s.cfg.Audit))
	api.POST("/impersonations/:sid/revoke", handleImpersonationRevoke(s.cfg.Impersonations))
	// Accountability.
	api.GET("/audit", handleAuditList(s.cfg.Audit))
	api.GET("/audit/export", handleAuditExport(s.cfg.Audit, s.cfg.Logger))
	api.GET("/tenants/:id/metrics", handleTenantMetrics(s.cfg.Audit))

	api.GET("/settings/impersonation", handleGlobalPolicyGet(s.cfg.Policies))
	api.PUT("/settings/impersonation", handleGlobalPolicyPut(s.cfg.Policies))
	api.GET("/tenants/:id/settings/impersonation", handleTenantPolicyGet(s.cfg.Policies))
	api.PUT("/tenants/:id/settings/impersonation", handleTenantPolicyPut(s.cfg.Policies))

	// The tenant app: everything under one tenant, scoped by its id.
	t := api.Group("/tenants/:id")
	t.GET("/employees", handleEmployeeList(s.cfg.Users))
	t.POST("/employees", handleEmployeeCreate(s.cfg.Users))
	t.GET("/employees/:itemId", handleEmployeeGet(s.cfg.Users))
	t.PATCH("/employees/:itemId", handleEmployeeUpdate(s.cfg.Users))
	t.DELETE("/employees/:itemId", handleEmployeeDelete(s.cfg.Users))
	t.GET("/roles", handleRoleList(s.cfg.Roles))
	t.POST("/roles", handleRoleCreate(s.cfg.Roles))
	t.GET("/roles/:itemId", handleRoleGet(s.cfg.Roles))
	t.PATCH("/roles/:itemId", handleRoleUpdate(s.cfg.Roles))
	t.DELETE("/roles/:itemId", handleRoleDelete(s.cfg.Roles))
	businessUnitAPI(s.cfg.BusinessUnits).mount(t, "/business-units")
	skillAPI(s.cfg.Skills).mount(t, "/skills")
	brandingAPI(s.cfg.Branding).mount(t, "/branding")
	t.GET("/contacts/export", handleContactExport(s.cfg.Contacts, s.cfg.Logger))
	contactAPI(s.cfg.Contacts).mount(t, "/contacts")
	t.GET("/access-log", handleAccessLog(s.cfg.Impersonations))
	t.GET("/access-log/notice", handleAccessNotice(s.cfg.Impersonations))
	t.POST("/access-log/seen", handleAccessAcknowledge(s.cfg.Impersonations))
	t.GET("/access-log/:sid", handleSessionTimeline(s.cfg.Audit))
	api.Any("/*", func(c echo.Context) error { return echo.ErrNotFound })

	if s.cfg.IdentityProvider != nil {
		idp := echo.WrapHandler(s.cfg.IdentityProvider)
		e.Any("/idp", idp)
		e.Any("/idp/*", idp)
	}
	if s.cfg.Web != nil {
		web := echo.WrapHandler(s.cfg.Web)
		e.GET("/*", web)
		e.HEAD("/*", web)
	}
	e.RouteNotFound("/*", func(c echo.Context) error { return echo.ErrNotFound })
}
