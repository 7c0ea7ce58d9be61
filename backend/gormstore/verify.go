package gormstore

import (
	"bytes"
	"context"

	"github.com/regent/regent"
)

// VerifyAudit walks every chain of the audit trail in order, recomputing each event's hash,
// and reports per chain the first event that does not match: an edited event fails its own
// hash, a deleted one leaves a gap in the sequence, a reordered one carries the wrong
// previous hash, and a removed tail leaves the head ahead of the last event. Events are
// read through a cursor, so memory stays flat. progress, if set, is called every 10,000
// events.
func (db *DB) VerifyAudit(ctx context.Context, progress func(events int64)) (*regent.VerifyReport, error) {
	var heads []auditChainHeadRow
	if err := db.gdb.WithContext(ctx).Order("chain").Find(&heads).Error; err != nil {
		return nil, err
	}
	rep := &regent.VerifyReport{Chains: len(heads)}
	// Every anchor must be on record in the global chain: an anchor slipped in by hand, to
	// make deleting events look like retention, has no audit.archive event to match.
	var anchors []auditAnchorRow
	if err := db.gdb.WithContext(ctx).Order("chain, seq").Find(&anchors).Error; err != nil {
		return nil, err
	}
	globalAnchored := false
	for _, a := range anchors {
		globalAnchored = globalAnchored || a.Chain == regent.GlobalChain
	}
	for _, a := range anchors {
		var n int64
		if err := db.gdb.WithContext(ctx).Model(&auditEventRow{}).
			Where("chain = ? AND action = ? AND detail = ?", regent.GlobalChain, "audit.archive", anchorDetail(&a)).Count(&n).Error; err != nil {
			return nil, err
		}
		if n == 0 && !globalAnchored {
			rep.Breaks = append(rep.Breaks, regent.ChainBreak{Chain: a.Chain, Seq: a.Seq, EventID: a.ID, Problem: "unrecorded anchor"})
		}
	}
	for _, head := range heads {
		brk, err := db.verifyChain(ctx, head, func() {
			rep.Events++
			if progress != nil && rep.Events%10000 == 0 {
				progress(rep.Events)
			}
		})
		if err != nil {
			return nil, err
		}
		if brk != nil {
			rep.Breaks = append(rep.Breaks, *brk)
		}
	}
	return rep, nil
}

func (db *DB) verifyChain(ctx context.Context, head auditChainHeadRow, tick func()) (*regent.ChainBreak, error) {
	rows, err := db.gdb.WithContext(ctx).Model(&auditEventRow{}).Where("chain = ?", head.Chain).Order("chain_seq").Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	prev, want := regent.GenesisHash, int64(1)
	// After retention the chain starts at its latest anchor: the archived prefix lives in
	// the archive file, and the anchor holds the hash the next event must continue from.
	anchor, err := latestAnchor(db.gdb.WithContext(ctx), head.Chain)
	if err != nil {
		return nil, err
	}
	if anchor != nil {
		prev, want = anchor.Hash, anchor.Seq+1
	}
	var last *regent.AuditEvent
	var brk *regent.ChainBreak
	for rows.Next() {
		var row auditEventRow
		if err := db.gdb.ScanRows(rows, &row); err != nil {
			return nil, err
		}
		tick()
		if brk != nil {
			continue // count the rest, report the first break
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
