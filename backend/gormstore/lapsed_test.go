package gormstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// TestEndLapsedImpersonations leaves sessions alone until they run out: the sweep ends the
// idle one and, later, the expired one, each with its reason, its event and its login, and
// never a session that is still in use.
func TestEndLapsedImpersonations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		clk := seeded(t, db)
		imps := gormstore.NewImpersonationService(db)
		auth := gormstore.NewAuthService(db)
		_, parisAdmin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		paris := parisAdmin.Home.ID
		start := func(email, mode string) (*regent.ImpersonationSession, string) {
			t.Helper()
			ctx, _ := callerCtx(t, db, email)
			sess, token, err := imps.Start(ctx, regent.StartImpersonation{TenantID: paris, Mode: mode, Reason: "Ticket 4711: cannot sign in"})
			if err != nil {
				t.Fatalf("start as %s: %v", email, err)
			}
			return sess, token
		}
		idle, _ := start("support@classics.example", regent.ModeSupport)
		busy, busyToken := start("implementer@classics.example", regent.ModeConfigure)

		sweep := func(want int) {
			t.Helper()
			if n, err := imps.EndLapsed(context.Background()); err != nil || n != want {
				t.Fatalf("EndLapsed at %s: %d, %v; want %d", clk.t.Format(time.TimeOnly), n, err, want)
			}
		}
		state := func(id string) (reason string, loginEnded bool) {
			t.Helper()
			var r struct {
				EndReason string
				Ended     bool
			}
			db.Raw(t, &r, `SELECT coalesce(s.end_reason, '') AS end_reason, l.ended_at IS NOT NULL AS ended
				FROM impersonation_sessions s JOIN login_sessions l ON l.id = s.login_session_id WHERE s.id = ?`, id)
			return r.EndReason, r.Ended
		}

		sweep(0) // nothing has run out
		clk.advance(10 * time.Minute)
		if _, err := auth.Authenticate(context.Background(), busyToken); err != nil { // the implementer works on
			t.Fatal(err)
		}
		clk.advance(6 * time.Minute) // the support session has been idle for 16 of its 15 minutes
		sweep(1)
		if reason, loginEnded := state(idle.ID); reason != regent.EndIdle || !loginEnded {
			t.Errorf("idle session: end reason %q, login ended %v", reason, loginEnded)
		}
		if reason, loginEnded := state(busy.ID); reason != "" || loginEnded {
			t.Errorf("the session in use was ended: %q, login ended %v", reason, loginEnded)
		}
		var detail string
		db.Raw(t, &detail, "SELECT detail FROM audit_events WHERE action = 'impersonation.end' AND session_id = ?", idle.ID)
		if !strings.Contains(detail, "reason="+regent.EndIdle) || !strings.Contains(detail, "support@classics.example") {
			t.Errorf("end event: %q", detail)
		}
		sweep(0) // ended once, recorded once

		clk.advance(45 * time.Minute) // past the 60-minute limit: expired before idle
		sweep(1)
		if reason, loginEnded := state(busy.ID); reason != regent.EndExpired || !loginEnded {
			t.Errorf("expired session: end reason %q, login ended %v", reason, loginEnded)
		}
		if _, err := auth.Authenticate(context.Background(), busyToken); err == nil {
			t.Error("the swept session's cookie still works")
		}
		var events int64
		db.Raw(t, &events, "SELECT count(*) FROM audit_events WHERE action = 'impersonation.end' AND session_id IN (?, ?)", idle.ID, busy.ID)
		if events != 2 {
			t.Errorf("end events: %d, want 2", events)
		}
	})
}

// TestEndLapsedEndsWhatARequestWould suspends the tenant of one session and deactivates the
// actor of another, then nobody comes back: the sweep ends both at once with the reason a
// request would have given, not fifteen minutes later as idle, and leaves a third session,
// where nothing changed, running.
func TestEndLapsedEndsWhatARequestWould(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		imps := gormstore.NewImpersonationService(db)
		tmCtx, _ := callerCtx(t, db, "tm-admin@classics.example")
		_, parisAdmin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		_, londonAdmin := callerCtx(t, db, "tenant-admin@london.lsp.example")
		paris, london := parisAdmin.Home.ID, londonAdmin.Home.ID
		start := func(email, tenant, mode string) *regent.ImpersonationSession {
			t.Helper()
			ctx, _ := callerCtx(t, db, email)
			sess, _, err := imps.Start(ctx, regent.StartImpersonation{TenantID: tenant, Mode: mode, Reason: "Ticket 4711: cannot sign in"})
			if err != nil {
				t.Fatalf("start as %s: %v", email, err)
			}
			return sess
		}
		inParis := start("support@classics.example", paris, regent.ModeSupport)
		inLondon := start("implementer@classics.example", london, regent.ModeConfigure)
		untouched := start("partner-admin@lsp.example", london, regent.ModeSupport)

		tenants := gormstore.NewTenantService(db)
		cur, err := tenants.TenantByID(tmCtx, paris)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tenants.UpdateTenant(tmCtx, paris, cur.Version, map[string]any{"status": regent.TenantStatusSuspended}); err != nil {
			t.Fatal(err)
		}
		users := gormstore.NewUserService(db)
		impl, err := users.ConsoleUserByID(tmCtx, inLondon.ActorID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := users.UpdateConsoleUser(tmCtx, impl.ID, impl.Version, map[string]any{"status": regent.UserStatusDeactivated}); err != nil {
			t.Fatal(err)
		}

		if n, err := imps.EndLapsed(context.Background()); err != nil || n != 2 {
			t.Fatalf("EndLapsed: %d, %v; want 2", n, err)
		}
		for _, tc := range []struct {
			sess   *regent.ImpersonationSession
			reason string
		}{{inParis, regent.EndTenantSuspended}, {inLondon, regent.EndActorDeactivated}, {untouched, ""}} {
			var reason string
			db.Raw(t, &reason, "SELECT coalesce(end_reason, '') FROM impersonation_sessions WHERE id = ?", tc.sess.ID)
			var details []string
			db.Raw(t, &details, "SELECT detail FROM audit_events WHERE action = 'impersonation.end' AND session_id = ?", tc.sess.ID)
			if reason != tc.reason {
				t.Errorf("session of %s: end reason %q, want %q", tc.sess.ActorID, reason, tc.reason)
			}
			if tc.reason == "" && len(details) != 0 || tc.reason != "" && (len(details) != 1 || !strings.Contains(details[0], "reason="+tc.reason)) {
				t.Errorf("session of %s: end events %q, want one with reason %q", tc.sess.ActorID, details, tc.reason)
			}
		}
	})
}
