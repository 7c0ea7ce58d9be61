package regent

// Role keys of the built-in roles. A built-in role's permissions are fixed in code
// (BuiltinRoles); only custom tenant roles keep their permissions in the database.
const (
	RoleTMAdmin           = "tm_admin"
	RoleImplementer       = "implementer"
	RoleSupport           = "support"
	RolePartnerAdmin      = "partner_admin"
	RolePartnerSupport    = "partner_support"
	RoleTenantAdmin       = "tenant_admin"
	RoleSupervisor        = "supervisor"
	RoleAgent             = "agent"
	RoleImpersonatedAdmin = "impersonated_admin"
)

// Role is a named set of permissions. Built-in roles (Key set) are shared by every home of
// their kind; custom roles belong to one tenant and carry tenant-level permissions only.
type Role struct {
	ID string
	// TenantID is empty for built-in roles and set for a tenant's custom and hidden roles.
	TenantID string
	// Key names a built-in role; it is empty for custom roles.
	Key         string
	Name        string
	HomeKind    string
	Permissions []Permission
	Hidden      bool
	Version     int
}

// BuiltinRole describes a role that ships with Regent.
type BuiltinRole struct {
	Key         string
	Name        string
	HomeKind    string
	Permissions []Permission
}

// BuiltinRoles lists the roles of product.md section 1, per home kind. The Impersonated
// Admin role is not here: every tenant has its own hidden copy, with ImpersonatedAdminPermissions.
var BuiltinRoles = []BuiltinRole{
	{RoleTMAdmin, "TM Admin", TenantKindPlatform, []Permission{
		PermTenantsRead, PermTenantsCreate, PermTenantsUpdate, PermTenantsSuspend,
		PermPartnersRead, PermPartnersCreate, PermPartnersUpdate,
		PermUsersRead, PermUsersManage,
		PermImpersonateSupport, PermImpersonateConfigure,
		PermImpersonationSettings, PermImpersonationSessions, PermImpersonationRevoke,
		PermAuditRead, PermAuditExport,
	}},
	{RoleImplementer, "Implementer", TenantKindPlatform, []Permission{
		PermTenantsRead, PermTenantsCreate, PermTenantsUpdate,
		PermPartnersRead, PermPartnersCreate, PermPartnersUpdate,
		PermImpersonateConfigure,
	}},
	{RoleSupport, "Support", TenantKindPlatform, []Permission{
		PermTenantsRead, PermPartnersRead,
		PermImpersonateSupport,
	}},
	{RolePartnerAdmin, "Partner Admin", TenantKindPartner, []Permission{
		PermTenantsRead, PermTenantsCreate, PermTenantsUpdate, PermTenantsSuspend,
		PermUsersRead, PermUsersManage,
		PermImpersonateSupport, PermImpersonateConfigure,
		PermImpersonationSettings, PermImpersonationSessions,
		PermAuditRead,
	}},
	{RolePartnerSupport, "Partner Support", TenantKindPartner, []Permission{
		PermTenantsRead,
		PermImpersonateSupport,
	}},
	{RoleTenantAdmin, "Tenant Admin", TenantKindCustomer, TenantPermissions},
	{RoleSupervisor, "Supervisor", TenantKindCustomer, []Permission{
		PermEmployeesRead, PermRolesRead, PermBusinessUnitsRead, PermSkillsRead,
		PermBrandingRead, PermContactsRead, PermContactsManage,
	}},
	{RoleAgent, "Agent", TenantKindCustomer, []Permission{
		PermBusinessUnitsRead, PermSkillsRead, PermBrandingRead, PermContactsRead,
	}},
}

// BuiltinRoleByKey returns the built-in role with the given key.
func BuiltinRoleByKey(key string) (BuiltinRole, bool) {
	for _, r := range BuiltinRoles {
		if r.Key == key {
			return r, true
		}
	}
	return BuiltinRole{}, false
}

// ImpersonatedAdminName is the display name of every tenant's hidden account and role.
const ImpersonatedAdminName = "Impersonated Admin"
