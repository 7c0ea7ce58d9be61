package gormstore_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// tamper runs statements with the append-only triggers out of the way, as an attacker with
// the database's owner rights could.
func tamper(t *testing.T, db *gormstore.DB, stmts ...string) {
	t.Helper()
	if db.Dialect() == gormstore.DialectPostgres {
		db.Exec(t, "ALTER TABLE audit_events DISABLE TRIGGER USER")
		defer db.Exec(t, "ALTER TABLE audit_events ENABLE TRIGGER USER")
	} else {
		db.Exec(t, "DROP TRIGGER IF EXISTS audit_events_no_update")
		db.Exec(t, "DROP TRIGGER IF EXISTS audit_events_no_delete")
	}
	for _, s := range stmts {
		db.Exec(t, s)
	}
}

// busyTenant makes a few events in LSP Paris's chain and returns the chain's id.
func busyTenant(t *testing.T, db *gormstore.DB) string {
	t.Helper()
	ctx, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
	svc := gormstore.NewSkillService(db)
	for _, n := range []string{"A", "B", "C", "D"} {
		if _, err := svc.Create(ctx, admin.Home.ID, &regent.Skill{Name: "Skill " + n, Channel: "chat", Direction: "inbound"}); err != nil {
			t.Fatal(err)
		}
	}
	return admin.Home.ID
}

func TestAuditVerify(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func(chain string) []string
		problem string
		seq     int64
	}{
		{"edited", func(c string) []string {
			return []string{"UPDATE audit_events SET action = 'skill.delete' WHERE chain = '" + c + "' AND chain_seq = 3"}
		}, "edited", 3},
		{"edited address", func(c string) []string {
			return []string{"UPDATE audit_events SET ip = '10.0.0.1' WHERE chain = '" + c + "' AND chain_seq = 2"}
		}, "edited", 2},
		{"deleted", func(c string) []string {
			return []string{"DELETE FROM audit_events WHERE chain = '" + c + "' AND chain_seq = 3"}
		}, "missing", 4},
		{"reordered", func(c string) []string {
			return []string{
				"UPDATE audit_events SET chain_seq = -1 WHERE chain = '" + c + "' AND chain_seq = 3",
				"UPDATE audit_events SET chain_seq = 3 WHERE chain = '" + c + "' AND chain_seq = 4",
				"UPDATE audit_events SET chain_seq = 4 WHERE chain = '" + c + "' AND chain_seq = -1",
			}
		}, "reordered", 3},
		{"forged chain", func(c string) []string {
			// A copy of a real event under a chain of its own: INSERT passes the triggers.
			const cols = "time, action, outcome, actor_id, actor_email, actor_name, principal_id, principal_name, session_id, " +
				"tenant_id, target_type, target_id, before, after, detail, ip, user_agent, request_id, chain_seq, prev_hash, hash"
			return []string{"INSERT INTO audit_events (id, chain, " + cols + ") SELECT '01900000-0000-7000-8000-00000000f0f0', '" + c +
				"-forged', " + cols + " FROM audit_events WHERE chain = '" + c + "' AND chain_seq = 1"}
		}, "unheaded", 1},
		{"tail removed", func(c string) []string {
			return []string{"DELETE FROM audit_events WHERE chain = '" + c + "' AND chain_seq = (SELECT max(chain_seq) FROM audit_events WHERE chain = '" + c + "')"}
		}, "truncated", 0},
	}
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					db := storetest.Open(t, dialect)
					seeded(t, db)
					chain := busyTenant(t, db)
					rep, err := db.VerifyAudit(context.Background(), nil)
					if err != nil || len(rep.Breaks) != 0 || rep.Events == 0 {
						t.Fatalf("before tampering: %+v %v", rep, err)
					}
					tamper(t, db, tt.tamper(chain)...)
					rep, err = db.VerifyAudit(context.Background(), nil)
					if err != nil {
						t.Fatal(err)
					}
					if len(rep.Breaks) != 1 {
						t.Fatalf("breaks: got %+v, want exactly one", rep.Breaks)
					}
					b := rep.Breaks[0]
					if tt.problem == "unheaded" {
						chain += "-forged"
					}
					if b.Chain != chain || b.Problem != tt.problem || (tt.seq != 0 && b.Seq != tt.seq) || (tt.problem != "truncated" && b.EventID == "") {
						t.Errorf("got %+v, want %s at seq %d of chain %s", b, tt.problem, tt.seq, chain)
					}
				})
			}
		})
	}
}

// TestAuditChainUnderConcurrency has many writers extend one chain at once; the chain must
// come out whole, with no fork and no gap.
func TestAuditChainUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		ctx, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		svc := gormstore.NewContactService(db)
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; i < 8; i++ {
					_, err := svc.Create(ctx, admin.Home.ID, &regent.Contact{Name: "Concurrent " + string(rune('A'+w)) + string(rune('a'+i))})
					if err != nil {
						errs <- err
					}
				}
			}(w)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		rep, err := db.VerifyAudit(context.Background(), nil)
		if err != nil || len(rep.Breaks) != 0 {
			t.Fatalf("verify: %+v %v", rep, err)
		}
		var n int64
		db.Raw(t, &n, "SELECT max(chain_seq) FROM audit_events WHERE chain = ?", admin.Home.ID)
		if n < 64 {
			t.Errorf("chain length: got %d, want at least 64", n)
		}
	})
}

// TestAuditNewChainsUnderConcurrency has writers race to write the first events of chains
// that do not exist yet: one creates each head, the others wait and extend it.
func TestAuditNewChainsUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; i < 8; i++ {
					ev := &regent.AuditEvent{ID: regent.NewID(), Time: time.Now(), Action: "test.write", Outcome: regent.OutcomeSuccess,
						TenantID: fmt.Sprintf("00000000-0000-7000-8000-%012d", 7000+i%4), ActorName: fmt.Sprintf("writer %d", w)}
					if err := db.AppendAudit(ctx, ev); err != nil {
						errs <- err
					} else if !bytes.Equal(ev.Hash, ev.ComputeHash()) || ev.ChainSeq < 1 {
						errs <- fmt.Errorf("event placed at %d with hash %x", ev.ChainSeq, ev.Hash)
					}
				}
			}(w)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		rep, err := db.VerifyAudit(ctx, nil)
		if err != nil || len(rep.Breaks) != 0 {
			t.Fatalf("verify: %+v %v", rep, err)
		}
		for c := 0; c < 4; c++ {
			var n, top int64
			chain := fmt.Sprintf("00000000-0000-7000-8000-%012d", 7000+c)
			db.Raw(t, &n, "SELECT count(*) FROM audit_events WHERE chain = ?", chain)
			db.Raw(t, &top, "SELECT seq FROM audit_chain_heads WHERE chain = ?", chain)
			if n != 16 || top != 16 {
				t.Errorf("chain %s: %d events, head at %d; want 16 and 16", chain, n, top)
			}
		}
	})
}

func TestAuditRetention(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		clk := seeded(t, db)
		chain := busyTenant(t, db)
		ctx := context.Background()
		var before int64
		db.Raw(t, &before, "SELECT count(*) FROM audit_events WHERE chain = ?", chain)
		cutoff := clk.t.Add(time.Second)
		clk.advance(time.Hour)
		busyMore(t, db) // newer events stay

		dir := t.TempDir()
		segs, err := db.ArchiveAudit(ctx, cutoff, dir)
		if err != nil {
			t.Fatal(err)
		}
		var seg *regent.ArchivedSegment
		for i := range segs {
			if segs[i].Chain == chain {
				seg = &segs[i]
			}
		}
		if seg == nil || seg.Events != before || seg.FromSeq != 1 {
			t.Fatalf("segments: %+v", segs)
		}
		var left int64
		db.Raw(t, &left, "SELECT count(*) FROM audit_events WHERE chain = ? AND chain_seq <= ?", chain, seg.ToSeq)
		if left != 0 {
			t.Errorf("%d archived events are still in the database", left)
		}
		if raw, err := os.ReadFile(seg.File); err != nil || len(strings.Split(strings.TrimSpace(string(raw)), "\n")) != int(seg.Events) {
			t.Errorf("archive file: %v", err)
		}
		rep, err := db.VerifyAudit(ctx, nil)
		if err != nil || len(rep.Breaks) != 0 {
			t.Fatalf("verify after retention: %+v %v", rep, err)
		}
		// Nothing newer than the anchor can be deleted, even through the same door.
		if err := db.ExecErr("DELETE FROM audit_events WHERE chain = ?", chain); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("deleting unanchored events: %v", err)
		}
		// A forged anchor makes deletion possible, but verify names it.
		var next int64
		db.Raw(t, &next, "SELECT min(chain_seq) FROM audit_events WHERE chain = ?", chain)
		db.Exec(t, "INSERT INTO audit_anchors (id, chain, seq, hash, events, archive, archive_sha256, archived_at) VALUES (?, ?, ?, ?, 1, 'x', 'x', ?)",
			regent.NewID(), chain, next, []byte("forged"), clk.t)
		db.Exec(t, "DELETE FROM audit_events WHERE chain = ? AND chain_seq = ?", chain, next)
		rep, _ = db.VerifyAudit(ctx, nil)
		if len(rep.Breaks) == 0 {
			t.Error("a forged anchor went unnoticed")
		}
	})
}

// busyMore adds a newer event to LSP Paris's chain.
func busyMore(t *testing.T, db *gormstore.DB) {
	t.Helper()
	ctx, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
	if _, err := gormstore.NewSkillService(db).Create(ctx, admin.Home.ID, &regent.Skill{Name: "Later", Channel: "chat", Direction: "inbound"}); err != nil {
		t.Fatal(err)
	}
}
