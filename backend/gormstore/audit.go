package gormstore

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

// newEvent starts an audit event from what the context knows: the request and, when signed
// in, the caller as actor and principal.
func (db *DB) newEvent(ctx context.Context, action, outcome string) *regent.AuditEvent {
	ri := regent.RequestInfoFromContext(ctx)
	ev := &regent.AuditEvent{
		ID: regent.NewID(), Time: db.now(), Action: action, Outcome: outcome,
		IP: ri.IP, UserAgent: ri.UserAgent, RequestID: ri.RequestID,
	}
	if c := regent.CallerFromContext(ctx); c != nil && c.User != nil {
		ev.ActorID, ev.ActorEmail, ev.ActorName = c.User.ID, c.User.Email, c.User.Name
		p := c.Author()
		ev.PrincipalID, ev.PrincipalName = p.ID, p.Name
		if c.Impersonating() {
			ev.SessionID, ev.TenantID = c.Impersonation.ID, c.Impersonation.TenantID
		}
	}
	return ev
}

// withActor sets the actor and principal to u (for events written before a caller exists,
// such as a sign-in).
func withActor(ev *regent.AuditEvent, u *regent.User) *regent.AuditEvent {
	ev.ActorID, ev.ActorEmail, ev.ActorName = u.ID, u.Email, u.Name
	ev.PrincipalID, ev.PrincipalName = u.ID, u.Name
	ev.TenantID = u.HomeTenantID
	return ev
}

// appendAudit writes ev inside tx, extending its chain. It is the only writer of the audit
// trail. The chain's head row stays locked for the rest of the transaction, so concurrent
// writers extend a chain one after the other and can never fork it.
//
// On PostgreSQL one statement moves the head and inserts the event: the head's UPDATE
// takes the row lock, computes the event's hash from the head's hash and the event's
// canonical encoding (regent.AuditEvent.CanonicalParts) with the database's sha256, and
// hands position and hashes to the INSERT. Under READ COMMITTED a writer that waited for
// the lock re-reads the head that the other committed, so the chain is extended from its
// latest event. The hash that comes back is checked against ComputeHash before the
// transaction can commit: an event that would not verify is never written. SQLite, one
// writer at a time, reads the head, hashes in Go and writes the event and the head.
func appendAudit(tx *gorm.DB, ev *regent.AuditEvent) error {
	// Hash exactly what the database will give back: both keep microseconds, in UTC.
	ev.Time = ev.Time.UTC().Truncate(time.Microsecond)
	ev.Chain = regent.ChainOf(ev.TenantID)
	row := newAuditEventRow(ev)
	if tx.Dialector.Name() != "postgres" {
		head, err := chainHead(tx, ev.Chain)
		if err != nil {
			return err
		}
		ChainEvent(ev, head.Seq, head.Hash)
		row.ChainSeq, row.PrevHash, row.Hash = ev.ChainSeq, ev.PrevHash, ev.Hash
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		return tx.Model(&auditChainHeadRow{}).Where("chain = ?", ev.Chain).
			Updates(map[string]any{"seq": ev.ChainSeq, "prev_hash": ev.PrevHash, "hash": ev.Hash}).Error
	}
	before, after := ev.CanonicalParts()
	for attempt := 0; attempt < 2; attempt++ {
		var placed []auditChainHeadRow
		err := scan(tx.Raw(appendEventSQL, before, after, ev.Chain,
			row.ID, row.Time, row.Action, row.Outcome, row.ActorID, row.ActorEmail, row.ActorName,
			row.PrincipalID, row.PrincipalName, row.SessionID, row.TenantID, row.TargetType, row.TargetID,
			row.Before, row.After, row.Detail, row.IP, row.UserAgent, row.RequestID), &placed)
		if err != nil {
			return err
		}
		if len(placed) == 1 {
			ev.ChainSeq, ev.PrevHash, ev.Hash = placed[0].Seq, placed[0].PrevHash, placed[0].Hash
			if want := ev.ComputeHash(); !bytes.Equal(ev.Hash, want) {
				return fmt.Errorf("audit chain %q: the database hashed event %d as %x, not %x", ev.Chain, ev.ChainSeq, ev.Hash, want)
			}
			return nil
		}
		// A new chain: no head to move, so nothing was inserted. Of concurrent first
		// writers one creates the head; the others wait on its key and move it next time.
		if err := createChainHead(tx, ev.Chain); err != nil {
			return err
		}
	}
	return fmt.Errorf("audit chain %q: head missing after insert", ev.Chain)
}

// appendEventSQL moves a chain's head one place and inserts the event there, on
// PostgreSQL. Its parameters: the canonical encoding before and after the position's
// digits, the chain, then the event's columns (typed: a parameter in a SELECT list would
// otherwise be text). In SET every column on the right is the
// head before the update, so prev_hash keeps the hash that the new one is computed from.
const appendEventSQL = `WITH head AS (
	UPDATE audit_chain_heads
	SET seq = seq + 1, prev_hash = hash,
		hash = sha256(hash || ?::bytea || convert_to((seq + 1)::text, 'UTF8') || ?::bytea)
	WHERE chain = ?
	RETURNING chain, seq, prev_hash, hash)
INSERT INTO audit_events (id, time, action, outcome, actor_id, actor_email, actor_name,
	principal_id, principal_name, session_id, tenant_id, target_type, target_id,
	before, after, detail, ip, user_agent, request_id, chain, chain_seq, prev_hash, hash)
SELECT ?::uuid, ?::timestamptz, ?, ?, ?::uuid, ?, ?, ?::uuid, ?, ?::uuid, ?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, head.chain, head.seq, head.prev_hash, head.hash
FROM head
RETURNING chain, chain_seq AS seq, prev_hash, hash`

func newAuditEventRow(ev *regent.AuditEvent) *auditEventRow {
	row := &auditEventRow{
		ID: ev.ID, Time: ev.Time, Action: ev.Action, Outcome: ev.Outcome,
		ActorID: nullable(ev.ActorID), ActorEmail: ev.ActorEmail, ActorName: ev.ActorName,
		PrincipalID: nullable(ev.PrincipalID), PrincipalName: ev.PrincipalName,
		SessionID: nullable(ev.SessionID), TenantID: nullable(ev.TenantID),
		TargetType: ev.TargetType, TargetID: ev.TargetID,
		Detail: ev.Detail, IP: ev.IP, UserAgent: ev.UserAgent, RequestID: ev.RequestID,
		Chain: ev.Chain,
	}
	if len(ev.Before) > 0 {
		s := string(ev.Before)
		row.Before = &s
	}
	if len(ev.After) > 0 {
		s := string(ev.After)
		row.After = &s
	}
	return row
}

// ChainEvent places ev after its chain's head (headSeq, headHash): it sets the chain, the
// position, the previous hash and the event's own hash, after normalising the time to what
// the database keeps. The writer calls it for every event under the head's lock; a bulk
// loader of a throw-away database (regent-bench) calls it too, so that what it writes
// verifies exactly as the writer's own events do. It writes nothing.
func ChainEvent(ev *regent.AuditEvent, headSeq int64, headHash []byte) {
	// Hash exactly what the database will give back: both keep microseconds, in UTC.
	ev.Time = ev.Time.UTC().Truncate(time.Microsecond)
	ev.Chain = regent.ChainOf(ev.TenantID)
	ev.ChainSeq, ev.PrevHash = headSeq+1, headHash
	ev.Hash = ev.ComputeHash()
}

// chainHead returns the chain's head on SQLite (whose single writer needs no row lock),
// creating the chain on its first event.
func chainHead(tx *gorm.DB, chain string) (*auditChainHeadRow, error) {
	for attempt := 0; attempt < 2; attempt++ {
		var heads []auditChainHeadRow
		if err := scan(tx.Raw("SELECT chain, seq, hash FROM audit_chain_heads WHERE chain = ?", chain), &heads); err != nil {
			return nil, err
		} else if len(heads) == 1 {
			return &heads[0], nil
		}
		if err := createChainHead(tx, chain); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("audit chain %q: head missing after insert", chain)
}

// createChainHead starts a chain at the genesis hash, unless someone already has.
func createChainHead(tx *gorm.DB, chain string) error {
	return tx.Exec("INSERT INTO audit_chain_heads (chain, seq, hash) VALUES (?, 0, ?) ON CONFLICT (chain) DO NOTHING",
		chain, regent.GenesisHash).Error
}
