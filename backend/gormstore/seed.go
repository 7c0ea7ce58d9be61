package gormstore

import (
	"context"
	"strings"
	"time"

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
		if err := seedTenantApps(tx, ids, now); err != nil {
			return err
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
	err := scan(db.gdb.WithContext(ctx).Table("users").
		Select("users.email, users.name, tenants.kind").
		Joins("JOIN tenants ON tenants.id = users.home_tenant_id").
		Where("NOT users.hidden AND users.status <> ?", regent.UserStatusDeactivated).
		Order("CASE tenants.kind WHEN 'platform' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END, tenants.name, users.email").
		Limit(200), &rows)
	if err != nil {
		return nil, err
	}
	out := make([]DevUser, len(rows))
	for i, r := range rows {
		out[i] = DevUser{Email: strings.ToLower(r.Email), Name: r.Name}
	}
	return out, nil
}

// demoRecords are the tenant-app records each demo customer starts with.
var demoRecords = map[string]struct {
	units    [][2]string // name, time zone
	skills   [][3]string // name, channel, direction
	contacts [][4]string // name, email, phone, notes
	brand    [3]string   // product name, primary colour, accent colour
}{
	"LSP Paris": {
		units:    [][2]string{{"Paris Sales", "Europe/Paris"}, {"Paris Service", "Europe/Paris"}, {"Lyon Overflow", "Europe/Paris"}},
		skills:   [][3]string{{"Outbound Phone (FR)", "phone", "outbound"}, {"Inbound Phone (FR)", "phone", "inbound"}, {"Email Support", "email", "inbound"}},
		contacts: [][4]string{{"Jeanne Dupuis", "jeanne.dupuis@example.fr", "+33 1 42 68 53 00", "Prefers morning calls."}, {"Luc Moreau", "luc.moreau@example.fr", "+33 4 72 10 30 30", ""}, {"Claire Lefèvre", "claire.lefevre@example.fr", "+33 1 53 43 80 00", "VIP account."}},
		brand:    [3]string{"Pimpernel Paris Desk", "#c92a2a", "#1c7ed6"},
	},
	"LSP London": {
		units:    [][2]string{{"London Sales", "Europe/London"}, {"Edinburgh Care", "Europe/London"}},
		skills:   [][3]string{{"Outbound Phone (UK)", "phone", "outbound"}, {"Web Chat", "chat", "inbound"}},
		contacts: [][4]string{{"Oliver Bennett", "oliver.bennett@example.co.uk", "+44 20 7946 0000", ""}, {"Amelia Clarke", "amelia.clarke@example.co.uk", "+44 131 496 0000", "Renewal due in March."}},
		brand:    [3]string{"Pimpernel London Line", "#2f9e44", "#f08c00"},
	},
	"Acme Retail": {
		units:    [][2]string{{"Retail East", "America/New_York"}, {"Retail West", "America/Los_Angeles"}},
		skills:   [][3]string{{"Order Status", "phone", "inbound"}, {"Returns by SMS", "sms", "blended"}},
		contacts: [][4]string{{"Road Runner", "beep.beep@example.com", "+1 505 555 0100", "Fast replies only."}, {"Elmer Fudd", "elmer@example.com", "+1 212 555 0199", ""}},
		brand:    [3]string{"Acme Shop Help", "#f76707", "#495057"},
	},
}

func seedTenantApps(tx *gorm.DB, ids map[string]string, now time.Time) error {
	system := RecordColumns{CreatedAt: now, UpdatedAt: now, CreatedByName: "Regent demo", UpdatedByName: "Regent demo", Version: 1}
	rec := func(tenant string) RecordColumns {
		r := system
		r.ID, r.TenantID = regent.NewID(), ids[tenant]
		return r
	}
	for tenant, d := range demoRecords {
		for _, u := range d.units {
			if err := tx.Create(&businessUnitRow{RecordColumns: rec(tenant), Name: u[0], TimeZone: u[1], Status: regent.StatusActive}).Error; err != nil {
				return err
			}
		}
		for _, s := range d.skills {
			if err := tx.Create(&skillRow{RecordColumns: rec(tenant), Name: s[0], Channel: s[1], Direction: s[2]}).Error; err != nil {
				return err
			}
		}
		for _, c := range d.contacts {
			if err := tx.Create(&contactRow{RecordColumns: rec(tenant), Name: c[0], Email: c[1], Phone: c[2], Notes: c[3]}).Error; err != nil {
				return err
			}
		}
		b := d.brand
		if err := tx.Create(&brandingProfileRow{RecordColumns: rec(tenant), Name: "Default", ProductName: b[0], PrimaryColor: b[1], AccentColor: b[2]}).Error; err != nil {
			return err
		}
	}
	return nil
}
