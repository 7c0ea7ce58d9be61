package gormstore

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

type auditAnchorRow struct {
	ID            string
	Chain         string
	Seq           int64
	Hash          []byte
	Events        int64
	Archive       string
	ArchiveSHA256 string `gorm:"column:archive_sha256"`
	ArchivedAt    time.Time
}

func (auditAnchorRow) TableName() string { return "audit_anchors" }

// latestAnchor returns the newest anchor of a chain, or nil.
func latestAnchor(db *gorm.DB, chain string) (*auditAnchorRow, error) {
	var a auditAnchorRow
	err := db.Where("chain = ?", chain).Order("seq DESC").Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	return &a, err
}

// archivedEvent is an event as the archive file holds it: everything verify needs.
type archivedEvent struct {
	ID            string          `json:"id"`
	Time          time.Time       `json:"time"`
	Action        string          `json:"action"`
	Outcome       string          `json:"outcome"`
	ActorID       string          `json:"actorId,omitempty"`
	ActorEmail    string          `json:"actorEmail,omitempty"`
	ActorName     string          `json:"actorName,omitempty"`
	PrincipalID   string          `json:"principalId,omitempty"`
	PrincipalName string          `json:"principalName,omitempty"`
	SessionID     string          `json:"sessionId,omitempty"`
	TenantID      string          `json:"tenantId,omitempty"`
	TargetType    string          `json:"targetType,omitempty"`
	TargetID      string          `json:"targetId,omitempty"`
	Before        json.RawMessage `json:"before,omitempty"`
	After         json.RawMessage `json:"after,omitempty"`
	Detail        string          `json:"detail,omitempty"`
	IP            string          `json:"ip,omitempty"`
	UserAgent     string          `json:"userAgent,omitempty"`
	RequestID     string          `json:"requestId,omitempty"`
	Chain         string          `json:"chain"`
	ChainSeq      int64           `json:"chainSeq"`
	PrevHash      string          `json:"prevHash"`
	Hash          string          `json:"hash"`
}

// ArchiveAudit moves, per chain, the prefix of events older than cutoff into a JSON-lines
// file under dir, then anchors the chain at the last archived event and deletes the prefix,
// in one transaction with an audit.archive event in the global chain. The chain stays
// verifiable: verify starts from the anchor. Only whole prefixes are archived, so a chain
// never has a hole; the database refuses to delete anything an anchor does not cover.
func (db *DB) ArchiveAudit(ctx context.Context, cutoff time.Time, dir string) ([]regent.ArchivedSegment, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	g := db.gdb.WithContext(ctx)
	var heads []auditChainHeadRow
	if err := g.Where("chain <> ?", regent.GlobalChain).Order("chain").Find(&heads).Error; err != nil {
		return nil, err
	}
	// The global chain goes last, so that the audit.archive events the other chains add to
	// it are never archived in the same run.
	var global []auditChainHeadRow
	if err := g.Where("chain = ?", regent.GlobalChain).Find(&global).Error; err != nil {
		return nil, err
	}
	heads = append(heads, global...)
	var out []regent.ArchivedSegment
	for _, h := range heads {
		seg, err := db.archiveChain(ctx, h.Chain, cutoff, dir)
		if err != nil {
			return out, fmt.Errorf("chain %s: %w", h.Chain, err)
		}
		if seg != nil {
			out = append(out, *seg)
		}
	}
	return out, nil
}

func (db *DB) archiveChain(ctx context.Context, chain string, cutoff time.Time, dir string) (*regent.ArchivedSegment, error) {
	g := db.gdb.WithContext(ctx)
	anchor, err := latestAnchor(g, chain)
	if err != nil {
		return nil, err
	}
	from := int64(1)
	if anchor != nil {
		from = anchor.Seq + 1
	}
	var to []int64
	if err := g.Model(&auditEventRow{}).Where("chain = ? AND chain_seq >= ? AND time < ?", chain, from, cutoff).
		Order("chain_seq DESC").Limit(1).Pluck("chain_seq", &to).Error; err != nil {
		return nil, err
	}
	if len(to) == 0 {
		return nil, nil
	}
	seg := &regent.ArchivedSegment{Chain: chain, FromSeq: from, ToSeq: to[0]}
	seg.File = filepath.Join(dir, fmt.Sprintf("audit-%s-%d-%d.jsonl", strings.ReplaceAll(chain, "/", "_"), from, to[0]))
	var lastHash []byte
	if seg.Events, seg.SHA256, lastHash, err = db.writeSegment(ctx, seg); err != nil {
		return nil, err
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		a := auditAnchorRow{ID: regent.NewID(), Chain: chain, Seq: seg.ToSeq, Hash: lastHash, Events: seg.Events,
			Archive: filepath.Base(seg.File), ArchiveSHA256: seg.SHA256, ArchivedAt: db.now()}
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		ev := db.newEvent(ctx, "audit.archive", regent.OutcomeSuccess)
		ev.ActorName, ev.PrincipalName = "system", "system"
		ev.TargetType, ev.TargetID = "audit_chain", chain
		ev.Detail = anchorDetail(&a)
		if err := appendAudit(tx, ev); err != nil {
			return err
		}
		res := tx.Where("chain = ? AND chain_seq >= ? AND chain_seq <= ?", chain, seg.FromSeq, seg.ToSeq).Delete(&auditEventRow{})
		if res.Error != nil {
			return res.Error
		} else if res.RowsAffected != seg.Events {
			return fmt.Errorf("deleted %d events, archived %d", res.RowsAffected, seg.Events)
		}
		return nil
	})
	if err != nil {
		os.Remove(seg.File)
		return nil, err
	}
	return seg, nil
}

// anchorDetail is what the global chain records of an anchor; verify looks for it.
func anchorDetail(a *auditAnchorRow) string {
	return fmt.Sprintf("chain=%s seq=%d hash=%s events=%d archive=%s sha256=%s",
		a.Chain, a.Seq, hex.EncodeToString(a.Hash), a.Events, a.Archive, a.ArchiveSHA256)
}

// writeSegment streams the chain's events [FromSeq, ToSeq] to the file, checking the chain
// as it goes (an archive of a broken chain would launder the break), and returns the count,
// the file's SHA-256 and the last event's hash.
func (db *DB) writeSegment(ctx context.Context, seg *regent.ArchivedSegment) (int64, string, []byte, error) {
	f, err := os.OpenFile(seg.File, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return 0, "", nil, err
	}
	defer f.Close()
	sum := sha256.New()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(&teeWriter{w, sum})
	rows, err := db.gdb.WithContext(ctx).Model(&auditEventRow{}).
		Where("chain = ? AND chain_seq >= ? AND chain_seq <= ?", seg.Chain, seg.FromSeq, seg.ToSeq).Order("chain_seq").Rows()
	if err != nil {
		return 0, "", nil, err
	}
	defer rows.Close()
	var n int64
	var last []byte
	want := seg.FromSeq
	for rows.Next() {
		var r auditEventRow
		if err := db.gdb.ScanRows(rows, &r); err != nil {
			return 0, "", nil, err
		}
		ev := r.domain()
		if ev.ChainSeq != want || (last != nil && string(ev.PrevHash) != string(last)) || string(ev.ComputeHash()) != string(ev.Hash) {
			return 0, "", nil, fmt.Errorf("the chain does not verify at seq %d: run regent audit verify", ev.ChainSeq)
		}
		a := archivedEvent{ID: ev.ID, Time: ev.Time, Action: ev.Action, Outcome: ev.Outcome, ActorID: ev.ActorID,
			ActorEmail: ev.ActorEmail, ActorName: ev.ActorName, PrincipalID: ev.PrincipalID, PrincipalName: ev.PrincipalName,
			SessionID: ev.SessionID, TenantID: ev.TenantID, TargetType: ev.TargetType, TargetID: ev.TargetID,
			Before: json.RawMessage(ev.Before), After: json.RawMessage(ev.After), Detail: ev.Detail, IP: ev.IP,
			UserAgent: ev.UserAgent, RequestID: ev.RequestID, Chain: ev.Chain, ChainSeq: ev.ChainSeq,
			PrevHash: hex.EncodeToString(ev.PrevHash), Hash: hex.EncodeToString(ev.Hash)}
		if len(a.Before) == 0 {
			a.Before = nil
		}
		if len(a.After) == 0 {
			a.After = nil
		}
		if err := enc.Encode(a); err != nil {
			return 0, "", nil, err
		}
		n, want, last = n+1, want+1, ev.Hash
	}
	if err := rows.Err(); err != nil {
		return 0, "", nil, err
	}
	if err := w.Flush(); err != nil {
		return 0, "", nil, err
	}
	if err := f.Sync(); err != nil {
		return 0, "", nil, err
	}
	return n, hex.EncodeToString(sum.Sum(nil)), last, nil
}

type teeWriter struct {
	w   *bufio.Writer
	sum interface{ Write([]byte) (int, error) }
}

func (t *teeWriter) Write(p []byte) (int, error) {
	t.sum.Write(p)
	return t.w.Write(p)
}
