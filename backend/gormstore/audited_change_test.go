package gormstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// The tenant app's records are changed together with their event: on PostgreSQL in one
// statement, outside any transaction. These tests try to get a change in without its event,
// an event without its change, or one event for two changes.

// TestAuditedChangesRace has writers race to change and to delete the same records from
// the same version: exactly one of each wins, and the trail records exactly the winners.
func TestAuditedChangesRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		ctx, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
		paris := admin.Home.ID
		units := gormstore.NewBusinessUnitService(db)
		bu, err := units.Create(ctx, paris, &regent.BusinessUnit{Name: "Raced", TimeZone: "Europe/Paris"})
		if err != nil {
			t.Fatal(err)
		}
		contacts := gormstore.NewContactService(db)
		c, err := contacts.Create(ctx, paris, &regent.Contact{Name: "Raced Contact"})
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		var wg sync.WaitGroup
		updates, deletes := make(chan error, n), make(chan error, n)
		for w := 0; w < n; w++ {
			wg.Add(2)
			go func(w int) {
				defer wg.Done()
				_, err := units.Update(ctx, paris, bu.ID, 1, map[string]any{"name": fmt.Sprintf("Raced %d", w)})
				updates <- err
			}(w)
			go func() {
				defer wg.Done()
				deletes <- contacts.Delete(ctx, paris, c.ID)
			}()
		}
		wg.Wait()
		close(updates)
		close(deletes)
		won := 0
		for err := range updates {
			if err == nil {
				won++
			} else if e, ok := err.(*regent.Error); !ok || e.Reason != "version_conflict" {
				t.Errorf("a losing update: got %v, want version_conflict", err)
			}
		}
		deleted := 0
		for err := range deletes {
			if err == nil {
				deleted++
			} else if code := regent.ErrorCode(err); code != regent.ENOTFOUND && code != regent.ECONFLICT {
				t.Errorf("a losing delete: got %v, want not found or a conflict", err)
			}
		}
		if won != 1 || deleted != 1 {
			t.Fatalf("%d updates and %d deletes won; want one of each", won, deleted)
		}
		var events []struct{ Action, After string }
		db.Raw(t, &events, "SELECT action, COALESCE(after, '') AS after FROM audit_events WHERE target_id IN (?, ?) AND action LIKE '%.update' OR target_id = ? AND action LIKE '%.delete' ORDER BY action",
			bu.ID, c.ID, c.ID)
		got, _ := units.Get(ctx, paris, bu.ID)
		if len(events) != 2 || events[0].Action != "business_unit.update" || events[1].Action != "contact.delete" {
			t.Fatalf("events: got %+v, want one business_unit.update and one contact.delete", events)
		} else if want := fmt.Sprintf(`"name":%q`, got.Name); !strings.Contains(events[0].After, want) {
			t.Errorf("the update's event says %s; the record is named %q", events[0].After, got.Name)
		}
		mustVerify(t, db)
	})
}

// TestAuditedChangesStartTheirChains has writers race to make the first changes recorded
// in chains that have no head yet. On PostgreSQL the first statement is refused whole (the
// event has no head to follow), the head is made and the change made again: a change made
// twice would break the skill's primary key, a change made without its event would leave a
// skill the trail does not mention.
func TestAuditedChangesStartTheirChains(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		var paris string
		db.Raw(t, &paris, "SELECT id FROM tenants WHERE name = 'LSP Paris'")
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; i < 8; i++ {
					id := regent.NewID()
					chain := fmt.Sprintf("00000000-0000-7000-8000-%012d", 9000+i%4)
					ev := &regent.AuditEvent{ID: regent.NewID(), Time: time.Now(), Action: "skill.create", Outcome: regent.OutcomeSuccess,
						TenantID: chain, TargetType: "skill", TargetID: id, ActorName: fmt.Sprintf("writer %d", w)}
					changed, err := db.WriteAudited(ctx, "INSERT INTO skills (id, tenant_id, created_at, updated_at, created_by_name, updated_by_name, version, name, channel, direction) VALUES (?, ?, ?, ?, '', '', 1, ?, 'phone', 'inbound')",
						[]any{id, paris, time.Now(), time.Now(), fmt.Sprintf("Skill %d-%d", w, i)}, ev)
					if err != nil || !changed {
						errs <- fmt.Errorf("write %d-%d: %v, changed %v", w, i, err, changed)
					} else if ev.ChainSeq < 1 || string(ev.Hash) != string(ev.ComputeHash()) {
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
		var skills, unrecorded int64
		db.Raw(t, &skills, "SELECT count(*) FROM skills WHERE name LIKE 'Skill %'")
		db.Raw(t, &unrecorded, "SELECT count(*) FROM skills s WHERE name LIKE 'Skill %' AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.target_id = CAST(s.id AS TEXT))")
		if skills != 64 || unrecorded != 0 {
			t.Errorf("%d skills, %d without their event; want 64 and 0", skills, unrecorded)
		}
		for c := 0; c < 4; c++ {
			var n, top int64
			chain := fmt.Sprintf("00000000-0000-7000-8000-%012d", 9000+c)
			db.Raw(t, &n, "SELECT count(*) FROM audit_events WHERE chain = ?", chain)
			db.Raw(t, &top, "SELECT seq FROM audit_chain_heads WHERE chain = ?", chain)
			if n != 16 || top != 16 {
				t.Errorf("chain %s: %d events, head at %d; want 16 and 16", chain, n, top)
			}
		}
		mustVerify(t, db)
	})
}

// TestAuditedChangeFallsWithItsEvent has the database refuse an event: its change must not
// be made either. And a change that matches no row writes no event.
func TestAuditedChangeFallsWithItsEvent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gormstore.DB) {
		seeded(t, db)
		var paris string
		db.Raw(t, &paris, "SELECT id FROM tenants WHERE name = 'LSP Paris'")
		ctx := context.Background()
		var before int64
		db.Raw(t, &before, "SELECT count(*) FROM audit_events")
		// An event the database refuses: it reuses the id of one already written.
		bad := &regent.AuditEvent{Time: time.Now(), Action: "skill.create", Outcome: regent.OutcomeSuccess, TenantID: paris}
		db.Raw(t, &bad.ID, "SELECT id FROM audit_events LIMIT 1")
		id := regent.NewID()
		changed, err := db.WriteAudited(ctx, "INSERT INTO skills (id, tenant_id, created_at, updated_at, created_by_name, updated_by_name, version, name, channel, direction) VALUES (?, ?, ?, ?, '', '', 1, 'Unrecorded', 'phone', 'inbound')",
			[]any{id, paris, time.Now(), time.Now()}, bad)
		if err == nil || changed {
			t.Fatalf("a refused event: got changed %v, %v; want an error", changed, err)
		}
		var skills, after int64
		db.Raw(t, &skills, "SELECT count(*) FROM skills WHERE id = ?", id)
		db.Raw(t, &after, "SELECT count(*) FROM audit_events")
		if skills != 0 || after != before {
			t.Errorf("after a refused event: %d skills, %d new events; want none", skills, after-before)
		}

		ev := &regent.AuditEvent{ID: regent.NewID(), Time: time.Now(), Action: "skill.delete", Outcome: regent.OutcomeSuccess, TenantID: paris}
		changed, err = db.WriteAudited(ctx, "DELETE FROM skills WHERE id = ? AND tenant_id = ? AND version = ?", []any{id, paris, 1}, ev)
		db.Raw(t, &after, "SELECT count(*) FROM audit_events")
		if err != nil || changed || after != before {
			t.Errorf("a delete of nothing: got changed %v, %v, %d new events; want false, nil, none", changed, err, after-before)
		}
	})
}

// TestAuditedChangesCommitTogether makes a lane's group of changes, as concurrent requests'
// changes are made on PostgreSQL: together they are one transaction; when one of them
// fails, it fails alone and the others are made, each with its event.
func TestAuditedChangesCommitTogether(t *testing.T) {
	db := storetest.Open(t, postgresOnly(t))
	seeded(t, db)
	_, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example") // the sign-in starts Paris's chain
	paris := admin.Home.ID
	ctx := context.Background()
	group := func(names ...string) []error {
		sqls, args, evs := make([]string, len(names)), make([][]any, len(names)), make([]*regent.AuditEvent, len(names))
		for i, name := range names {
			id := regent.NewID()
			sqls[i] = "INSERT INTO skills (id, tenant_id, created_at, updated_at, created_by_name, updated_by_name, version, name, channel, direction) VALUES (?, ?, ?, ?, '', '', 1, ?, 'phone', 'inbound')"
			args[i] = []any{id, paris, time.Now(), time.Now(), name}
			evs[i] = &regent.AuditEvent{ID: regent.NewID(), Time: time.Now(), Action: "skill.create", Outcome: regent.OutcomeSuccess,
				TenantID: paris, TargetType: "skill", TargetID: id, After: []byte(fmt.Sprintf(`{"name":%q}`, name))}
		}
		return db.WriteAuditedTogether(ctx, sqls, args, evs)
	}
	transactions := func(prefix string) (rows, txs, events int64) {
		db.Raw(t, &rows, "SELECT count(*) FROM skills WHERE name ILIKE ?", prefix+"%")
		db.Raw(t, &txs, "SELECT count(DISTINCT xmin::text) FROM skills WHERE name ILIKE ?", prefix+"%")
		db.Raw(t, &events, "SELECT count(*) FROM audit_events e JOIN skills s ON e.target_id = s.id::text WHERE s.name ILIKE ?", prefix+"%")
		return
	}

	for i, err := range group("Together 1", "Together 2", "Together 3", "Together 4") {
		if err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
	}
	if rows, txs, events := transactions("Together"); rows != 4 || txs != 1 || events != 4 {
		t.Errorf("a group of four: %d rows in %d transactions with %d events; want 4 in 1 with 4", rows, txs, events)
	}

	// The third takes the first's name: the group is rolled back, and its changes are made
	// again each on its own, at the same time, as their requests would; one of the two
	// with the same name wins.
	errs := group("Apart 1", "Apart 2", "apart 1", "Apart 3")
	if errs[1] != nil || errs[3] != nil || (errs[0] == nil) == (errs[2] == nil) {
		t.Errorf("got %v; want exactly one of the first and third (the same name) to fail", errs)
	}
	for _, err := range []error{errs[0], errs[2]} {
		if err != nil && regent.ErrorCode(gormstore.Translate(err)) != regent.ECONFLICT {
			t.Errorf("the taken name: got %v, want a conflict", err)
		}
	}
	if rows, txs, events := transactions("Apart"); rows != 3 || txs != 3 || events != 3 {
		t.Errorf("a group with a failure: %d rows in %d transactions with %d events; want 3 in 3 with 3", rows, txs, events)
	}
	mustVerify(t, db)
}

// postgresOnly returns the PostgreSQL dialect, or skips a test of what only PostgreSQL
// does (mandatory under CI=true, as every PostgreSQL suite).
func postgresOnly(t *testing.T) string {
	t.Helper()
	for _, d := range storetest.Dialects(t) {
		if d == gormstore.DialectPostgres {
			return d
		}
	}
	t.Skip("PostgreSQL only: set REGENT_TEST_DATABASE_URL")
	return ""
}

// TestAuditedChangeTellsItsCallerTheTruth holds a chain's head, as an ordinary transaction
// does until its commit, while changes wait for it: a caller that gives up is told the
// change was not made, and it is not made, even after the head is free; a caller that waits
// gets its change and its event. Whichever way it goes, what the caller is told is what
// happened.
func TestAuditedChangeTellsItsCallerTheTruth(t *testing.T) {
	db := storetest.Open(t, postgresOnly(t))
	seeded(t, db)
	ctx, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
	paris := admin.Home.ID
	skills := gormstore.NewSkillService(db)
	for _, c := range []struct {
		name     string
		hold     time.Duration
		deadline time.Duration
	}{
		{"Gave up", time.Second, 300 * time.Millisecond},
		// Past the deadline, but within the time a group waits for a lock: the group still
		// commits, and its callers must hear so.
		{"Outwaited", 60 * time.Millisecond, 30 * time.Millisecond},
		{"Waited", 300 * time.Millisecond, 10 * time.Second},
	} {
		release := db.HoldChainHead(t, paris)
		time.AfterFunc(c.hold, release)
		var wg sync.WaitGroup
		errs := make([]error, 24)
		for i := range errs {
			wg.Go(func() {
				cctx, cancel := context.WithTimeout(ctx, c.deadline)
				defer cancel()
				_, errs[i] = skills.Create(cctx, paris, &regent.Skill{Name: fmt.Sprintf("%s %d", c.name, i), Channel: "phone", Direction: "inbound"})
			})
		}
		wg.Wait()
		time.Sleep(c.hold) // the head is free again: nothing more may happen
		for i, err := range errs {
			var rows, events int64
			name := fmt.Sprintf("%s %d", c.name, i)
			db.Raw(t, &rows, "SELECT count(*) FROM skills WHERE name = ?", name)
			db.Raw(t, &events, "SELECT count(*) FROM audit_events e JOIN skills s ON e.target_id = s.id::text WHERE s.name = ?", name)
			if (err == nil) != (rows == 1) || rows != events {
				t.Errorf("%s: told %v, and %d rows with %d events were made", name, err, rows, events)
			}
			if c.name == "Waited" && err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
	mustVerify(t, db)
}

// TestAuditedChangesPassAHeldChain holds one chain's head while a change of another chain
// (one of the same lane, as the lanes would group them) is in one group with a change of the
// held one: the group gives up waiting, and the other change is made while the head is
// still held.
func TestAuditedChangesPassAHeldChain(t *testing.T) {
	db := storetest.Open(t, postgresOnly(t))
	seeded(t, db)
	_, admin := callerCtx(t, db, "tenant-admin@paris.lsp.example")
	held := admin.Home.ID
	other := "" // a chain of the same lane, for events of records of the held tenant
	for i := 0; other == ""; i++ {
		if c := fmt.Sprintf("00000000-0000-7000-8000-%012d", 5000+i); db.SameLane(held, c) {
			other = c
		}
	}
	db.Exec(t, "INSERT INTO audit_chain_heads (chain, seq, hash) VALUES (?, 0, ?) ON CONFLICT DO NOTHING", other, regent.GenesisHash)
	release := db.HoldChainHead(t, held)
	defer release()
	sqls, args, evs := []string{}, [][]any{}, []*regent.AuditEvent{}
	for i, chain := range []string{held, other} {
		id := regent.NewID()
		sqls = append(sqls, "INSERT INTO skills (id, tenant_id, created_at, updated_at, created_by_name, updated_by_name, version, name, channel, direction) VALUES (?, ?, ?, ?, '', '', 1, ?, 'phone', 'inbound')")
		args = append(args, []any{id, held, time.Now(), time.Now(), fmt.Sprintf("Passing %d", i)})
		evs = append(evs, &regent.AuditEvent{ID: regent.NewID(), Time: time.Now(), Action: "skill.create", Outcome: regent.OutcomeSuccess,
			TenantID: chain, TargetType: "skill", TargetID: id})
	}
	done := make(chan []error, 1)
	go func() { done <- db.WriteAuditedTogether(context.Background(), sqls, args, evs) }()
	made := false
	for deadline := time.Now().Add(10 * time.Second); !made && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var n int64
		db.Raw(t, &n, "SELECT count(*) FROM skills WHERE name = 'Passing 1'")
		made = n == 1
	}
	release()
	errs := <-done
	if !made {
		t.Error("the other chain's change waited for the held chain")
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("change %d: %v", i, err)
		}
	}
}

// TestAuditedChangeAfterClose: a change asked of a closed database is refused, not left
// waiting for lanes that have stopped.
func TestAuditedChangeAfterClose(t *testing.T) {
	db := storetest.Open(t, postgresOnly(t))
	db.Close()
	done := make(chan error, 1)
	go func() {
		ev := &regent.AuditEvent{ID: regent.NewID(), Time: time.Now(), Action: "skill.delete", Outcome: regent.OutcomeSuccess}
		_, err := db.WriteAudited(context.Background(), "DELETE FROM skills WHERE id = ?", []any{regent.NewID()}, ev)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a change after Close: got no error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a change after Close is still waiting")
	}
}

// mustVerify fails the test unless every chain verifies.
func mustVerify(t *testing.T, db *gormstore.DB) {
	t.Helper()
	if rep, err := db.VerifyAudit(context.Background(), nil); err != nil || len(rep.Breaks) != 0 {
		t.Fatalf("verify: %+v %v", rep, err)
	}
}
