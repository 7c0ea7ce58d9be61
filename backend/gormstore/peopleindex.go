package gormstore

import (
	"context"
	"database/sql"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

// The people index holds a large tenant's list of people in memory: who is in it (the
// hidden Impersonated Admin never is), in the database's name order, with the lowered names
// and emails (and a trigram index of them), statuses and creation times. A page deep in a
// tenant of 20,000, or a search for a common fragment, then costs PostgreSQL only the
// page's 25 rows by id instead of stepping over or reading every match.
//
// It answers only at the version of people_list_versions (migration 0012) it was read at:
// the page's rows are read with the tenant's version, in one statement, and a version that
// moved (anyone's write to the tenant's people, from any process or from outside Regent)
// throws the page away for the database's answer (the SQL path, which stays the
// reference) and starts a rebuild in the background. Sorting by email or last sign-in
// always reads the database: the first sorts by the database's collation over text the
// index does not keep in that order, the second moves at every sign-in without a version.
type peopleIndex struct {
	version int64
	people  []personEntry // in the database's order of (lower(name), id)
	grams   trigrams      // of the lowered names and emails
	orders  orders
}

type personEntry struct {
	ID, NameLower, EmailLower, Status string
	CreatedAt                         time.Time
	ListVersion                       int64
}

// peopleIndexes are the indexes by tenant, and their rebuilds' bookkeeping.
type peopleIndexes struct {
	mu       sync.Mutex
	m        map[string]*peopleIndex
	held     int // people in m
	building map[string]bool
	started  map[string]time.Time
	// min is the least number of people a tenant needs to be indexed: below it the
	// database answers at once anyway. Tests lower it.
	min int
	off atomic.Bool // tests: list from the database only
	log *slog.Logger
}

// maxIndexedPeople bounds the indexes' memory (about 510 bytes a person: 10 MB for a tenant
// of 20,000); past it, other tenants' indexes are dropped to make room.
var maxIndexedPeople = 100_000

// peopleIndexMin is the default least size of an indexed tenant.
const peopleIndexMin = 1000

// peopleSorts are the sorts the index answers (an unknown sort is by name, as in the
// database).
var peopleSorts = map[string]bool{"name": true, "status": true, "createdAt": true}

func (x *peopleIndexes) get(tenantID string) *peopleIndex {
	if x.off.Load() {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.m[tenantID]
}

// consider starts a rebuild of tenantID's index in the background when it has one that
// went stale (size -1), or has none and at least min people and no more than the indexes may
// hold (size, from a list the database answered: a sort the index does not answer, say),
// unless a rebuild of it is running or began less than rebuildGap ago.
func (x *peopleIndexes) consider(db *DB, tenantID string, size int) {
	if x.off.Load() {
		return
	}
	now := time.Now()
	x.mu.Lock()
	_, had := x.m[tenantID]
	if had && size >= 0 || !had && (size < x.min || size > maxIndexedPeople) ||
		x.building[tenantID] || now.Sub(x.started[tenantID]) < rebuildGap {
		x.mu.Unlock()
		return
	}
	if x.building == nil {
		x.building, x.started = map[string]bool{}, map[string]time.Time{}
	}
	x.building[tenantID], x.started[tenantID] = true, now
	x.mu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err := x.build(ctx, db, tenantID)
		x.mu.Lock()
		delete(x.building, tenantID)
		x.mu.Unlock()
		if err != nil && x.log != nil {
			x.log.Warn("people index not rebuilt; the tenant's list reads the database", "tenant", tenantID, "error", err)
		}
	}()
}

// build reads tenantID's people with their version, in one statement, and makes them its
// index.
func (x *peopleIndexes) build(ctx context.Context, db *DB, tenantID string) error {
	var people personEntries
	err := scan(db.gdb.WithContext(ctx).Raw(`SELECT u.id, lower(u.name) AS name_lower, lower(u.email) AS email_lower,
			u.status, u.created_at, (`+peopleVersionSQL+`) AS list_version
		FROM users u WHERE u.home_tenant_id = ? AND NOT u.hidden
		ORDER BY lower(u.name), u.id LIMIT ?`, tenantID, tenantID, maxIndexedPeople+1), &people)
	if err != nil {
		return err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if old := x.m[tenantID]; old != nil {
		x.held -= len(old.people)
		delete(x.m, tenantID)
	}
	if len(people) > maxIndexedPeople || len(people) == 0 {
		return nil
	}
	ix := &peopleIndex{version: people[0].ListVersion, people: people, grams: trigrams{}}
	for i := range people {
		ix.grams.add(int32(i), people[i].NameLower)
		ix.grams.add(int32(i), people[i].EmailLower)
	}
	for id, other := range x.m { // make room
		if x.held+len(people) <= maxIndexedPeople {
			break
		}
		x.held -= len(other.people)
		delete(x.m, id)
	}
	if x.m == nil {
		x.m = map[string]*peopleIndex{}
	}
	x.m[tenantID] = ix
	x.held += len(people)
	return nil
}

// drop forgets tenantID's index (it went stale).
func (x *peopleIndexes) drop(tenantID string, ix *peopleIndex) {
	x.mu.Lock()
	if x.m[tenantID] == ix {
		x.held -= len(ix.people)
		delete(x.m, tenantID)
	}
	x.mu.Unlock()
}

// peopleVersionSQL is a tenant's version of its people (0 before any write), given the
// tenant's id as its one argument.
const peopleVersionSQL = "SELECT COALESCE(max(version), 0) FROM people_list_versions WHERE home_tenant_id = ?"

// page returns the positions of page f of the people f selects, and their number.
func (ix *peopleIndex) page(f regent.UserFilter) ([]int32, int) {
	sort := f.Sort
	if !peopleSorts[sort] {
		sort = "name"
	}
	var key func(a, b int32) int
	switch sort {
	case "status":
		key = func(a, b int32) int { return strings.Compare(ix.people[a].Status, ix.people[b].Status) }
	case "createdAt":
		key = func(a, b int32) int { return ix.people[a].CreatedAt.Compare(ix.people[b].CreatedAt) }
	default:
		key = func(a, b int32) int { return strings.Compare(ix.people[a].NameLower, ix.people[b].NameLower) }
	}
	o := ix.orders.get(sort, f.Desc, len(ix.people), key, func(a, b int32) int { return strings.Compare(ix.people[a].ID, ix.people[b].ID) })
	cand := o.list
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		cand = ix.grams.search(q, len(ix.people), func(p int32) bool {
			return strings.Contains(ix.people[p].NameLower, q) || strings.Contains(ix.people[p].EmailLower, q)
		})
		if sort != "name" || f.Desc {
			cand = sortedBy(cand, o)
		}
	}
	offset, end := f.Offset(), f.Offset()+f.PageSize
	if f.Status == "" {
		return cand[min(offset, len(cand)):min(end, len(cand))], len(cand)
	}
	var page []int32
	total := 0
	for _, p := range cand {
		if ix.people[p].Status != f.Status {
			continue
		}
		if total >= offset && total < end {
			page = append(page, p)
		}
		total++
	}
	return page, total
}

// listEmployees answers a page of tenantID's people from its index; ok is false when the
// database must answer (no index, a sort it does not answer, or a version that moved).
func (s *UserService) listEmployees(db *gorm.DB, tenantID string, f regent.UserFilter) (views []*regent.UserView, total int, ok bool, err error) {
	x := &s.db.people
	ix := x.get(tenantID)
	if ix == nil || f.Sort != "" && !peopleSorts[f.Sort] && userSorts[f.Sort] != "" {
		return nil, 0, false, nil
	}
	page, total := ix.page(f)
	// The home of every row is the tenant, from the directory cache (dropped by any write to
	// tenants), so the rows are not joined to it.
	home, err := s.db.cachedTenant(db, tenantID)
	if err != nil {
		return nil, 0, false, err
	}
	var version int64
	var rows userHomeRows
	if len(page) == 0 {
		err = scan(db.Raw(peopleVersionSQL, tenantID), &version)
	} else {
		ids := make([]string, len(page))
		for i, p := range page {
			ids[i] = ix.people[p].ID
		}
		// By id alone: with the tenant in the WHERE clause too, a generic plan (pgx prepares
		// statements) reads a large tenant's every entry through its index to find 25 rows.
		err = scan(db.Raw("SELECT "+userOwnColumns+", "+s.db.roleIDsColumn()+", ("+peopleVersionSQL+") AS list_version FROM users u"+
			" WHERE u.id IN ? AND NOT u.hidden", tenantID, ids), &rows)
		version = -1 // unless every row is there, still the tenant's: then the version moved
		if len(rows) == len(page) && !slices.ContainsFunc(rows, func(r userHomeRow) bool { return r.HomeTenantID != tenantID }) {
			version = rows[0].ListVersion
		}
		// In the index's order.
		at := make(map[string]int, len(ids))
		for i, id := range ids {
			at[id] = i
		}
		ordered := make(userHomeRows, len(rows))
		for _, r := range rows {
			if i, found := at[r.ID]; found && i < len(ordered) {
				r.HomeName, r.HomeKind = home.Name, home.Kind
				ordered[i] = r
			}
		}
		rows = ordered
	}
	if err != nil {
		return nil, 0, false, err
	}
	if version != ix.version {
		x.consider(s.db, tenantID, -1) // while it is still had
		x.drop(tenantID, ix)
		return nil, 0, false, nil
	}
	views, err = s.views(db, rows)
	return views, total, err == nil, err
}

// personEntries reads the index's rows itself (rowsReader).
type personEntries []personEntry

func (rs *personEntries) readRows(rows *sql.Rows) error {
	return readInto(rows, (*[]personEntry)(rs), func(column string) func(*personEntry) any {
		switch column {
		case "id":
			return func(r *personEntry) any { return &r.ID }
		case "name_lower":
			return func(r *personEntry) any { return &r.NameLower }
		case "email_lower":
			return func(r *personEntry) any { return &r.EmailLower }
		case "status":
			return func(r *personEntry) any { return &r.Status }
		case "created_at":
			return func(r *personEntry) any { return &r.CreatedAt }
		case "list_version":
			return func(r *personEntry) any { return &r.ListVersion }
		}
		return nil
	})
}
