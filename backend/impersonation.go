package regent

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
