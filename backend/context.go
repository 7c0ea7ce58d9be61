package regent

import "context"

// Caller is who is making a request, resolved once per request by the HTTP layer from the
// session cookie and read by services from the context.
//
// While impersonating, User is still the real person (the actor: the audit trail names
// them), Impersonation is the live session, Principal is the tenant's hidden Impersonated
// Admin (the author the tenant app shows), and Permissions are the mode's, not the actor's.
type Caller struct {
	User          *User
	Home          *Tenant
	Roles         []Role
	Permissions   PermissionSet
	Session       *LoginSession
	Impersonation *ImpersonationSession
	Principal     *User
}

// Impersonating reports whether the caller acts as a tenant's Impersonated Admin.
func (c *Caller) Impersonating() bool { return c != nil && c.Impersonation != nil }

// Author is who the tenant app records as having made a change: the principal while
// impersonating, the person otherwise.
func (c *Caller) Author() Author {
	if c.Impersonating() && c.Principal != nil {
		return Author{ID: c.Principal.ID, Name: c.Principal.Name}
	}
	return Author{ID: c.User.ID, Name: c.User.Name}
}

// Can reports whether the caller holds p.
func (c *Caller) Can(p Permission) bool {
	return c != nil && c.Permissions.Has(p)
}

// RequestInfo is what the HTTP layer knows about the request, for the audit trail.
type RequestInfo struct {
	RequestID string
	IP        string
	UserAgent string
}

type contextKey int

const (
	callerKey contextKey = iota + 1
	requestInfoKey
	backgroundKey
)

// NewContextWithCaller returns a copy of ctx that carries c.
func NewContextWithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey, c)
}

// CallerFromContext returns the caller in ctx, or nil for an anonymous request.
func CallerFromContext(ctx context.Context) *Caller {
	c, _ := ctx.Value(callerKey).(*Caller)
	return c
}

// NewContextWithRequestInfo returns a copy of ctx that carries ri.
func NewContextWithRequestInfo(ctx context.Context, ri RequestInfo) context.Context {
	return context.WithValue(ctx, requestInfoKey, ri)
}

// NewBackgroundContext returns a copy of ctx marked as a request the application makes by
// itself (the SPA asking who-am-I every few seconds), not on a person's behalf: it is
// authenticated and checked like any other, but it is not activity, so it never keeps an
// idle session alive.
func NewBackgroundContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, backgroundKey, true)
}

// InBackground reports whether ctx was marked by NewBackgroundContext.
func InBackground(ctx context.Context) bool {
	b, _ := ctx.Value(backgroundKey).(bool)
	return b
}

// RequestInfoFromContext returns the request information in ctx (zero if none).
func RequestInfoFromContext(ctx context.Context) RequestInfo {
	ri, _ := ctx.Value(requestInfoKey).(RequestInfo)
	return ri
}
