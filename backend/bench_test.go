package regent

import "testing"

// Benchmarks of the pure decisions every request asks (docs/performance.md has the figures).
// They run without I/O, so they show what the decisions themselves cost next to a request's
// database round trips.

var (
	benchPlatform = &Tenant{ID: "bench-platform", Kind: TenantKindPlatform, Status: TenantStatusActive}
	benchPartner  = &Tenant{ID: "bench-partner", Kind: TenantKindPartner, ParentID: "bench-platform", Status: TenantStatusActive}
	benchOther    = &Tenant{ID: "bench-other", Kind: TenantKindPartner, ParentID: "bench-platform", Status: TenantStatusActive}
	benchCustomer = &Tenant{ID: "bench-customer", Kind: TenantKindCustomer, ParentID: "bench-partner", Status: TenantStatusActive}
	benchForeign  = &Tenant{ID: "bench-foreign", Kind: TenantKindCustomer, ParentID: "bench-other", Status: TenantStatusActive}
)

// benchCaller is a caller at home with one built-in role, as the store resolves it.
func benchCaller(home *Tenant, role string) *Caller {
	r, _ := BuiltinRoleByKey(role)
	return &Caller{User: &User{ID: "bench-" + role, Status: UserStatusActive}, Home: home,
		Roles:       []Role{{Key: r.Key, Name: r.Name, HomeKind: r.HomeKind, Permissions: r.Permissions}},
		Permissions: NewPermissionSet(r.Permissions)}
}

// sink keeps results alive so the compiler cannot drop the work.
var sink any

func BenchmarkCallerCan(b *testing.B) {
	c := benchCaller(benchPlatform, RoleTMAdmin)
	for _, tc := range []struct {
		name string
		perm Permission
	}{{"held", PermTenantsRead}, {"not-held", PermEmployeesRead}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			ok := false
			for b.Loop() {
				ok = c.Can(tc.perm)
			}
			sink = ok
		})
	}
}

func BenchmarkTenantAppPermissions(b *testing.B) {
	admin := benchCaller(benchCustomer, RoleTenantAdmin)
	agent := benchCaller(benchCustomer, RoleAgent)
	actor := benchCaller(benchPlatform, RoleImplementer)
	impersonating := *actor
	impersonating.Impersonation = &ImpersonationSession{TenantID: benchCustomer.ID, TenantKind: TenantKindCustomer, Mode: ModeConfigure}
	for _, tc := range []struct {
		name   string
		caller *Caller
		tenant string
	}{
		{"tenant-admin-own-tenant", admin, benchCustomer.ID},
		{"agent-own-tenant", agent, benchCustomer.ID},
		{"console-user-refused", actor, benchCustomer.ID},
		{"impersonating-configure", &impersonating, benchCustomer.ID},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			var perms PermissionSet
			for b.Loop() {
				perms, _ = TenantAppPermissions(tc.caller, tc.tenant)
			}
			sink = perms
		})
	}
}

func BenchmarkImpersonationGrant(b *testing.B) {
	for _, tc := range []struct {
		name   string
		caller *Caller
		tenant *Tenant
		mode   string
	}{
		{"tm-admin-allowed", benchCaller(benchPlatform, RoleTMAdmin), benchCustomer, ModeSupport},
		{"partner-admin-allowed", benchCaller(benchPartner, RolePartnerAdmin), benchCustomer, ModeConfigure},
		{"partner-admin-outside-reach", benchCaller(benchPartner, RolePartnerAdmin), benchForeign, ModeSupport},
		{"support-wrong-mode", benchCaller(benchPlatform, RoleSupport), benchCustomer, ModeConfigure},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			var err error
			for b.Loop() {
				err = ImpersonationGrant(tc.caller, tc.tenant, tc.mode)
			}
			sink = err
		})
	}
}
