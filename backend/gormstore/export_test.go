package gormstore

import "testing"

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
