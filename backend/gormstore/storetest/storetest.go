// Package storetest opens migrated databases for tests: SQLite always, and PostgreSQL
// whenever REGENT_TEST_DATABASE_URL is set. Under CI=true a missing PostgreSQL URL fails the
// test run instead of silently testing less.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for creating test databases

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
)

// Dialects returns the dialects to test against.
func Dialects(t testing.TB) []string {
	t.Helper()
	out := []string{gormstore.DialectSQLite}
	if os.Getenv("REGENT_TEST_DATABASE_URL") != "" {
		out = append(out, gormstore.DialectPostgres)
	} else if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but REGENT_TEST_DATABASE_URL is not set: the PostgreSQL suite is mandatory in CI")
	}
	return out
}

// PostgresURL returns the URL of a fresh PostgreSQL database, for tests of what only runs
// there (the bench data generators' COPY). Under CI=true a missing PostgreSQL fails the test,
// as Dialects does; on a developer's machine without one the test is skipped, saying why.
func PostgresURL(t testing.TB) string {
	t.Helper()
	for _, d := range Dialects(t) {
		if d == gormstore.DialectPostgres {
			return URL(t, d)
		}
	}
	t.Skip("needs PostgreSQL: set REGENT_TEST_DATABASE_URL")
	return ""
}

// Each runs fn as a subtest against a fresh, migrated database of every dialect.
func Each(t *testing.T, fn func(t *testing.T, db *gormstore.DB)) {
	t.Helper()
	for _, d := range Dialects(t) {
		t.Run(d, func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// Open returns a fresh, migrated database of the dialect, closed and removed when the test
// ends.
func Open(t testing.TB, dialect string) *gormstore.DB {
	t.Helper()
	db, err := gormstore.Open(context.Background(), URL(t, dialect), nil)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// URL returns the URL of a fresh database of the dialect, removed when the test ends. A
// PostgreSQL one is cloned from a template that holds the current schema, so it is already
// migrated; a SQLite one is an empty file.
func URL(t testing.TB, dialect string) string {
	t.Helper()
	switch dialect {
	case gormstore.DialectSQLite:
		return "sqlite:" + filepath.Join(t.TempDir(), "regent.db")
	case gormstore.DialectPostgres:
		base := os.Getenv("REGENT_TEST_DATABASE_URL")
		name, err := clonePostgres(base)
		if err != nil {
			t.Fatalf("postgres test database: %v", err)
		}
		t.Cleanup(func() {
			if admin, err := sql.Open("pgx", base); err == nil {
				admin.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
				admin.Close()
			}
		})
		return withDatabase(base, name)
	}
	t.Fatalf("unknown dialect %q", dialect)
	return ""
}

// clonePostgres creates a database from the template of the current schema, creating the
// template first if this schema has none yet. An advisory lock serialises this across the
// test binaries that go test runs in parallel.
func clonePostgres(base string) (string, error) {
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	const lockKey = 7_419_020_001
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", lockKey)

	tmpl := "regent_tmpl_" + gormstore.SchemaFingerprint()
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", tmpl).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		// Templates of older schemas are of no further use.
		if rows, err := conn.QueryContext(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'regent\\_tmpl\\_%'"); err == nil {
			var old []string
			for rows.Next() {
				var n string
				rows.Scan(&n)
				old = append(old, n)
			}
			rows.Close()
			for _, n := range old {
				conn.ExecContext(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", n))
			}
		}
		if err := makeTemplate(ctx, conn, base, tmpl); err != nil {
			return "", err
		}
	}
	name := "regent_test_" + strings.ReplaceAll(regent.NewID(), "-", "")[:24]
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tmpl)); err != nil {
		return "", err
	}
	return name, nil
}

func makeTemplate(ctx context.Context, conn *sql.Conn, base, tmpl string) error {
	building := tmpl + "_build"
	conn.ExecContext(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", building))
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return err
	}
	db, err := gormstore.Open(ctx, withDatabase(base, building), nil)
	if err != nil {
		return err
	}
	_, err = db.Migrate(ctx)
	db.Close()
	if err != nil {
		return err
	}
	// Renamed only when complete, so a crashed run never leaves a half-made template.
	_, err = conn.ExecContext(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", building, tmpl))
	return err
}

func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}
