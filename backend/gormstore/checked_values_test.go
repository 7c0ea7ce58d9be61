package gormstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// TestTheDatabaseRefusesValuesOutsideTheirSets writes, behind the services' validation,
// values the schema does not allow into the columns whose allowed values are domains on
// PostgreSQL (0013) and CHECK constraints on SQLite: each is refused, and the row keeps its
// value.
func TestTheDatabaseRefusesValuesOutsideTheirSets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		ctx, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		paris := admin.Home.ID
		skill, err := gormstore.NewSkillService(db).Create(ctx, paris, &regent.Skill{Name: "Checked", Channel: "phone", Direction: "inbound"})
		if err != nil {
			t.Fatal(err)
		}
		bu, err := gormstore.NewBusinessUnitService(db).Create(ctx, paris, &regent.BusinessUnit{Name: "Checked", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			sql  string
			args []any
		}{
			{"UPDATE skills SET channel = 'fax' WHERE id = ?", []any{skill.ID}},
			{"UPDATE skills SET direction = 'sideways' WHERE id = ?", []any{skill.ID}},
			{"UPDATE business_units SET status = 'closed' WHERE id = ?", []any{bu.ID}},
			{"INSERT INTO audit_events (id, time, action, outcome, chain, chain_seq, prev_hash, hash) VALUES (?, ?, 'probe', 'maybe', 'probe', 1, ?, ?)",
				[]any{regent.NewID(), time.Now().UTC(), regent.GenesisHash, regent.GenesisHash}},
		} {
			if err := db.ExecErr(c.sql, c.args...); err == nil || !strings.Contains(strings.ToLower(err.Error()), "check constraint") {
				t.Errorf("%s: got %v, want a check constraint's refusal", c.sql, err)
			}
		}
		var values struct{ Channel, Direction, Status string }
		db.Raw(t, &values, "SELECT s.channel, s.direction, b.status FROM skills s, business_units b WHERE s.id = ? AND b.id = ?", skill.ID, bu.ID)
		var probes int64
		db.Raw(t, &probes, "SELECT count(*) FROM audit_events WHERE action = 'probe'")
		if values.Channel != "phone" || values.Direction != "inbound" || values.Status != "active" || probes != 0 {
			t.Errorf("after refused writes: %+v and %d probe events", values, probes)
		}
		mustVerify(t, db)
	})
}
