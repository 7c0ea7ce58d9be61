package main

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
)

// TestGenerateAuditVerifyAndLoad generates a small tree and a trail on top of it, checks the
// trail verifies with the store's own verifier and has the shape asked for, then runs each
// audit scenario, the sustained writer and an export briefly against Regent's real handler.
func TestGenerateAuditVerifyAndLoad(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	ctx := context.Background()
	noEnv := func(string) string { return "" }
	var out bytes.Buffer
	if err := run(ctx, []string{"regent-bench", "generate", "--database-url", dbURL, "--tenants", "60", "--partners", "5",
		"--employees", "700", "--large-tenants", "3", "--large-size", "150"}, noEnv, &out, &out); err != nil {
		t.Fatalf("generate: %v\n%s", err, out.String())
	}
	genAudit := []string{"regent-bench", "generate-audit", "--database-url", dbURL, "--events", "20000", "--batch", "7000"}
	if err := run(ctx, genAudit, noEnv, &out, &out); err != nil {
		t.Fatalf("generate-audit: %v\n%s", err, out.String())
	}
	if err := run(ctx, genAudit, noEnv, &out, &out); err == nil || !strings.Contains(err.Error(), "fresh bench database") {
		t.Errorf("a second generate-audit: got %v, want a refusal", err)
	}

	db, err := gormstore.Open(ctx, dbURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rep, err := db.VerifyAudit(ctx, nil)
	if err != nil || len(rep.Breaks) > 0 || rep.Events < 20000 {
		t.Fatalf("verify: %+v %v", rep, err)
	}

	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	checks := []struct {
		name  string
		query string
		ok    func(n int) bool
	}{
		{"events", "SELECT count(*) FROM audit_events", func(n int) bool { return n >= 20000 }},
		{"tenant chains", "SELECT count(*) FROM audit_chain_heads WHERE chain <> 'global'", func(n int) bool { return n > 30 }},
		{"events in a session, as the Impersonated Admin", `SELECT count(*) FROM audit_events e JOIN users u ON u.id = e.principal_id
			WHERE e.session_id IS NOT NULL AND u.hidden AND u.home_tenant_id = e.tenant_id`, func(n int) bool { return n > 10 }},
		{"sessions without their events", `SELECT count(*) FROM impersonation_sessions s WHERE NOT EXISTS (
			SELECT 1 FROM audit_events e WHERE e.session_id = s.id AND e.action = 'impersonation.start')`, func(n int) bool { return n == 0 }},
		{"days covered", "SELECT (extract(epoch FROM max(time) - min(time)) / 86400)::int FROM audit_events", func(n int) bool { return n > 300 }},
		{"events with before and after", "SELECT count(*) FROM audit_events WHERE before IS NOT NULL AND after IS NOT NULL", func(n int) bool { return n > 1000 }},
		{"event ids not from their time", "SELECT count(*) FROM audit_events WHERE abs(extract(epoch FROM time) * 1000 - ('x' || substr(replace(id::text, '-', ''), 1, 12))::bit(48)::bigint) > 1", func(n int) bool { return n < 10 }},
	}
	for _, c := range checks {
		var got int
		if err := conn.QueryRow(ctx, c.query).Scan(&got); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !c.ok(got) {
			t.Errorf("%s: got %d", c.name, got)
		}
	}

	ts := testServer(t, dbURL)
	for _, scenario := range []string{"audit-tenant", "audit-actor", "audit-session"} {
		t.Run(scenario, func(t *testing.T) {
			var out bytes.Buffer
			err := run(ctx, []string{"regent-bench", "load-audit", "--url", ts.URL, "--database-url", dbURL, "--scenario", scenario,
				"--concurrency", "4", "--duration", "300ms", "--warmup", "0s", "--max-requests", "200"}, noEnv, &out, &out)
			// (The small trail's sessions fit on one page; tenants and actors have more.)
			paged := scenario == "audit-session" || strings.Contains(out.String(), "cursor")
			if err != nil || !strings.Contains(out.String(), " errors 0 ") || !paged {
				t.Errorf("load-audit: %v\n%s", err, out.String())
			}
		})
	}
	t.Run("write-audit", func(t *testing.T) {
		var out bytes.Buffer
		err := run(ctx, []string{"regent-bench", "write-audit", "--database-url", dbURL, "--writers", "4", "--tenants", "2",
			"--duration", "300ms", "--warmup", "0s"}, noEnv, &out, &out)
		if err != nil || !strings.Contains(out.String(), "events/s") {
			t.Errorf("write-audit: %v\n%s", err, out.String())
		}
	})
	t.Run("export-audit", func(t *testing.T) {
		var out bytes.Buffer
		err := run(ctx, []string{"regent-bench", "export-audit", "--url", ts.URL, "--database-url", dbURL, "--format", "csv",
			"--pid", strconv.Itoa(os.Getpid())}, noEnv, &out, &out)
		if err != nil || !strings.Contains(out.String(), "server RSS MiB") || !strings.Contains(out.String(), "format=csv") {
			t.Errorf("export-audit: %v\n%s", err, out.String())
		}
	})
	rep, err = db.VerifyAudit(ctx, nil)
	if err != nil || len(rep.Breaks) > 0 {
		t.Fatalf("verify after the load: %+v %v", rep, err)
	}
	var live int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM login_sessions WHERE ended_at IS NULL").Scan(&live); err != nil || live != 0 {
		t.Errorf("sessions left open: %d %v", live, err)
	}
}

func TestAuditCommandsRefuseWhatTheyShouldNot(t *testing.T) {
	t.Parallel()
	getenv := func(string) string { return "postgres://x@127.0.0.1/y" }
	tests := []struct {
		cmd  string
		args []string
		want string
	}{
		{"export-audit", []string{"--url=http://example.com:8080"}, "loopback"},
		{"export-audit", []string{"--url=http://localhost:8080"}, "loopback"},
		{"export-audit", []string{"--format=xml"}, "format"},
		{"write-audit", []string{"--writers=0"}, "writers"},
		{"write-audit", []string{"--duration=1h"}, "duration"},
		{"generate-audit", []string{"--events=0"}, "positive"},
		{"generate-audit", []string{"--database-url=sqlite:/tmp/x.db"}, "PostgreSQL"},
	}
	for _, tt := range tests {
		t.Run(tt.cmd+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			err := run(context.Background(), append([]string{"regent-bench", tt.cmd}, tt.args...), getenv, &bytes.Buffer{}, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error about %s", err, tt.want)
			}
		})
	}
}
