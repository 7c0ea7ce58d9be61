package gormstore_test

import (
	"testing"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// TestTextThatCouldMislead: in the tenant app "Impersonated Admin" as a record's author means
// a change made while impersonating, so no person may carry that name; and text the tenant's
// admins read (names, an impersonation's reason) may not hold the invisible characters that
// make it display as something else (here U+202E, right-to-left override). Each is refused
// with its field, and nothing is written.
func TestTextThatCouldMislead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		users, imps := gormstore.NewUserService(db), gormstore.NewImpersonationService(db)
		paris, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		tm, tmc := callerCtx(t, db, "tm-admin@classics.example")
		field := func(err error) string {
			if e, ok := err.(*regent.Error); ok && e.Code == regent.EINVALID {
				return e.Fields["name"] + e.Fields["reason"]
			}
			return ""
		}
		for _, name := range []string{"Impersonated Admin", "impersonated  ADMIN", "Ann \u202eevil"} {
			_, err := users.InviteEmployee(paris, admin.Home.ID, regent.UserInput{Email: "someone@paris.lsp.example", Name: name})
			if field(err) == "" {
				t.Errorf("employee named %q: got %v, want a field error on name", name, err)
			}
			_, err = users.InviteConsoleUser(tm, regent.UserInput{HomeID: tmc.Home.ID, Email: "someone@classics.example", Name: name})
			if field(err) == "" {
				t.Errorf("console user named %q: got %v, want a field error on name", name, err)
			}
		}
		emp, err := users.InviteEmployee(paris, admin.Home.ID, regent.UserInput{Email: "someone@paris.lsp.example", Name: "Ann Example"})
		if err != nil {
			t.Fatalf("a plain name: %v", err)
		}
		if _, err := users.UpdateEmployee(paris, admin.Home.ID, emp.ID, emp.Version, map[string]any{"name": "Impersonated Admin"}); field(err) == "" {
			t.Errorf("renaming a person Impersonated Admin: got %v", err)
		}
		if got, _ := users.EmployeeByID(paris, admin.Home.ID, emp.ID); got == nil || got.Name != "Ann Example" || got.Version != emp.Version {
			t.Errorf("after the refused rename: %+v", got)
		}
		_, _, err = imps.Start(tm, regent.StartImpersonation{TenantID: admin.Home.ID, Mode: regent.ModeSupport,
			Reason: "Ticket 4711 \u202e1174 tekciT: routine check"})
		if field(err) == "" {
			t.Errorf("a reason with a direction override: got %v, want a field error on reason", err)
		}
	})
}
