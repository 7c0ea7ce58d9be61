package regent

import (
	"context"
	"time"
)

// Impersonation modes.
const (
	ModeSupport   = "support"
	ModeConfigure = "configure"
)

// Modes lists the impersonation modes.
var Modes = []string{ModeSupport, ModeConfigure}

// ModePermission is the console permission that grants starting an impersonation in mode.
func ModePermission(mode string) (Permission, bool) {
	switch mode {
	case ModeSupport:
		return PermImpersonateSupport, true
	case ModeConfigure:
		return PermImpersonateConfigure, true
	}
	return "", false
}

// ImpersonationGrant decides whether the caller's roles and home allow impersonating t in
// mode (product.md 3.3), before any policy: the mode's permission, and t in the caller's
// reach, not the platform, not their own home, and active. It returns nil or an EFORBIDDEN
// error with reason "impersonation_forbidden" that says why.
func ImpersonationGrant(c *Caller, t *Tenant, mode string) error {
	forbid := func(msg string) error {
		return &Error{Code: EFORBIDDEN, Reason: "impersonation_forbidden", Message: msg}
	}
	perm, ok := ModePermission(mode)
	switch {
	case !ok:
		return Invalid(map[string]string{"mode": "must be support or configure"})
	case c == nil || c.User == nil || c.Home == nil:
		return forbid("You are not signed in.")
	case !c.Can(perm):
		return forbid("Your role does not allow Impersonate & " + modeTitle(mode) + ".")
	case t == nil || t.IsPlatform():
		return forbid("The platform cannot be impersonated.")
	case t.ID == c.Home.ID:
		return forbid("You cannot impersonate your own home tenant.")
	case !Reaches(c.Home, t):
		return forbid("This tenant is outside your reach.")
	case t.Status != TenantStatusActive:
		return forbid("A suspended tenant cannot be impersonated. Reactivate it first.")
	}
	return nil
}

func modeTitle(mode string) string {
	if mode == ModeConfigure {
		return "Configure"
	}
	return "Support"
}

// Why an impersonation session ended.
const (
	EndStopped          = "stopped"
	EndLogout           = "logout"
	EndExpired          = "expired"
	EndIdle             = "idle_timeout"
	EndFootprint        = "footprint_changed"
	EndRevoked          = "revoked"
	EndGrantChanged     = "grant_changed"
	EndActorDeactivated = "actor_deactivated"
	// EndActorHomeSuspended: the actor's own organisation (a partner, say) was suspended,
	// which shuts its people out.
	EndActorHomeSuspended = "actor_home_suspended"
	EndTenantSuspended    = "tenant_suspended"
	EndPolicyChanged      = "policy_changed"
)

// ImpersonationSession is one impersonation: an actor acting as a tenant's Impersonated
// Admin, in one mode, for a reason, under the policy in force when it started.
type ImpersonationSession struct {
	ID             string
	LoginSessionID string
	ActorID        string
	ActorEmail     string
	ActorName      string
	TenantID       string
	TenantName     string
	// TenantKind is the impersonated tenant's kind, as it is at this request; only a
	// customer tenant has employees an impersonation may see (ImpersonationPermissionsIn).
	TenantKind  string
	PrincipalID string
	Mode        string
	Reason      string
	StartedAt   time.Time
	// ExpiresAt is the hard end; it is never extended.
	ExpiresAt      time.Time
	LastActivityAt time.Time
	IdleTimeout    time.Duration
	// The footprint the session is bound to.
	IP        string
	UserAgent string
	// The restrictions of the policy at the start.
	BindFootprint      bool
	MaskPersonalData   bool
	DisableExport      bool
	NotifyTenantAdmins bool
	EndedAt            *time.Time
	EndReason          string
}

// Active reports whether the session has not ended.
func (s *ImpersonationSession) Active() bool { return s.EndedAt == nil }

// Lapsed says whether the session has run out by itself at now, and why: EndExpired past its
// hard limit, EndIdle past its idle timeout; "" while neither. A lapsed session ends at its
// actor's next request, or when the server sweeps (ImpersonationService.EndLapsed), whichever
// comes first.
func (s *ImpersonationSession) Lapsed(now time.Time) string {
	switch {
	case !now.Before(s.ExpiresAt):
		return EndExpired
	case !now.Before(s.LastActivityAt.Add(s.IdleTimeout)):
		return EndIdle
	}
	return ""
}

// Restrictions names the safeguards in force, for the impersonation bar.
func (s *ImpersonationSession) Restrictions() []string {
	out := []string{}
	if s.MaskPersonalData {
		out = append(out, "mask_personal_data")
	}
	if s.DisableExport {
		out = append(out, "export_disabled")
	}
	if s.BindFootprint {
		out = append(out, "bound_to_footprint")
	}
	if s.NotifyTenantAdmins {
		out = append(out, "tenant_admins_notified")
	}
	return out
}

// Tighten applies the policy in force now to a live session: a safeguard switched on since
// the start (masking, export refusal, footprint binding) applies from the next request, and
// a shorter limit (maximum duration, idle timeout) shortens the session. Nothing the policy
// relaxes since the start is relaxed: a session keeps the stricter of the two.
func (s *ImpersonationSession) Tighten(p Policy) {
	s.MaskPersonalData = s.MaskPersonalData || p.MaskPersonalData
	s.DisableExport = s.DisableExport || p.DisableExport
	s.BindFootprint = s.BindFootprint || p.BindFootprint
	s.NotifyTenantAdmins = s.NotifyTenantAdmins || p.NotifyTenantAdmins
	if p.IdleTimeout > 0 && p.IdleTimeout < s.IdleTimeout {
		s.IdleTimeout = p.IdleTimeout
	}
	if end := s.StartedAt.Add(p.MaxDuration); p.MaxDuration > 0 && end.Before(s.ExpiresAt) {
		s.ExpiresAt = end
	}
}

// Landing is the tenant-app page a session with permissions opens on: Business Units for
// Configure; for Support, Employees where it may read them, else Contacts (a partner's
// people are console users, which ImpersonationPermissionsIn keeps from every impersonation).
// The SPA's landingOf decides from the same permissions.
func Landing(tenantID, mode string, permissions PermissionSet) string {
	switch {
	case mode == ModeConfigure:
		return "/t/" + tenantID + "/acd/business-units"
	case !permissions.Has(PermEmployeesRead):
		return "/t/" + tenantID + "/contacts"
	}
	return "/t/" + tenantID + "/admin/employees"
}

// ImpersonatedAdminPermissions is the fixed permission set of every tenant's hidden
// Impersonated Admin role. It never includes the Access Log, exports or role management.
var ImpersonatedAdminPermissions = []Permission{
	PermEmployeesRead, PermEmployeesManage, PermRolesRead,
	PermBusinessUnitsRead, PermBusinessUnitsManage, PermSkillsRead, PermSkillsManage,
	PermBrandingRead, PermBrandingManage, PermContactsRead, PermContactsManage,
}

// modeAllows is what each mode would allow before intersecting with the fixed role.
var modeAllows = map[string][]Permission{
	ModeSupport: {
		PermEmployeesRead, PermEmployeesManage, PermRolesRead, PermBusinessUnitsRead, PermSkillsRead,
		PermBrandingRead, PermContactsRead, PermContactsManage,
	},
	ModeConfigure: {
		PermEmployeesRead, PermRolesRead, PermBusinessUnitsRead, PermBusinessUnitsManage,
		PermSkillsRead, PermSkillsManage, PermBrandingRead, PermBrandingManage, PermContactsRead,
	},
}

// ImpersonationPermissions returns what an impersonation in mode may do: the fixed role
// narrowed by the mode. It is an intersection, so a mode can never widen the role. The set
// is computed once per mode and shared: callers must not change it.
func ImpersonationPermissions(mode string) PermissionSet {
	if p, ok := modePermissions[mode]; ok {
		return p
	}
	return PermissionSet{}
}

// ImpersonationPermissionsIn returns what an impersonation in mode may do in a tenant of
// kind: ImpersonationPermissions in a customer tenant, and the same without the employees
// anywhere else. A partner's people are console users, which an impersonation never manages
// (product.md 3.2); only TM and Partner Admins do, from the console. Like
// ImpersonationPermissions, the set is shared: callers must not change it.
func ImpersonationPermissionsIn(kind, mode string) PermissionSet {
	if kind == TenantKindCustomer {
		return ImpersonationPermissions(mode)
	}
	if p, ok := modePermissionsOutsideCustomers[mode]; ok {
		return p
	}
	return PermissionSet{}
}

var modePermissionsOutsideCustomers = func() map[string]PermissionSet {
	out := map[string]PermissionSet{}
	for mode, perms := range modePermissions {
		set := PermissionSet{}
		for p := range perms {
			if p != PermEmployeesRead && p != PermEmployeesManage {
				set[p] = struct{}{}
			}
		}
		out[mode] = set
	}
	return out
}()

var modePermissions = func() map[string]PermissionSet {
	fixed := NewPermissionSet(ImpersonatedAdminPermissions)
	out := map[string]PermissionSet{}
	for mode, allows := range modeAllows {
		set := PermissionSet{}
		for _, p := range allows {
			if fixed.Has(p) {
				set[p] = struct{}{}
			}
		}
		out[mode] = set
	}
	return out
}()

// ImpersonationCheck is everything known at a request about a live impersonation.
type ImpersonationCheck struct {
	Session *ImpersonationSession
	// Actor is the real person as they are now (roles and status re-read).
	Actor *Caller
	// Tenant is the impersonated tenant as it is now.
	Tenant *Tenant
	// Policy is the policy in force for the tenant now.
	Policy    Policy
	Now       time.Time
	IP        string
	UserAgent string
}

// EndReason decides whether a live impersonation must end at this request, and why; ""
// means it goes on. The order matters only for which reason is recorded.
func (k ImpersonationCheck) EndReason() string {
	s := k.Session
	if reason := s.Lapsed(k.Now); reason != "" {
		return reason
	}
	switch {
	case s.BindFootprint && (k.IP != s.IP || k.UserAgent != s.UserAgent):
		return EndFootprint
	case k.Actor == nil || k.Actor.User == nil || !k.Actor.User.CanSignIn():
		return EndActorDeactivated
	case k.Actor.Home != nil && k.Actor.Home.Status == TenantStatusSuspended:
		return EndActorHomeSuspended
	case k.Tenant == nil || k.Tenant.Status != TenantStatusActive:
		return EndTenantSuspended
	case ImpersonationGrant(k.Actor, k.Tenant, s.Mode) != nil:
		return EndGrantChanged
	case !k.Policy.ModeEnabled(s.Mode):
		return EndPolicyChanged
	}
	return ""
}

// StartImpersonation is a request to start impersonating.
type StartImpersonation struct {
	TenantID string
	Mode     string
	Reason   string
}

// ImpersonationFilter narrows the session list.
type ImpersonationFilter struct {
	ListFilter
	TenantID string
	ActorID  string
	// Active, when set, keeps only live (true) or ended (false) sessions.
	Active *bool
}

// ImpersonationService starts, ends and lists impersonations.
type ImpersonationService interface {
	// Start checks, in order: no impersonation running (ECONFLICT already_impersonating), the
	// tenant visible (ENOTFOUND), the grant (EFORBIDDEN impersonation_forbidden), the policy
	// (EFORBIDDEN impersonation_disabled), the reason (EINVALID), the re-authentication window
	// (EFORBIDDEN reauth_required). Then, in one transaction, it opens the session, rotates the
	// login session's token and records the start; it returns the session and the new cookie
	// token. Every refusal is recorded too.
	Start(ctx context.Context, in StartImpersonation) (*ImpersonationSession, string, error)
	// Stop ends the caller's impersonation and returns the login session's new cookie token.
	Stop(ctx context.Context) (string, error)
	// List returns sessions the caller may see: all in reach with impersonation:sessions,
	// otherwise their own.
	List(ctx context.Context, f ImpersonationFilter) ([]*ImpersonationSession, int, error)
	// EndLapsed ends every live session that has run out (expired or idle), or that the
	// actor's next request would end for any other reason but the footprint (tenant
	// suspended, grant or account changed, mode switched off), and records each end with
	// that reason, as the request would; the server calls it periodically so that a session
	// nobody comes back to is not left "active". It returns how many it ended.
	EndLapsed(ctx context.Context) (int, error)
	// Revoke ends a live session (impersonation:revoke). ENOTFOUND for sessions out of sight.
	Revoke(ctx context.Context, id string) error
	// RevokeAll ends every live session, or every live session of one tenant, and returns how
	// many ended (impersonation:revoke).
	RevokeAll(ctx context.Context, tenantID string) (int, error)
	// AccessLog lists the impersonations of a tenant for its own admins (access_log:read).
	AccessLog(ctx context.Context, tenantID string, f ListFilter) ([]*ImpersonationSession, int, error)
	// AccessNotice counts the accesses the caller has not acknowledged yet: sessions on their
	// tenant that started since they last acknowledged, under a policy that notifies tenant
	// admins (access_log:read).
	AccessNotice(ctx context.Context, tenantID string) (AccessNotice, error)
	// AcknowledgeAccess marks every access so far as seen by the caller, and records it.
	AcknowledgeAccess(ctx context.Context, tenantID string) error
}

// AccessNotice is what a tenant admin is told about outside access on arrival.
type AccessNotice struct {
	Unseen   int
	Since    *time.Time
	LatestAt *time.Time
	LatestBy string
	Active   int
}
