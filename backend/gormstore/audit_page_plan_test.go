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

// TestAuditPagesAsThePlainQuery compares the pages ListEvents reads its own ways (a partner's
// whole trail; one id filter) with what the plain query gives for the same filter and cursor:
// the same events in the same order and the same next cursor. The trail, oldest first: 6,000
// events of the partner LSP itself, its customers, another partner's customer and no tenant;
// then one of LSP's own (the edge of the first page's 5,000-event window); then 4,999 of
// Acme Retail. So LSP's first page has one event in its window and the rest far below, and
// the cursors tried put the window's edge everywhere from there down.
func TestAuditPagesAsThePlainQuery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		var ids []string
		db.Raw(t, &ids, "SELECT id FROM tenants WHERE name IN ('League of the Scarlet Pimpernel', 'LSP Paris', 'LSP London', 'Acme Retail') ORDER BY name")
		if len(ids) != 4 {
			t.Fatalf("tenants: %v", ids)
		}
		acme, lsp, london, paris := ids[0], ids[1], ids[2], ids[3]
		actors := []string{regent.NewID(), regent.NewID()}
		session := regent.NewID()
		cycle := []any{lsp, paris, acme, london, nil}
		type event struct {
			tenant, actor, session any
			action                 string
		}
		var trail []event
		for i := range 6000 {
			e := event{cycle[i%5], actors[i%2], nil, "skill.create"}
			if i%7 == 0 {
				e.session, e.action = session, "tenant.update"
			}
			trail = append(trail, e)
		}
		trail = append(trail, event{lsp, actors[0], nil, "skill.create"})
		for range 4999 {
			trail = append(trail, event{acme, actors[1], nil, "skill.create"})
		}
		for i := 0; i < len(trail); i += 500 {
			var values []string
			var args []any
			for j := i; j < min(i+500, len(trail)); j++ {
				e := trail[j]
				values = append(values, "(?, CURRENT_TIMESTAMP, ?, 'success', ?, ?, ?, 'pages-test', ?, ?, ?)")
				args = append(args, regent.NewID(), e.action, e.tenant, e.actor, e.session, j+1, []byte{0}, []byte{0})
			}
			db.Exec(t, "INSERT INTO audit_events (id, time, action, outcome, tenant_id, actor_id, session_id, chain, chain_seq, prev_hash, hash) VALUES "+
				strings.Join(values, ", "), args...)
		}
		if db.Dialect() == gormstore.DialectPostgres {
			db.Exec(t, "ANALYZE audit_events")
		}
		var seqs []int64
		db.Raw(t, &seqs, "SELECT seq FROM audit_events WHERE chain = 'pages-test' ORDER BY chain_seq")
		// No cursor, then cursors that leave below them: the whole of Acme's run and LSP's
		// edge event (the window holds the edge event and 4,999 older), part of Acme's run
		// (window partly Acme's, partly the mixed run), the edge event's neighbours, and
		// places in the mixed run, near its start too (fewer than 5,000 below).
		cursors := []string{""}
		for _, at := range []int{11000, 10999, 10990, 10950, 10901, 10500, 8000, 6003, 6002, 6001, 6000, 5999, 5001, 5000, 4999, 3000, 60, 1} {
			cursors = append(cursors, gormstore.AuditCursor(seqs[at-1]))
		}
		filters := map[string][]regent.AuditFilter{
			"partner-admin@lsp.example": {{}, {Limit: 20}, {Limit: 100}, {TenantID: paris}, {TenantID: acme}, {ActorID: actors[0]},
				{SessionID: session}, {Action: "tenant.update"}, {Action: "tenant."}, {TenantID: london, Action: "tenant.update"}},
			"tm-admin@classics.example": {{}, {TenantID: lsp}, {TenantID: acme, Limit: 7}, {ActorID: actors[1]}, {SessionID: session},
				{ActorID: actors[0], TenantID: paris}},
		}
		svc := gormstore.NewAuditService(db)
		for email, fs := range filters {
			ctx, _ := callerCtx(t, db, email)
			for _, f := range fs {
				for _, cur := range cursors {
					f.Cursor = cur
					events, next, err := svc.ListEvents(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					want, wantNext, err := db.PlainAuditPage(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					got := make([]string, len(events))
					for i, e := range events {
						got[i] = e.ID
					}
					if !slices.Equal(got, want) || next != wantNext {
						t.Errorf("%s, %+v: %d events, next %q; the plain query: %d events, next %q", email, f, len(got), next, len(want), wantNext)
					}
				}
			}
		}
	})
}
