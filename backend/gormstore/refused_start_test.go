package gormstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// TestRefusedStartWhileImpersonating: a start refused because the caller is already
// impersonating is the person's own attempt on the tenant asked for. Its event names that
// tenant as target (and as tenant only when the person, as themselves, can see it), names
// no session and no Impersonated Admin, and says which session was running in its detail;
// it is not part of the running session's timeline.
func TestRefusedStartWhileImpersonating(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		imps, audit, auth := gormstore.NewImpersonationService(db), gormstore.NewAuditService(db), gormstore.NewAuthService(db)
		tm, tmc := callerCtx(t, db, "tm-admin@classics.example")
		_, parisAdmin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		_, londonAdmin := callerCtx(t, db, "tenant-admin@london.lsp.example")
		_, retailAdmin := callerCtx(t, db, "tenant-admin@retail.acme.example")
		paris, london, retail := parisAdmin.Home.ID, londonAdmin.Home.ID, retailAdmin.Home.ID

		// impersonating starts a session on Paris as email and returns the context of a
		// request made in it, as Authenticate resolves it.
		impersonating := func(email string) (context.Context, *regent.ImpersonationSession, *regent.Caller) {
			t.Helper()
			ctx, c := callerCtx(t, db, email)
			sess, token, err := imps.Start(ctx, regent.StartImpersonation{TenantID: paris, Mode: regent.ModeSupport, Reason: "Ticket 4711: cannot sign in"})
			if err != nil {
				t.Fatalf("start as %s: %v", email, err)
			}
			in, err := auth.Authenticate(context.Background(), token)
			if err != nil || !in.Impersonating() {
				t.Fatalf("authenticate in the session: %+v, %v", in, err)
			}
			return regent.NewContextWithCaller(context.Background(), in), sess, c
		}
		refused := func(ctx context.Context, tenantID string) *regent.AuditEvent {
			t.Helper()
			_, _, err := imps.Start(ctx, regent.StartImpersonation{TenantID: tenantID, Mode: regent.ModeSupport, Reason: "Ticket 4712: another one"})
			if got := reason(err); got != "already_impersonating" {
				t.Fatalf("start on %s while impersonating: %v, want already_impersonating", tenantID, err)
			}
			events, _, err := audit.ListEvents(tm, regent.AuditFilter{Action: "impersonation.start", Limit: 1})
			if err != nil || len(events) != 1 || events[0].Outcome != regent.OutcomeDenied {
				t.Fatalf("the refusal's event: %+v, %v", events, err)
			}
			return events[0]
		}
		check := func(name string, ev *regent.AuditEvent, actor *regent.Caller, running, tenantID, wantTenant string) {
			t.Helper()
			if ev.ActorID != actor.User.ID || ev.PrincipalID != actor.User.ID || ev.PrincipalName != actor.User.Name {
				t.Errorf("%s: actor %s, principal %s %q; want the person (%s) as both", name, ev.ActorID, ev.PrincipalID, ev.PrincipalName, actor.User.ID)
			}
			if ev.SessionID != "" {
				t.Errorf("%s: session %s; want none (the refused start made none, and was not done in the running one)", name, ev.SessionID)
			}
			if ev.TargetType != "tenant" || ev.TargetID != tenantID {
				t.Errorf("%s: target %s %s; want tenant %s", name, ev.TargetType, ev.TargetID, tenantID)
			}
			if ev.TenantID != wantTenant {
				t.Errorf("%s: tenant %q; want %q", name, ev.TenantID, wantTenant)
			}
			if !strings.Contains(ev.Detail, "refused=already_impersonating") || !strings.Contains(ev.Detail, "running_session="+running) {
				t.Errorf("%s: detail %q; want the refusal and the running session", name, ev.Detail)
			}
		}

		ctx, sess, _ := impersonating("tm-admin@classics.example")
		check("another tenant in sight", refused(ctx, london), tmc, sess.ID, london, london)
		check("the same tenant", refused(ctx, paris), tmc, sess.ID, paris, paris)
		unknown := regent.NewID()
		check("no such tenant", refused(ctx, unknown), tmc, sess.ID, unknown, "")
		tl, err := audit.SessionTimeline(tm, sess.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range tl.Events {
			if ev.Outcome == regent.OutcomeDenied {
				t.Errorf("the running session's timeline shows the refused start: %+v", ev)
			}
		}

		// LSP's Partner Support cannot see Acme Retail: the attempt stays out of its trail.
		ctx, sess, ps := impersonating("partner-support@lsp.example")
		check("a tenant out of sight", refused(ctx, retail), ps, sess.ID, retail, "")
	})
}
