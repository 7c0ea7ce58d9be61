package gormstore_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// callerCtx signs the demo user in and returns a context carrying them, as the HTTP layer
// would build it.
// supportInParis is support@classics.example impersonating LSP Paris (parisID) in Support mode, as
// Authenticate resolves a live session: the tenant's hidden principal and the mode's
// permissions, with personal data masked or not.
func supportInParis(t *testing.T, db *gormstore.DB, parisID string, mask bool) context.Context {
	t.Helper()
	_, sup := callerCtx(t, db, "support@classics.example")
	hidden, _ := hiddenOf(t, db, parisID)
	imp := *sup
	imp.Impersonation = &regent.ImpersonationSession{ID: regent.NewID(), TenantID: parisID, TenantName: "LSP Paris", TenantKind: regent.TenantKindCustomer,
		PrincipalID: hidden, Mode: regent.ModeSupport, MaskPersonalData: mask}
	imp.Principal = &regent.User{ID: hidden, Name: regent.ImpersonatedAdminName}
	imp.Permissions, imp.Roles = regent.ImpersonationPermissions(regent.ModeSupport), nil
	return regent.NewContextWithCaller(context.Background(), &imp)
}

func callerCtx(t *testing.T, db *gormstore.DB, email string) (context.Context, *regent.Caller) {
	t.Helper()
	auth := gormstore.NewAuthService(db)
	_, token := signIn(t, auth, email)
	c, err := auth.Authenticate(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return regent.NewContextWithCaller(context.Background(), c), c
}

func TestBusinessUnits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		svc := gormstore.NewBusinessUnitService(db)
		paris, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		london, londonAdmin := callerCtx(t, db, "tenant-admin@london.lsp.example")
		agentCtx, _ := callerCtx(t, db, "agent@paris.lsp.example")
		tmCtx, _ := callerCtx(t, db, "tm-admin@classics.example")
		parisID := admin.Home.ID

		bu, err := svc.Create(paris, parisID, &regent.BusinessUnit{Name: "  Nice Sales ", TimeZone: "Europe/Paris"})
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		if bu.Name != "Nice Sales" || bu.Status != "active" || bu.Version != 1 || bu.CreatedBy.Name != "Armand St. Just" {
			t.Errorf("created: got %+v", bu)
		}

		t.Run("invalid input changes nothing", func(t *testing.T) {
			_, err := svc.Create(paris, parisID, &regent.BusinessUnit{Name: "", TimeZone: "Mars/Olympus", Status: "paused"})
			e, ok := err.(*regent.Error)
			if !ok || e.Code != regent.EINVALID || e.Fields["name"] == "" || e.Fields["timeZone"] == "" || e.Fields["status"] == "" {
				t.Fatalf("got %v, want field errors for name, timeZone, status", err)
			}
			if _, total, _ := svc.List(paris, parisID, regent.ListFilter{}); total != 4 {
				t.Errorf("total after refused create: got %d, want 4 (3 seeded + 1)", total)
			}
		})
		t.Run("duplicate name is a conflict, case-insensitively", func(t *testing.T) {
			_, err := svc.Create(paris, parisID, &regent.BusinessUnit{Name: "NICE SALES", TimeZone: "UTC"})
			if regent.ErrorCode(err) != regent.ECONFLICT {
				t.Fatalf("got %v, want conflict", err)
			}
			// The same name in another tenant is fine.
			if _, err := svc.Create(london, londonAdmin.Home.ID, &regent.BusinessUnit{Name: "Nice Sales", TimeZone: "Europe/London"}); err != nil {
				t.Fatalf("other tenant: %v", err)
			}
		})
		t.Run("another tenant sees nothing", func(t *testing.T) {
			items, total, err := svc.List(london, parisID, regent.ListFilter{})
			if regent.ErrorCode(err) != regent.ENOTFOUND || items != nil || total != 0 {
				t.Fatalf("list other tenant: got %v %d %v, want not found", items, total, err)
			}
			if _, err := svc.Get(london, londonAdmin.Home.ID, bu.ID); regent.ErrorCode(err) != regent.ENOTFOUND {
				t.Fatalf("get by id through own tenant: got %v, want not found", err)
			}
			if _, err := svc.Update(london, londonAdmin.Home.ID, bu.ID, 1, map[string]any{"name": "x"}); regent.ErrorCode(err) != regent.ENOTFOUND {
				t.Fatalf("update through own tenant: got %v, want not found", err)
			}
			if err := svc.Delete(london, londonAdmin.Home.ID, bu.ID); regent.ErrorCode(err) != regent.ENOTFOUND {
				t.Fatalf("delete through own tenant: got %v, want not found", err)
			}
		})
		t.Run("console users do not enter a tenant app as themselves", func(t *testing.T) {
			if _, _, err := svc.List(tmCtx, parisID, regent.ListFilter{}); regent.ErrorCode(err) != regent.ENOTFOUND {
				t.Fatalf("got %v, want not found", err)
			}
		})
		t.Run("an agent may read but not manage", func(t *testing.T) {
			if _, total, err := svc.List(agentCtx, parisID, regent.ListFilter{}); err != nil || total != 4 {
				t.Fatalf("agent list: %d %v", total, err)
			}
			if _, err := svc.Create(agentCtx, parisID, &regent.BusinessUnit{Name: "Nope", TimeZone: "UTC"}); regent.ErrorCode(err) != regent.EFORBIDDEN {
				t.Fatalf("agent create: got %v, want forbidden", err)
			}
		})
		t.Run("updates need the current version", func(t *testing.T) {
			up, err := svc.Update(paris, parisID, bu.ID, 1, map[string]any{"status": "inactive"})
			if err != nil || up.Version != 2 || up.Status != "inactive" {
				t.Fatalf("update: got %+v %v", up, err)
			}
			_, err = svc.Update(paris, parisID, bu.ID, 1, map[string]any{"name": "Stale"})
			if e, ok := err.(*regent.Error); !ok || e.Reason != "version_conflict" {
				t.Fatalf("stale update: got %v, want version_conflict", err)
			}
			_, err = svc.Update(paris, parisID, bu.ID, 2, map[string]any{"tenantId": "x", "name": 5})
			if e, ok := err.(*regent.Error); !ok || e.Fields["tenantId"] == "" || e.Fields["name"] == "" {
				t.Fatalf("bad patch: got %v, want field errors", err)
			}
			got, _ := svc.Get(paris, parisID, bu.ID)
			if got.Name != "Nice Sales" || got.Version != 2 {
				t.Errorf("after refused updates: got %+v", got)
			}
		})
		t.Run("search and paging", func(t *testing.T) {
			for _, n := range []string{"Lyon 100%", "Lyon_North", "Marseille"} {
				if _, err := svc.Create(paris, parisID, &regent.BusinessUnit{Name: n, TimeZone: "Europe/Paris"}); err != nil {
					t.Fatal(err)
				}
			}
			items, total, _ := svc.List(paris, parisID, regent.ListFilter{Query: "100%"})
			if total != 1 || items[0].Name != "Lyon 100%" {
				t.Errorf("wildcards must match literally: got %d", total)
			}
			seen := map[string]bool{}
			for page := 1; page <= 4; page++ {
				items, total, _ = svc.List(paris, parisID, regent.ListFilter{Query: "LYON", PageSize: 1, Page: page})
				if total != 3 || (page <= 3 && len(items) != 1) || (page == 4 && len(items) != 0) {
					t.Fatalf("page %d: got %d items of %d, want 1 of 3 (0 past the end)", page, len(items), total)
				}
				for _, it := range items {
					seen[it.Name] = true
				}
			}
			if len(seen) != 3 {
				t.Errorf("paging repeated or skipped items: %v", seen)
			}
			_, _, err := svc.List(paris, parisID, regent.ListFilter{PageSize: 100000})
			if err != nil {
				t.Error(err)
			}
		})
		t.Run("delete is audited", func(t *testing.T) {
			if err := svc.Delete(paris, parisID, bu.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Get(paris, parisID, bu.ID); regent.ErrorCode(err) != regent.ENOTFOUND {
				t.Fatalf("after delete: %v", err)
			}
			var actions []string
			db.Raw(t, &actions, "SELECT action FROM audit_events WHERE target_id = ? ORDER BY seq", bu.ID)
			if strings.Join(actions, ",") != "business_unit.create,business_unit.update,business_unit.delete" {
				t.Errorf("audit: got %v", actions)
			}
		})
	})
}

func TestContactsRedactPersonalData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		svc := gormstore.NewContactService(db)
		ctx, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		c, err := svc.Create(ctx, admin.Home.ID, &regent.Contact{Name: "Jeanne Dupuis", Email: "Jeanne@Example.fr", Phone: "+33 1 23 45 67 89", Notes: "prefers mornings"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Email != "jeanne@example.fr" {
			t.Errorf("email not normalised: %q", c.Email)
		}
		var after []string
		db.Raw(t, &after, "SELECT after FROM audit_events WHERE target_id = ?", c.ID)
		// A contact's name is personal data as much as the rest: the trail, which can never be
		// erased, must not keep it.
		if len(after) != 1 || strings.Contains(after[0], "example.fr") || strings.Contains(after[0], "45 67") || strings.Contains(after[0], "mornings") ||
			strings.Contains(after[0], "Jeanne") || strings.Contains(after[0], "Dupuis") {
			t.Errorf("audit after: got %v", after)
		}
		up, err := svc.Update(ctx, admin.Home.ID, c.ID, c.Version, map[string]any{"name": "Jeanne Martin"})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Delete(ctx, admin.Home.ID, up.ID); err != nil {
			t.Fatal(err)
		}
		var changes []string
		db.Raw(t, &changes, "SELECT coalesce(before, '') || ' ' || coalesce(after, '') FROM audit_events WHERE target_id = ? ORDER BY seq", c.ID)
		for _, ch := range changes {
			if strings.Contains(ch, "Jeanne") || strings.Contains(ch, "Dupuis") || strings.Contains(ch, "Martin") {
				t.Errorf("audit before/after keeps the contact's name: %s", ch)
			}
		}
		if len(changes) != 3 {
			t.Errorf("audit: got %d events, want create, update, delete", len(changes))
		}
		_, err = svc.Create(ctx, admin.Home.ID, &regent.Contact{Name: "X", Email: "not-an-email", Phone: "call me"})
		if e, ok := err.(*regent.Error); !ok || e.Fields["email"] == "" || e.Fields["phone"] == "" {
			t.Errorf("got %v, want email and phone field errors", err)
		}
	})
}

// TestAuditSaysPersonalDataChanged changes only personal data, from an impersonation as the
// tenant's admins would review it in their Access Log: the trail keeps no value, but it must
// say which personal fields changed, or rewriting a contact's phone number or an employee's
// email address would look like a change of nothing.
func TestAuditSaysPersonalDataChanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		adminCtx, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		paris := admin.Home.ID
		contacts := gormstore.NewContactService(db)
		users := gormstore.NewUserService(db)
		c, err := contacts.Create(adminCtx, paris, &regent.Contact{Name: "Jeanne Dupuis", Email: "jeanne@example.fr", Phone: "+33 1 23 45 67 89"})
		if err != nil {
			t.Fatal(err)
		}
		emp, err := users.InviteEmployee(adminCtx, paris, regent.UserInput{Email: "new.hire@paris.lsp.example", Name: "New Hire"})
		if err != nil {
			t.Fatal(err)
		}
		imp := supportInParis(t, db, paris, false)
		if _, err := contacts.Update(imp, paris, c.ID, c.Version, map[string]any{"phone": "+33 6 00 00 00 00", "email": "JEANNE@example.fr"}); err != nil {
			t.Fatal(err)
		}
		if _, err := users.UpdateEmployee(imp, paris, emp.ID, emp.Version, map[string]any{"email": "someone.else@paris.lsp.example"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			target, action string
			want           map[string]string // field -> after
		}{
			// The email was sent in other case only: the same address, unchanged.
			{c.ID, "contact.update", map[string]string{"phone": "[redacted: changed]", "email": "[redacted]", "name": "[redacted]", "notes": "[redacted]"}},
			{emp.ID, "employee.update", map[string]string{"email": "[redacted: changed]", "name": "New Hire"}},
		} {
			var rows []struct{ Before, After string }
			db.Raw(t, &rows, "SELECT before, after FROM audit_events WHERE target_id = ? AND action = ?", tc.target, tc.action)
			if len(rows) != 1 {
				t.Fatalf("%s: got %d events, want 1", tc.action, len(rows))
			}
			var before, after map[string]any
			if err := json.Unmarshal([]byte(rows[0].Before), &before); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(rows[0].After), &after); err != nil {
				t.Fatal(err)
			}
			for field, want := range tc.want {
				if got := after[field]; got != want {
					t.Errorf("%s after.%s: got %v, want %q", tc.action, field, got, want)
				}
				if b := before[field]; want == "[redacted: changed]" && b != "[redacted]" {
					t.Errorf("%s before.%s: got %v, want [redacted]", tc.action, field, b)
				}
			}
			for _, secret := range []string{"jeanne", "45 67", "00 00", "someone.else", "new.hire"} {
				if strings.Contains(strings.ToLower(rows[0].Before+rows[0].After), secret) {
					t.Errorf("%s keeps %q: %s %s", tc.action, secret, rows[0].Before, rows[0].After)
				}
			}
		}
	})
}

// TestMaskedContactsStayMasked impersonates under a masking policy and tries to learn or
// destroy what the mask hides: searching and sorting by the hidden columns, and saving an
// edit form that holds the masked values.
func TestMaskedContactsStayMasked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		svc := gormstore.NewContactService(db)
		adminCtx, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		paris := admin.Home.ID
		aaron, err := svc.Create(adminCtx, paris, &regent.Contact{Name: "Aaron Zed", Email: "zz.secret@example.fr", Phone: "+33 1 11 11 11 19"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Create(adminCtx, paris, &regent.Contact{Name: "Zoe Aa", Email: "aa.secret@example.fr"}); err != nil {
			t.Fatal(err)
		}

		ctx := supportInParis(t, db, paris, true)

		names := func(items []*regent.Contact) []string {
			var out []string
			for _, c := range items {
				out = append(out, c.Name)
			}
			return out
		}
		for _, q := range []string{"secret", "zz.s", "11 11"} {
			items, total, err := svc.List(ctx, paris, regent.ListFilter{Query: q})
			if err != nil || total != 0 {
				t.Errorf("search %q through the mask: got %d %v (%v), want nothing", q, total, names(items), err)
			}
		}
		if _, total, _ := svc.List(ctx, paris, regent.ListFilter{Query: "zoe"}); total != 1 {
			t.Errorf("search by name: got %d, want 1", total)
		}
		byName, _, _ := svc.List(ctx, paris, regent.ListFilter{Sort: "name"})
		for _, sort := range []string{"email", "phone"} {
			got, _, _ := svc.List(ctx, paris, regent.ListFilter{Sort: sort})
			if strings.Join(names(got), ",") != strings.Join(names(byName), ",") {
				t.Errorf("sort=%s through the mask: got %v, want the name order %v", sort, names(got), names(byName))
			}
		}

		// The edit form sends back what it was shown.
		shown, err := svc.Get(ctx, paris, aaron.ID)
		if err != nil || shown.Email == aaron.Email {
			t.Fatalf("get: %v %v, want the masked contact", shown, err)
		}
		saved, err := svc.Update(ctx, paris, aaron.ID, shown.Version, map[string]any{
			"name": "Aaron Zed Jr", "email": shown.Email, "phone": shown.Phone, "notes": "called back"})
		if err != nil {
			t.Fatalf("saving the form as shown: %v", err)
		}
		if saved.Email != shown.Email {
			t.Errorf("the answer shows %q, want it masked", saved.Email)
		}
		real, _ := svc.Get(adminCtx, paris, aaron.ID)
		if real.Name != "Aaron Zed Jr" || real.Notes != "called back" || real.Email != "zz.secret@example.fr" || real.Phone != "+33 1 11 11 11 19" {
			t.Errorf("stored after the save: %+v", real)
		}
		// A new value typed over the mask is a change like any other.
		if _, err := svc.Update(ctx, paris, aaron.ID, real.Version, map[string]any{"email": "aaron@example.fr"}); err != nil {
			t.Fatal(err)
		}
		if real, _ = svc.Get(adminCtx, paris, aaron.ID); real.Email != "aaron@example.fr" || real.Phone != "+33 1 11 11 11 19" {
			t.Errorf("after a real change: %q %q", real.Email, real.Phone)
		}
	})
}
