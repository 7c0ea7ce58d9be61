package gormstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

func tenantNamed(t *testing.T, db *gormstore.DB, name string) *regent.Tenant {
	t.Helper()
	tm, _ := callerCtx(t, db, "tm-admin@classics.example")
	items, _, err := gormstore.NewTenantService(db).ListTenants(tm, regent.TenantFilter{ListFilter: regent.ListFilter{Query: name}})
	for _, v := range items {
		if v.Name == name {
			return &v.Tenant
		}
	}
	t.Fatalf("no tenant %q (%v)", name, err)
	return nil
}

// The tenant lists show which modes each row offers from EffectivePolicies, which reads the
// policy layers through the authentication cache: a change must show on the next read, in
// this process at once and in another within a second, whatever was cached before it.
func TestEffectivePoliciesFollowChanges(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			a, b := replicas(t, dialect)
			authB := gormstore.NewAuthService(b)
			_, token := signIn(t, authB, "support@classics.example")
			waitCacheOn(t, b, authB, token)

			paris, acme := tenantNamed(t, a, "LSP Paris"), tenantNamed(t, a, "Acme Retail")
			other := tenantNamed(t, a, "Acme Partners")
			tenants := []*regent.Tenant{paris, acme}
			polA, polB := gormstore.NewPolicyService(a), gormstore.NewPolicyService(b)
			ctx := context.Background()
			read := func(svc *gormstore.PolicyService) map[string]regent.Policy {
				t.Helper()
				m, err := svc.EffectivePolicies(ctx, tenants)
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			for _, svc := range []*gormstore.PolicyService{polA, polB} {
				if m := read(svc); !m[paris.ID].ConfigureEnabled || !m[acme.ID].ConfigureEnabled {
					t.Fatalf("before: %+v", m)
				}
			}
			if n := b.CountQueries(func() { read(polB) }); n != 0 {
				t.Errorf("an unchanged read took %d queries", n)
			}
			// The whole (small) policy table is held: a tenant never asked for costs nothing.
			if n := b.CountQueries(func() { polB.EffectivePolicies(ctx, []*regent.Tenant{other}) }); n != 0 {
				t.Errorf("a tenant not read before took %d queries", n)
			}

			// A tenant-level switch, written through A: A sees it at once, B within a second.
			tm, _ := callerCtx(t, a, "tm-admin@classics.example")
			off := false
			if _, _, err := polA.UpdateTenantSettings(tm, paris.ID, regent.PolicySettings{ConfigureEnabled: &off}); err != nil {
				t.Fatal(err)
			}
			if m := read(polA); m[paris.ID].ConfigureEnabled || !m[acme.ID].ConfigureEnabled {
				t.Fatalf("A after the tenant switch: %+v", m)
			}
			waitFor(t, "B to see the tenant switch", func() bool {
				m := read(polB)
				return !m[paris.ID].ConfigureEnabled && m[acme.ID].ConfigureEnabled
			})

			// The global layer too.
			g, err := polA.GlobalSettings(tm)
			if err != nil {
				t.Fatal(err)
			}
			g.SupportEnabled = &off
			if _, err := polA.UpdateGlobalSettings(tm, g); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "B to see the global switch", func() bool {
				m := read(polB)
				return !m[paris.ID].SupportEnabled && !m[acme.ID].SupportEnabled
			})
		})
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	start := time.Now()
	for !ok() {
		if time.Since(start) > time.Second {
			t.Fatalf("waited over a second for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Past its bound the policy table is not held; the layers are read by id and held by id,
// and the table is not read again on every call.
func TestEffectivePoliciesPastTheTableBound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		auth := gormstore.NewAuthService(db)
		_, token := signIn(t, auth, "support@classics.example")
		waitCacheOn(t, db, auth, token)
		paris := tenantNamed(t, db, "LSP Paris")
		tm, _ := callerCtx(t, db, "tm-admin@classics.example")
		pol := gormstore.NewPolicyService(db)
		off := false
		if _, _, err := pol.UpdateTenantSettings(tm, paris.ID, regent.PolicySettings{ConfigureEnabled: &off}); err != nil {
			t.Fatal(err)
		}
		gormstore.CapPolicyTable(t, 0)
		ctx := context.Background()
		var m map[string]regent.Policy
		waitFor(t, "the policy by id", func() bool {
			var err error
			m, err = pol.EffectivePolicies(ctx, []*regent.Tenant{paris})
			return err == nil && !m[paris.ID].ConfigureEnabled && m[paris.ID].SupportEnabled
		})
		if n := db.CountQueries(func() { pol.EffectivePolicies(ctx, []*regent.Tenant{paris}) }); n != 0 {
			t.Errorf("a second read past the bound took %d queries", n)
		}
	})
}
