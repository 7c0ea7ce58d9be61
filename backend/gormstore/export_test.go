package gormstore

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

// Test-only access to raw SQL, for arranging states no service offers and checking what
// the database holds.

// Exec runs a statement or fails the test. The caches are told afterwards, as a write
// by another Regent process (through a transaction, with its NOTIFY) would tell them: a
// statement outside db.tx is otherwise unseen until the caches' time bound.
func (db *DB) Exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	if err := db.gdb.Exec(sql, args...).Error; err != nil {
		t.Fatalf("exec %q: %v", sql, err)
	}
	db.auth.invalidate()
}

// UseTenantIndex turns the tenant index on (the default) or off, so that the tenant list
// reads the database only.
func (db *DB) UseTenantIndex(on bool) { db.tenantIdx.off.Store(!on) }

// WarmTenantIndex builds the tenant index now, as the first list after a change starts
// doing in the background, and fails the test unless the list will answer from it.
func (db *DB) WarmTenantIndex(t testing.TB) {
	t.Helper()
	if db.dialect == DialectSQLite { // take in the commits made so far, as the next list would
		db.auth.versionCheck.Store(0)
		db.auth.checkSQLiteVersion(context.Background())
	}
	if _, err := db.buildTenantIndex(context.Background()); err != nil {
		t.Fatalf("build the tenant index: %v", err)
	}
	if db.tenantIndex(context.Background()) == nil {
		t.Fatal("the tenant index is not current after a build")
	}
}

// CheckTenantIndexEvery sets how often the tenant index is checked against the table for
// writes no invalidation told of (cacheTTL by default).
func (db *DB) CheckTenantIndexEvery(d time.Duration) { db.tenantIdx.checkEvery = d }

// TenantIndexCurrent reports whether the tenant list would answer from the index now.
func (db *DB) TenantIndexCurrent() bool { return db.tenantIndex(context.Background()) != nil }

// ExecErr runs a statement and returns its error.
func (db *DB) ExecErr(sql string, args ...any) error { return db.gdb.Exec(sql, args...).Error }

// Raw scans a query's result into dest or fails the test.
func (db *DB) Raw(t testing.TB, dest any, sql string, args ...any) {
	t.Helper()
	if err := db.gdb.Raw(sql, args...).Scan(dest).Error; err != nil {
		t.Fatalf("query %q: %v", sql, err)
	}
}

// CountQueries returns how many statements gorm sent while fn ran.
func (db *DB) CountQueries(fn func()) int {
	var n atomic.Int64
	name := "test:count-" + regent.NewID()
	count := func(*gorm.DB) { n.Add(1) }
	cb := db.gdb.Callback()
	cb.Query().Before("gorm:query").Register(name, count)
	cb.Row().Before("gorm:row").Register(name, count) // Rows(), as scan reads
	cb.Raw().Before("gorm:raw").Register(name, count)
	cb.Create().Before("gorm:create").Register(name, count)
	cb.Update().Before("gorm:update").Register(name, count)
	cb.Delete().Before("gorm:delete").Register(name, count)
	defer func() {
		cb.Query().Remove(name)
		cb.Row().Remove(name)
		cb.Raw().Remove(name)
		cb.Create().Remove(name)
		cb.Update().Remove(name)
		cb.Delete().Remove(name)
	}()
	fn()
	return int(n.Load())
}

// AppendAudit writes one event in its own transaction, as a change would.
func (db *DB) AppendAudit(ctx context.Context, ev *regent.AuditEvent) error {
	return db.tx(ctx, func(tx *gorm.DB) error { return appendAudit(tx, ev) })
}

// UsePeopleIndex turns the people index on (the default) or off.
func (db *DB) UsePeopleIndex(on bool) { db.people.off.Store(!on) }

// WarmPeopleIndex indexes tenantID's people now, whatever their number, as a list of a
// large tenant starts doing in the background, and fails the test unless it is indexed.
func (db *DB) WarmPeopleIndex(t testing.TB, tenantID string) {
	t.Helper()
	if err := db.people.build(context.Background(), db, tenantID); err != nil {
		t.Fatalf("index the people of %s: %v", tenantID, err)
	}
	if !db.PeopleIndexed(tenantID) {
		t.Fatalf("the people of %s are not indexed after a build", tenantID)
	}
}

// PeopleIndexed reports whether tenantID's people are indexed now.
func (db *DB) PeopleIndexed(tenantID string) bool { return db.people.get(tenantID) != nil }

// IndexPeopleFrom sets the least number of people a tenant needs to be indexed.
func (db *DB) IndexPeopleFrom(n int) { db.people.min = n }

// CapIndexes sets how many tenants and people at most are indexed, until the test ends.
func CapIndexes(t testing.TB, tenants, people int) {
	oldT, oldP := maxIndexedTenants, maxIndexedPeople
	maxIndexedTenants, maxIndexedPeople = tenants, people
	t.Cleanup(func() { maxIndexedTenants, maxIndexedPeople = oldT, oldP })
}

// BuildTenantIndex builds the tenant index now, whatever comes of it.
func (db *DB) BuildTenantIndex(t testing.TB) {
	t.Helper()
	if _, err := db.buildTenantIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// BuildPeopleIndex builds tenantID's people index now, whatever comes of it.
func (db *DB) BuildPeopleIndex(t testing.TB, tenantID string) {
	t.Helper()
	if err := db.people.build(context.Background(), db, tenantID); err != nil {
		t.Fatal(err)
	}
}

// CapPolicyTable sets how many policy rows at most are held as a whole table, until the
// test ends.
func CapPolicyTable(t testing.TB, n int) {
	old := maxPolicyTable
	maxPolicyTable = n
	t.Cleanup(func() { maxPolicyTable = old })
}

// WriteAudited makes a change of one row with its event, as the tenant app's records do.
func (db *DB) WriteAudited(ctx context.Context, sql string, args []any, ev *regent.AuditEvent) (bool, error) {
	return db.writeAudited(ctx, auditedChange{sql, args}, ev)
}

// WriteAuditedTogether makes the changes with their events as one lane's group, as
// concurrent requests' changes are on PostgreSQL, and returns each one's error (ENOTFOUND
// for a change that touched no row).
func (db *DB) WriteAuditedTogether(ctx context.Context, sqls []string, args [][]any, evs []*regent.AuditEvent) []error {
	group := make([]*groupedWrite, len(sqls))
	prepared := make([]*preparedAudit, len(sqls))
	for i := range sqls {
		prepared[i] = prepareAudited(auditedChange{sqls[i], args[i]}, evs[i])
		group[i] = &groupedWrite{chain: evs[i].Chain, query: db.groups.statement(prepared[i].change), args: prepared[i].args, done: make(chan groupedResult, 1)}
	}
	db.writeGroup(ctx, append([]*groupedWrite(nil), group...)) // it sorts its own copy
	errs := make([]error, len(group))
	results := make([]groupedResult, len(group))
	var wg sync.WaitGroup
	for i, w := range group {
		wg.Go(func() { // as the requests would, each on its own
			if results[i] = <-w.done; results[i].alone {
				results[i] = db.writeAlone(ctx, w)
			}
		})
	}
	wg.Wait()
	for i, r := range results {
		switch {
		case r.err != nil:
			errs[i] = r.err
		case r.placed == nil:
			errs[i] = regent.Errorf(regent.ENOTFOUND, "no row changed")
		default:
			db.placed(evs[i], prepared[i], r.placed)
		}
	}
	return errs
}

// Translate maps a driver error to the domain error a service would return.
func Translate(err error) error { return translate(err) }

// SameLane reports whether two chains' audited changes go through the same lane.
func (db *DB) SameLane(a, b string) bool { return db.groups.laneOf(a) == db.groups.laneOf(b) }

// HoldChainHead locks a chain's head in a transaction of its own, as an ordinary
// transaction that writes an event does until its commit, and returns what releases it.
func (db *DB) HoldChainHead(t testing.TB, chain string) (release func()) {
	t.Helper()
	tx := db.gdb.Begin()
	var seq int64
	if err := tx.Raw("SELECT seq FROM audit_chain_heads WHERE chain = ? FOR UPDATE", chain).Row().Scan(&seq); err != nil {
		tx.Rollback()
		t.Fatalf("lock the head of %s: %v", chain, err)
	}
	return func() { tx.Rollback() }
}

// AuditPageSQL returns the statement that ListEvents sends for f's page, and its arguments.
func (db *DB) AuditPageSQL(ctx context.Context, f regent.AuditFilter) (string, []any, error) {
	q, err := pageQuery(ctx, db.gdb.Session(&gorm.Session{DryRun: true}).WithContext(ctx), &f)
	if err != nil {
		return "", nil, err
	}
	stmt := q.Find(&[]auditEventRow{}).Statement
	return stmt.SQL.String(), stmt.Vars, nil
}

// PlainAuditPage reads f's page with the plain query (the caller's part of the trail, its
// filters as equalities, seq below the cursor, newest first), as ListEvents did before it
// learned to read some pages another way: the answer those ways must give. It returns the
// page's event ids and the next cursor.
func (db *DB) PlainAuditPage(ctx context.Context, f regent.AuditFilter) ([]string, string, error) {
	q, err := scopeAudit(db.gdb.WithContext(ctx).Model(&auditEventRow{}), regent.CallerFromContext(ctx), regent.PermAuditRead)
	if err != nil {
		return nil, "", err
	}
	if q, err = filterAudit(q, f, ""); err != nil {
		return nil, "", err
	}
	if f.Cursor != "" {
		seq, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		q = q.Where("seq < ?", seq)
	}
	if f.Limit <= 0 || f.Limit > regent.MaxPageSize {
		f.Limit = 50
	}
	var rows []auditEventRow
	if err := q.Order("seq DESC").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
		return nil, "", err
	}
	next := ""
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		next = encodeCursor(rows[len(rows)-1].Seq)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids, next, nil
}

// AuditCursor is the cursor of the page that follows the event at seq.
func AuditCursor(seq int64) string { return encodeCursor(seq) }
