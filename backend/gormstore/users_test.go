package gormstore_test

import (
	"testing"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

func hiddenOf(t *testing.T, db *gormstore.DB, tenantID string) (userID, roleID string) {
	t.Helper()
	db.Raw(t, &userID, "SELECT id FROM users WHERE home_tenant_id = ? AND hidden", tenantID)
	db.Raw(t, &roleID, "SELECT id FROM roles WHERE tenant_id = ? AND hidden", tenantID)
	if userID == "" || roleID == "" {
		t.Fatalf("tenant %s has no hidden account/role", tenantID)
	}
	return userID, roleID
}

func TestTheHiddenAccountIsNowhere(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		users := gormstore.NewUserService(db)
		roles := gormstore.NewRoleService(db)
		paris, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		tm, _ := callerCtx(t, db, "tm-admin@classics.example")
		parisID := admin.Home.ID
		hiddenUser, hiddenRole := hiddenOf(t, db, parisID)

		items, total, err := users.ListEmployees(paris, parisID, regent.UserFilter{})
		if err != nil || total != 3 || len(items) != 3 {
			t.Fatalf("employees: got %d/%d (%v), want the 3 real ones", len(items), total, err)
		}
		for _, q := range []string{"impersonated", "regent.invalid", "admin"} {
			items, _, _ := users.ListEmployees(paris, parisID, regent.UserFilter{ListFilter: regent.ListFilter{Query: q}})
			for _, u := range items {
				if u.ID == hiddenUser {
					t.Errorf("search %q finds the hidden account", q)
				}
			}
		}
		if _, err := users.EmployeeByID(paris, parisID, hiddenUser); regent.ErrorCode(err) != regent.ENOTFOUND {
			t.Errorf("employee by id: got %v, want not found", err)
		}
		if _, err := users.UpdateEmployee(paris, parisID, hiddenUser, 1, map[string]any{"name": "Mine now"}); regent.ErrorCode(err) != regent.ENOTFOUND {
			t.Errorf("update: got %v, want not found", err)
		}
		if err := users.DeactivateEmployee(paris, parisID, hiddenUser); regent.ErrorCode(err) != regent.ENOTFOUND {
			t.Errorf("deactivate: got %v, want not found", err)
		}
		if _, err := users.ConsoleUserByID(tm, hiddenUser); regent.ErrorCode(err) != regent.ENOTFOUND {
			t.Errorf("console user by id as TM admin: got %v, want not found", err)
		}
		all, _, _ := users.ListConsoleUsers(tm, regent.UserFilter{ListFilter: regent.ListFilter{PageSize: 100}})
		for _, u := range all {
			if u.Name == regent.ImpersonatedAdminName {
				t.Error("console user list shows the hidden account")
			}
		}

		rs, rtotal, err := roles.ListRoles(paris, parisID, regent.ListFilter{})
		if err != nil || rtotal != 3 {
			t.Fatalf("roles: got %d (%v), want the 3 built-in tenant roles", rtotal, err)
		}
		for _, r := range rs {
			if r.ID == hiddenRole {
				t.Error("role list shows the hidden role")
			}
		}
		if _, err := roles.RoleByID(paris, parisID, hiddenRole); regent.ErrorCode(err) != regent.ENOTFOUND {
			t.Errorf("role by id: got %v, want not found", err)
		}
		if _, err := roles.UpdateRole(paris, parisID, hiddenRole, 1, map[string]any{"name": "x"}); regent.ErrorCode(err) != regent.ENOTFOUND {
			t.Errorf("update role: got %v, want not found", err)
		}
		if err := roles.DeleteRole(paris, parisID, hiddenRole); regent.ErrorCode(err) != regent.ENOTFOUND {
			t.Errorf("delete role: got %v, want not found", err)
		}
		_, err = users.InviteEmployee(paris, parisID, regent.UserInput{Email: "new@paris.lsp.example", Name: "New", RoleIDs: []string{hiddenRole}})
		if e, ok := err.(*regent.Error); !ok || e.Fields["roles"] == "" {
			t.Errorf("assigning the hidden role: got %v, want a roles field error", err)
		}
		// Changing someone's address follows the invitation's rules: the hidden account's
		// address (or any .invalid one) is refused as not real, never "already used", which
		// would tell the tenant that the hidden account exists and what it is called.
		var agent *regent.UserView
		emps, _, _ := users.ListEmployees(paris, parisID, regent.UserFilter{})
		for _, u := range emps {
			if u.Email == "agent@paris.lsp.example" {
				agent = u
			}
		}
		for _, email := range []string{"impersonated-admin+" + parisID + "@regent.invalid", "someone@example.invalid"} {
			_, err := users.UpdateEmployee(paris, parisID, agent.ID, agent.Version, map[string]any{"email": email})
			if e, ok := err.(*regent.Error); !ok || e.Code != regent.EINVALID || e.Fields["email"] == "" {
				t.Errorf("changing an address to %s: got %v, want an email field error", email, err)
			}
		}
		_, err = roles.CreateRole(paris, parisID, regent.RoleInput{Name: "impersonated ADMIN", Permissions: []regent.Permission{regent.PermContactsRead}})
		if e, ok := err.(*regent.Error); !ok || e.Fields["name"] == "" {
			t.Errorf("custom role named like the hidden one: got %v, want a name field error", err)
		}
	})
}

func TestEmployees(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		users := gormstore.NewUserService(db)
		roles := gormstore.NewRoleService(db)
		paris, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		london, _ := callerCtx(t, db, "tenant-admin@london.lsp.example")
		parisID := admin.Home.ID

		custom, err := roles.CreateRole(paris, parisID, regent.RoleInput{Name: "Team Lead", Permissions: []regent.Permission{regent.PermEmployeesRead, regent.PermContactsRead}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := roles.CreateRole(paris, parisID, regent.RoleInput{Name: "Sneaky", Permissions: []regent.Permission{regent.PermTenantsCreate}}); regent.ErrorCode(err) != regent.EINVALID {
			t.Errorf("console permission in a custom role: got %v", err)
		}
		emp, err := users.InviteEmployee(paris, parisID, regent.UserInput{Email: "Lead@Paris.lsp.example", Name: "Léa Lead", RoleIDs: []string{custom.ID}})
		if err != nil || emp.Status != "invited" || emp.Email != "lead@paris.lsp.example" || len(emp.Roles) != 1 {
			t.Fatalf("invite: %+v %v", emp, err)
		}
		if _, err := users.InviteEmployee(paris, parisID, regent.UserInput{Email: "lead@paris.lsp.example", Name: "Again"}); regent.ErrorCode(err) != regent.ECONFLICT {
			t.Errorf("duplicate email: got %v", err)
		}
		// London's custom roles and console roles cannot be given in Paris.
		var tmRole string
		db.Raw(t, &tmRole, "SELECT id FROM roles WHERE key = 'tm_admin'")
		_, err = users.UpdateEmployee(paris, parisID, emp.ID, 1, map[string]any{"roles": []any{tmRole}})
		if e, ok := err.(*regent.Error); !ok || e.Fields["roles"] == "" {
			t.Errorf("giving TM Admin to an employee: got %v", err)
		}
		if _, _, err := users.ListEmployees(london, parisID, regent.UserFilter{}); regent.ErrorCode(err) != regent.ENOTFOUND {
			t.Errorf("london lists paris: got %v", err)
		}
		if err := roles.DeleteRole(paris, parisID, custom.ID); regent.ErrorCode(err) != regent.ECONFLICT {
			t.Errorf("deleting an assigned role: got %v", err)
		}
		if _, err := users.UpdateEmployee(paris, parisID, admin.User.ID, admin.User.Version, map[string]any{"status": "deactivated"}); regent.ErrorCode(err) != regent.EFORBIDDEN {
			t.Errorf("self deactivation: got %v", err)
		}
		if err := users.DeactivateEmployee(paris, parisID, emp.ID); err != nil {
			t.Fatal(err)
		}
		got, _ := users.EmployeeByID(paris, parisID, emp.ID)
		if got.Status != "deactivated" || got.Version != 2 {
			t.Errorf("after deactivate: %+v", got)
		}
	})
}

func TestConsoleUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		users := gormstore.NewUserService(db)
		tm, _ := callerCtx(t, db, "tm-admin@classics.example")
		lsp, lspAdmin := callerCtx(t, db, "partner-admin@lsp.example")
		acme, _ := callerCtx(t, db, "partner-admin@acme.example")
		support, _ := callerCtx(t, db, "support@classics.example")

		_, total, err := users.ListConsoleUsers(tm, regent.UserFilter{})
		if err != nil || total != 6 {
			t.Errorf("tm admin: got %d (%v), want the 6 platform and partner users", total, err)
		}
		items, total, err := users.ListConsoleUsers(lsp, regent.UserFilter{})
		if err != nil || total != 2 || items[0].Home.ID != lspAdmin.Home.ID {
			t.Errorf("lsp admin: got %d (%v), want its 2 users", total, err)
		}
		if _, _, err := users.ListConsoleUsers(support, regent.UserFilter{}); regent.ErrorCode(err) != regent.EFORBIDDEN {
			t.Errorf("support: got %v, want forbidden", err)
		}
		var partnerSupport string
		db.Raw(t, &partnerSupport, "SELECT id FROM roles WHERE key = 'partner_support'")
		u, err := users.InviteConsoleUser(lsp, regent.UserInput{Email: "new@lsp.example", Name: "New Helper", HomeID: lspAdmin.Home.ID, RoleIDs: []string{partnerSupport}})
		if err != nil || u.Roles[0].Key != "partner_support" {
			t.Fatalf("invite: %+v %v", u, err)
		}
		if _, err := users.ConsoleUserByID(acme, u.ID); regent.ErrorCode(err) != regent.ENOTFOUND {
			t.Errorf("acme reads lsp's user: got %v", err)
		}
		if _, err := users.UpdateConsoleUser(acme, u.ID, 1, map[string]any{"status": "deactivated"}); regent.ErrorCode(err) != regent.ENOTFOUND {
			t.Errorf("acme deactivates lsp's user: got %v", err)
		}
		var tmRole string
		db.Raw(t, &tmRole, "SELECT id FROM roles WHERE key = 'tm_admin'")
		if _, err := users.UpdateConsoleUser(lsp, u.ID, 1, map[string]any{"roles": []any{tmRole}}); regent.ErrorCode(err) != regent.EINVALID {
			t.Errorf("partner admin grants TM Admin: got %v", err)
		}
		var platformID string
		db.Raw(t, &platformID, "SELECT id FROM tenants WHERE kind = 'platform'")
		if _, err := users.InviteConsoleUser(lsp, regent.UserInput{Email: "x@classics.example", Name: "X", HomeID: platformID}); regent.ErrorCode(err) != regent.EINVALID {
			t.Errorf("partner admin invites to the platform: got %v", err)
		}
		if _, err := users.UpdateConsoleUser(lsp, lspAdmin.User.ID, lspAdmin.User.Version, map[string]any{"roles": []any{}}); regent.ErrorCode(err) != regent.EFORBIDDEN {
			t.Errorf("self role change: got %v", err)
		}
	})
}
