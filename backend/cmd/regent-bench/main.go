// Command regent-bench makes the figures of docs/performance.md: it generates a large account
// tree into PostgreSQL and drives a running Regent with concurrent, signed-in GET requests.
//
//	regent-bench generate --database-url URL [--tenants 100000] [--employees 1000000] [--partners 200]
//	regent-bench load --url http://127.0.0.1:PORT --database-url URL --scenario NAME [--concurrency 16] [--duration 30s]
//
// Both commands are tools for a throw-away database: generate writes rows without audit
// events, and load opens login sessions directly in the database (as SignIn would, minus the
// identity provider) so that the figures measure Regent and not the sign-in dance.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "regent-bench:", err)
		os.Exit(1)
	}
}

const usage = `Usage: regent-bench <command> [flags]

Commands:
  generate   migrate if needed, seed the demo data if the database is empty, then bulk-load
             partners, customer tenants and employees (PostgreSQL only)
  load       drive a running Regent on a loopback address with concurrent GET requests
             and report latency percentiles
  generate-audit
             add a year of hash-chained audit events (10,000,000 by default) to a
             generated tree, with COPY (PostgreSQL only)
  load-audit load, with the audit trail's scenarios as well (audit-tenant, audit-actor,
             audit-session: filtered first pages and cursor pages)
  write-audit
             sustained changes through a service, each with its audit event
  export-audit
             time a full audit export over HTTP, sampling the server's memory
  replicas   with two Regent processes on one database, time how soon the second refuses
             an impersonation the first ended (stopped, or revoked by a TM Admin)

Run "regent-bench <command> -h" for the command's flags. The database URL defaults to
REGENT_DATABASE_URL. See docs/performance.md and docs/performance-audit.md.
`

// run is the whole program: everything it wires is visible here.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[1] {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "generate":
		opts, err := parseGenerate(args[2:], getenv, stderr)
		if err != nil {
			return err
		}
		return generate(ctx, opts, stdout)
	case "generate-audit":
		opts, err := parseGenerateAudit(args[2:], getenv, stderr)
		if err != nil {
			return err
		}
		return generateAudit(ctx, opts, stdout)
	case "load-audit":
		defer withAuditScenarios()()
		opts, err := parseLoad(args[2:], getenv, stderr)
		if err != nil {
			return err
		}
		return load(ctx, opts, stdout)
	case "write-audit":
		opts, err := parseWriteAudit(args[2:], getenv, stderr)
		if err != nil {
			return err
		}
		return writeAudit(ctx, opts, stdout)
	case "export-audit":
		opts, err := parseExportAudit(args[2:], getenv, stderr)
		if err != nil {
			return err
		}
		return exportAudit(ctx, opts, stdout)
	case "load":
		opts, err := parseLoad(args[2:], getenv, stderr)
		if err != nil {
			return err
		}
		return load(ctx, opts, stdout)
	case "replicas":
		opts, err := parseReplicas(args[2:], getenv, stderr)
		if err != nil {
			return err
		}
		return replicas(ctx, opts, stdout)
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[1])
}
