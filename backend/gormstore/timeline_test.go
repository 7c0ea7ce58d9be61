package gormstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// TestTimelineSaysWhenItIsCut: a session's timeline holds its first events up to the limit,
// in order, and always says how many the session has, so a cut timeline never passes for
// the whole of it.
func TestTimelineSaysWhenItIsCut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		imps, audit := gormstore.NewImpersonationService(db), gormstore.NewAuditService(db)
		tm, tmc := callerCtx(t, db, "tm-admin@classics.example")
		_, parisAdmin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		sess, _, err := imps.Start(tm, regent.StartImpersonation{TenantID: parisAdmin.Home.ID, Mode: regent.ModeSupport, Reason: "Ticket 4711: cannot sign in"})
		if err != nil {
			t.Fatal(err)
		}
		// The start is the session's first event; four changes follow it.
		for i := range 4 {
			ev := &regent.AuditEvent{ID: regent.NewID(), Time: db.Now(), Action: "contact.update", Outcome: regent.OutcomeSuccess,
				ActorID: tmc.User.ID, SessionID: sess.ID, TenantID: sess.TenantID, TargetType: "contact", TargetID: fmt.Sprint(i)}
			if err := db.AppendAudit(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
		}

		for _, tc := range []struct {
			limit, want int
			truncated   bool
		}{
			{regent.MaxTimelineEvents, 5, false},
			{5, 5, false}, // exactly at the limit: whole
			{3, 3, true},
			{1, 1, true},
		} {
			audit.SetTimelineLimit(tc.limit)
			tl, err := audit.SessionTimeline(tm, sess.ID)
			if err != nil {
				t.Fatalf("limit %d: %v", tc.limit, err)
			}
			if len(tl.Events) != tc.want || tl.Total != 5 || tl.Truncated() != tc.truncated {
				t.Errorf("limit %d: %d events of %d, truncated %v; want %d of 5, truncated %v",
					tc.limit, len(tl.Events), tl.Total, tl.Truncated(), tc.want, tc.truncated)
				continue
			}
			if tl.Events[0].Action != "impersonation.start" {
				t.Errorf("limit %d: the timeline starts with %s, want the session's first event", tc.limit, tl.Events[0].Action)
			}
			for i, ev := range tl.Events[1:] {
				if ev.TargetID != fmt.Sprint(i) {
					t.Errorf("limit %d: event %d is change %s, want %d (in order)", tc.limit, i+1, ev.TargetID, i)
				}
			}
		}
	})
}
