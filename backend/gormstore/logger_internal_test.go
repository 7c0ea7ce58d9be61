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
