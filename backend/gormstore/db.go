// Package gormstore implements Regent's services over gorm, on PostgreSQL (pgx) and on
// embedded SQLite (the pure-Go modernc driver, so the binary stays CGO-free).
//
// The schema is owned by versioned SQL migrations per dialect under migrations/, embedded in
// the binary and applied by goose; gorm never migrates anything. Every store method takes a
// context first and opens its own transaction; a change and its audit event are always
// written in the same transaction (on PostgreSQL, for the tenant app's simple records, in
// the same statement: writeAudited).
package gormstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	msqlite "modernc.org/sqlite"

	"github.com/regent/regent"
)

// Dialects.
const (
	DialectPostgres = "postgres"
	DialectSQLite   = "sqlite"
)

// DB is an open database with Regent's services over it.
type DB struct {
	gdb     *gorm.DB
	sqlDB   *sql.DB
	dialect string
	// Now is the clock every service reads; tests replace it.
	Now regent.Clock
	// Sessions bounds login sessions.
	Sessions regent.SessionPolicy

	log        *slog.Logger
	auth       *authCache
	tenantIdx  tenantIndexState
	people     peopleIndexes
	writes     *txWrites
	groups     *auditGroups
	stopListen context.CancelFunc
	// sessionNotices holds the one pending sessions notification (notifySessions).
	sessionNotices chan struct{}
}

// Open connects to the database named by rawURL: "postgres://…" (or "postgresql://…") or
// "sqlite:PATH". For SQLite the directory is created if missing. Open does not migrate.
func Open(ctx context.Context, rawURL string, log *slog.Logger) (*DB, error) {
	dialect, dsn, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	db := &DB{dialect: dialect, Sessions: regent.DefaultSessionPolicy, auth: newAuthCache(),
		writes: &txWrites{open: map[any]*writeWeight{}}}
	db.log, db.sessionNotices = log, make(chan struct{}, 1)
	db.tenantIdx.log, db.tenantIdx.checkEvery = log, cacheTTL
	db.people.log, db.people.min = log, peopleIndexMin
	cfg := &gorm.Config{
		Logger:                 newGormLogger(log),
		SkipDefaultTransaction: true,
		// gorm stamps created_at and updated_at itself; it must read the same clock as we do.
		NowFunc: db.now,
	}
	var dial gorm.Dialector
	switch dialect {
	case DialectPostgres:
		// pgx keeps each connection's prepared statements itself.
		dial = postgres.Open(dsn)
	case DialectSQLite:
		dial = sqlite.New(sqlite.Config{DriverName: "sqlite", DSN: dsn})
		// Parsing SQL is a fifth of a small list request's CPU in the pure-Go SQLite; the
		// statements are few and fixed, so keep them prepared (bounded for IN lists).
		cfg.PrepareStmt, cfg.PrepareStmtMaxSize, cfg.PrepareStmtTTL = true, 512, time.Hour
	}
	gdb, err := gorm.Open(dial, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, err
	}
	// Note every create, update and delete on a table Authenticate reads, for db.tx.
	markAuthWrite := func(g *gorm.DB) {
		if w := authTables[g.Statement.Table]; g.Error == nil && w != writeNone {
			db.writes.mark(g.Statement.ConnPool, w)
		}
	}
	cb := gdb.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("regent:auth_write", markAuthWrite),
		cb.Update().After("gorm:update").Register("regent:auth_write", markAuthWrite),
		cb.Delete().After("gorm:delete").Register("regent:auth_write", markAuthWrite),
	} {
		if err != nil {
			return nil, err
		}
	}
	if dialect == DialectSQLite {
		// One writer at a time is SQLite's nature; a small pool with immediate write
		// transactions and a busy timeout makes writers queue instead of failing.
		sqlDB.SetMaxOpenConns(4)
	} else {
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(16)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	db.gdb, db.sqlDB = gdb, sqlDB
	if err := db.Ping(ctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	if dialect == DialectPostgres {
		if err := checkDatabaseHashing(ctx, sqlDB); err != nil {
			sqlDB.Close()
			return nil, err
		}
	}
	lctx, cancel := context.WithCancel(context.Background())
	db.stopListen = cancel
	if dialect == DialectPostgres {
		go db.auth.listenPostgres(lctx, dsn, log)
		go db.sendSessionNotices(lctx)
		db.startAuditGroups(lctx)
	} else {
		db.auth.startSQLite(lctx, sqlDB)
	}
	return db, nil
}

// ParseURL splits a REGENT_DATABASE_URL into a dialect and a driver DSN.
func ParseURL(rawURL string) (dialect, dsn string, err error) {
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		if _, err := url.Parse(rawURL); err != nil {
			return "", "", errors.New("database URL: not a valid postgres:// URL")
		}
		return DialectPostgres, rawURL, nil
	case strings.HasPrefix(rawURL, "sqlite:"):
		path := strings.TrimPrefix(rawURL, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" || strings.ContainsAny(path, "?#") {
			return "", "", errors.New("database URL: sqlite:PATH needs a plain file path")
		}
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return "", "", fmt.Errorf("database URL: create directory: %w", err)
			}
		}
		q := url.Values{}
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Set("_txlock", "immediate")
		return DialectSQLite, "file:" + path + "?" + q.Encode(), nil
	default:
		return "", "", errors.New("database URL: use postgres://… or sqlite:PATH")
	}
}

// Dialect returns DialectPostgres or DialectSQLite.
func (db *DB) Dialect() string { return db.dialect }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return db.sqlDB.PingContext(ctx)
}

// Close stops the cache's listener and closes the connection pool.
func (db *DB) Close() error {
	db.stopListen()
	if c := db.auth.versionConn; c != nil {
		c.Close()
	}
	return db.sqlDB.Close()
}

func (db *DB) now() time.Time { return db.Now.Now() }

// tx runs fn in one transaction on the request's context. A transaction that wrote to a
// table Authenticate reads invalidates the authentication cache when it commits: here, and
// (PostgreSQL) in every other process through a NOTIFY the database delivers at commit.
func (db *DB) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	weight := writeNone
	err := db.gdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		dirty := db.writes.begin(tx.Statement.ConnPool)
		defer db.writes.end(tx.Statement.ConnPool)
		if err := fn(tx); err != nil {
			return err
		}
		if weight = *dirty; weight > writeSessions && db.dialect == DialectPostgres {
			payload := directoryPayload
			if weight == writeTenants {
				payload = ""
			}
			return tx.Exec("SELECT pg_notify(?, ?)", invalidationChannel, payload+"/"+db.auth.origin).Error
		}
		return nil
	})
	if err == nil {
		db.auth.invalidateFor(weight)
		if weight == writeSessions && db.dialect == DialectPostgres {
			db.notifySessions()
		}
	}
	return err
}

// notifySessions tells the other processes of a committed write to the sessions tables.
//
// A directory write notifies inside its transaction, so that no process can miss it. A
// notifying transaction holds a lock of PostgreSQL's own from its commit's start until the
// commit is flushed, so notifying transactions commit one at a time: starts, stops and
// sign-ins, which are many, are told after their commit instead, by sendSessionNotices,
// which sends one notification for all the commits since its last (they say the same
// thing). Should this process die first, the other processes trust a session's rows for at
// most snapshotTTL more.
func (db *DB) notifySessions() {
	select {
	case db.sessionNotices <- struct{}{}:
	default: // one is pending already: it covers this commit too
	}
}

// sendSessionNotices sends the pending sessions notification, one at a time, until ctx ends.
func (db *DB) sendSessionNotices(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-db.sessionNotices:
		}
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err := db.sqlDB.ExecContext(sctx, "SELECT pg_notify($1, $2)", invalidationChannel, sessionsPayload+"/"+db.auth.origin)
		cancel()
		if err != nil && ctx.Err() == nil && db.log != nil {
			db.log.Warn("other processes not told of a sessions change; they read sessions again within a second", "error", err)
		}
	}
}

// translate maps driver errors to domain errors; anything unknown stays as it is (and is
// reported as internal by the HTTP layer).
func translate(err error) error {
	if err == nil {
		return nil
	}
	var de *regent.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return regent.Errorf(regent.ENOTFOUND, "Not found.")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return &regent.Error{Code: regent.ECONFLICT, Message: "That name is already taken.", Extra: map[string]any{"constraint": pgErr.ConstraintName}}
	}
	var sqErr *msqlite.Error
	if errors.As(err, &sqErr) && (sqErr.Code() == 2067 || sqErr.Code() == 1555) {
		return regent.Errorf(regent.ECONFLICT, "That name is already taken.")
	}
	return err
}

// gormLogger sends gorm's slow-query and error lines to slog, never the SQL's arguments.
// gorm's own slog logger renders every statement's SQL before it decides whether to log it
// (6 % of a list request's CPU); this one renders it only for a line it writes.
type gormLogger struct {
	log  *slog.Logger
	slow time.Duration
}

func newGormLogger(log *slog.Logger) logger.Interface {
	if log == nil {
		return logger.Discard
	}
	return gormLogger{log: log, slow: 200 * time.Millisecond}
}

func (l gormLogger) LogMode(logger.LogLevel) logger.Interface { return l }

func (l gormLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}

func (l gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}

func (l gormLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}

// ParamsFilter keeps the arguments out of the SQL that Trace renders.
func (l gormLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

// Trace logs a failed statement (not a missing record) as an error and a slow one as a
// warning; anything else costs nothing.
func (l gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	// A statement cut short because the request's client went away is not a failure.
	failed := err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && !errors.Is(err, context.Canceled)
	if !failed && elapsed <= l.slow {
		return
	}
	sql, rows := fc()
	attrs := []slog.Attr{slog.Duration("duration", elapsed), slog.String("sql", sql), slog.Int64("rows", rows)}
	if failed {
		l.log.LogAttrs(ctx, slog.LevelError, "SQL failed", append(attrs, slog.String("error", err.Error()))...)
		return
	}
	l.log.LogAttrs(ctx, slog.LevelWarn, "SQL slow", attrs...)
}

// scan runs q (Raw, or a chain that selects) and scans its rows into dest: every row into a
// slice, the first into a struct or a single value. gorm's own Scan swaps the configured
// logger for a recorder that renders every statement with its arguments inlined, whether or
// not anything is logged (a regexp pass: 12 % of an audited write's CPU), and hands that text
// to the logger, arguments and all, when the statement is slow or fails. Through Rows the
// configured logger sees the statement: it renders nothing it does not log, and logs no
// arguments.
func scan(q *gorm.DB, dest any) error {
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	return readRows(q, rows, dest)
}

// rowsReader is a destination that reads its own rows, without gorm's reflection (a third of
// a page of people's CPU went to gorm mapping columns to fields, row by row).
type rowsReader interface {
	readRows(rows *sql.Rows) error
}

// readInto appends every row of rows to out, each column into the field that field(column)
// points to; a column it has no field for is an error.
func readInto[T any](rows *sql.Rows, out *[]T, field func(column string) func(*T) any) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	fields := make([]func(*T) any, len(cols))
	for i, c := range cols {
		if fields[i] = field(c); fields[i] == nil {
			return fmt.Errorf("reading %T: unexpected column %q", *out, c)
		}
	}
	dest := make([]any, len(cols))
	for rows.Next() {
		var zero T
		*out = append(*out, zero)
		r := &(*out)[len(*out)-1]
		for i, f := range fields {
			dest[i] = f(r)
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
	}
	return nil
}

// readRows reads every row of rows into dest: itself when dest is a rowsReader, else with
// gorm's mapping.
func readRows(q *gorm.DB, rows *sql.Rows, dest any) error {
	if r, ok := dest.(rowsReader); ok {
		if err := r.readRows(rows); err != nil {
			return err
		}
		return rows.Err()
	}
	if rows.Next() {
		if err := q.ScanRows(rows, dest); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SQL returns the underlying database handle, for operator tools and tests that need plain
// SQL. Services never use it.
func (db *DB) SQL() *sql.DB { return db.sqlDB }
