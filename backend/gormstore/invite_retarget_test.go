package gormstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// TestInvitationNotRetargetedBeyondWhatIsHeld: until the first sign-in an employee's address
// may change, and whoever holds the new address becomes that employee, roles and all. A
// Support session (or a tenant person with employees:manage alone) must not point a pending
// Tenant Admin invitation at an address of their own, or the session leaves behind a Tenant
// Admin reading the Access Log and exporting unmasked contacts. An invitation with roles the
// changer holds may still be corrected, and the tenant's own admin may correct any.
func TestInvitationNotRetargetedBeyondWhatIsHeld(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		users, roles := gormstore.NewUserService(db), gormstore.NewRoleService(db)
		adminCtx, admin, byKey := parisRoles(t, db)
		paris := admin.Home.ID
		hr, err := roles.CreateRole(adminCtx, paris, regent.RoleInput{Name: "People team",
			Permissions: []regent.Permission{regent.PermEmployeesRead, regent.PermEmployeesManage}})
		if err != nil {
			t.Fatal(err)
		}
		invite := func(email, roleID string) *regent.UserView {
			t.Helper()
			u, err := users.InviteEmployee(adminCtx, paris, regent.UserInput{Email: email, Name: "Pending", RoleIDs: []string{roleID}})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		pending := invite("new.admin@paris.lsp.example", byKey["tenant_admin"].ID)
		if _, err := users.InviteEmployee(adminCtx, paris, regent.UserInput{Email: "hr@paris.lsp.example", Name: "Hana Roe", RoleIDs: []string{hr.ID}}); err != nil {
			t.Fatal(err)
		}
		hana, _ := callerCtx(t, db, "hr@paris.lsp.example")
		support := supportInParis(t, db, paris, true)

		for name, ctx := range map[string]context.Context{"a Support session": support, "employees:manage alone": hana} {
			_, err := users.UpdateEmployee(ctx, paris, pending.ID, pending.Version, map[string]any{"email": "mine@attacker.example"})
			var fields map[string]string
			if e, ok := err.(*regent.Error); ok {
				fields = e.Fields
			}
			if regent.ErrorCode(err) != regent.EINVALID || fields["email"] == "" {
				t.Errorf("%s pointed a Tenant Admin invitation at its own address: %v", name, err)
			}
		}
		if got, err := users.EmployeeByID(adminCtx, paris, pending.ID); err != nil || got.Email != "new.admin@paris.lsp.example" {
			t.Fatalf("after the refusals: %+v, %v", got, err)
		}
		if _, _, err := gormstore.NewAuthService(db).SignIn(context.Background(), regent.SignIn{Issuer: "https://idp.test",
			Subject: "attacker", Email: "mine@attacker.example", EmailVerified: true, AuthTime: time.Now()}); err == nil {
			t.Fatal("the retargeted invitation signs in")
		}

		agent := invite("new.agent@paris.lsp.example", byKey["agent"].ID)
		if _, err := users.UpdateEmployee(support, paris, agent.ID, agent.Version, map[string]any{"email": "n.agent@paris.lsp.example"}); err != nil {
			t.Errorf("a Support session could not correct an agent's invitation: %v", err)
		}
		if _, err := users.UpdateEmployee(adminCtx, paris, pending.ID, pending.Version, map[string]any{"email": "n.admin@paris.lsp.example"}); err != nil {
			t.Errorf("the tenant's own admin could not correct a Tenant Admin invitation: %v", err)
		}
	})
}
