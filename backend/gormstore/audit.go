package gormstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
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
		if err := scan(tx.Raw(appendEventSQL, eventArgs(before, after, row)...), &placed); err != nil {
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

// The event's statement on PostgreSQL, in two parts. moveHeadSQL moves a chain's head one
// place and computes the event's hash from the head's hash and the canonical encoding
// around the position's digits (its parameters: before, after, the chain). insertEventSQL
// inserts the event at the place the head's RETURNING gives (its parameters: the event's
// columns, typed, since a parameter in a SELECT list would otherwise be text). In SET every
// column on the right is the head before the update, so prev_hash keeps the hash that the
// new one is computed from. Each has one %s: more of the WHERE clause, and the FROM clause.
const (
	moveHeadSQL = `head AS (
	UPDATE audit_chain_heads
	SET seq = seq + 1, prev_hash = hash,
		hash = sha256(hash || ?::bytea || convert_to((seq + 1)::text, 'UTF8') || ?::bytea)
	WHERE chain = ?%s
	RETURNING chain, seq, prev_hash, hash)`
	insertEventSQL = `INSERT INTO audit_events (id, time, action, outcome, actor_id, actor_email, actor_name,
	principal_id, principal_name, session_id, tenant_id, target_type, target_id,
	before, after, detail, ip, user_agent, request_id, chain, chain_seq, prev_hash, hash)
SELECT ?::uuid, ?::timestamptz, ?, ?, ?::uuid, ?, ?, ?::uuid, ?, ?::uuid, ?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, head.chain, head.seq, head.prev_hash, head.hash
%s
RETURNING chain, chain_seq AS seq, prev_hash, hash`
)

// appendEventSQL moves a chain's head one place and inserts the event there, on PostgreSQL.
var appendEventSQL = "WITH " + fmt.Sprintf(moveHeadSQL, "") + "\n" + fmt.Sprintf(insertEventSQL, "FROM head")

// eventArgs are the parameters of moveHeadSQL and then insertEventSQL.
func eventArgs(before, after []byte, row *auditEventRow) []any {
	return []any{before, after, row.Chain,
		row.ID, row.Time, row.Action, row.Outcome, row.ActorID, row.ActorEmail, row.ActorName,
		row.PrincipalID, row.PrincipalName, row.SessionID, row.TenantID, row.TargetType, row.TargetID,
		row.Before, row.After, row.Detail, row.IP, row.UserAgent, row.RequestID}
}

// auditedChange is a change to at most one row of a table that Authenticate does not read:
// an INSERT, or an UPDATE or DELETE by key, with ? placeholders and without RETURNING.
// writeAudited makes it together with its event.
type auditedChange struct {
	sql  string
	args []any
}

// changeWithEventSQL makes change and appends its event in one statement on PostgreSQL.
// The head moves only if the change touched a row, and the event is inserted once for the
// change, joined to the moved head: were the head missing, its columns would be NULL, the
// event would break its NOT NULL constraints and the whole statement, change included,
// would fail. So the change is never made without its event, though no transaction is
// opened around them.
func changeWithEventSQL(change string) string {
	return "WITH change AS (" + change + " RETURNING 1),\n" +
		fmt.Sprintf(moveHeadSQL, " AND EXISTS (SELECT FROM change)") + "\n" +
		fmt.Sprintf(insertEventSQL, "FROM (SELECT FROM change LIMIT 1) AS changed LEFT JOIN head ON true")
}

// writeAudited makes change and writes ev, the event that describes it, atomically. It
// reports whether the change touched a row; when it did not, no event is written.
//
// On PostgreSQL the change and the event are one statement (changeWithEventSQL), which
// goes through its chain's lane (auditgroup.go): alone, it is one round trip and its own
// transaction; beside the statements of concurrent requests, they share one transaction and
// its commit. Either way this returns after the commit, so the comparison of the returned
// hash with Go's, which appendAudit makes before COMMIT, is made after it: Open checked
// that the database hashes exactly as Go does (checkDatabaseHashing), and a difference
// here is logged as an error naming the event, which `regent audit verify` would report.
// On SQLite the change and appendAudit share a transaction.
func (db *DB) writeAudited(ctx context.Context, change auditedChange, ev *regent.AuditEvent) (bool, error) {
	if db.dialect != DialectPostgres {
		var rows int64
		err := db.tx(ctx, func(tx *gorm.DB) error {
			res := tx.Exec(change.sql, change.args...)
			if rows = res.RowsAffected; res.Error != nil || rows == 0 {
				return res.Error
			}
			return appendAudit(tx, ev)
		})
		return err == nil && rows > 0, err
	}
	w := prepareAudited(change, ev)
	for attempt := 0; ; attempt++ {
		placed, err := db.writeGrouped(ctx, ev.Chain, w.change, w.args)
		if attempt == 0 && headMissing(err) {
			// The chain's first event: start the chain, then make the change again.
			if err := createChainHead(db.gdb.WithContext(ctx), ev.Chain); err != nil {
				return false, err
			}
			continue
		}
		if err != nil || placed == nil {
			return false, err
		}
		db.placed(ev, w, placed)
		return true, nil
	}
}

// preparedAudit is an audited change and its event ready for one statement: the change's
// SQL (auditGroups.statement makes the whole statement), the parameters of both and the
// event's canonical encoding.
type preparedAudit struct {
	change        string
	args          []any
	before, after []byte
}

// prepareAudited places ev in its chain (all but the position) and gathers its parameters.
func prepareAudited(change auditedChange, ev *regent.AuditEvent) *preparedAudit {
	// Hash exactly what the database will give back: both keep microseconds, in UTC.
	ev.Time = ev.Time.UTC().Truncate(time.Microsecond)
	ev.Chain = regent.ChainOf(ev.TenantID)
	w := &preparedAudit{change: change.sql}
	w.before, w.after = ev.CanonicalParts()
	w.args = append(append(make([]any, 0, len(change.args)+22), change.args...), eventArgs(w.before, w.after, newAuditEventRow(ev))...)
	return w
}

// placed records where the database placed ev, and checks the hash it computed.
func (db *DB) placed(ev *regent.AuditEvent, w *preparedAudit, at *auditChainHeadRow) {
	ev.ChainSeq, ev.PrevHash, ev.Hash = at.Seq, at.PrevHash, at.Hash
	if want := regent.HashParts(ev.PrevHash, w.before, ev.ChainSeq, w.after); !bytes.Equal(ev.Hash, want) && db.log != nil {
		db.log.Error("audit chain: the database hashed an event differently from Regent; audit verify will report it",
			"chain", ev.Chain, "seq", ev.ChainSeq, "event", ev.ID, "database", fmt.Sprintf("%x", ev.Hash), "regent", fmt.Sprintf("%x", want))
	}
}

// headMissing reports whether err is changeWithEventSQL refused for want of the chain's head.
func headMissing(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23502" && pgErr.TableName == "audit_events"
}

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

// checkDatabaseHashing makes sure that PostgreSQL hashes an event exactly as ComputeHash
// does, through the same expression and parameter types as moveHeadSQL, for an event whose
// text holds what an encoding could trip on (quotes, backslashes, escapes, non-ASCII,
// invalid UTF-8) at a position of nineteen digits. writeAudited's events commit before
// their hash is compared; this is what makes that safe. Open refuses a database that fails.
func checkDatabaseHashing(ctx context.Context, q *sql.DB) error {
	ev := &regent.AuditEvent{ID: "0190b2a4-7c3e-7000-8000-00000000c0de", Chain: "probe", ChainSeq: 1<<62 + 12345,
		Time: time.Date(2026, 12, 4, 9, 30, 0, 123456000, time.UTC), Action: "probe.hash", Outcome: regent.OutcomeSuccess,
		ActorName: `Zoë "Ø" \ 张伟 🙂 ` + "\u2028<&>", Detail: "tab\tnul\x00 bad\xff\xfe end",
		Before: []byte(`{"name":"naïve"}`), PrevHash: bytes.Repeat([]byte{0xfe, 0x00, 0x5c}, 11)[:32]}
	before, after := ev.CanonicalParts()
	var got []byte
	err := q.QueryRowContext(ctx, "SELECT sha256($1::bytea || $2::bytea || convert_to(($3::bigint + 1)::text, 'UTF8') || $4::bytea)",
		ev.PrevHash, before, ev.ChainSeq-1, after).Scan(&got)
	if err != nil {
		return fmt.Errorf("check the database's audit hashing: %w", err)
	}
	if want := ev.ComputeHash(); !bytes.Equal(got, want) {
		return fmt.Errorf("the database hashes audit events as %x where Regent computes %x: the audit trail would not verify", got, want)
	}
	return nil
}
