package gormstore_test

import (
	"context"
	"testing"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// TestActorsOrganisationSuspended: suspending a partner shuts its people out, and so ends
// their impersonations of its customers. The session log says why: their organisation was
// suspended, not that their account was deactivated, whether a request finds it (the login
// ends) or the sweep does (nobody came back).
func TestActorsOrganisationSuspended(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		imps, auth, tenants := gormstore.NewImpersonationService(db), gormstore.NewAuthService(db), gormstore.NewTenantService(db)
		tm, _ := callerCtx(t, db, "tm-admin@classics.example")
		var retail string
		db.Raw(t, &retail, "SELECT id FROM tenants WHERE name = 'Acme Retail'")
		start := func() (*regent.ImpersonationSession, string, *regent.Caller) {
			t.Helper()
			ctx, c := callerCtx(t, db, "partner-admin@acme.example")
			sess, token, err := imps.Start(ctx, regent.StartImpersonation{TenantID: retail, Mode: regent.ModeSupport, Reason: "Ticket 4711: store hours"})
			if err != nil {
				t.Fatal(err)
			}
			return sess, token, c
		}
		byRequest, token, actor := start()
		bySweep, _, _ := start()
		acme, err := tenants.TenantByID(tm, actor.Home.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tenants.UpdateTenant(tm, acme.ID, acme.Version, map[string]any{"status": regent.TenantStatusSuspended}); err != nil {
			t.Fatal(err)
		}
		if _, err := auth.Authenticate(context.Background(), token); regent.ErrorCode(err) != regent.EUNAUTHORIZED {
			t.Fatalf("the suspended partner's admin, impersonating: %v", err)
		}
		if n, err := imps.EndLapsed(context.Background()); err != nil || n != 1 {
			t.Fatalf("sweep: %d %v, want the other session ended", n, err)
		}
		for _, id := range []string{byRequest.ID, bySweep.ID} {
			var reason string
			db.Raw(t, &reason, "SELECT coalesce(end_reason, '') FROM impersonation_sessions WHERE id = ?", id)
			if reason != regent.EndActorHomeSuspended {
				t.Errorf("session %s ended as %q, want %q", id, reason, regent.EndActorHomeSuspended)
			}
		}
	})
}
