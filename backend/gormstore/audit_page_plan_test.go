package gormstore_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// TestAuditPageReadsOnlyItsRows arranges the trail PostgreSQL's statistics mislead about:
// an actor, a tenant and a session with three fifths of all events, none of them among the
// newest 8,000. Asked for their newest events, PostgreSQL would read the trail newest first
// and pass over those 8,000 (it expects one of theirs every other row); each page must
// instead read no more rows than it shows (twice: where they are, then what they hold),
// first page and next, and show the right events.
func TestAuditPageReadsOnlyItsRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		ctx, _ := callerCtx(t, db, "tm-admin@classics.example")
		const busy, others = 12000, 8000
		quiet := struct{ tenant, actor, session string }{regent.NewID(), regent.NewID(), regent.NewID()}
		busyTenant, other := regent.NewID(), regent.NewID()
		// A trail written behind the writer (its chain is never verified here): the busy
		// actor's events first, then everyone else's.
		if db.Dialect() == gormstore.DialectPostgres {
			db.Exec(t, `INSERT INTO audit_events (id, time, action, outcome, actor_id, session_id, tenant_id, chain, chain_seq, prev_hash, hash)
				SELECT gen_random_uuid(), now(), 'skill.create', 'success',
					CASE WHEN g <= ? THEN ?::uuid ELSE ?::uuid END, CASE WHEN g <= ? THEN ?::uuid END,
					CASE WHEN g <= ? THEN ?::uuid ELSE ?::uuid END, 'plan-test', g, '\x00', '\x00'
				FROM generate_series(1, ?) g`,
				busy, quiet.actor, other, busy, quiet.session, busy, busyTenant, other, busy+others)
			db.Exec(t, "ANALYZE audit_events")
		} else {
			db.Exec(t, `WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ?)
				INSERT INTO audit_events (id, time, action, outcome, actor_id, session_id, tenant_id, chain, chain_seq, prev_hash, hash)
				SELECT printf('00000000-0000-7000-8000-%012d', i), CURRENT_TIMESTAMP, 'skill.create', 'success',
					CASE WHEN i <= ? THEN ? ELSE ? END, CASE WHEN i <= ? THEN ? END,
					CASE WHEN i <= ? THEN ? ELSE ? END, 'plan-test', i, x'00', x'00'
				FROM g`,
				busy+others, busy, quiet.actor, other, busy, quiet.session, busy, busyTenant, other)
		}
		for name, f := range map[string]regent.AuditFilter{
			"actor": {ActorID: quiet.actor}, "tenant": {TenantID: busyTenant}, "session": {SessionID: quiet.session},
		} {
			svc := gormstore.NewAuditService(db)
			var last int64
			for page := 0; page < 2; page++ {
				if db.Dialect() == gormstore.DialectPostgres {
					// 51 positions, then their 51 events.
					if read := rowsRead(t, db, ctx, f); read > 2*51 {
						t.Errorf("%s, page %d: read %.0f rows for a page of 50", name, page+1, read)
					}
				}
				events, next, err := svc.ListEvents(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if len(events) != 50 || next == "" {
					t.Fatalf("%s, page %d: %d events, next %q; want 50 and a cursor", name, page+1, len(events), next)
				}
				for _, e := range events {
					if e.ActorID != quiet.actor || e.SessionID != quiet.session || e.TenantID != busyTenant {
						t.Fatalf("%s, page %d: event of actor %s, session %s, tenant %s", name, page+1, e.ActorID, e.SessionID, e.TenantID)
					}
					if last != 0 && e.ChainSeq != last-1 {
						t.Fatalf("%s, page %d: event %d after %d; want the next older", name, page+1, e.ChainSeq, last)
					}
					last = e.ChainSeq
				}
				if page == 0 && events[0].ChainSeq != busy {
					t.Fatalf("%s: the first page starts at %d, want the newest, %d", name, events[0].ChainSeq, busy)
				}
				f.Cursor = next
			}
		}
	})
}

// rowsRead runs f's page under EXPLAIN ANALYZE and returns how many rows its scans read:
// those they returned and those their filters threw away.
func rowsRead(t *testing.T, db *gormstore.DB, ctx context.Context, f regent.AuditFilter) float64 {
	t.Helper()
	sql, args, err := db.AuditPageSQL(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	db.Raw(t, &out, "EXPLAIN (ANALYZE, FORMAT JSON) "+sql, args...)
	var plans []struct{ Plan planNode }
	if err := json.Unmarshal([]byte(out[0]), &plans); err != nil {
		t.Fatal(err)
	}
	var read float64
	var walk func(n planNode)
	walk = func(n planNode) {
		if n.Relation == "audit_events" {
			read += n.ActualRows*n.ActualLoops + n.RemovedByFilter + n.RemovedByRecheck
		}
		for _, c := range n.Plans {
			walk(c)
		}
	}
	walk(plans[0].Plan)
	return read
}

type planNode struct {
	Relation         string     `json:"Relation Name"`
	ActualRows       float64    `json:"Actual Rows"`
	ActualLoops      float64    `json:"Actual Loops"`
	RemovedByFilter  float64    `json:"Rows Removed by Filter"`
	RemovedByRecheck float64    `json:"Rows Removed by Index Recheck"`
	Plans            []planNode `json:"Plans"`
}

// TestAuditPartnerPageOfQuietTenants pages a partner admin through the partner's trail when
// the partner's tenants wrote few of the newest events: a few among the newest (within the
// window the page looks through first) and the rest far below others' events. Every page
// must hold exactly the partner's events, newest first, across the window's edge, and none
// of a tenant outside the partner.
func TestAuditPartnerPageOfQuietTenants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		ctx, _ := callerCtx(t, db, "partner-admin@lsp.example")
		var ids []string
		db.Raw(t, &ids, "SELECT id FROM tenants WHERE name IN ('LSP Paris', 'LSP London', 'Acme Retail') ORDER BY name")
		if len(ids) != 3 {
			t.Fatalf("tenants: %v", ids)
		}
		acme, london, paris := ids[0], ids[1], ids[2]
		// 3,000 events of LSP Paris and London, then 9,000 of Acme Retail with one of LSP
		// London's every 1,000: the newest 5,000 hold four of LSP's.
		const total = 12000
		mine := func(i int) bool { return i <= 3000 || i%1000 == 0 }
		tenantOf := func(i int) string {
			switch {
			case !mine(i):
				return acme
			case i%2 == 0:
				return london
			}
			return paris
		}
		for i := 1; i <= total; i += 500 {
			var values []string
			var args []any
			for j := i; j < i+500; j++ {
				values = append(values, "(?, CURRENT_TIMESTAMP, 'skill.create', 'success', ?, 'plan-test', ?, ?, ?)")
				args = append(args, regent.NewID(), tenantOf(j), j, []byte{0}, []byte{0})
			}
			db.Exec(t, "INSERT INTO audit_events (id, time, action, outcome, tenant_id, chain, chain_seq, prev_hash, hash) VALUES "+
				strings.Join(values, ", "), args...)
		}
		if db.Dialect() == gormstore.DialectPostgres {
			db.Exec(t, "ANALYZE audit_events")
		}
		var want []int64
		for i := total; i >= 1 && len(want) < 150; i-- {
			if mine(i) {
				want = append(want, int64(i))
			}
		}
		svc := gormstore.NewAuditService(db)
		var got []int64
		f := regent.AuditFilter{}
		for page := 0; page < 3; page++ {
			events, next, err := svc.ListEvents(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				got = append(got, e.ChainSeq)
			}
			if len(events) != 50 || next == "" {
				t.Fatalf("page %d: %d events, next %q; want 50 and a cursor", page+1, len(events), next)
			}
			f.Cursor = next
		}
		if !slices.Equal(got, want) {
			t.Errorf("the partner's newest 150 events: got %v…, want %v…", got[:min(len(got), 8)], want[:8])
		}
	})
}
