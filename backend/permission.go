package regent

import "slices"

// Permission is one entry of the fixed catalogue. Roles carry permissions; services check
// them against the caller resolved for the request.
type Permission string

// Console permissions: what platform and partner users do to the account tree.
const (
	PermTenantsRead           Permission = "tenants:read"
	PermTenantsCreate         Permission = "tenants:create"
	PermTenantsUpdate         Permission = "tenants:update"
	PermTenantsSuspend        Permission = "tenants:suspend"
	PermPartnersRead          Permission = "partners:read"
	PermPartnersCreate        Permission = "partners:create"
	PermPartnersUpdate        Permission = "partners:update"
	PermUsersRead             Permission = "users:read"
	PermUsersManage           Permission = "users:manage"
	PermImpersonateSupport    Permission = "impersonation:support"
	PermImpersonateConfigure  Permission = "impersonation:configure"
	PermImpersonationSettings Permission = "impersonation:settings"
	PermImpersonationSessions Permission = "impersonation:sessions"
	PermImpersonationRevoke   Permission = "impersonation:revoke"
	PermAuditRead             Permission = "audit:read"
	PermAuditExport           Permission = "audit:export"
)

// Tenant-level permissions: what happens inside one tenant (the tenant app).
const (
	PermEmployeesRead       Permission = "employees:read"
	PermEmployeesManage     Permission = "employees:manage"
	PermRolesRead           Permission = "roles:read"
	PermRolesManage         Permission = "roles:manage"
	PermBusinessUnitsRead   Permission = "business_units:read"
	PermBusinessUnitsManage Permission = "business_units:manage"
	PermSkillsRead          Permission = "skills:read"
	PermSkillsManage        Permission = "skills:manage"
	PermBrandingRead        Permission = "branding:read"
	PermBrandingManage      Permission = "branding:manage"
	PermContactsRead        Permission = "contacts:read"
	PermContactsManage      Permission = "contacts:manage"
	PermContactsExport      Permission = "contacts:export"
	PermAccessLogRead       Permission = "access_log:read"
)

// TenantPermissions is every tenant-level permission: the ones a tenant's custom roles may
// be built from, and what a Tenant Admin holds.
var TenantPermissions = []Permission{
	PermEmployeesRead, PermEmployeesManage, PermRolesRead, PermRolesManage,
	PermBusinessUnitsRead, PermBusinessUnitsManage, PermSkillsRead, PermSkillsManage,
	PermBrandingRead, PermBrandingManage, PermContactsRead, PermContactsManage,
	PermContactsExport, PermAccessLogRead,
}

// PermissionSet is the union of the permissions a caller holds.
type PermissionSet map[Permission]struct{}

// NewPermissionSet returns the union of the given lists.
func NewPermissionSet(lists ...[]Permission) PermissionSet {
	s := PermissionSet{}
	for _, l := range lists {
		for _, p := range l {
			s[p] = struct{}{}
		}
	}
	return s
}

// Has reports whether p is in the set.
func (s PermissionSet) Has(p Permission) bool {
	_, ok := s[p]
	return ok
}

// Sorted returns the permissions in a stable order.
func (s PermissionSet) Sorted() []string {
	out := make([]string, 0, len(s))
	for p := range s {
		out = append(out, string(p))
	}
	slices.Sort(out)
	return out
}
