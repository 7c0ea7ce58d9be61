package gormstore

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

func TestGormLoggerWritesOnlyFailuresAndSlowStatements(t *testing.T) {
	var buf bytes.Buffer
	l := newGormLogger(slog.New(slog.NewTextHandler(&buf, nil)))
	rendered := 0
	fc := func() (string, int64) { rendered++; return "SELECT * FROM users WHERE email = $1", 1 }
	ctx := context.Background()

	l.Trace(ctx, time.Now(), fc, nil)
	l.Trace(ctx, time.Now(), fc, gorm.ErrRecordNotFound)
	if rendered != 0 || buf.Len() != 0 {
		t.Fatalf("a fast statement rendered its SQL %d times and logged %q", rendered, buf.String())
	}

	l.Trace(ctx, time.Now(), fc, errors.New("boom"))
	if got := buf.String(); !strings.Contains(got, "level=ERROR") || !strings.Contains(got, "boom") || !strings.Contains(got, "email = $1") {
		t.Fatalf("failure line = %q", got)
	}
	buf.Reset()
	l.Trace(ctx, time.Now().Add(-time.Second), fc, nil)
	if got := buf.String(); !strings.Contains(got, "level=WARN") || !strings.Contains(got, "SQL slow") {
		t.Fatalf("slow line = %q", got)
	}

	// The arguments never reach the line: gorm renders with what ParamsFilter leaves.
	_, vars := l.(gormLogger).ParamsFilter(ctx, "SELECT $1", "secret@example.com")
	if len(vars) != 0 {
		t.Fatalf("ParamsFilter kept %v", vars)
	}
}

// TestScanLogsNoArguments runs a failing statement through scan, the way every list reads
// its rows: the logged line names the statement but not its arguments. (gorm's own Scan
// rendered the arguments into the line.)
func TestScanLogsNoArguments(t *testing.T) {
	var buf bytes.Buffer
	db, err := Open(context.Background(), "sqlite:"+t.TempDir()+"/scan.db", slog.New(slog.NewTextHandler(&buf, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows []struct{ Email string }
	err = scan(db.gdb.Raw("SELECT email FROM no_such_table WHERE email = ?", "secret@example.com"), &rows)
	if err == nil {
		t.Fatal("a statement over a missing table succeeded")
	}
	got := buf.String()
	if !strings.Contains(got, "no_such_table") {
		t.Fatalf("the failure was not logged: %q", got)
	}
	if strings.Contains(got, "secret@example.com") {
		t.Fatalf("the log line carries the argument: %q", got)
	}
	buf.Reset()
	var n int64
	if err := scan(db.gdb.Raw("SELECT length(?)", "secret@example.com"), &n); err != nil || n != 18 {
		t.Fatalf("length = %d, %v", n, err)
	}
	if buf.Len() != 0 {
		t.Fatalf("a fast statement was logged: %q", buf.String())
	}
}
