package gormstore_test

import (
	"context"
	"testing"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

func TestTenants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		svc := gormstore.NewTenantService(db)
		tm, _ := callerCtx(t, db, "tm-admin@classics.example")
		lsp, lspAdmin := callerCtx(t, db, "partner-admin@lsp.example")
		acme, _ := callerCtx(t, db, "partner-admin@acme.example")
		support, _ := callerCtx(t, db, "support@classics.example")
		tenantAdmin, _ := callerCtx(t, db, "tenant-admin@paris.lsp.example")

		t.Run("reach decides the list", func(t *testing.T) {
			tests := []struct {
				name  string
				ctx   any
				want  int
				first string
			}{
				{"tm admin sees every tenant but the platform", tm, 5, "Acme Partners"},
				{"support sees every tenant", support, 5, "Acme Partners"},
				{"lsp partner admin sees its customers", lsp, 2, "LSP London"},
				{"acme partner admin sees its customer", acme, 1, "Acme Retail"},
			}
			for _, tt := range tests {
				items, total, err := svc.ListTenants(ctxOf(tt.ctx), regent.TenantFilter{})
				if err != nil || total != tt.want || items[0].Name != tt.first {
					t.Errorf("%s: got %d (%v), want %d starting %q", tt.name, total, err, tt.want, tt.first)
				}
			}
			if _, _, err := svc.ListTenants(tenantAdmin, regent.TenantFilter{}); regent.ErrorCode(err) != regent.EFORBIDDEN {
				t.Errorf("tenant admin: got %v, want forbidden", err)
			}
			items, _, _ := svc.ListTenants(tm, regent.TenantFilter{Kind: "partner"})
			if len(items) != 2 || items[1].ParentName != "Classics, Inc." {
				t.Errorf("partners filter: got %+v", items)
			}
		})

		var created *regent.TenantView
		t.Run("a partner admin creates a customer under their partner", func(t *testing.T) {
			var err error
			created, err = svc.CreateTenant(lsp, regent.TenantInput{Name: "LSP Lyon", Kind: "customer"})
			if err != nil || created.ParentID != lspAdmin.Home.ID || created.ParentName != "League of the Scarlet Pimpernel" {
				t.Fatalf("got %+v, %v", created, err)
			}
			var hidden int64
			db.Raw(t, &hidden, "SELECT count(*) FROM users WHERE home_tenant_id = ? AND hidden", created.ID)
			if hidden != 1 {
				t.Errorf("hidden admin: got %d, want 1", hidden)
			}
			for name, in := range map[string]regent.TenantInput{
				"a partner":                   {Name: "Rogue Partner", Kind: "partner"},
				"under another partner":       {Name: "Sneaky", Kind: "customer", ParentID: acmeID(t, db)},
				"directly under the platform": {Name: "Sneaky 2", Kind: "customer", ParentID: platformID(t, db)},
			} {
				if _, err := svc.CreateTenant(lsp, in); err == nil {
					t.Errorf("partner admin created %s", name)
				}
			}
			if _, err := svc.CreateTenant(tm, regent.TenantInput{Name: "lsp lyon", Kind: "customer", ParentID: lspAdmin.Home.ID}); regent.ErrorCode(err) != regent.ECONFLICT {
				t.Errorf("duplicate name: got %v, want conflict", err)
			}
			if _, err := svc.CreateTenant(support, regent.TenantInput{Name: "Support Co", Kind: "customer"}); regent.ErrorCode(err) != regent.EFORBIDDEN {
				t.Errorf("support create: got %v, want forbidden", err)
			}
		})
		t.Run("out of reach is not found", func(t *testing.T) {
			if _, err := svc.TenantByID(acme, created.ID); regent.ErrorCode(err) != regent.ENOTFOUND {
				t.Errorf("acme reads lsp's tenant: got %v", err)
			}
			if _, err := svc.UpdateTenant(acme, created.ID, 1, map[string]any{"status": "suspended"}); regent.ErrorCode(err) != regent.ENOTFOUND {
				t.Errorf("acme suspends lsp's tenant: got %v", err)
			}
			if _, err := svc.TenantByID(tm, platformID(t, db)); regent.ErrorCode(err) != regent.ENOTFOUND {
				t.Errorf("the platform by id: got %v", err)
			}
		})
		t.Run("suspend and reactivate with versions", func(t *testing.T) {
			up, err := svc.UpdateTenant(lsp, created.ID, 1, map[string]any{"status": "suspended"})
			if err != nil || up.Status != "suspended" || up.Version != 2 {
				t.Fatalf("suspend: %+v %v", up, err)
			}
			if _, err := svc.UpdateTenant(lsp, created.ID, 1, map[string]any{"status": "active"}); regent.ErrorCode(err) != regent.ECONFLICT {
				t.Errorf("stale: got %v", err)
			}
			if _, err := svc.UpdateTenant(support, created.ID, 2, map[string]any{"status": "active"}); regent.ErrorCode(err) != regent.EFORBIDDEN {
				t.Errorf("support reactivates: got %v", err)
			}
			if _, err := svc.UpdateTenant(lsp, created.ID, 2, map[string]any{"kind": "partner"}); regent.ErrorCode(err) != regent.EINVALID {
				t.Errorf("kind change: got %v", err)
			}
		})
	})
}

func ctxOf(v any) context.Context { return v.(context.Context) }

func platformID(t *testing.T, db *gormstore.DB) string {
	var id string
	db.Raw(t, &id, "SELECT id FROM tenants WHERE kind = 'platform'")
	return id
}

func acmeID(t *testing.T, db *gormstore.DB) string {
	var id string
	db.Raw(t, &id, "SELECT id FROM tenants WHERE name = 'Acme Partners'")
	return id
}
