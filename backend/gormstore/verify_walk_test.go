package gormstore_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// TestAuditVerifyOnePass covers what the one pass in seq order must hand over to the walk
// of a single chain: a chain whose events are out of seq order but whole in chain order is
// whole (nothing in the chain is wrong), and tampering found in several chains at once is
// reported once per chain, each as the chain's own walk names it.
func TestAuditVerifyOnePass(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		chain := busyTenant(t, db)
		ctx := context.Background()
		// Swap the seq of the chain's 2nd and 3rd events: out of order for the one pass.
		var s2, s3 int64
		db.Raw(t, &s2, "SELECT seq FROM audit_events WHERE chain = ? AND chain_seq = 2", chain)
		db.Raw(t, &s3, "SELECT seq FROM audit_events WHERE chain = ? AND chain_seq = 3", chain)
		tamper(t, db,
			"UPDATE audit_events SET seq = -1 WHERE seq = "+itoa(s2),
			"UPDATE audit_events SET seq = "+itoa(s2)+" WHERE seq = "+itoa(s3),
			"UPDATE audit_events SET seq = "+itoa(s3)+" WHERE seq = -1")
		rep, err := db.VerifyAudit(ctx, nil)
		if err != nil || len(rep.Breaks) != 0 {
			t.Fatalf("a chain whole in chain order: %+v %v", rep, err)
		}
		var events int64
		db.Raw(t, &events, "SELECT count(*) FROM audit_events")
		if rep.Events != events {
			t.Errorf("events counted: got %d, want %d (each once)", rep.Events, events)
		}

		// Edit the first event of another chain and remove one of the tenant's: two breaks.
		var other string
		db.Raw(t, &other, "SELECT chain FROM audit_events WHERE chain <> ? ORDER BY seq LIMIT 1", chain)
		tamper(t, db,
			"UPDATE audit_events SET detail = 'edited' WHERE chain = '"+other+"' AND chain_seq = 1",
			"DELETE FROM audit_events WHERE chain = '"+chain+"' AND chain_seq = 2")
		rep, err = db.VerifyAudit(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, b := range rep.Breaks {
			got[b.Chain] = b.Problem
		}
		if len(rep.Breaks) != 2 || got[other] != "edited" || got[chain] != "missing" {
			t.Errorf("breaks: got %+v, want %s edited and %s missing", rep.Breaks, other, chain)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
