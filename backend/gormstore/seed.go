package gormstore

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

// demoTenant and demoUser describe the contract's demo data (contract.md, "Demo data").
type demoTenant struct{ name, kind, parent string }

type demoUser struct{ email, name, home, role string }

var demoTenants = []demoTenant{
	{"Classics, Inc.", regent.TenantKindPlatform, ""},
	{"League of the Scarlet Pimpernel", regent.TenantKindPartner, "Classics, Inc."},
	{"Acme Partners", regent.TenantKindPartner, "Classics, Inc."},
	{"LSP Paris", regent.TenantKindCustomer, "League of the Scarlet Pimpernel"},
	{"LSP London", regent.TenantKindCustomer, "League of the Scarlet Pimpernel"},
	{"Acme Retail", regent.TenantKindCustomer, "Acme Partners"},
}

var demoUsers = []demoUser{
	{"tm-admin@classics.example", "Tess Morgan", "Classics, Inc.", regent.RoleTMAdmin},
	{"implementer@classics.example", "Ian Porter", "Classics, Inc.", regent.RoleImplementer},
	{"support@classics.example", "Sam Ortiz", "Classics, Inc.", regent.RoleSupport},
	{"partner-admin@lsp.example", "Percy Blakeney", "League of the Scarlet Pimpernel", regent.RolePartnerAdmin},
	{"partner-support@lsp.example", "Marguerite St. Just", "League of the Scarlet Pimpernel", regent.RolePartnerSupport},
	{"partner-admin@acme.example", "Alex Acme", "Acme Partners", regent.RolePartnerAdmin},
	{"tenant-admin@paris.lsp.example", "Armand St. Just", "LSP Paris", regent.RoleTenantAdmin},
	{"agent@paris.lsp.example", "Suzanne de Tournay", "LSP Paris", regent.RoleAgent},
	{"supervisor@paris.lsp.example", "Marie Dupont", "LSP Paris", regent.RoleSupervisor},
	{"tenant-admin@london.lsp.example", "Andrew Ffoulkes", "LSP London", regent.RoleTenantAdmin},
	{"agent@london.lsp.example", "Tony Dewhurst", "LSP London", regent.RoleAgent},
	{"tenant-admin@retail.acme.example", "Rita Runner", "Acme Retail", regent.RoleTenantAdmin},
	{"agent@retail.acme.example", "Wile Coyote", "Acme Retail", regent.RoleAgent},
}

// SeedDemo creates the demo data in one transaction. It is idempotent: when a platform
// already exists it changes nothing and reports false.
func (db *DB) SeedDemo(ctx context.Context) (bool, error) {
	now := db.now()
	seeded := false
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&tenantRow{}).Where("kind = ?", regent.TenantKindPlatform).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		ids := map[string]string{}
		for _, dt := range demoTenants {
			t := &regent.Tenant{ID: regent.NewID(), Name: dt.name, Kind: dt.kind, ParentID: ids[dt.parent], Status: regent.TenantStatusActive}
			if err := createTenantTx(tx, t, now); err != nil {
				return err
			}
			ids[dt.name] = t.ID
		}
		for _, du := range demoUsers {
			u := &regent.User{ID: regent.NewID(), HomeTenantID: ids[du.home], Email: du.email, Name: du.name, Status: regent.UserStatusInvited}
			if err := createUserTx(tx, u, []string{du.role}, now); err != nil {
				return err
			}
		}
		ev := db.newEvent(ctx, "system.demo_seed", regent.OutcomeSuccess)
		ev.ActorName, ev.PrincipalName = "system", "system"
		ev.TenantID = ids["Classics, Inc."]
		ev.Detail = "demo data created"
		seeded = true
		return appendAudit(tx, ev)
	})
	return seeded, translate(err)
}

// DevUser is a person the development identity provider may sign in.
type DevUser struct{ Email, Name string }

// DevUsers lists users who may sign in, console users first, for the development identity
// provider's sign-in page. Hidden and deactivated accounts are never listed.
func (db *DB) DevUsers(ctx context.Context) ([]DevUser, error) {
	type row struct {
		Email, Name, Kind string
	}
	var rows []row
	err := db.gdb.WithContext(ctx).Table("users").
		Select("users.email, users.name, tenants.kind").
		Joins("JOIN tenants ON tenants.id = users.home_tenant_id").
		Where("NOT users.hidden AND users.status <> ?", regent.UserStatusDeactivated).
		Order("CASE tenants.kind WHEN 'platform' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END, tenants.name, users.email").
		Limit(200).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]DevUser, len(rows))
	for i, r := range rows {
		out[i] = DevUser{Email: strings.ToLower(r.Email), Name: r.Name}
	}
	return out, nil
}
