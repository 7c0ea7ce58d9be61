package regent

import "context"

// Caller is who is making a request, resolved once per request by the HTTP layer from the
// session cookie and read by services from the context.
type Caller struct {
	User        *User
	Home        *Tenant
	Roles       []Role
	Permissions PermissionSet
	Session     *LoginSession
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

// RequestInfoFromContext returns the request information in ctx (zero if none).
func RequestInfoFromContext(ctx context.Context) RequestInfo {
	ri, _ := ctx.Value(requestInfoKey).(RequestInfo)
	return ri
}
