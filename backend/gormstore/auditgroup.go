package gormstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Group commit of audited changes on PostgreSQL.
//
// A change of a tenant-app record and its event are one statement (changeWithEventSQL).
// Made one at a time, each is its own transaction, and every one waits for its own commit:
// a durable commit costs PostgreSQL more than the statement itself, and is what keeps a
// busy trail to a few thousand changes a second on two cores. So the statements of
// concurrent requests are handed to a few lanes, and a lane sends the statements that
// arrived together in one round trip inside one transaction: BEGIN, each statement,
// COMMIT. Every change stays in the same transaction as its event (they are one
// statement); several changes share the commit, and each request is answered only after
// that commit.
//
// When a group fails, it was rolled back or its outcome is unknown. Rolled back (a taken
// name, a chain without its head, a lock it waited for too long), each of its requests
// makes its statement again alone, on its own connection, so that one request's failure is
// never another's and the lane is free for the next group at once. Unknown (the connection
// lost around COMMIT), each is told so, and the connection is dropped.
//
// A chain always goes to the same lane, and a tenant's records are only ever recorded in
// the tenant's chain, so two groups never wait for each other. A group waits for a chain
// head or a record that an ordinary transaction holds (a sign-in, an impersonation's end,
// a retention run) at most groupLockTimeout, then leaves it to its requests: so a busy or
// slow chain never holds up the other chains of its lane, and a group never stays in a
// lock cycle long enough for PostgreSQL to break it by failing the other transaction. A
// group takes its heads in chain order, as transactions that move several heads do.
// A lane with one statement waiting sends it alone: without concurrent changes nothing
// waits for anything.

// auditLanes is the number of lanes: statements of different lanes run in parallel, those
// of one lane one after the other. One lane per core measured best on two cores (two
// lanes: 3,950–4,770 changes/s; one: 3,540–3,650; three: 3,980–4,200; four: 3,360–3,620;
// docs/performance-audit.md): fewer lanes make larger groups, more keep more cores busy.
var auditLanes = max(2, runtime.GOMAXPROCS(0))

// maxGroup bounds the statements one lane commits together.
const maxGroup = 64

// groupTimeout bounds one group's round trips; groupLockTimeout, how long a group waits
// for a lock (PostgreSQL looks for deadlocks after a second).
const (
	groupTimeout     = 30 * time.Second
	groupLockTimeout = 100 * time.Millisecond
)

// errOutcomeUnknown answers the requests of a group whose commit may or may not have
// happened.
var errOutcomeUnknown = errors.New("audited change: the connection failed while the change was committed; its outcome is unknown")

// errClosed answers requests that arrive, or still wait, after the database was closed.
var errClosed = errors.New("audited change: the database is closed")

// A groupedWrite moves from queued to taken (by its lane) or to abandoned (by its caller,
// whose context ended first): never both, so a caller told that its change was not made
// can rely on it.
const (
	writeQueued int32 = iota
	writeTaken
	writeAbandoned
)

// groupedWrite is one audited change waiting in a lane: its chain, its statement with
// numbered parameters, and where its result goes.
type groupedWrite struct {
	chain string
	query string
	args  []any
	state atomic.Int32
	done  chan groupedResult
}

// groupedResult is what the statement's RETURNING gave (no row: the change touched none),
// or its error; alone asks the caller to make the statement itself, the group having been
// rolled back.
type groupedResult struct {
	placed *auditChainHeadRow
	err    error
	alone  bool
}

type auditGroups struct {
	lanes   []chan *groupedWrite
	stopped <-chan struct{}
	// statements caches, by change, the statement of the change and its event
	// (changeWithEventSQL) with its placeholders numbered for pgx.
	statements sync.Map
}

// startAuditGroups starts the lanes; they stop when ctx ends.
func (db *DB) startAuditGroups(ctx context.Context) {
	g := &auditGroups{lanes: make([]chan *groupedWrite, auditLanes), stopped: ctx.Done()}
	for i := range g.lanes {
		g.lanes[i] = make(chan *groupedWrite, maxGroup)
		go db.runLane(ctx, g.lanes[i])
	}
	db.groups = g
}

// statement returns the statement that makes change with its event, built once per change.
func (g *auditGroups) statement(change string) string {
	if q, ok := g.statements.Load(change); ok {
		return q.(string)
	}
	q, _ := g.statements.LoadOrStore(change, numberPlaceholders(changeWithEventSQL(change)))
	return q.(string)
}

// laneOf returns the lane of a chain.
func (g *auditGroups) laneOf(chain string) int {
	h := fnv.New32a()
	h.Write([]byte(chain))
	return int(h.Sum32() % uint32(len(g.lanes)))
}

// writeGrouped makes one audited change through its chain's lane and returns its result.
func (db *DB) writeGrouped(ctx context.Context, chain, change string, args []any) (*auditChainHeadRow, error) {
	g := db.groups
	w := &groupedWrite{chain: chain, query: g.statement(change), args: args, done: make(chan groupedResult, 1)}
	select {
	case g.lanes[g.laneOf(chain)] <- w:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-g.stopped:
		return nil, errClosed
	}
	var r groupedResult
	select {
	case r = <-w.done:
	case <-ctx.Done():
		if w.state.CompareAndSwap(writeQueued, writeAbandoned) {
			return nil, ctx.Err() // never taken: never made
		}
		r = <-w.done // taken: made or not, it is answered within groupTimeout
	case <-g.stopped:
		if w.state.CompareAndSwap(writeQueued, writeAbandoned) {
			return nil, errClosed
		}
		r = <-w.done
	}
	if r.alone {
		r = db.writeAlone(ctx, w)
	}
	return r.placed, r.err
}

// writeAlone makes w's statement as its own transaction, on the caller's context. BEGIN
// and the statement go in one round trip and COMMIT in a second, sent only if the caller
// is still there: a statement sent alone would commit on the server even after its caller
// gave up, and the caller would be told it failed.
func (db *DB) writeAlone(ctx context.Context, w *groupedWrite) (r groupedResult) {
	err := withPgx(ctx, db.sqlDB, func(conn *pgx.Conn) error {
		b := &pgx.Batch{}
		b.Queue("BEGIN")
		b.Queue(w.query, w.args...)
		br := conn.SendBatch(ctx, b)
		_, err := br.Exec()
		if err == nil {
			r.placed, err = returnedHead(br.Query())
		}
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = ctx.Err()
		}
		if err == nil {
			// The caller is still there: from here on its leaving changes nothing, as the
			// server would carry the COMMIT out anyway.
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), groupTimeout)
			defer cancel()
			if _, err = conn.Exec(cctx, "COMMIT"); err == nil {
				return nil
			} else if conn.PgConn().IsClosed() {
				r = groupedResult{err: errOutcomeUnknown}
				return driver.ErrBadConn
			}
		}
		r = groupedResult{err: err}
		pc := conn.PgConn()
		if pc.IsClosed() {
			return driver.ErrBadConn
		}
		if pc.TxStatus() != 'I' {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if _, err := conn.Exec(rctx, "ROLLBACK"); err != nil {
				return driver.ErrBadConn
			}
		}
		return nil
	})
	if err != nil && r.err == nil {
		r = groupedResult{err: err}
	}
	return r
}

// runLane commits, until ctx ends, whatever statements are waiting in lane each time it
// is free.
func (db *DB) runLane(ctx context.Context, lane chan *groupedWrite) {
	for {
		var group []*groupedWrite
		select {
		case <-ctx.Done():
			return
		case w := <-lane:
			if w.state.CompareAndSwap(writeQueued, writeTaken) {
				group = append(group, w)
			}
		}
	gather:
		for len(group) < maxGroup {
			select {
			case w := <-lane:
				if w.state.CompareAndSwap(writeQueued, writeTaken) {
					group = append(group, w)
				}
			default:
				break gather
			}
		}
		if len(group) == 0 {
			continue
		}
		gctx, cancel := context.WithTimeout(ctx, groupTimeout)
		db.writeGroup(gctx, group)
		cancel()
	}
}

// writeGroup makes the group's statements and answers each of them: with its result, or
// with alone when it is the only one (a group of one gains nothing from the lane, and
// should not hold the lane while it waits for a lock) or when the group was rolled back.
func (db *DB) writeGroup(ctx context.Context, group []*groupedWrite) {
	if len(group) == 1 {
		group[0].done <- groupedResult{alone: true}
		return
	}
	// Heads in chain order, as every transaction that moves several takes them.
	slices.SortStableFunc(group, func(a, b *groupedWrite) int { return strings.Compare(a.chain, b.chain) })
	results := make([]groupedResult, len(group))
	sent := false
	err := withPgx(ctx, db.sqlDB, func(conn *pgx.Conn) error {
		sent = true
		err := commitTogether(ctx, conn, group, results)
		if err == nil {
			return nil
		}
		pc := conn.PgConn()
		rolledBack, bad := errors.Is(err, errRolledBack), false
		if !pc.IsClosed() && (pc.TxStatus() == 'E' || pc.TxStatus() == 'T') {
			// Still in the group's transaction: COMMIT was never carried out. Should the
			// ROLLBACK fail, dropping the connection ends the transaction all the same.
			rolledBack = true
			_, rerr := conn.Exec(ctx, "ROLLBACK")
			bad = rerr != nil
		}
		if !rolledBack { // and drop the connection
			return fmt.Errorf("%w (%w)", errOutcomeUnknown, driver.ErrBadConn)
		}
		for i := range results {
			results[i] = groupedResult{alone: true}
		}
		if bad {
			return driver.ErrBadConn // the pool drops the connection
		}
		return nil
	})
	for i, w := range group {
		switch {
		case errors.Is(err, errOutcomeUnknown):
			results[i] = groupedResult{err: errOutcomeUnknown}
		case err != nil && !sent: // no connection: nothing was sent
			results[i] = groupedResult{err: err}
		}
		w.done <- results[i]
	}
}

// commitTogether sends BEGIN, the group's statements and COMMIT in one round trip. It
// fills results only when the commit succeeded.
func commitTogether(ctx context.Context, conn *pgx.Conn, group []*groupedWrite, results []groupedResult) error {
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue("SET LOCAL lock_timeout = " + strconv.Itoa(int(groupLockTimeout/time.Millisecond)))
	for _, w := range group {
		b.Queue(w.query, w.args...)
	}
	b.Queue("COMMIT")
	br := conn.SendBatch(ctx, b)
	placed := make([]*auditChainHeadRow, len(group))
	err := func() error {
		for range 2 {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		for i := range group {
			p, err := returnedHead(br.Query())
			if err != nil {
				return err
			}
			placed[i] = p
		}
		tag, err := br.Exec()
		if err == nil && tag.String() != "COMMIT" {
			return errRolledBack // COMMIT of a failed transaction answers ROLLBACK
		}
		return err
	}()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	for i := range group {
		results[i] = groupedResult{placed: placed[i]}
	}
	return nil
}

type rolledBackError struct{}

func (rolledBackError) Error() string { return "the group's transaction was rolled back" }

var errRolledBack error = rolledBackError{}

// returnedHead reads the RETURNING of changeWithEventSQL: the event's place, or nil when
// the change touched no row.
func returnedHead(rows pgx.Rows, err error) (*auditChainHeadRow, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var placed *auditChainHeadRow
	for rows.Next() {
		placed = &auditChainHeadRow{}
		if err := rows.Scan(&placed.Chain, &placed.Seq, &placed.PrevHash, &placed.Hash); err != nil {
			return nil, err
		}
	}
	return placed, rows.Err()
}

// withPgx runs fn on a connection of the pool, as pgx sees it.
func withPgx(ctx context.Context, db *sql.DB, fn func(*pgx.Conn) error) error {
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Raw(func(dc any) error { return fn(dc.(*stdlib.Conn).Conn()) })
}

// numberPlaceholders turns gorm's "?" placeholders into PostgreSQL's $1, $2, …. The
// statements it is given are Regent's own, with no "?" in a literal or an operator.
func numberPlaceholders(query string) string {
	var b strings.Builder
	n := 0
	for _, part := range strings.SplitAfter(query, "?") {
		if strings.HasSuffix(part, "?") {
			n++
			b.WriteString(part[:len(part)-1])
			b.WriteString("$" + strconv.Itoa(n))
		} else {
			b.WriteString(part)
		}
	}
	return b.String()
}
