package gormstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// TestAuditActionPrefix filters by an action prefix with an underscore in it: the underscore
// is a letter, not LIKE's any-character, on both databases.
func TestAuditActionPrefix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		for _, action := range []string{"impersonation_policy.update", "impersonationXpolicy.update", "impersonation.start"} {
			ev := &regent.AuditEvent{ID: regent.NewID(), Time: time.Now().UTC(), Action: action, Outcome: regent.OutcomeSuccess, ActorName: "test"}
			if err := db.AppendAudit(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
		}
		ctx, _ := callerCtx(t, db, "tm-admin@classics.example")
		for prefix, want := range map[string]string{
			"impersonation_policy.": "impersonation_policy.update",
			"impersonation.":        "impersonation.start",
		} {
			events, _, err := gormstore.NewAuditService(db).ListEvents(ctx, regent.AuditFilter{Action: prefix})
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != 1 || events[0].Action != want {
				got := []string{}
				for _, e := range events {
					got = append(got, e.Action)
				}
				t.Errorf("action %q: got %v, want [%s]", prefix, got, want)
			}
		}
	})
}
