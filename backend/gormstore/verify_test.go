package gormstore_test

import (
	"context"
	"sync"
	"testing"

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
