package gormstore_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// The count tables of migration 0008 must equal a real count(*) after every kind of write,
// through the services and behind their back, one row at a time and many at once.
func TestListCountsStayExact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		clk := seeded(t, db)
		tenants := gormstore.NewTenantService(db)
		users := gormstore.NewUserService(db)
		tm, _ := callerCtx(t, db, "tm-admin@classics.example")
		lsp, lspAdmin := callerCtx(t, db, "partner-admin@lsp.example")
		paris, parisAdmin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		lspID, parisID, acme := lspAdmin.Home.ID, parisAdmin.Home.ID, acmeID(t, db)

		exact := func(step string) {
			t.Helper()
			var wrong int64
			db.Raw(t, &wrong, `SELECT count(*) FROM (
				SELECT parent_id, kind, status, count(*) AS n FROM tenants WHERE parent_id IS NOT NULL GROUP BY parent_id, kind, status
				EXCEPT SELECT parent_id, kind, status, n FROM tenant_counts) x`)
			var extra int64
			db.Raw(t, &extra, `SELECT count(*) FROM (
				SELECT parent_id, kind, status, n FROM tenant_counts
				EXCEPT SELECT parent_id, kind, status, count(*) FROM tenants WHERE parent_id IS NOT NULL GROUP BY parent_id, kind, status) x`)
			if wrong != 0 || extra != 0 {
				t.Errorf("%s: tenant_counts differs from count(*) in %d groups and has %d wrong rows", step, wrong, extra)
			}
			db.Raw(t, &wrong, `SELECT count(*) FROM (
				SELECT home_tenant_id, status, count(*) AS n FROM users WHERE NOT hidden GROUP BY home_tenant_id, status
				EXCEPT SELECT home_tenant_id, status, n FROM user_counts) x`)
			db.Raw(t, &extra, `SELECT count(*) FROM (
				SELECT home_tenant_id, status, n FROM user_counts
				EXCEPT SELECT home_tenant_id, status, count(*) FROM users WHERE NOT hidden GROUP BY home_tenant_id, status) x`)
			if wrong != 0 || extra != 0 {
				t.Errorf("%s: user_counts differs from count(*) in %d groups and has %d wrong rows", step, wrong, extra)
			}
			var want int64
			db.Raw(t, &want, "SELECT count(*) FROM tenants WHERE kind <> 'platform'")
			if _, total, err := tenants.ListTenants(tm, regent.TenantFilter{}); err != nil || int64(total) != want {
				t.Errorf("%s: tenant list total %d (%v), want %d", step, total, err, want)
			}
			db.Raw(t, &want, "SELECT count(*) FROM users WHERE home_tenant_id = ? AND NOT hidden", parisID)
			if _, total, err := users.ListEmployees(paris, parisID, regent.UserFilter{}); err != nil || int64(total) != want {
				t.Errorf("%s: employee list total %d (%v), want %d", step, total, err, want)
			}
		}
		exact("after the demo seed")

		var made []*regent.TenantView
		for i, in := range []regent.TenantInput{
			{Name: "Zeta Partners", Kind: "partner"},
			{Name: "Direct One", Kind: "customer"},
			{Name: "Under Acme", Kind: "customer", ParentID: acme},
		} {
			clk.advance(time.Minute)
			v, err := tenants.CreateTenant(tm, in)
			if err != nil {
				t.Fatalf("create %d: %v", i, err)
			}
			made = append(made, v)
		}
		v, err := tenants.CreateTenant(lsp, regent.TenantInput{Name: "LSP Lyon", Kind: "customer"})
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, v)
		exact("after creating tenants")

		if _, err := tenants.UpdateTenant(lsp, v.ID, 1, map[string]any{"status": "suspended"}); err != nil {
			t.Fatal(err)
		}
		exact("after suspending")
		if _, err := tenants.UpdateTenant(lsp, v.ID, 2, map[string]any{"status": "active", "name": "LSP Lyon 2"}); err != nil {
			t.Fatal(err)
		}
		exact("after reactivating")
		if _, err := tenants.UpdateTenant(tm, made[1].ID, 1, map[string]any{"name": "Direct Renamed"}); err != nil {
			t.Fatal(err)
		}
		exact("after renaming")

		db.Exec(t, "UPDATE tenants SET parent_id = ? WHERE id = ?", made[0].ID, made[2].ID)
		exact("after moving a tenant to another partner")
		db.Exec(t, "UPDATE tenants SET parent_id = ? WHERE parent_id = ?", made[0].ID, lspID)
		exact("after moving all of a partner's tenants at once")
		db.Exec(t, "UPDATE tenants SET status = 'suspended' WHERE kind = 'customer'")
		exact("after suspending every customer at once")
		db.Exec(t, "UPDATE tenants SET status = 'active', updated_at = updated_at WHERE kind = 'customer'")
		exact("after reactivating every customer at once")
		db.Exec(t, "UPDATE tenants SET version = version + 1")
		exact("after an update that changes no group")

		// A tenant goes with its hidden account and role.
		gone := made[1].ID
		db.Exec(t, "DELETE FROM user_roles WHERE user_id IN (SELECT id FROM users WHERE home_tenant_id = ?)", gone)
		db.Exec(t, "DELETE FROM users WHERE home_tenant_id = ?", gone)
		db.Exec(t, "DELETE FROM roles WHERE tenant_id = ?", gone)
		db.Exec(t, "DELETE FROM tenants WHERE id = ?", gone)
		exact("after deleting a tenant")

		var invited []*regent.UserView
		for i := range 4 {
			u, err := users.InviteEmployee(paris, parisID, regent.UserInput{Email: fmt.Sprintf("p%d@paris.lsp.example", i), Name: fmt.Sprintf("Person %d", i)})
			if err != nil {
				t.Fatal(err)
			}
			invited = append(invited, u)
		}
		exact("after inviting employees")
		if _, err := users.InviteConsoleUser(lsp, regent.UserInput{Email: "helper@lsp.example", Name: "Helper", HomeID: lspID}); err != nil {
			t.Fatal(err)
		}
		exact("after inviting a console user")
		callerCtx(t, db, "p0@paris.lsp.example") // the first sign-in: invited -> active
		exact("after a first sign-in")
		if err := users.DeactivateEmployee(paris, parisID, invited[1].ID); err != nil {
			t.Fatal(err)
		}
		if err := users.DeactivateEmployee(paris, parisID, invited[0].ID); err != nil {
			t.Fatal(err)
		}
		exact("after deactivating")
		if _, err := users.UpdateEmployee(paris, parisID, invited[1].ID, 2, map[string]any{"status": "active"}); err != nil {
			t.Fatal(err)
		}
		if _, err := users.UpdateEmployee(paris, parisID, invited[0].ID, 2, map[string]any{"status": "active"}); err != nil {
			t.Fatal(err)
		}
		exact("after re-activating (one back to invited, one active)")

		db.Exec(t, "UPDATE users SET home_tenant_id = ? WHERE id = ?", made[3].ID, invited[2].ID)
		exact("after moving a person")
		db.Exec(t, "UPDATE users SET status = 'deactivated' WHERE home_tenant_id = ?", parisID)
		exact("after deactivating a whole tenant, its hidden account too, at once")
		db.Exec(t, "UPDATE users SET status = 'invited' WHERE home_tenant_id = ? AND oidc_subject IS NULL", parisID)
		db.Exec(t, "UPDATE users SET status = 'active' WHERE home_tenant_id = ? AND oidc_subject IS NOT NULL", parisID)
		exact("after re-activating a whole tenant at once")

		// A person made hidden stops being counted, and counts again when visible. (One
		// hidden account per tenant: the tenant's own goes first.)
		hiddenUser, _ := hiddenOf(t, db, made[3].ID)
		db.Exec(t, "DELETE FROM user_roles WHERE user_id = ?", hiddenUser)
		db.Exec(t, "DELETE FROM users WHERE id = ?", hiddenUser)
		exact("after deleting a hidden account")
		db.Exec(t, "UPDATE users SET hidden = true WHERE id = ?", invited[2].ID)
		exact("after hiding a person")
		db.Exec(t, "UPDATE users SET hidden = false WHERE id = ?", invited[2].ID)
		exact("after showing them again")
		db.Exec(t, "DELETE FROM users WHERE id = ?", invited[3].ID)
		exact("after deleting a person")

		var left int64
		db.Raw(t, &left, "SELECT count(*) FROM user_counts WHERE n <= 0")
		if left != 0 {
			t.Errorf("user_counts keeps %d empty groups", left)
		}
		db.Raw(t, &left, "SELECT count(*) FROM tenant_counts WHERE n <= 0")
		if left != 0 {
			t.Errorf("tenant_counts keeps %d empty groups", left)
		}
	})
}

// likePattern is applySearch's pattern, written again for the reference queries.
func likePattern(q string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(strings.TrimSpace(q))) + "%"
}

// reference runs a list the plain way (filter, sort, then slice in Go) and returns the ids
// in order with what each row shows of its parent or home.
func reference(t *testing.T, db *gormstore.DB, sql string, args ...any) (ids, names []string) {
	t.Helper()
	var rows []struct {
		ID    string
		Other *string
	}
	db.Raw(t, &rows, sql, args...)
	for _, r := range rows {
		ids = append(ids, r.ID)
		names = append(names, deref(r.Other))
	}
	return ids, names
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Every sort, filter, search and page of the lists returns what a plain query returns, for
// every caller, and never a row outside the caller's reach.
func TestListsMatchAPlainQuery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		clk := seeded(t, db)
		tenants := gormstore.NewTenantService(db)
		users := gormstore.NewUserService(db)
		tm, _ := callerCtx(t, db, "tm-admin@classics.example")
		support, _ := callerCtx(t, db, "support@classics.example")
		lsp, lspAdmin := callerCtx(t, db, "partner-admin@lsp.example")
		acme, acmeAdmin := callerCtx(t, db, "partner-admin@acme.example")
		paris, parisAdmin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		lspID, acmeID, parisID, platform := lspAdmin.Home.ID, acmeAdmin.Home.ID, parisAdmin.Home.ID, platformID(t, db)

		// Tenants with names that share fragments, differ only in case, and sort around each
		// other; some suspended; made at different times, some at the same time.
		names := []string{"alpha Works", "Alphabet Soup", "ALPHANUMERIC", "Beta 100% Co", "beta_under", "Gamma", "gamma Ray",
			"Delta", "Epsilon LSP Friends", "Zulu", "Yankee", "x-ray", "Omega", "Zoë Ëlan"}
		parents := []string{lspID, acmeID, platform}
		for i, n := range names {
			if i%4 != 0 {
				clk.advance(time.Second)
			}
			parent := parents[i%len(parents)]
			v, err := tenants.CreateTenant(tm, regent.TenantInput{Name: n, Kind: "customer", ParentID: parent})
			if err != nil {
				t.Fatalf("create %s: %v", n, err)
			}
			if i%3 == 1 {
				if _, err := tenants.UpdateTenant(tm, v.ID, 1, map[string]any{"status": "suspended"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := tenants.CreateTenant(tm, regent.TenantInput{Name: "Alpha Partners", Kind: "partner"}); err != nil {
			t.Fatal(err)
		}

		// People with the same names, emails that do and do not share the name's fragments,
		// every status, some signed in (a last sign-in time) and some not.
		people := []string{"Ann Lee", "ann lee", "Ann Lee", "Bob Stone", "Zoë Lee", "carl_x", "Dora 100%", "Eve", "Lee Ann", "Mo"}
		for i, n := range people {
			clk.advance(time.Second * time.Duration(i%2))
			email := fmt.Sprintf("person%02d@%s.example", i, []string{"paris", "lee", "stone"}[i%3])
			u, err := users.InviteEmployee(paris, parisID, regent.UserInput{Email: email, Name: n})
			if err != nil {
				t.Fatalf("invite %s: %v", n, err)
			}
			switch i % 3 {
			case 1:
				callerCtx(t, db, email)
			case 2:
				if err := users.DeactivateEmployee(paris, parisID, u.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := users.InviteConsoleUser(lsp, regent.UserInput{Email: "ann@lsp.example", Name: "Ann Partner", HomeID: lspID}); err != nil {
			t.Fatal(err)
		}

		// The tenant list answers from its index once built, and from the database while the
		// index is stale: both must give the reference's answer.
		for _, fromIndex := range []bool{false, true} {
			t.Run(map[bool]string{false: "tenants from the database", true: "tenants from the index"}[fromIndex], func(t *testing.T) {
				db.UseTenantIndex(fromIndex)
				if fromIndex {
					db.WarmTenantIndex(t)
				}
				callers := []struct {
					name  string
					ctx   context.Context
					scope string
				}{
					{"tm admin", tm, "t.kind <> 'platform'"},
					{"support", support, "t.kind <> 'platform'"},
					{"lsp partner admin", lsp, "t.parent_id = '" + lspID + "'"},
					{"acme partner admin", acme, "t.parent_id = '" + acmeID + "'"},
				}
				filters := []regent.TenantFilter{
					{},
					{Kind: "partner"},
					{Kind: "customer", ListFilter: regent.ListFilter{Status: "suspended"}},
					{ListFilter: regent.ListFilter{Status: "active"}},
					{ParentID: lspID},
					{ParentID: acmeID, ListFilter: regent.ListFilter{Status: "active"}},
					{ParentID: platform, Kind: "customer"},
				}
				queries := []string{"", "a", "ALPHA", "lsp", "%", "_", " beta ", "zz", "oë", "zoë", "ë", "phan", "ha w"}
				sorts := map[string]string{"": "lower(t.name)", "name": "lower(t.name)", "kind": "t.kind", "status": "t.status", "createdAt": "t.created_at", "bogus": "lower(t.name)"}
				for _, c := range callers {
					for _, base := range filters {
						for _, q := range queries {
							for sort, col := range sorts {
								for _, desc := range []bool{false, true} {
									where, args := []string{c.scope}, []any{}
									if base.Kind != "" {
										where, args = append(where, "t.kind = ?"), append(args, base.Kind)
									}
									if base.Status != "" {
										where, args = append(where, "t.status = ?"), append(args, base.Status)
									}
									if base.ParentID != "" {
										where, args = append(where, "t.parent_id = ?"), append(args, base.ParentID)
									}
									if strings.TrimSpace(q) != "" {
										where, args = append(where, `lower(t.name) LIKE ? ESCAPE '\'`), append(args, likePattern(q))
									}
									order := col
									if desc {
										order += " DESC"
									}
									wantIDs, wantParents := reference(t, db, "SELECT t.id, p.name AS other FROM tenants t LEFT JOIN tenants p ON p.id = t.parent_id WHERE "+
										strings.Join(where, " AND ")+" ORDER BY "+order+", t.id", args...)
									for _, size := range []int{4, 25} {
										last := (len(wantIDs) + size - 1) / size
										for page := 1; page <= last+1; page++ {
											f := base
											f.Query, f.Sort, f.Desc, f.Page, f.PageSize = q, sort, desc, page, size
											items, total, err := tenants.ListTenants(c.ctx, f)
											var ids, parentNames []string
											for _, v := range items {
												ids, parentNames = append(ids, v.ID), append(parentNames, v.ParentName)
											}
											lo, hi := min((page-1)*size, len(wantIDs)), min(page*size, len(wantIDs))
											if err != nil || total != len(wantIDs) || !slices.Equal(ids, wantIDs[lo:hi]) || !slices.Equal(parentNames, wantParents[lo:hi]) {
												t.Fatalf("%s, %+v q=%q sort=%q desc=%v page %d of %d: got %d %v (%v), want %d %v",
													c.name, base, q, sort, desc, page, size, total, ids, err, len(wantIDs), wantIDs[lo:hi])
											}
										}
									}
								}
							}
						}
					}
				}
				if fromIndex != db.TenantIndexCurrent() {
					t.Fatalf("the index is current: %v, want %v", db.TenantIndexCurrent(), fromIndex)
				}
			})
		}

		// Employees too: a large tenant's people are answered from the people index (Paris is
		// indexed here whatever its size), other sorts and every stale index from the database.
		for _, fromIndex := range []bool{false, true} {
			t.Run(map[bool]string{false: "employees from the database", true: "employees from the index"}[fromIndex], func(t *testing.T) {
				db.UsePeopleIndex(fromIndex)
				if fromIndex {
					db.WarmPeopleIndex(t, parisID)
				}
				sorts := map[string]string{"": "lower(u.name)", "name": "lower(u.name)", "email": "lower(u.email)", "status": "u.status",
					"lastLoginAt": "u.last_login_at", "createdAt": "u.created_at", "bogus": "lower(u.name)"}
				for _, status := range []string{"", "active", "invited", "deactivated"} {
					for _, q := range []string{"", "lee", "ANN", "paris", "%", "_", "impersonated", "regent.invalid", "nobody", "zoë", "e l", "n@", "x.e", "on0"} {
						for sort, col := range sorts {
							for _, desc := range []bool{false, true} {
								where, args := []string{"NOT u.hidden", "u.home_tenant_id = ?"}, []any{parisID}
								if status != "" {
									where, args = append(where, "u.status = ?"), append(args, status)
								}
								if strings.TrimSpace(q) != "" {
									where = append(where, `(lower(u.name) LIKE ? ESCAPE '\' OR lower(u.email) LIKE ? ESCAPE '\')`)
									args = append(args, likePattern(q), likePattern(q))
								}
								order := col
								if desc {
									order += " DESC"
								}
								wantIDs, wantHomes := reference(t, db, "SELECT u.id, h.name AS other FROM users u JOIN tenants h ON h.id = u.home_tenant_id WHERE "+
									strings.Join(where, " AND ")+" ORDER BY "+order+", u.id", args...)
								for _, size := range []int{3, 25} {
									last := (len(wantIDs) + size - 1) / size
									for page := 1; page <= last+1; page++ {
										f := regent.UserFilter{ListFilter: regent.ListFilter{Query: q, Status: status, Sort: sort, Desc: desc, Page: page, PageSize: size}}
										items, total, err := users.ListEmployees(paris, parisID, f)
										var ids, homes []string
										for _, v := range items {
											ids, homes = append(ids, v.ID), append(homes, v.Home.Name)
										}
										lo, hi := min((page-1)*size, len(wantIDs)), min(page*size, len(wantIDs))
										if err != nil || total != len(wantIDs) || !slices.Equal(ids, wantIDs[lo:hi]) || !slices.Equal(homes, wantHomes[lo:hi]) {
											t.Fatalf("status=%q q=%q sort=%q desc=%v page %d of %d: got %d %v (%v), want %d %v",
												status, q, sort, desc, page, size, total, ids, err, len(wantIDs), wantIDs[lo:hi])
										}
									}
								}
							}
						}
					}
				}
				if fromIndex != db.PeopleIndexed(parisID) {
					t.Fatalf("Paris's people are indexed: %v, want %v", db.PeopleIndexed(parisID), fromIndex)
				}
			})
		}

		t.Run("console users", func(t *testing.T) {
			callers := []struct {
				name  string
				ctx   context.Context
				scope string
			}{
				{"tm admin", tm, "h.kind IN ('platform', 'partner')"},
				{"lsp partner admin", lsp, "u.home_tenant_id = '" + lspID + "'"},
				{"acme partner admin", acme, "u.home_tenant_id = '" + acmeID + "'"},
			}
			for _, c := range callers {
				for _, home := range []string{"", lspID, acmeID, parisID, platform} {
					for _, q := range []string{"", "ann", "lsp", "impersonated"} {
						for _, sort := range []string{"name", "email", "lastLoginAt"} {
							for _, desc := range []bool{false, true} {
								where, args := []string{"NOT u.hidden", c.scope}, []any{}
								if home != "" {
									where, args = append(where, "u.home_tenant_id = ?"), append(args, home)
								}
								if q != "" {
									where = append(where, `(lower(u.name) LIKE ? ESCAPE '\' OR lower(u.email) LIKE ? ESCAPE '\')`)
									args = append(args, likePattern(q), likePattern(q))
								}
								col := map[string]string{"name": "lower(u.name)", "email": "lower(u.email)", "lastLoginAt": "u.last_login_at"}[sort]
								if desc {
									col += " DESC"
								}
								wantIDs, wantHomes := reference(t, db, "SELECT u.id, h.name AS other FROM users u JOIN tenants h ON h.id = u.home_tenant_id WHERE "+
									strings.Join(where, " AND ")+" ORDER BY "+col+", u.id", args...)
								for page := 1; page <= (len(wantIDs)+1)/2+1; page++ {
									f := regent.UserFilter{ListFilter: regent.ListFilter{Query: q, Sort: sort, Desc: desc, Page: page, PageSize: 2}, HomeID: home}
									items, total, err := users.ListConsoleUsers(c.ctx, f)
									var ids, homes []string
									for _, v := range items {
										ids, homes = append(ids, v.ID), append(homes, v.Home.Name)
									}
									lo, hi := min((page-1)*2, len(wantIDs)), min(page*2, len(wantIDs))
									if err != nil || total != len(wantIDs) || !slices.Equal(ids, wantIDs[lo:hi]) || !slices.Equal(homes, wantHomes[lo:hi]) {
										t.Fatalf("%s home=%s q=%q sort=%q desc=%v page %d: got %d %v (%v), want %d %v",
											c.name, home, q, sort, desc, page, total, ids, err, len(wantIDs), wantIDs[lo:hi])
									}
								}
							}
						}
					}
				}
			}
		})

		t.Run("another partner's tenants are never listed or counted", func(t *testing.T) {
			for _, f := range []regent.TenantFilter{
				{ParentID: lspID},
				{ParentID: lspID, ListFilter: regent.ListFilter{Query: "lsp"}},
				{ParentID: lspID, ListFilter: regent.ListFilter{Page: 2, PageSize: 1}},
				{ParentID: platform},
				{Kind: "partner"},
			} {
				items, total, err := tenants.ListTenants(acme, f)
				if err != nil || total != 0 || len(items) != 0 {
					t.Errorf("acme lists %+v: got %d items, total %d (%v); want none", f, len(items), total, err)
				}
			}
			items, _, _ := tenants.ListTenants(acme, regent.TenantFilter{ListFilter: regent.ListFilter{PageSize: 100}})
			for _, v := range items {
				if v.ParentID != acmeID {
					t.Errorf("acme sees %s under %s", v.Name, v.ParentName)
				}
			}
			uitems, total, err := users.ListConsoleUsers(acme, regent.UserFilter{HomeID: lspID})
			if err != nil || total != 0 || len(uitems) != 0 {
				t.Errorf("acme lists lsp's users: got %d, total %d (%v)", len(uitems), total, err)
			}
			if _, _, err := users.ListEmployees(lsp, parisID, regent.UserFilter{}); regent.ErrorCode(err) != regent.ENOTFOUND {
				t.Errorf("a partner admin lists a customer's employees as themselves: got %v, want not found", err)
			}
		})
	})
}

// TestListRowsMatchTheirDetail reads every person of a list page, plain and searched, and
// compares each with the same person read alone: a list reads its rows with its own column
// mapping, and must not lose or mix up a field (times, the sign-in's subject, roles).
func TestListRowsMatchTheirDetail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		users := gormstore.NewUserService(db)
		tm, _ := callerCtx(t, db, "tm-admin@classics.example")
		paris, parisAdmin := callerCtx(t, db, "tenant-admin@paris.lsp.example") // signed in: a last sign-in time
		parisID := parisAdmin.Home.ID
		compare := func(name string, list []*regent.UserView, one func(id string) (*regent.UserView, error)) {
			t.Helper()
			if len(list) == 0 {
				t.Fatalf("%s: empty list", name)
			}
			signedIn := false
			for _, v := range list {
				got, err := one(v.ID)
				if err != nil {
					t.Fatalf("%s: %s: %v", name, v.Email, err)
				}
				if !reflect.DeepEqual(v, got) {
					t.Errorf("%s: listed %+v\nalone   %+v", name, *v, *got)
				}
				if v.CreatedAt.IsZero() || v.Version < 1 || v.Home == nil || v.Home.Name == "" {
					t.Errorf("%s: %s lacks fields: %+v", name, v.Email, *v)
				}
				signedIn = signedIn || v.LastLoginAt != nil
			}
			if !signedIn {
				t.Errorf("%s: nobody listed has a last sign-in", name)
			}
		}
		employee := func(id string) (*regent.UserView, error) { return users.EmployeeByID(paris, parisID, id) }
		plain, _, err := users.ListEmployees(paris, parisID, regent.UserFilter{})
		if err != nil {
			t.Fatal(err)
		}
		compare("employees", plain, employee)
		searched, _, err := users.ListEmployees(paris, parisID, regent.UserFilter{ListFilter: regent.ListFilter{Query: "admin"}})
		if err != nil {
			t.Fatal(err)
		}
		compare("employees searched", searched, employee)
		console, _, err := users.ListConsoleUsers(tm, regent.UserFilter{})
		if err != nil {
			t.Fatal(err)
		}
		compare("console users", console, func(id string) (*regent.UserView, error) { return users.ConsoleUserByID(tm, id) })

		tenants := gormstore.NewTenantService(db)
		for _, f := range []regent.TenantFilter{{}, {ListFilter: regent.ListFilter{Query: "a", Sort: "createdAt", Desc: true}}} {
			list, _, err := tenants.ListTenants(tm, f)
			if err != nil || len(list) == 0 {
				t.Fatalf("tenants %+v: %d, %v", f, len(list), err)
			}
			for _, v := range list {
				got, err := tenants.TenantByID(tm, v.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(v, got) {
					t.Errorf("tenants %+v: listed %+v\nalone   %+v", f, *v, *got)
				}
				if v.CreatedAt.IsZero() || v.Version < 1 || v.ParentID == "" || v.ParentName == "" {
					t.Errorf("tenants %+v: %s lacks fields: %+v", f, v.Name, *v)
				}
			}
		}
	})
}
