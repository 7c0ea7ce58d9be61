package gormstore

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/regent/regent"
)

// The tenant index answers the console's tenant list from memory: every tenant but the
// platform, as the list shows it, in name order, with the positions under each parent and a
// trigram index of the lowered names. With 100,000 tenants a search for a common fragment
// or a page deep in the list costs PostgreSQL 3-5 ms of CPU (every match is read to count
// it; OFFSET steps over the rows before the page); from the index the same answer is a
// lookup and a slice (docs/performance.md).
//
// It is a cache of the tenants table and goes with the authentication cache's rule: it is
// used only while that cache is on, and only at the generation of the tenants it was read
// at. Any committed write to the tenants table moves that generation, here and (through the
// same NOTIFY) in every other process, and so does a commit by another connection on
// SQLite; a write to the other directory tables does not. A stale index is never answered
// from: the list reads the database (the SQL path, which stays the reference) while one
// rebuild runs in the background, and rebuilds start at most once per rebuildGap. Writes
// that no invalidation tells of (statements run outside Regent) are looked for every
// checkEvery (refresh).
type tenantIndex struct {
	gen    uint64
	readAt time.Time
	// fingerprint is tenantsFingerprint as it was before the rows were read, checkedAt
	// (Unix ns) when it last matched the table's.
	fingerprint int64
	checkedAt   atomic.Int64
	tooBig      bool // more than maxIndexedTenants: the list reads the database
	// rows are every tenant but the platform, in the database's order of (name_lower, id):
	// a row's position is its place in name order.
	rows     []tenantViewRow
	byParent map[string][]int32 // positions of each parent's tenants, in name order
	grams    trigrams           // of the lowered names
	orders   orders
}

// maxIndexedTenants bounds the index's memory (about 520 bytes a tenant: 52 MB for 100,000);
// past it the list reads the database.
var maxIndexedTenants = 250_000

// rebuildGap is the least time between two rebuilds' starts: tenants written many times a
// second are listed from the database rather than rebuilt as often.
const rebuildGap = time.Second

// tenantIndexState is the DB's current index and its rebuild bookkeeping.
type tenantIndexState struct {
	cur       atomic.Pointer[tenantIndex]
	building  atomic.Bool
	lastStart atomic.Int64
	off       atomic.Bool // tests: list from the database only
	// checkEvery is how often the index is checked against the table; tests shorten it.
	checkEvery time.Duration
	log        *slog.Logger
}

// tenantIndex returns an index that is current, or nil (and starts a rebuild if none is
// running and the last began long enough ago) when the list must read the database.
func (db *DB) tenantIndex(ctx context.Context) *tenantIndex {
	st := &db.tenantIdx
	if st.off.Load() {
		return nil
	}
	if db.dialect == DialectSQLite {
		db.auth.checkSQLiteVersion(ctx)
	}
	if !db.auth.enabled.Load() {
		return nil
	}
	now := time.Now()
	ix := st.cur.Load()
	if ix != nil && ix.gen == db.auth.tenGen.Load() {
		if now.UnixNano()-ix.checkedAt.Load() >= int64(st.checkEvery) {
			st.refresh(db, now) // answering from this one meanwhile
		}
		if ix.tooBig {
			return nil
		}
		return ix
	}
	st.refresh(db, now)
	return nil
}

// The index is checked against the table every cacheTTL, for writes that no invalidation
// told of (statements run outside Regent): on PostgreSQL, when the table's write counters
// have moved since it was read, it is read again; it is read again anyway after
// maxIndexAge. (SQLite's data_version check already sees every other connection's commit.)
const maxIndexAge = 10 * time.Minute

// refresh starts, in the background, a check of the current index against the table or a
// rebuild, unless one is running or the last began less than rebuildGap ago.
func (st *tenantIndexState) refresh(db *DB, now time.Time) {
	if last := st.lastStart.Load(); now.UnixNano()-last < int64(rebuildGap) || !st.building.CompareAndSwap(false, true) {
		return
	}
	st.lastStart.Store(now.UnixNano())
	go func() {
		defer st.building.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if ix := st.cur.Load(); ix != nil && now.Sub(ix.readAt) < maxIndexAge {
			gen := db.auth.tenGen.Load()
			if fp, err := db.tenantsFingerprint(ctx); err == nil && fp == ix.fingerprint && gen == ix.gen {
				ix.checkedAt.Store(now.UnixNano())
				return
			}
		}
		start := time.Now()
		n, err := db.buildTenantIndex(ctx)
		if st.log == nil {
			return
		}
		if err != nil {
			st.log.Warn("tenant index not rebuilt; the tenant list reads the database", "error", err)
		} else {
			st.log.Debug("tenant index rebuilt", "tenants", n, "took", time.Since(start))
		}
	}()
}

// tenantsFingerprint returns a number that moves when the tenants table is written, by
// anyone: on PostgreSQL its statistics' row counters (flushed within a second or so of a
// commit, and moved by an aborted write too, which only costs a rebuild); 0 on SQLite.
func (db *DB) tenantsFingerprint(ctx context.Context) (int64, error) {
	if db.dialect != DialectPostgres {
		return 0, nil
	}
	var fp int64
	err := db.sqlDB.QueryRowContext(ctx, `SELECT COALESCE(sum(n_tup_ins + n_tup_upd + n_tup_del), -1)
		FROM pg_stat_user_tables WHERE relid = 'tenants'::regclass`).Scan(&fp)
	return fp, err
}

// buildTenantIndex reads the tenants and makes them the current index, unless the tenants
// changed while they were read. It returns how many it read.
func (db *DB) buildTenantIndex(ctx context.Context) (int, error) {
	gen, start := db.auth.tenGen.Load(), time.Now()
	fp, err := db.tenantsFingerprint(ctx)
	if err != nil {
		return 0, err
	}
	// Every tenant but the platform has a parent and is counted (migration 0008): too many
	// are not read at all.
	var n int64
	if err := scan(db.gdb.WithContext(ctx).Raw("SELECT COALESCE(sum(n), 0) FROM tenant_counts"), &n); err != nil {
		return 0, err
	}
	var rows tenantViewRows
	if n <= int64(maxIndexedTenants) {
		err = scan(db.gdb.WithContext(ctx).Raw(`SELECT `+tenantListColumns+`, t.name_lower
			FROM tenants t LEFT JOIN tenants p ON p.id = t.parent_id
			WHERE t.kind <> ? ORDER BY t.name_lower, t.id LIMIT ?`, regent.TenantKindPlatform, maxIndexedTenants+1), &rows)
		if err != nil {
			return 0, err
		}
	}
	ix := &tenantIndex{gen: gen, readAt: start, fingerprint: fp}
	ix.checkedAt.Store(start.UnixNano())
	if ix.tooBig = n > int64(maxIndexedTenants) || len(rows) > maxIndexedTenants; !ix.tooBig {
		ix.index(rows)
	}
	if db.auth.tenGen.Load() == gen {
		db.tenantIdx.cur.Store(ix)
	}
	return len(rows), nil
}

// index fills the index from rows, which are in name order.
func (ix *tenantIndex) index(rows []tenantViewRow) {
	ix.rows = rows
	ix.byParent = map[string][]int32{}
	ix.grams = trigrams{}
	for i := range rows {
		p := int32(i)
		if pid := rows[i].ParentID; pid != nil {
			ix.byParent[*pid] = append(ix.byParent[*pid], p)
		}
		ix.grams.add(p, rows[i].NameLower)
	}
}

// search returns the positions whose lowered name holds q, ascending (in name order). The
// result may be the index's own list: it must not be changed.
func (ix *tenantIndex) search(q string) []int32 {
	return ix.grams.search(q, len(ix.rows), func(p int32) bool { return strings.Contains(ix.rows[p].NameLower, q) })
}

// order returns the rows in the order of sort (a key of tenantSorts; name for any other),
// descending when asked: by the key, ties by id ascending, as listOrder orders the database.
func (ix *tenantIndex) order(sort string, desc bool) *ordered {
	if _, ok := tenantSorts[sort]; !ok {
		sort = "name"
	}
	var key func(a, b int32) int
	switch sort {
	case "kind":
		key = func(a, b int32) int { return strings.Compare(ix.rows[a].Kind, ix.rows[b].Kind) }
	case "status":
		key = func(a, b int32) int { return strings.Compare(ix.rows[a].Status, ix.rows[b].Status) }
	case "createdAt":
		key = func(a, b int32) int { return ix.rows[a].CreatedAt.Compare(ix.rows[b].CreatedAt) }
	default:
		key = func(a, b int32) int { return strings.Compare(ix.rows[a].NameLower, ix.rows[b].NameLower) }
	}
	return ix.orders.get(sort, desc, len(ix.rows), key, func(a, b int32) int { return strings.Compare(ix.rows[a].ID, ix.rows[b].ID) })
}

// list returns page f of the tenants within scope that f selects, and their number: what
// ListTenants reads from the database.
func (ix *tenantIndex) list(scope regent.TenantScope, f regent.TenantFilter) ([]tenantViewRow, int) {
	parent := f.ParentID
	switch {
	case scope.None:
		return nil, 0
	case !scope.All && (scope.ParentID == "" || parent != "" && parent != scope.ParentID):
		return nil, 0
	case !scope.All:
		parent = scope.ParentID
	}
	o := ix.order(f.Sort, f.Desc)
	nameAsc := o == ix.order("name", false)
	q := strings.ToLower(strings.TrimSpace(f.Query))
	var cand []int32
	fromParent := false
	switch {
	case q != "":
		cand = ix.search(q)
	case parent != "":
		cand, fromParent = ix.byParent[parent], true
	default:
		cand = o.list
	}
	if (q != "" || fromParent) && !nameAsc {
		cand = sortedBy(cand, o)
	}
	keep := func(p int32) bool {
		r := &ix.rows[p]
		return (f.Kind == "" || r.Kind == f.Kind) && (f.Status == "" || r.Status == f.Status) &&
			(parent == "" || fromParent || r.ParentID != nil && *r.ParentID == parent)
	}
	offset, end := f.Offset(), f.Offset()+f.PageSize
	var page []tenantViewRow
	if f.Kind == "" && f.Status == "" && (parent == "" || fromParent) {
		for _, p := range cand[min(offset, len(cand)):min(end, len(cand))] {
			page = append(page, ix.rows[p])
		}
		return page, len(cand)
	}
	total := 0
	for _, p := range cand {
		if !keep(p) {
			continue
		}
		if total >= offset && total < end {
			page = append(page, ix.rows[p])
		}
		total++
	}
	return page, total
}
