package gormstore

import (
	"strings"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/regent/regent"
)

// How the console's large lists (tenants, users, employees) read a page. The work must not
// grow with the table, so (docs/performance.md has the measurements):
//
//   - A list's page is read in two steps (a deferred join): the page's ids from the ordering
//     index alone, then only those rows, joined to what the page shows. The rows a page
//     skips are never read from the table or joined.
//   - An unsearched list's total is a sum over the count tables of migration 0008, and a page
//     nearer the end of the list is read backwards from the end, so that no page skips more
//     than half of the list.
//   - A searched list finds its matches once, in one statement that sorts and counts them.

// listOrder orders a list by a sort key, ties broken by id.
type listOrder struct {
	key, id string
	desc    bool
}

// sortBy returns the order named by sort among sorts (column expressions), or by
// fallback when sort names none of them.
func sortBy(sorts map[string]string, sort, fallback, id string, desc bool) listOrder {
	key, ok := sorts[sort]
	if !ok {
		key = fallback
	}
	return listOrder{key: key, id: id, desc: desc}
}

// sql returns the ORDER BY clause: the key, descending when asked, then the id ascending;
// reversed, every direction is flipped, so the rows come exactly the other way round (the
// default NULL placement flips with the direction in both dialects).
func (o listOrder) sql(reversed bool) string {
	dir := func(desc bool) string {
		if desc {
			return " DESC"
		}
		return ""
	}
	return o.key + dir(o.desc != reversed) + ", " + o.id + dir(reversed)
}

// window says how to read page f of a list of total rows: skip offset rows and take limit,
// in the list's order or, when reversed, in the opposite order from the end. ok is false
// when the page is past the end.
func window(f regent.ListFilter, total int) (offset, limit int, reversed, ok bool) {
	offset = f.Offset()
	if offset >= total {
		return 0, 0, false, false
	}
	limit = min(f.PageSize, total-offset)
	if fromEnd := total - offset - limit; fromEnd < offset {
		return fromEnd, limit, true, true
	}
	return offset, limit, false, true
}

// listPage describes one list: the rows it may show and how a page of them is shown.
type listPage struct {
	// rows returns a fresh query over the list's table, aliased, with the caller's scope and
	// the list's filters applied (search included).
	rows func() *gorm.DB
	// order is the list's order, over the table's alias.
	order listOrder
	// columns and joins make a page's rows from the page's ids, given as pg.id (the sort
	// key is pg.k): for example "t.*" and "JOIN tenants t ON t.id = pg.id".
	columns, joins string
}

// page reads page f of a list of total rows (known exactly) into dest, in the list's order.
func (l listPage) page(db *gorm.DB, f regent.ListFilter, total int, dest any) error {
	offset, limit, reversed, ok := window(f, total)
	if !ok {
		return nil
	}
	ids := l.matches().Order(l.order.sql(reversed)).Offset(offset).Limit(limit)
	outer := listOrder{key: "pg.k", id: "pg.id", desc: l.order.desc}
	return scan(db.Raw("SELECT "+l.columns+" FROM (?) pg "+l.joins+" ORDER BY "+outer.sql(false), ids), dest)
}

// totaled is a list's rows that may carry the total of the list ("total"), as a search's and
// a first page's do.
type totaled interface {
	total() int // the total the first row carries; 0 without rows
}

// unsearched reads page f of an unsearched list into dest and returns the list's total,
// which counts (a sum over the count tables of 0008) gives. The first page is read forward
// whatever the total, so it carries the total on its rows and is one statement; a later page
// needs the total first, to read from the nearer end.
func (l listPage) unsearched(db *gorm.DB, f regent.ListFilter, counts *gorm.DB, dest totaled) (int, error) {
	if f.Offset() == 0 {
		ids := l.matches().Order(l.order.sql(false)).Limit(f.PageSize)
		outer := listOrder{key: "pg.k", id: "pg.id", desc: l.order.desc}
		err := scan(db.Raw("SELECT "+l.columns+", (?) AS total FROM (?) pg "+l.joins+" ORDER BY "+outer.sql(false), counts, ids), dest)
		return dest.total(), err
	}
	var total int64
	if err := scan(counts, &total); err != nil {
		return 0, err
	}
	return int(total), l.page(db, f, int(total), dest)
}

// search is the statement that reads page f of the list's rows, each row carrying the number
// of all of them as "total": the matches are found once (through a trigram index where there
// is one: nothing asks for them in order there), then sorted for the page and counted. A
// page past the end has no row to carry the total; count gives it then. Run it with
// scanPlanned.
func (l listPage) search(db *gorm.DB, f regent.ListFilter) *gorm.DB {
	inner := listOrder{key: "k", id: "id", desc: l.order.desc}
	outer := listOrder{key: "pg.k", id: "pg.id", desc: l.order.desc}
	return db.Raw(strings.Join([]string{
		"WITH m AS MATERIALIZED (?),",
		"pg AS (SELECT id, k FROM m ORDER BY " + inner.sql(false) + " LIMIT ? OFFSET ?)",
		"SELECT " + l.columns + ", (SELECT count(*) FROM m) AS total FROM pg " + l.joins,
		"ORDER BY " + outer.sql(false),
	}, " "), l.matches(), f.PageSize, f.Offset())
}

// count counts the list's rows.
func (l listPage) count(db *gorm.DB) (int, error) {
	var total int64
	err := scan(db.Raw("SELECT count(*) FROM (?) m", l.matches()), &total)
	return int(total), err
}

func (l listPage) matches() *gorm.DB {
	return l.rows().Select(l.order.id + " AS id, " + l.order.key + " AS k")
}

// scanPlanned runs q, a statement built with Raw, and scans its rows into dest, with
// PostgreSQL planning it for its own arguments. The driver otherwise prepares statements, and
// after five runs PostgreSQL may switch a prepared statement to one generic plan that
// assumes an average tenant (ten people): for a search in a tenant of 20,000 it then reads
// every one of them through the name index and filters (30-70 ms) instead of intersecting
// the search index's lists for the tenant and the fragment (2-4 ms). pgx's exec mode sends
// the statement unnamed, parsed and planned with its arguments, in one round trip (it was a
// transaction with SET LOCAL plan_cache_mode: four). SQLite plans every statement anyway.
func (db *DB) scanPlanned(q *gorm.DB, dest any) error {
	if db.dialect != DialectPostgres {
		return scan(q, dest)
	}
	if q.Error != nil {
		return q.Error
	}
	args := append([]any{pgx.QueryExecModeExec}, q.Statement.Vars...)
	rows, err := db.sqlDB.QueryContext(q.Statement.Context, q.Statement.SQL.String(), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return readRows(q, rows, dest)
}
