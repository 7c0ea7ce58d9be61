package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regent/regent"
)

// Tenants.

type canImpersonateResponse struct {
	Support   bool `json:"support"`
	Configure bool `json:"configure"`
}

type tenantResponse struct {
	ID             string                 `json:"id"`
	Name           string                 `json:"name"`
	Kind           string                 `json:"kind"`
	ParentID       *string                `json:"parentId"`
	ParentName     string                 `json:"parentName,omitempty"`
	Status         string                 `json:"status"`
	CreatedAt      time.Time              `json:"createdAt"`
	UpdatedAt      time.Time              `json:"updatedAt"`
	Version        int                    `json:"version"`
	CanImpersonate canImpersonateResponse `json:"canImpersonate"`
}

// tenantView maps a tenant; canImpersonate says which modes the caller may start there now:
// the grant and the policy in force (policy may be nil when unknown, which allows none).
func tenantView(c *regent.Caller, t *regent.TenantView, policy *regent.Policy) tenantResponse {
	r := tenantResponse{ID: t.ID, Name: t.Name, Kind: t.Kind, ParentName: t.ParentName, Status: t.Status,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, Version: t.Version}
	if t.ParentID != "" {
		p := t.ParentID
		r.ParentID = &p
	}
	if policy != nil && !c.Impersonating() {
		r.CanImpersonate.Support = policy.SupportEnabled && regent.ImpersonationGrant(c, &t.Tenant, regent.ModeSupport) == nil
		r.CanImpersonate.Configure = policy.ConfigureEnabled && regent.ImpersonationGrant(c, &t.Tenant, regent.ModeConfigure) == nil
	}
	return r
}

// policiesFor reads the policy in force for each tenant of a page, in one query.
func policiesFor(c echo.Context, svc regent.PolicyService, items []*regent.TenantView) (map[string]regent.Policy, error) {
	ts := make([]*regent.Tenant, len(items))
	for i, t := range items {
		ts[i] = &t.Tenant
	}
	return svc.EffectivePolicies(c.Request().Context(), ts)
}

func policyOf(m map[string]regent.Policy, id string) *regent.Policy {
	if p, ok := m[id]; ok {
		return &p
	}
	return nil
}

func handleTenantList(svc regent.TenantService, policies regent.PolicyService) echo.HandlerFunc {
	return func(c echo.Context) error {
		lf, err := listFilter(c)
		if err != nil {
			return err
		}
		f := regent.TenantFilter{ListFilter: lf, Kind: c.QueryParam("kind"), ParentID: c.QueryParam("parentId")}
		if err := f.Validate(); err != nil {
			return err
		}
		ctx := c.Request().Context()
		items, total, err := svc.ListTenants(ctx, f)
		if err != nil {
			return err
		}
		caller := regent.CallerFromContext(ctx)
		pol, err := policiesFor(c, policies, items)
		if err != nil {
			return err
		}
		out := list[tenantResponse]{Items: make([]tenantResponse, len(items)), Total: total}
		for i, t := range items {
			out.Items[i] = tenantView(caller, t, policyOf(pol, t.ID))
		}
		return c.JSON(http.StatusOK, out)
	}
}

func handleTenantGet(svc regent.TenantService, policies regent.PolicyService) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		t, err := svc.TenantByID(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		setETag(c, t.Version)
		pol, err := policiesFor(c, policies, []*regent.TenantView{t})
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, tenantView(regent.CallerFromContext(ctx), t, policyOf(pol, t.ID)))
	}
}

type tenantCreateRequest struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	ParentID string `json:"parentId"`
}

func handleTenantCreate(svc regent.TenantService, policies regent.PolicyService) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req tenantCreateRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		ctx := c.Request().Context()
		t, err := svc.CreateTenant(ctx, regent.TenantInput{Name: req.Name, Kind: req.Kind, ParentID: req.ParentID})
		if err != nil {
			return err
		}
		setETag(c, t.Version)
		pol, err := policiesFor(c, policies, []*regent.TenantView{t})
		if err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, tenantView(regent.CallerFromContext(ctx), t, policyOf(pol, t.ID)))
	}
}

func handleTenantUpdate(svc regent.TenantService, policies regent.PolicyService) echo.HandlerFunc {
	return func(c echo.Context) error {
		patch, version, err := readPatch(c)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		t, err := svc.UpdateTenant(ctx, c.Param("id"), version, patch)
		if err != nil {
			return err
		}
		setETag(c, t.Version)
		pol, err := policiesFor(c, policies, []*regent.TenantView{t})
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, tenantView(regent.CallerFromContext(ctx), t, policyOf(pol, t.ID)))
	}
}

// Users: console users and a tenant's employees share one shape.

type roleRefView struct {
	ID   string `json:"id"`
	Key  string `json:"key,omitempty"`
	Name string `json:"name"`
}

type userResponse struct {
	ID          string         `json:"id"`
	Email       string         `json:"email"`
	Name        string         `json:"name"`
	Status      string         `json:"status"`
	Home        homeResponse   `json:"home"`
	Roles       []roleRefView  `json:"roles"`
	LastLoginAt *time.Time     `json:"lastLoginAt"`
	CreatedAt   time.Time      `json:"createdAt"`
	UpdatedAt   time.Time      `json:"updatedAt"`
	CreatedBy   authorResponse `json:"createdBy"`
	UpdatedBy   authorResponse `json:"updatedBy"`
	Version     int            `json:"version"`
}

func userView(u *regent.UserView) userResponse {
	r := userResponse{ID: u.ID, Email: u.Email, Name: u.Name, Status: u.Status,
		Home:  homeResponse{ID: u.Home.ID, Name: u.Home.Name, Kind: u.Home.Kind},
		Roles: make([]roleRefView, len(u.Roles)), LastLoginAt: u.LastLoginAt,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, Version: u.Version,
		CreatedBy: authorResponse{u.CreatedBy.Name}, UpdatedBy: authorResponse{u.UpdatedBy.Name}}
	for i, role := range u.Roles {
		r.Roles[i] = roleRefView{ID: role.ID, Key: role.Key, Name: role.Name}
	}
	return r
}

func userList(items []*regent.UserView, total int) list[userResponse] {
	out := list[userResponse]{Items: make([]userResponse, len(items)), Total: total}
	for i, u := range items {
		out.Items[i] = userView(u)
	}
	return out
}

type userCreateRequest struct {
	Email  string   `json:"email"`
	Name   string   `json:"name"`
	HomeID string   `json:"homeId"`
	Roles  []string `json:"roles"`
}

func handleUserList(svc regent.UserService) echo.HandlerFunc {
	return func(c echo.Context) error {
		lf, err := listFilter(c)
		if err != nil {
			return err
		}
		f := regent.UserFilter{ListFilter: lf, HomeID: c.QueryParam("homeId")}
		if err := f.Validate(); err != nil {
			return err
		}
		items, total, err := svc.ListConsoleUsers(c.Request().Context(), f)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, userList(items, total))
	}
}

func handleUserGet(svc regent.UserService) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, err := svc.ConsoleUserByID(c.Request().Context(), c.Param("userId"))
		if err != nil {
			return err
		}
		setETag(c, u.Version)
		return c.JSON(http.StatusOK, userView(u))
	}
}

func handleUserCreate(svc regent.UserService) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req userCreateRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		u, err := svc.InviteConsoleUser(c.Request().Context(), regent.UserInput{Email: req.Email, Name: req.Name, HomeID: req.HomeID, RoleIDs: req.Roles})
		if err != nil {
			return err
		}
		setETag(c, u.Version)
		return c.JSON(http.StatusCreated, userView(u))
	}
}

func handleUserUpdate(svc regent.UserService) echo.HandlerFunc {
	return func(c echo.Context) error {
		patch, version, err := readPatch(c)
		if err != nil {
			return err
		}
		u, err := svc.UpdateConsoleUser(c.Request().Context(), c.Param("userId"), version, patch)
		if err != nil {
			return err
		}
		setETag(c, u.Version)
		return c.JSON(http.StatusOK, userView(u))
	}
}

// Employees (tenant app).

type employeeCreateRequest struct {
	Email string   `json:"email"`
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

func handleEmployeeList(svc regent.UserService) echo.HandlerFunc {
	return func(c echo.Context) error {
		lf, err := listFilter(c)
		if err != nil {
			return err
		}
		f := regent.UserFilter{ListFilter: lf}
		if err := f.Validate(); err != nil {
			return err
		}
		items, total, err := svc.ListEmployees(c.Request().Context(), c.Param("id"), f)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, userList(items, total))
	}
}

func handleEmployeeGet(svc regent.UserService) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, err := svc.EmployeeByID(c.Request().Context(), c.Param("id"), c.Param("itemId"))
		if err != nil {
			return err
		}
		setETag(c, u.Version)
		return c.JSON(http.StatusOK, userView(u))
	}
}

func handleEmployeeCreate(svc regent.UserService) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req employeeCreateRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		u, err := svc.InviteEmployee(c.Request().Context(), c.Param("id"), regent.UserInput{Email: req.Email, Name: req.Name, RoleIDs: req.Roles})
		if err != nil {
			return err
		}
		setETag(c, u.Version)
		return c.JSON(http.StatusCreated, userView(u))
	}
}

func handleEmployeeUpdate(svc regent.UserService) echo.HandlerFunc {
	return func(c echo.Context) error {
		patch, version, err := readPatch(c)
		if err != nil {
			return err
		}
		u, err := svc.UpdateEmployee(c.Request().Context(), c.Param("id"), c.Param("itemId"), version, patch)
		if err != nil {
			return err
		}
		setETag(c, u.Version)
		return c.JSON(http.StatusOK, userView(u))
	}
}

// handleEmployeeDelete deactivates the employee: people are never erased, their records
// and audit trail keep pointing at them.
func handleEmployeeDelete(svc regent.UserService) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := svc.DeactivateEmployee(c.Request().Context(), c.Param("id"), c.Param("itemId")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// Roles (tenant app).

type roleResponse struct {
	ID          string   `json:"id"`
	Key         string   `json:"key,omitempty"`
	Name        string   `json:"name"`
	HomeKind    string   `json:"homeKind"`
	Builtin     bool     `json:"builtin"`
	Permissions []string `json:"permissions"`
	Version     int      `json:"version"`
}

func roleView(r *regent.Role) roleResponse {
	out := roleResponse{ID: r.ID, Key: r.Key, Name: r.Name, HomeKind: r.HomeKind, Builtin: r.TenantID == "", Version: r.Version, Permissions: []string{}}
	for _, p := range r.Permissions {
		out.Permissions = append(out.Permissions, string(p))
	}
	return out
}

type roleCreateRequest struct {
	Name        string   `json:"name"`
	Permissions []string `json:"permissions"`
}

func handleRoleList(svc regent.RoleService) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, err := listFilter(c)
		if err != nil {
			return err
		}
		items, total, err := svc.ListRoles(c.Request().Context(), c.Param("id"), f)
		if err != nil {
			return err
		}
		out := list[roleResponse]{Items: make([]roleResponse, len(items)), Total: total}
		for i, r := range items {
			out.Items[i] = roleView(r)
		}
		return c.JSON(http.StatusOK, out)
	}
}

func handleRoleGet(svc regent.RoleService) echo.HandlerFunc {
	return func(c echo.Context) error {
		r, err := svc.RoleByID(c.Request().Context(), c.Param("id"), c.Param("itemId"))
		if err != nil {
			return err
		}
		setETag(c, r.Version)
		return c.JSON(http.StatusOK, roleView(r))
	}
}

func handleRoleCreate(svc regent.RoleService) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req roleCreateRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		in := regent.RoleInput{Name: req.Name}
		for _, p := range req.Permissions {
			in.Permissions = append(in.Permissions, regent.Permission(p))
		}
		r, err := svc.CreateRole(c.Request().Context(), c.Param("id"), in)
		if err != nil {
			return err
		}
		setETag(c, r.Version)
		return c.JSON(http.StatusCreated, roleView(r))
	}
}

func handleRoleUpdate(svc regent.RoleService) echo.HandlerFunc {
	return func(c echo.Context) error {
		patch, version, err := readPatch(c)
		if err != nil {
			return err
		}
		r, err := svc.UpdateRole(c.Request().Context(), c.Param("id"), c.Param("itemId"), version, patch)
		if err != nil {
			return err
		}
		setETag(c, r.Version)
		return c.JSON(http.StatusOK, roleView(r))
	}
}

func handleRoleDelete(svc regent.RoleService) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := svc.DeleteRole(c.Request().Context(), c.Param("id"), c.Param("itemId")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// handlePermissionCatalogue lists the tenant-level permissions custom roles are built from.
func handlePermissionCatalogue() echo.HandlerFunc {
	return func(c echo.Context) error {
		out := make([]string, len(regent.TenantPermissions))
		for i, p := range regent.TenantPermissions {
			out[i] = string(p)
		}
		return c.JSON(http.StatusOK, map[string]any{"tenantPermissions": out})
	}
}

// handleConsoleRoles lists the built-in roles the caller may give to console users.
func handleConsoleRoles(svc regent.RoleService) echo.HandlerFunc {
	return func(c echo.Context) error {
		items, err := svc.ConsoleRoles(c.Request().Context())
		if err != nil {
			return err
		}
		out := list[roleResponse]{Items: make([]roleResponse, len(items)), Total: len(items)}
		for i, r := range items {
			out.Items[i] = roleView(r)
		}
		return c.JSON(http.StatusOK, out)
	}
}
