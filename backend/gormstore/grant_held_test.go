package gormstore_test

import (
	"testing"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// TestTenantPeopleGiveOnlyWhatTheyHold tries to climb from a custom role: a person with
// employees:manage and roles:manage, but not contacts:export, must not make themselves or
// anyone else Tenant Admin, nor add contacts:export to any role; what they hold they can give,
// and a role someone already has, or a permission a role already has, may stay.
func TestTenantPeopleGiveOnlyWhatTheyHold(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		users, roles := gormstore.NewUserService(db), gormstore.NewRoleService(db)
		admin, adminC := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		paris := adminC.Home.ID
		held := []regent.Permission{regent.PermEmployeesRead, regent.PermEmployeesManage, regent.PermRolesRead, regent.PermRolesManage}
		hr, err := roles.CreateRole(admin, paris, regent.RoleInput{Name: "People team", Permissions: held})
		if err != nil {
			t.Fatal(err)
		}
		exporters, err := roles.CreateRole(admin, paris, regent.RoleInput{Name: "Exporters", Permissions: []regent.Permission{regent.PermContactsRead, regent.PermContactsExport}})
		if err != nil {
			t.Fatal(err)
		}
		all, _, err := roles.ListRoles(admin, paris, regent.ListFilter{PageSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		var tenantAdmin string
		for _, r := range all {
			if r.Key == regent.RoleTenantAdmin {
				tenantAdmin = r.ID
			}
		}
		if _, err := users.InviteEmployee(admin, paris, regent.UserInput{Email: "hr@paris.lsp.example", Name: "Hana Roe", RoleIDs: []string{hr.ID, exporters.ID}}); err != nil {
			t.Fatal(err)
		}
		// Hana signs in holding both roles; then the admin takes Exporters away again.
		_, hanaC := callerCtx(t, db, "hr@paris.lsp.example")
		me, err := users.EmployeeByID(admin, paris, hanaC.User.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := users.UpdateEmployee(admin, paris, me.ID, me.Version, map[string]any{"roles": []any{hr.ID}}); err != nil {
			t.Fatal(err)
		}
		hana, hanaC := callerCtx(t, db, "hr@paris.lsp.example")
		if hanaC.Can(regent.PermContactsExport) {
			t.Fatal("Hana still holds contacts:export")
		}
		invalid := func(what string, err error, field string) {
			t.Helper()
			var fields map[string]string
			if e, ok := err.(*regent.Error); ok {
				fields = e.Fields
			}
			if regent.ErrorCode(err) != regent.EINVALID || fields[field] == "" {
				t.Errorf("%s: got %v, want invalid %s", what, err, field)
			}
		}

		_, err = users.InviteEmployee(hana, paris, regent.UserInput{Email: "crony@paris.lsp.example", Name: "Crony", RoleIDs: []string{tenantAdmin}})
		invalid("inviting a Tenant Admin", err, "roles")
		me, _ = users.EmployeeByID(admin, paris, hanaC.User.ID)
		_, err = users.UpdateEmployee(hana, paris, me.ID, me.Version, map[string]any{"roles": []any{hr.ID, tenantAdmin}})
		invalid("making oneself Tenant Admin", err, "roles")
		_, err = roles.CreateRole(hana, paris, regent.RoleInput{Name: "Leak", Permissions: []regent.Permission{regent.PermContactsRead, regent.PermContactsExport}})
		invalid("a new role with contacts:export", err, "permissions")
		_, err = roles.UpdateRole(hana, paris, hr.ID, hr.Version, map[string]any{"permissions": []any{"employees:read", "employees:manage", "roles:read", "roles:manage", "contacts:export"}})
		invalid("adding contacts:export to one's own role", err, "permissions")

		// What Hana holds she may give, and what is already there may stay.
		if _, err := users.InviteEmployee(hana, paris, regent.UserInput{Email: "peer@paris.lsp.example", Name: "Peer", RoleIDs: []string{hr.ID}}); err != nil {
			t.Errorf("giving her own role: %v", err)
		}
		if _, err := roles.UpdateRole(hana, paris, exporters.ID, exporters.Version, map[string]any{"name": "Contact exporters"}); err != nil {
			t.Errorf("renaming a role with a permission she lacks: %v", err)
		}
		var adminView *regent.UserView
		if adminView, err = users.EmployeeByID(admin, paris, adminC.User.ID); err != nil {
			t.Fatal(err)
		}
		keep := []any{}
		for _, r := range adminView.Roles {
			keep = append(keep, r.ID)
		}
		if _, err := users.UpdateEmployee(hana, paris, adminView.ID, adminView.Version, map[string]any{"roles": append(keep, hr.ID)}); err != nil {
			t.Errorf("adding her role to someone who keeps Tenant Admin: %v", err)
		}
	})
}
