package regent

import "context"

// TenantFilter narrows the console's tenant list.
type TenantFilter struct {
	ListFilter
	Kind     string
	ParentID string
}

// Validate returns EINVALID, with a message per field, for filter values that no tenant
// could match: an unknown kind or status, or a parent that is not an id.
func (f TenantFilter) Validate() error {
	v := Validator{}
	if f.Kind != "" {
		v.OneOf("kind", f.Kind, TenantKindPartner, TenantKindCustomer)
	}
	if f.Status != "" {
		v.OneOf("status", f.Status, TenantStatusActive, TenantStatusSuspended)
	}
	if f.ParentID != "" && !ValidID(f.ParentID) {
		v.add("parentId", "must be a tenant id")
	}
	return v.err()
}

// TenantView is a tenant as the console lists it.
type TenantView struct {
	Tenant
	ParentName string
}

// TenantInput creates a tenant.
type TenantInput struct {
	Name     string
	Kind     string
	ParentID string
}

// TenantService manages the account tree from the console.
type TenantService interface {
	// ListTenants returns the tenants in the caller's reach (ConsoleTenantScope) that match f.
	ListTenants(ctx context.Context, f TenantFilter) ([]*TenantView, int, error)
	// TenantByID returns a tenant in the caller's reach; any other id is ENOTFOUND.
	TenantByID(ctx context.Context, id string) (*TenantView, error)
	// CreateTenant creates a partner (platform callers with partners:create) or a customer
	// (under the platform or a partner in reach, with tenants:create), with its hidden
	// Impersonated Admin. EINVALID, EFORBIDDEN, ECONFLICT (name taken).
	CreateTenant(ctx context.Context, in TenantInput) (*TenantView, error)
	// UpdateTenant renames (tenants:update or partners:update) or suspends and reactivates
	// (tenants:suspend) a tenant in reach, at version. EINVALID, EFORBIDDEN, ECONFLICT.
	UpdateTenant(ctx context.Context, id string, version int, patch map[string]any) (*TenantView, error)
}

// UserView is a console user or an employee, with their visible roles.
type UserView struct {
	User
	Home  *Tenant
	Roles []Role
	// CreatedBy and UpdatedBy are as the tenant app shows them (Impersonated Admin for
	// changes made while impersonating).
	CreatedBy Author
	UpdatedBy Author
}

// UserFilter narrows a user list.
type UserFilter struct {
	ListFilter
	HomeID string
}

// Validate returns EINVALID, with a message per field, for an unknown status or a home
// that is not an id.
func (f UserFilter) Validate() error {
	v := Validator{}
	if f.Status != "" {
		v.OneOf("status", f.Status, UserStatusInvited, UserStatusActive, UserStatusDeactivated)
	}
	if f.HomeID != "" && !ValidID(f.HomeID) {
		v.add("homeId", "must be a tenant id")
	}
	return v.err()
}

// UserInput invites a user.
type UserInput struct {
	Email   string
	Name    string
	HomeID  string
	RoleIDs []string
}

// UserService manages people: console users (platform and partner homes) and a tenant's
// employees. The hidden Impersonated Admin is never returned, counted or changed: asked for
// by id, it is ENOTFOUND.
type UserService interface {
	// ListConsoleUsers lists platform and partner users the caller may manage.
	ListConsoleUsers(ctx context.Context, f UserFilter) ([]*UserView, int, error)
	// ConsoleUserByID returns one of them, or ENOTFOUND.
	ConsoleUserByID(ctx context.Context, id string) (*UserView, error)
	// InviteConsoleUser creates an invited console user with built-in roles of their home's
	// kind. EINVALID, EFORBIDDEN, ECONFLICT (email taken).
	InviteConsoleUser(ctx context.Context, in UserInput) (*UserView, error)
	// UpdateConsoleUser changes name, status or roles at version. Nobody may deactivate
	// themselves or take away their own users:manage.
	UpdateConsoleUser(ctx context.Context, id string, version int, patch map[string]any) (*UserView, error)

	// ListEmployees lists the tenant's own people (employees:read in the tenant app).
	ListEmployees(ctx context.Context, tenantID string, f UserFilter) ([]*UserView, int, error)
	// EmployeeByID returns one employee of the tenant, or ENOTFOUND.
	EmployeeByID(ctx context.Context, tenantID, id string) (*UserView, error)
	// InviteEmployee creates an invited employee with tenant roles (employees:manage).
	InviteEmployee(ctx context.Context, tenantID string, in UserInput) (*UserView, error)
	// UpdateEmployee changes name, email (until first sign-in), status or roles at version.
	UpdateEmployee(ctx context.Context, tenantID, id string, version int, patch map[string]any) (*UserView, error)
	// DeactivateEmployee deactivates the employee; their sessions stop working.
	DeactivateEmployee(ctx context.Context, tenantID, id string) error
}

// RoleInput creates a custom role.
type RoleInput struct {
	Name        string
	Permissions []Permission
}

// RoleService manages a tenant's roles: the built-in tenant roles (read-only) and its custom
// roles. The hidden Impersonated Admin role never appears and answers ENOTFOUND.
type RoleService interface {
	// ListRoles lists the built-in tenant roles and the tenant's custom roles (roles:read).
	ListRoles(ctx context.Context, tenantID string, f ListFilter) ([]*Role, int, error)
	// RoleByID returns one of them, or ENOTFOUND.
	RoleByID(ctx context.Context, tenantID, id string) (*Role, error)
	// CreateRole creates a custom role from tenant-level permissions (roles:manage).
	CreateRole(ctx context.Context, tenantID string, in RoleInput) (*Role, error)
	// UpdateRole renames a custom role or changes its permissions at version; built-in roles
	// are EFORBIDDEN.
	UpdateRole(ctx context.Context, tenantID, id string, version int, patch map[string]any) (*Role, error)
	// DeleteRole deletes an unassigned custom role; an assigned one is ECONFLICT.
	DeleteRole(ctx context.Context, tenantID, id string) error
	// ConsoleRoles lists the built-in platform and partner roles the caller may give to
	// console users (users:manage): both kinds for the platform, partner roles for a partner.
	ConsoleRoles(ctx context.Context) ([]*Role, error)
}
