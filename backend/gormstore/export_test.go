package gormstore

import (
	"context"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

// Test-only access to raw SQL, for arranging states no service offers and checking what
// the database holds.

// Exec runs a statement or fails the test.
func (db *DB) Exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	if err := db.gdb.Exec(sql, args...).Error; err != nil {
		t.Fatalf("exec %q: %v", sql, err)
	}
}

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
	db.gdb.Callback().Query().Before("gorm:query").Register(name, count)
	db.gdb.Callback().Raw().Before("gorm:raw").Register(name, count)
	db.gdb.Callback().Update().Before("gorm:update").Register(name, count)
	defer func() {
		db.gdb.Callback().Query().Remove(name)
		db.gdb.Callback().Raw().Remove(name)
		db.gdb.Callback().Update().Remove(name)
	}()
	fn()
	return int(n.Load())
}

// AppendAudit writes one event in its own transaction, as a change would.
func (db *DB) AppendAudit(ctx context.Context, ev *regent.AuditEvent) error {
	return db.tx(ctx, func(tx *gorm.DB) error { return appendAudit(tx, ev) })
}
