package gormstore_test

import (
	"runtime"
	"testing"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// fillAudit inserts n synthetic events straight into the table (export does not look at
// the chain), each with a kilobyte of payload so that holding them would show.
func fillAudit(t *testing.T, db *gormstore.DB, n int) {
	t.Helper()
	if db.Dialect() == gormstore.DialectPostgres {
		db.Exec(t, `INSERT INTO audit_events (id, time, action, outcome, detail, chain, chain_seq, prev_hash, hash)
			SELECT gen_random_uuid(), now(), 'synthetic.event', 'success', repeat('x', 1000), 'synthetic', i, '\x00'::bytea, '\x00'::bytea
			FROM generate_series(1, ?) AS i`, n)
		return
	}
	db.Exec(t, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
		INSERT INTO audit_events (id, time, action, outcome, detail, chain, chain_seq, prev_hash, hash)
		SELECT lower(hex(randomblob(16))), datetime('now'), 'synthetic.event', 'success', printf('%.1000c', 'x'), 'synthetic', i, x'00', x'00' FROM s`, n)
}

// TestExportMemoryIsFlat streams tens of thousands of events and checks the live heap does
// not grow with them: the export must not hold rows it has passed on.
func TestExportMemoryIsFlat(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		const n = 30000
		fillAudit(t, db, n)
		ctx, _ := callerCtx(t, db, "tm-admin@classics.example")
		svc := gormstore.NewAuditService(db)
		heap := func() uint64 {
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			return m.HeapAlloc
		}
		var early, late uint64
		count := 0
		err := svc.ExportEvents(ctx, regent.AuditFilter{Action: "synthetic.event"}, "jsonl", func(e *regent.AuditEvent) error {
			count++
			switch count {
			case 1000:
				early = heap()
			case n:
				late = heap()
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if count != n {
			t.Fatalf("exported %d, want %d", count, n)
		}
		// Holding 29,000 more events of ~1.3 kB would add ~38 MB; allow a few MB of noise.
		if late > early+8<<20 {
			t.Errorf("heap grew from %d to %d bytes while streaming", early, late)
		}
		t.Logf("heap at 1,000 events: %d KiB; at %d: %d KiB", early>>10, n, late>>10)
	})
}
