package gormstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// The tenant index of one replica never answers with tenants as they were before a write
// committed through another: the write stops it being used (the list reads the database)
// within a second, and it is rebuilt with the write in it. A write to the rest of the
// directory leaves it in use (PostgreSQL; on SQLite any commit elsewhere drops every cache).
func TestTenantIndexAcrossProcesses(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			a, b := replicas(t, dialect)
			authA, authB := gormstore.NewAuthService(a), gormstore.NewAuthService(b)
			_, token := signIn(t, authA, "support@classics.example")
			waitCacheOn(t, b, authB, token)
			tmA, _ := callerCtx(t, a, "tm-admin@classics.example")
			tmB, _ := callerCtx(t, b, "tm-admin@classics.example")
			tenantsA, tenantsB := gormstore.NewTenantService(a), gormstore.NewTenantService(b)
			named := func(ctx context.Context, s *gormstore.TenantService, q string) []*regent.TenantView {
				t.Helper()
				items, total, err := s.ListTenants(ctx, regent.TenantFilter{ListFilter: regent.ListFilter{Query: q}})
				if err != nil || total != len(items) {
					t.Fatalf("list %q: %d of %d, %v", q, len(items), total, err)
				}
				return items
			}
			b.WarmTenantIndex(t)
			if got := named(tmB, tenantsB, "paris"); len(got) != 1 {
				t.Fatalf("B lists %d tenants for paris, want 1", len(got))
			}

			if dialect == gormstore.DialectPostgres {
				// A directory write through A reaches B (B reads the person again) and leaves
				// B's tenant index in use.
				_, other := signIn(t, authA, "partner-support@lsp.example")
				waitCacheOn(t, b, authB, other)
				oc, err := authB.Authenticate(context.Background(), other)
				if err != nil {
					t.Fatal(err)
				}
				takeRoles(t, a, oc.User.ID)
				for start := time.Now(); ; time.Sleep(time.Millisecond) {
					if oc, err = authB.Authenticate(context.Background(), other); err != nil {
						t.Fatal(err)
					}
					if !oc.Can(regent.PermImpersonateSupport) {
						break
					}
					if time.Since(start) > time.Second {
						t.Fatal("B never heard of the directory write through A")
					}
				}
				if !b.TenantIndexCurrent() {
					t.Error("a write to people and roles dropped B's tenant index")
				}
			}

			// A tenant created through A: A lists it at once, B within a second.
			made, err := tenantsA.CreateTenant(tmA, regent.TenantInput{Name: "Made On Replica A", Kind: "customer"})
			if err != nil {
				t.Fatal(err)
			}
			if got := named(tmA, tenantsA, "replica a"); len(got) != 1 || got[0].ID != made.ID {
				t.Fatalf("A lists %v right after its own write", got)
			}
			start := time.Now()
			for len(named(tmB, tenantsB, "replica a")) != 1 {
				if time.Since(start) > time.Second {
					t.Fatal("B does not list a tenant created through A after 1 s")
				}
				time.Sleep(time.Millisecond)
			}
			t.Logf("B listed the tenant created through A after %v", time.Since(start))

			// B rebuilds its index in the background and answers from it again, the new
			// tenant in it; a rename through A is seen the same way.
			for start := time.Now(); !b.TenantIndexCurrent(); time.Sleep(10 * time.Millisecond) {
				if time.Since(start) > 5*time.Second {
					t.Fatal("B's tenant index was not rebuilt within 5 s")
				}
			}
			if got := named(tmB, tenantsB, "replica a"); len(got) != 1 || got[0].ID != made.ID || !b.TenantIndexCurrent() {
				t.Fatalf("B's rebuilt index lists %v", got)
			}
			if _, err := tenantsA.UpdateTenant(tmA, made.ID, made.Version, map[string]any{"name": "Renamed On A"}); err != nil {
				t.Fatal(err)
			}
			for start := time.Now(); len(named(tmB, tenantsB, "replica a")) != 0 || len(named(tmB, tenantsB, "renamed on a")) != 1; time.Sleep(time.Millisecond) {
				if time.Since(start) > time.Second {
					t.Fatal("B lists the tenant by its old name 1 s after the rename through A")
				}
			}
		})
	}
}

// A write to tenants that no invalidation tells of (a statement run outside Regent) is seen
// when the index is next checked against the table.
func TestTenantIndexSeesWritesBehindItsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		auth := gormstore.NewAuthService(db)
		_, token := signIn(t, auth, "support@classics.example")
		waitCacheOn(t, db, auth, token)
		tm, _ := callerCtx(t, db, "tm-admin@classics.example")
		tenants := gormstore.NewTenantService(db)
		count := func(q string) int {
			t.Helper()
			_, total, err := tenants.ListTenants(tm, regent.TenantFilter{ListFilter: regent.ListFilter{Query: q}})
			if err != nil {
				t.Fatal(err)
			}
			return total
		}
		db.CheckTenantIndexEvery(50 * time.Millisecond)
		db.WarmTenantIndex(t)
		if count("behind its back") != 0 || count("paris") != 1 {
			t.Fatal("unexpected tenants before the write")
		}
		// PostgreSQL's statistics reach the table's counters at a backend's next idle moment
		// at least a second after its last report.
		time.Sleep(1100 * time.Millisecond)
		if err := db.ExecErr("UPDATE tenants SET name = 'Renamed Behind Its Back' WHERE name = 'LSP Paris'"); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		for count("behind its back") != 1 || count("paris") != 0 {
			if time.Since(start) > 5*time.Second {
				t.Fatal("the tenant list still answers with the old name 5 s after a write behind its back")
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Logf("seen after %v", time.Since(start))
	})
}

// Past their bounds the indexes are not built, and the lists read the database.
func TestIndexesStayWithinTheirBounds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		tm, _ := callerCtx(t, db, "tm-admin@classics.example")
		paris, parisAdmin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		var tenants, people int64
		db.Raw(t, &tenants, "SELECT count(*) FROM tenants WHERE kind <> 'platform'")
		db.Raw(t, &people, "SELECT count(*) FROM users WHERE home_tenant_id = ? AND NOT hidden", parisAdmin.Home.ID)
		gormstore.CapIndexes(t, int(tenants)-1, int(people)-1)
		db.BuildTenantIndex(t)
		db.BuildPeopleIndex(t, parisAdmin.Home.ID)
		if db.TenantIndexCurrent() || db.PeopleIndexed(parisAdmin.Home.ID) {
			t.Fatalf("indexed past the bounds: tenants %v, people %v", db.TenantIndexCurrent(), db.PeopleIndexed(parisAdmin.Home.ID))
		}
		if _, total, err := gormstore.NewTenantService(db).ListTenants(tm, regent.TenantFilter{}); err != nil || int64(total) != tenants {
			t.Errorf("tenant list: %d, %v; want %d", total, err, tenants)
		}
		if _, total, err := gormstore.NewUserService(db).ListEmployees(paris, parisAdmin.Home.ID, regent.UserFilter{}); err != nil || int64(total) != people {
			t.Errorf("employee list: %d, %v; want %d", total, err, people)
		}
	})
}
