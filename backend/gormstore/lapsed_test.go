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
