package gormstore

import (
	"context"
	"database/sql"
	"hash/fnv"
	"runtime"
	"strconv"
	"strings"
	"sync"
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
// that commit. Should any statement of a group fail (a taken name, a deadlock, a chain
// without its head), the group is rolled back whole and its statements are made again one
// by one, each its own transaction, so that one request's failure is never another's.
//
// A chain always goes to the same lane, and a tenant's records are only ever recorded in
// the tenant's chain, so two groups never wait for each other's chain heads or records.
// A lane with one statement waiting sends it alone: without concurrent changes nothing
// waits for anything.

// auditLanes is the number of lanes: statements of different lanes run in parallel, those
// of one lane one after the other. One lane per core measured best on two cores (two
// lanes: 3,950–4,770 changes/s; one: 3,540–3,650; three: 3,980–4,200; four: 3,360–3,620;
// docs/performance-audit.md): fewer lanes make larger groups, more keep more cores busy.
var auditLanes = max(2, runtime.GOMAXPROCS(0))

// maxGroup bounds the statements one lane commits together.
const maxGroup = 64

// groupTimeout bounds one group's round trips.
const groupTimeout = 30 * time.Second

// groupedWrite is one audited change waiting in a lane: its statement with numbered
// parameters, and where its result goes.
type groupedWrite struct {
	query string
	args  []any
	done  chan groupedResult
}

// groupedResult is what the statement's RETURNING gave (no row: the change touched none),
// or its error.
type groupedResult struct {
	placed *auditChainHeadRow
	err    error
}

type auditGroups struct {
	lanes []chan *groupedWrite
	// numbered caches each statement with its "?" placeholders numbered for pgx.
	numbered sync.Map
}

// startAuditGroups starts the lanes; they stop when ctx ends.
func (db *DB) startAuditGroups(ctx context.Context) {
	g := &auditGroups{lanes: make([]chan *groupedWrite, auditLanes)}
	for i := range g.lanes {
		g.lanes[i] = make(chan *groupedWrite, maxGroup)
		go db.runLane(ctx, g.lanes[i])
	}
	db.groups = g
}

// writeGrouped makes one audited change through its chain's lane and waits for its result.
func (db *DB) writeGrouped(ctx context.Context, chain, query string, args []any) (*auditChainHeadRow, error) {
	g := db.groups
	q, ok := g.numbered.Load(query)
	if !ok {
		q, _ = g.numbered.LoadOrStore(query, numberPlaceholders(query))
	}
	h := fnv.New32a()
	h.Write([]byte(chain))
	w := &groupedWrite{query: q.(string), args: args, done: make(chan groupedResult, 1)}
	select {
	case g.lanes[h.Sum32()%uint32(len(g.lanes))] <- w:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case r := <-w.done:
		return r.placed, r.err
	case <-ctx.Done():
		// The change may still be made, with its event, as a statement sent before the
		// caller left can still commit.
		return nil, ctx.Err()
	}
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
			group = append(group, w)
		}
	gather:
		for len(group) < maxGroup {
			select {
			case w := <-lane:
				group = append(group, w)
			default:
				break gather
			}
		}
		gctx, cancel := context.WithTimeout(ctx, groupTimeout)
		db.writeGroup(gctx, group)
		cancel()
	}
}

// writeGroup makes the group's statements and answers each of them.
func (db *DB) writeGroup(ctx context.Context, group []*groupedWrite) {
	results := make([]groupedResult, len(group))
	err := withPgx(ctx, db.sqlDB, func(conn *pgx.Conn) error {
		if len(group) > 1 {
			if err := commitTogether(ctx, conn, group, results); err == nil {
				return nil
			}
			// Rolled back whole: each on its own, so that a failure is its own request's.
			if conn.PgConn().TxStatus() != 'I' {
				if _, err := conn.Exec(ctx, "ROLLBACK"); err != nil {
					return err
				}
			}
		}
		for i, w := range group {
			results[i].placed, results[i].err = returnedHead(conn.Query(ctx, w.query, w.args...))
		}
		return nil
	})
	for i, w := range group {
		if err != nil { // no statement was answered
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
	for _, w := range group {
		b.Queue(w.query, w.args...)
	}
	b.Queue("COMMIT")
	br := conn.SendBatch(ctx, b)
	placed := make([]*auditChainHeadRow, len(group))
	err := func() error {
		if _, err := br.Exec(); err != nil {
			return err
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
