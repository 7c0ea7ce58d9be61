package gormstore_test

import (
	"context"
	"testing"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// Support may add and edit employees and give them tenant roles, but an impersonation must
// not leave behind an account with more than the session could do itself: a Tenant Admin
// with the actor's own address would read the Access Log after the session ended. The
// tenant's own admin may still give any tenant role.
func TestImpersonationGrantsOnlyWhatItHolds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		users := gormstore.NewUserService(db)
		adminCtx, admin, byKey := parisRoles(t, db)
		paris := admin.Home.ID
		tenantAdmin, agent := byKey["tenant_admin"], byKey["agent"]
		if tenantAdmin == nil || agent == nil {
			t.Fatalf("built-in roles: %v", byKey)
		}

		ctx := supportInParis(t, db, paris, false)

		if _, err := users.InviteEmployee(ctx, paris, regent.UserInput{Email: "support@classics.example.net", Name: "Backdoor",
			RoleIDs: []string{tenantAdmin.ID}}); regent.ErrorCode(err) != regent.EINVALID {
			t.Fatalf("a Support session created a Tenant Admin: %v", err)
		}
		emp, err := users.InviteEmployee(ctx, paris, regent.UserInput{Email: "new.agent@paris.lsp.example", Name: "New Agent",
			RoleIDs: []string{agent.ID}})
		if err != nil {
			t.Fatalf("a Support session could not add an agent: %v", err)
		}
		if _, err := users.UpdateEmployee(ctx, paris, emp.ID, emp.Version, map[string]any{"roles": []any{agent.ID, tenantAdmin.ID}}); regent.ErrorCode(err) != regent.EINVALID {
			t.Fatalf("a Support session promoted an employee to Tenant Admin: %v", err)
		}
		if got, err := users.EmployeeByID(adminCtx, paris, emp.ID); err != nil || len(got.Roles) != 1 || got.Roles[0].Key != "agent" {
			t.Fatalf("after the refusals: %+v, %v", got, err)
		}
		if _, err := users.UpdateEmployee(adminCtx, paris, emp.ID, emp.Version, map[string]any{"roles": []any{agent.ID, tenantAdmin.ID}}); err != nil {
			t.Fatalf("the tenant's own admin could not promote: %v", err)
		}
	})
}

// parisRoles signs in as LSP Paris's tenant admin and returns the tenant's roles by key.
func parisRoles(t *testing.T, db *gormstore.DB) (context.Context, *regent.Caller, map[string]*regent.Role) {
	t.Helper()
	ctx, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
	list, _, err := gormstore.NewRoleService(db).ListRoles(ctx, admin.Home.ID, regent.ListFilter{PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]*regent.Role{}
	for _, r := range list {
		byKey[r.Key] = r
	}
	return ctx, admin, byKey
}
