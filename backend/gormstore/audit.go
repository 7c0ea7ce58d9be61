package gormstore

import (
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
// trail. The chain's head row is locked for the rest of the transaction (SELECT … FOR UPDATE
// on PostgreSQL; SQLite has one writer at a time anyway), so concurrent writers extend a
// chain one after the other and can never fork it.
func appendAudit(tx *gorm.DB, ev *regent.AuditEvent) error {
	head, err := lockChainHead(tx, regent.ChainOf(ev.TenantID))
	if err != nil {
		return err
	}
	ChainEvent(ev, head.Seq, head.Hash)
	row := auditEventRow{
		ID: ev.ID, Time: ev.Time, Action: ev.Action, Outcome: ev.Outcome,
		ActorID: nullable(ev.ActorID), ActorEmail: ev.ActorEmail, ActorName: ev.ActorName,
		PrincipalID: nullable(ev.PrincipalID), PrincipalName: ev.PrincipalName,
		SessionID: nullable(ev.SessionID), TenantID: nullable(ev.TenantID),
		TargetType: ev.TargetType, TargetID: ev.TargetID,
		Detail: ev.Detail, IP: ev.IP, UserAgent: ev.UserAgent, RequestID: ev.RequestID,
	}
	if len(ev.Before) > 0 {
		s := string(ev.Before)
		row.Before = &s
	}
	if len(ev.After) > 0 {
		s := string(ev.After)
		row.After = &s
	}
	row.Chain, row.ChainSeq, row.PrevHash, row.Hash = ev.Chain, ev.ChainSeq, ev.PrevHash, ev.Hash
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	return tx.Model(&auditChainHeadRow{}).Where("chain = ?", ev.Chain).
		Updates(map[string]any{"seq": ev.ChainSeq, "hash": ev.Hash}).Error
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

// lockChainHead returns the chain's head, locked until the transaction ends, creating the
// chain on its first event.
func lockChainHead(tx *gorm.DB, chain string) (*auditChainHeadRow, error) {
	lock := " FOR UPDATE"
	if tx.Dialector.Name() == "sqlite" {
		lock = ""
	}
	var head auditChainHeadRow
	for attempt := 0; attempt < 2; attempt++ {
		res := tx.Raw("SELECT chain, seq, hash FROM audit_chain_heads WHERE chain = ?"+lock, chain).Scan(&head)
		if res.Error != nil {
			return nil, res.Error
		} else if res.RowsAffected == 1 {
			return &head, nil
		}
		// A new chain. Of concurrent first writers one inserts; the others wait on the key,
		// insert nothing, and lock the row on the next read.
		if err := tx.Exec("INSERT INTO audit_chain_heads (chain, seq, hash) VALUES (?, 0, ?) ON CONFLICT (chain) DO NOTHING",
			chain, regent.GenesisHash).Error; err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("audit chain %q: head missing after insert", chain)
}
