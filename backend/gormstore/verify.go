package gormstore

import (
	"bytes"
	"context"
	"database/sql"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

// VerifyAudit walks every chain of the audit trail in order, recomputing each event's hash,
// and reports per chain the first event that does not match: an edited event fails its own
// hash, a deleted one leaves a gap in the sequence, a reordered one carries the wrong
// previous hash, and a removed tail leaves the head ahead of the last event. Events are
// read through a cursor, so memory stays flat. progress, if set, is called every 10,000
// events.
func (db *DB) VerifyAudit(ctx context.Context, progress func(events int64)) (*regent.VerifyReport, error) {
	var rep *regent.VerifyReport
	// One snapshot for the whole walk: events that writers append meanwhile are neither seen
	// nor mistaken for a chain running past its head. (SQLite's read transaction is a
	// snapshot already.)
	var opts *sql.TxOptions
	if db.dialect == DialectPostgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	err := db.gdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		rep, err = verifyAudit(tx, progress)
		return err
	}, opts)
	return rep, err
}

func verifyAudit(tx *gorm.DB, progress func(events int64)) (*regent.VerifyReport, error) {
	var heads []auditChainHeadRow
	if err := tx.Order("chain").Find(&heads).Error; err != nil {
		return nil, err
	}
	rep := &regent.VerifyReport{Chains: len(heads)}
	// Every anchor must be on record in the global chain: an anchor slipped in by hand, to
	// make deleting events look like retention, has no audit.archive event to match.
	var anchors []auditAnchorRow
	if err := tx.Order("chain, seq").Find(&anchors).Error; err != nil {
		return nil, err
	}
	globalAnchored := false
	for _, a := range anchors {
		globalAnchored = globalAnchored || a.Chain == regent.GlobalChain
	}
	for _, a := range anchors {
		var n int64
		if err := tx.Model(&auditEventRow{}).
			Where("chain = ? AND action = ? AND detail = ?", regent.GlobalChain, "audit.archive", anchorDetail(&a)).Count(&n).Error; err != nil {
			return nil, err
		}
		if n == 0 && !globalAnchored {
			rep.Breaks = append(rep.Breaks, regent.ChainBreak{Chain: a.Chain, Seq: a.Seq, EventID: a.ID, Problem: "unrecorded anchor"})
		}
	}
	// One pass over the whole trail in seq order checks every chain at once. A chain's events
	// were written one after the other under its head's lock, so seq order is chain order,
	// and a chain that checks out here checks out in chain_seq order too. Any chain that does
	// not is walked again on its own in chain_seq order, which decides what is wrong with it,
	// exactly as if every chain had been walked that way. (A query per chain costs about half
	// a millisecond, which at 100,000 tenants was most of the time.)
	walks, unheaded, err := walkAudit(tx, heads, anchors, func() {
		rep.Events++
		if progress != nil && rep.Events%10000 == 0 {
			progress(rep.Events)
		}
	})
	if err != nil {
		return nil, err
	}
	// Regent writes every event through its chain's head. Events under a chain without one
	// were put there by hand: an INSERT passes the append-only triggers, so a forged chain
	// is the cheapest lie to tell, and it is reported like any other break.
	rep.Breaks = append(rep.Breaks, unheaded...)
	for _, head := range heads {
		if w := walks[head.Chain]; !w.bad && head.Seq == w.want-1 && bytes.Equal(head.Hash, w.prev) {
			continue
		}
		brk, err := verifyChain(tx, head)
		if err != nil {
			return nil, err
		}
		if brk != nil {
			rep.Breaks = append(rep.Breaks, *brk)
		}
	}
	return rep, nil
}

// chainWalk is where the one-pass check stands on a chain: the next position and previous
// hash it expects, or bad once something did not match.
type chainWalk struct {
	want int64
	prev []byte
	bad  bool
}

// walkAudit reads every event once, in seq order, and checks each against its chain's walk.
// It also returns, for each chain that has events but no head, a break at its first event.
func walkAudit(tx *gorm.DB, heads []auditChainHeadRow, anchors []auditAnchorRow, tick func()) (map[string]*chainWalk, []regent.ChainBreak, error) {
	walks := make(map[string]*chainWalk, len(heads))
	for _, h := range heads {
		walks[h.Chain] = &chainWalk{want: 1, prev: regent.GenesisHash}
	}
	for _, a := range anchors { // ordered by chain, seq: the last one of a chain wins
		if w := walks[a.Chain]; w != nil {
			w.want, w.prev = a.Seq+1, a.Hash
		}
	}
	rows, err := tx.Raw("SELECT " + auditEventColumns + " FROM audit_events ORDER BY seq").Rows()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var (
		row      auditEventRow
		unheaded []regent.ChainBreak
		seen     = map[string]bool{}
	)
	for rows.Next() {
		if err := scanAuditRow(rows, &row); err != nil {
			return nil, nil, err
		}
		tick()
		w := walks[row.Chain]
		if w == nil {
			if !seen[row.Chain] {
				seen[row.Chain] = true
				unheaded = append(unheaded, regent.ChainBreak{Chain: row.Chain, EventID: row.ID, Seq: row.ChainSeq, Problem: "unheaded"})
			}
			continue
		}
		if w.bad {
			continue
		}
		ev := row.domain()
		if ev.ChainSeq != w.want || !bytes.Equal(ev.PrevHash, w.prev) || !bytes.Equal(ev.ComputeHash(), ev.Hash) {
			w.bad = true
			continue
		}
		w.want, w.prev = w.want+1, ev.Hash
	}
	return walks, unheaded, rows.Err()
}

// verifyChain walks one chain in chain_seq order and returns its first break, if any.
func verifyChain(tx *gorm.DB, head auditChainHeadRow) (*regent.ChainBreak, error) {
	prev, want := regent.GenesisHash, int64(1)
	// After retention the chain starts at its latest anchor: the archived prefix lives in
	// the archive file, and the anchor holds the hash the next event must continue from.
	anchor, err := latestAnchor(tx, head.Chain)
	if err != nil {
		return nil, err
	}
	if anchor != nil {
		prev, want = anchor.Hash, anchor.Seq+1
	}
	rows, err := tx.Raw("SELECT "+auditEventColumns+" FROM audit_events WHERE chain = ? ORDER BY chain_seq", head.Chain).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var last *regent.AuditEvent
	var brk *regent.ChainBreak
	for brk == nil && rows.Next() { // the first break is the one reported
		var row auditEventRow
		if err := scanAuditRow(rows, &row); err != nil {
			return nil, err
		}
		ev := row.domain()
		switch {
		case ev.ChainSeq != want:
			brk = &regent.ChainBreak{Chain: head.Chain, EventID: ev.ID, Seq: ev.ChainSeq, Problem: "missing"}
		case !bytes.Equal(ev.PrevHash, prev):
			brk = &regent.ChainBreak{Chain: head.Chain, EventID: ev.ID, Seq: ev.ChainSeq, Problem: "reordered"}
		case !bytes.Equal(ev.ComputeHash(), ev.Hash):
			brk = &regent.ChainBreak{Chain: head.Chain, EventID: ev.ID, Seq: ev.ChainSeq, Problem: "edited"}
		}
		prev, want, last = ev.Hash, want+1, ev
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if brk == nil && (head.Seq != want-1 || !bytes.Equal(head.Hash, prev)) {
		brk = &regent.ChainBreak{Chain: head.Chain, Seq: want - 1, Problem: "truncated"}
		if last != nil {
			brk.EventID = last.ID
		}
	}
	return brk, nil
}
