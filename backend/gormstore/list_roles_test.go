package gormstore_test

import (
	"slices"
	"testing"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// A list's people carry their roles read in the page's own statement and named through the
// roles cache: the same roles, in the same order, as the person's own page; never a hidden
// role; and a renamed role under its new name on the next read.
func TestListedPeopleCarryTheirVisibleRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		users, roles := gormstore.NewUserService(db), gormstore.NewRoleService(db)
		paris, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		parisID := admin.Home.ID
		auth := gormstore.NewAuthService(db)
		_, token := signIn(t, auth, "tenant-admin@paris.lsp.example")
		waitCacheOn(t, db, auth, token)

		zed, err := roles.CreateRole(paris, parisID, regent.RoleInput{Name: "Zed Team", Permissions: []regent.Permission{regent.PermEmployeesRead}})
		if err != nil {
			t.Fatal(err)
		}
		alpha, err := roles.CreateRole(paris, parisID, regent.RoleInput{Name: "Alpha Team", Permissions: []regent.Permission{regent.PermContactsRead}})
		if err != nil {
			t.Fatal(err)
		}
		two, err := users.InviteEmployee(paris, parisID, regent.UserInput{Email: "two@paris.lsp.example", Name: "Two Roles", RoleIDs: []string{zed.ID, alpha.ID}})
		if err != nil {
			t.Fatal(err)
		}
		// The tenant's hidden Impersonated Admin role, given to a visible person behind the
		// service's back, still never shows.
		if _, err := db.SQL().Exec(`INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE tenant_id = $2 AND hidden`, two.ID, parisID); err != nil {
			t.Fatal(err)
		}

		names := func(rs []regent.Role) []string {
			var out []string
			for _, r := range rs {
				out = append(out, r.Name)
			}
			return out
		}
		check := func(want map[string][]string) {
			t.Helper()
			list, _, err := users.ListEmployees(paris, parisID, regent.UserFilter{ListFilter: regent.ListFilter{PageSize: 100}})
			if err != nil || len(list) == 0 {
				t.Fatalf("list: %d, %v", len(list), err)
			}
			for _, v := range list {
				one, err := users.EmployeeByID(paris, parisID, v.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(names(v.Roles), names(one.Roles)) {
					t.Errorf("%s: listed with %v, own page %v", v.Email, names(v.Roles), names(one.Roles))
				}
				if w, ok := want[v.Email]; ok && !slices.Equal(names(v.Roles), w) {
					t.Errorf("%s: listed with %v, want %v", v.Email, names(v.Roles), w)
				}
			}
		}
		check(map[string][]string{"two@paris.lsp.example": {"Alpha Team", "Zed Team"}})
		check(map[string][]string{"two@paris.lsp.example": {"Alpha Team", "Zed Team"}}) // from the cache
		if _, err := roles.UpdateRole(paris, parisID, alpha.ID, alpha.Version, map[string]any{"name": "Omega Team"}); err != nil {
			t.Fatal(err)
		}
		check(map[string][]string{"two@paris.lsp.example": {"Omega Team", "Zed Team"}})
	})
}
