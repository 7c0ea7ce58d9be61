package regent

// The authorization decisions of the console and the tenant app. Services call these and
// nothing else decides access; each is a pure function with a table test.

// Reaches reports whether a caller whose home is home may manage tenant t from the console:
// the platform reaches every tenant but itself, a partner reaches its own customers, and a
// customer reaches nothing.
func Reaches(home, t *Tenant) bool {
	switch {
	case home == nil || t == nil || t.IsPlatform():
		return false
	case home.Kind == TenantKindPlatform:
		return true
	case home.Kind == TenantKindPartner:
		return t.ParentID == home.ID
	}
	return false
}

// TenantScope describes which tenants a console list may show a caller: All for the
// platform, the children of ParentID for a partner, nothing (None) for everyone else.
type TenantScope struct {
	All      bool
	ParentID string
	None     bool
}

// ConsoleTenantScope returns the caller's tenant scope for reading with permission p.
func ConsoleTenantScope(c *Caller, p Permission) TenantScope {
	switch {
	case c == nil || c.Home == nil || !c.Can(p):
		return TenantScope{None: true}
	case c.Home.Kind == TenantKindPlatform:
		return TenantScope{All: true}
	case c.Home.Kind == TenantKindPartner:
		return TenantScope{ParentID: c.Home.ID}
	}
	return TenantScope{None: true}
}

// TenantAppPermissions returns what the caller may do inside tenantID's tenant app, and
// false when they may not enter it at all. A tenant's own people act with the tenant-level
// part of their roles. Console users never enter a tenant app as themselves: they reach it
// only through impersonation.
//
// While impersonating, the caller may enter only the impersonated tenant, with the mode's
// permissions there (ImpersonationPermissionsIn).
func TenantAppPermissions(c *Caller, tenantID string) (PermissionSet, bool) {
	if c.Impersonating() {
		if tenantID != c.Impersonation.TenantID {
			return nil, false
		}
		return ImpersonationPermissionsIn(c.Impersonation.TenantKind, c.Impersonation.Mode), true
	}
	if c == nil || c.User == nil || c.Home == nil || c.Home.ID != tenantID || c.Home.Kind != TenantKindCustomer {
		return nil, false
	}
	out := PermissionSet{}
	for _, p := range TenantPermissions {
		if c.Permissions.Has(p) {
			out[p] = struct{}{}
		}
	}
	return out, true
}

// MayManageUsersOf reports whether the caller may manage console users whose home is h:
// TM Admins (users:manage at the platform) any platform or partner home, Partner Admins
// their own partner only.
func MayManageUsersOf(c *Caller, h *Tenant) bool {
	if c == nil || c.Home == nil || h == nil || !c.Can(PermUsersManage) {
		return false
	}
	switch c.Home.Kind {
	case TenantKindPlatform:
		return h.Kind == TenantKindPlatform || h.Kind == TenantKindPartner
	case TenantKindPartner:
		return h.ID == c.Home.ID
	}
	return false
}

// AssignableRoleKeys lists the built-in roles that may be given to a console user whose
// home is h.
func AssignableRoleKeys(h *Tenant) []string {
	var out []string
	for _, r := range BuiltinRoles {
		if r.HomeKind == h.Kind {
			out = append(out, r.Key)
		}
	}
	return out
}

// UserScope describes whose accounts a console user list may show: every platform and
// partner user (All), one home's users (HomeID), or nobody (None).
type UserScope struct {
	All    bool
	HomeID string
	None   bool
}

// ConsoleUserScope returns the caller's scope over console users for permission p.
func ConsoleUserScope(c *Caller, p Permission) UserScope {
	switch {
	case c == nil || c.Home == nil || !c.Can(p):
		return UserScope{None: true}
	case c.Home.Kind == TenantKindPlatform:
		return UserScope{All: true}
	case c.Home.Kind == TenantKindPartner:
		return UserScope{HomeID: c.Home.ID}
	}
	return UserScope{None: true}
}
