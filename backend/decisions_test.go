package regent

import (
	"testing"
	"time"
)

var (
	platform = &Tenant{ID: "p", Kind: TenantKindPlatform, Status: TenantStatusActive}
	lsp      = &Tenant{ID: "lsp", Kind: TenantKindPartner, ParentID: "p", Status: TenantStatusActive}
	acme     = &Tenant{ID: "acme", Kind: TenantKindPartner, ParentID: "p", Status: TenantStatusActive}
	paris    = &Tenant{ID: "paris", Kind: TenantKindCustomer, ParentID: "lsp", Status: TenantStatusActive}
	retail   = &Tenant{ID: "retail", Kind: TenantKindCustomer, ParentID: "acme", Status: TenantStatusActive}
	direct   = &Tenant{ID: "direct", Kind: TenantKindCustomer, ParentID: "p", Status: TenantStatusActive}
	frozen   = &Tenant{ID: "frozen", Kind: TenantKindCustomer, ParentID: "lsp", Status: TenantStatusSuspended}
)

func callerWith(home *Tenant, role string) *Caller {
	b, _ := BuiltinRoleByKey(role)
	return &Caller{User: &User{ID: "u-" + role, Status: UserStatusActive}, Home: home, Permissions: NewPermissionSet(b.Permissions)}
}

func TestImpersonationGrant(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		caller *Caller
		tenant *Tenant
		mode   string
		ok     bool
	}{
		{"tm admin support any customer", callerWith(platform, RoleTMAdmin), paris, ModeSupport, true},
		{"tm admin configure a partner", callerWith(platform, RoleTMAdmin), lsp, ModeConfigure, true},
		{"tm admin not the platform", callerWith(platform, RoleTMAdmin), platform, ModeSupport, false},
		{"tm admin not a suspended tenant", callerWith(platform, RoleTMAdmin), frozen, ModeSupport, false},
		{"implementer configure", callerWith(platform, RoleImplementer), direct, ModeConfigure, true},
		{"implementer not support", callerWith(platform, RoleImplementer), direct, ModeSupport, false},
		{"support support", callerWith(platform, RoleSupport), retail, ModeSupport, true},
		{"support not configure", callerWith(platform, RoleSupport), retail, ModeConfigure, false},
		{"partner admin own child, support", callerWith(lsp, RolePartnerAdmin), paris, ModeSupport, true},
		{"partner admin own child, configure", callerWith(lsp, RolePartnerAdmin), paris, ModeConfigure, true},
		{"partner admin another partner's child", callerWith(lsp, RolePartnerAdmin), retail, ModeSupport, false},
		{"partner admin a direct customer", callerWith(lsp, RolePartnerAdmin), direct, ModeSupport, false},
		{"partner admin own home", callerWith(lsp, RolePartnerAdmin), lsp, ModeSupport, false},
		{"partner admin another partner", callerWith(lsp, RolePartnerAdmin), acme, ModeSupport, false},
		{"partner support own child", callerWith(lsp, RolePartnerSupport), paris, ModeSupport, true},
		{"partner support not configure", callerWith(lsp, RolePartnerSupport), paris, ModeConfigure, false},
		{"tenant admin nothing", callerWith(paris, RoleTenantAdmin), paris, ModeSupport, false},
		{"agent nothing", callerWith(paris, RoleAgent), retail, ModeSupport, false},
		{"unknown mode", callerWith(platform, RoleTMAdmin), paris, "admin", false},
		{"nobody", nil, paris, ModeSupport, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ImpersonationGrant(tt.caller, tt.tenant, tt.mode)
			if (err == nil) != tt.ok {
				t.Errorf("got %v, want allowed=%v", err, tt.ok)
			}
		})
	}
}

func TestImpersonationPermissionsOnlyNarrow(t *testing.T) {
	t.Parallel()
	fixed := NewPermissionSet(ImpersonatedAdminPermissions)
	for _, never := range []Permission{PermAccessLogRead, PermContactsExport, PermRolesManage, PermTenantsRead, PermImpersonateSupport, PermAuditRead} {
		if fixed.Has(never) {
			t.Errorf("the fixed role holds %s", never)
		}
	}
	for _, mode := range Modes {
		got := ImpersonationPermissions(mode)
		for p := range got {
			if !fixed.Has(p) {
				t.Errorf("%s widens the fixed role with %s", mode, p)
			}
		}
	}
	s, c := ImpersonationPermissions(ModeSupport), ImpersonationPermissions(ModeConfigure)
	if !s.Has(PermEmployeesManage) || !s.Has(PermContactsManage) || s.Has(PermBusinessUnitsManage) || s.Has(PermBrandingManage) {
		t.Errorf("support: %v", s.Sorted())
	}
	if !c.Has(PermBusinessUnitsManage) || !c.Has(PermSkillsManage) || !c.Has(PermBrandingManage) || c.Has(PermEmployeesManage) || c.Has(PermContactsManage) {
		t.Errorf("configure: %v", c.Sorted())
	}
	if len(ImpersonationPermissions("other")) != 0 {
		t.Error("an unknown mode allows something")
	}
}

func TestTenantAppPermissions(t *testing.T) {
	t.Parallel()
	admin := callerWith(paris, RoleTenantAdmin)
	if p, ok := TenantAppPermissions(admin, "paris"); !ok || !p.Has(PermAccessLogRead) {
		t.Errorf("tenant admin in own tenant: %v %v", ok, p)
	}
	if _, ok := TenantAppPermissions(admin, "retail"); ok {
		t.Error("tenant admin enters another tenant")
	}
	if _, ok := TenantAppPermissions(callerWith(platform, RoleTMAdmin), "paris"); ok {
		t.Error("a console user enters a tenant app as themselves")
	}
	imp := callerWith(platform, RoleSupport)
	imp.Impersonation = &ImpersonationSession{TenantID: "paris", TenantKind: TenantKindCustomer, Mode: ModeSupport}
	if p, ok := TenantAppPermissions(imp, "paris"); !ok || !p.Has(PermEmployeesManage) || p.Has(PermAccessLogRead) {
		t.Errorf("impersonating paris: %v %v", ok, p)
	}
	if _, ok := TenantAppPermissions(imp, "retail"); ok {
		t.Error("impersonating paris opens retail")
	}
	// A partner's people are console users: no impersonation of the partner sees them.
	for _, mode := range Modes {
		inPartner := callerWith(platform, RoleTMAdmin)
		inPartner.Impersonation = &ImpersonationSession{TenantID: "lsp", TenantKind: TenantKindPartner, Mode: mode}
		if p, ok := TenantAppPermissions(inPartner, "lsp"); !ok || p.Has(PermEmployeesRead) || p.Has(PermEmployeesManage) {
			t.Errorf("impersonating a partner in %s: %v %v", mode, ok, p.Sorted())
		}
	}
}

func TestPolicyOnlyTightens(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	short, long := 5, 479
	base := DefaultPolicy
	loosen := PolicySettings{SupportEnabled: &yes, RequireReason: &no, MaxDurationMinutes: &long, BindFootprint: &no, MaskPersonalData: &no}
	if got := base.Tighten(loosen); got != base {
		t.Errorf("a layer loosened the policy: %+v", got)
	}
	got := base.Tighten(PolicySettings{ConfigureEnabled: &no, IdleTimeoutMinutes: &short})
	if got.ConfigureEnabled || got.IdleTimeout != 5*time.Minute || !got.SupportEnabled || got.MaxDuration != time.Hour {
		t.Errorf("tightening: %+v", got)
	}
	off := GlobalPolicy(PolicySettings{SupportEnabled: &no})
	if off.ModeEnabled(ModeSupport) || !off.ModeEnabled(ModeConfigure) || off.ModeEnabled("x") {
		t.Errorf("global off: %+v", off)
	}
	ten := 60 * 24 * 365 * 10
	if f := (PolicySettings{MaxDurationMinutes: &ten}).Validate(); f["maxDurationMinutes"] == "" {
		t.Error("a ten-year duration validates")
	}
}

func TestImpersonationEndReason(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	sess := func() *ImpersonationSession {
		return &ImpersonationSession{TenantID: "paris", Mode: ModeSupport, StartedAt: now.Add(-10 * time.Minute),
			ExpiresAt: now.Add(50 * time.Minute), LastActivityAt: now.Add(-time.Minute), IdleTimeout: 15 * time.Minute,
			IP: "10.0.0.1", UserAgent: "Firefox", BindFootprint: true}
	}
	ok := func() ImpersonationCheck {
		return ImpersonationCheck{Session: sess(), Actor: callerWith(lsp, RolePartnerSupport), Tenant: paris,
			Policy: DefaultPolicy, Now: now, IP: "10.0.0.1", UserAgent: "Firefox"}
	}
	tests := []struct {
		name   string
		change func(*ImpersonationCheck)
		want   string
	}{
		{"all well", func(k *ImpersonationCheck) {}, ""},
		{"expired", func(k *ImpersonationCheck) { k.Now = k.Session.ExpiresAt }, EndExpired},
		{"idle", func(k *ImpersonationCheck) { k.Now = k.Session.LastActivityAt.Add(15 * time.Minute) }, EndIdle},
		{"other address", func(k *ImpersonationCheck) { k.IP = "10.0.0.2" }, EndFootprint},
		{"other browser", func(k *ImpersonationCheck) { k.UserAgent = "curl" }, EndFootprint},
		{"footprint not bound", func(k *ImpersonationCheck) { k.Session.BindFootprint = false; k.IP = "10.0.0.2" }, ""},
		{"actor deactivated", func(k *ImpersonationCheck) { k.Actor.User.Status = UserStatusDeactivated }, EndActorDeactivated},
		{"tenant suspended", func(k *ImpersonationCheck) { k.Tenant = frozen }, EndTenantSuspended},
		{"actor's own organisation suspended", func(k *ImpersonationCheck) {
			home := *k.Actor.Home
			home.Status = TenantStatusSuspended
			k.Actor.Home = &home
		}, EndActorHomeSuspended},
		{"grant lost", func(k *ImpersonationCheck) { k.Actor.Permissions = PermissionSet{} }, EndGrantChanged},
		{"moved out of reach", func(k *ImpersonationCheck) { k.Actor.Home = acme }, EndGrantChanged},
		{"mode switched off", func(k *ImpersonationCheck) { k.Policy.SupportEnabled = false }, EndPolicyChanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := ok()
			tt.change(&k)
			if got := k.EndReason(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMasking(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"jeanne.dupuis@example.fr": "j•••@example.fr", "x": "•••", "": ""} {
		if got := MaskEmail(in); got != want {
			t.Errorf("MaskEmail(%q): got %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"+33 1 42 68 53 00": "••• •• 00", "12": "•••", "": ""} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestReaches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		home, t *Tenant
		want    bool
	}{
		{platform, paris, true}, {platform, lsp, true}, {platform, platform, false},
		{lsp, paris, true}, {lsp, frozen, true}, {lsp, retail, false}, {lsp, lsp, false}, {lsp, direct, false},
		{paris, paris, false}, {nil, paris, false},
	}
	for _, tt := range tests {
		if got := Reaches(tt.home, tt.t); got != tt.want {
			t.Errorf("Reaches(%v, %v): got %v", tt.home, tt.t, got)
		}
	}
}
