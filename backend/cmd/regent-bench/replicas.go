package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/regent/regent/gormstore"
)

// replicasOptions are the flags of `regent-bench replicas`.
type replicasOptions struct {
	A, B        *url.URL
	DatabaseURL string
	Rounds      int
}

func parseReplicas(args []string, getenv func(string) string, stderr io.Writer) (replicasOptions, error) {
	o := replicasOptions{}
	var a, b string
	fs := flag.NewFlagSet("replicas", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&a, "url", "", "base URL of replica A, where sessions start and end (loopback only)")
	fs.StringVar(&b, "url2", "", "base URL of replica B, which must refuse what A ended (loopback only)")
	fs.StringVar(&o.DatabaseURL, "database-url", getenv("REGENT_DATABASE_URL"), "the database both replicas use")
	fs.IntVar(&o.Rounds, "rounds", 50, "sessions to start and end (each of stop and revoke)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var err error
	if o.A, err = loopbackOrigin(a); err != nil {
		return o, fmt.Errorf("replicas: --url: %w", err)
	}
	if o.B, err = loopbackOrigin(b); err != nil {
		return o, fmt.Errorf("replicas: --url2: %w", err)
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("replicas: unexpected argument %q", fs.Arg(0))
	case o.DatabaseURL == "":
		return o, errors.New("replicas: --database-url (or REGENT_DATABASE_URL) is required")
	case o.Rounds < 1 || o.Rounds > 1000:
		return o, errors.New("replicas: --rounds must be from 1 to 1000")
	}
	return o, nil
}

// loopbackOrigin parses an http origin on a loopback address.
func loopbackOrigin(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return nil, errors.New("must be an origin such as http://127.0.0.1:18181")
	}
	if !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("must be a loopback address, not %q", u.Hostname())
	}
	u.Path = ""
	return u, nil
}

// replicaRefusalLimit is how long replica B may keep honouring an ended session before the
// round counts as a failure (the issue asks for within a second).
const replicaRefusalLimit = time.Second

// replicas measures how soon replica B refuses an impersonation ended through replica A. In
// each round a Support user starts a session through A, uses its cookie on B until B serves
// it from its cache, then A ends it, by the actor's stop or by a TM Admin's revocation, and
// B is asked with the same cookie every millisecond until it answers 401.
func replicas(ctx context.Context, o replicasOptions, stdout io.Writer) error {
	db, err := gormstore.Open(ctx, o.DatabaseURL, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil}}
	defer client.CloseIdleConnections()
	signIn := func(base, email string) (*loadSetup, error) {
		s := &loadSetup{db: db, client: client, base: base}
		if s.token, err = openSession(ctx, db, base, email); err != nil {
			return nil, err
		}
		return s, s.readCSRF(ctx)
	}
	a := o.A.String()
	admin, err := signIn(a, "tm-admin@classics.example")
	if err != nil {
		return err
	}
	defer admin.do(context.Background(), request{method: http.MethodPost, path: "/auth/logout"})
	actor, err := signIn(a, "support@classics.example")
	if err != nil {
		return err
	}
	defer func() { actor.do(context.Background(), request{method: http.MethodPost, path: "/auth/logout"}) }()
	tenant, err := tenantByName(ctx, actor, bigDemoTenant)
	if err != nil {
		return err
	}

	took := map[string][]time.Duration{}
	for round := range 2 * o.Rounds {
		how := []string{"stop", "revoke"}[round%2]
		if actor.token == "" {
			// A revocation ends the login session too: the actor signs in again.
			if actor, err = signIn(a, "support@classics.example"); err != nil {
				return err
			}
		}
		status, body, err := actor.do(ctx, request{method: http.MethodPost, path: "/api/tenants/" + tenant + "/impersonations", body: benchReason})
		if err != nil || status != http.StatusCreated {
			return fmt.Errorf("round %d: start through A: status %d %v %.200s", round, status, err, body)
		}
		var sid struct{ ID string }
		if err := json.Unmarshal(body, &sid); err != nil {
			return err
		}
		onB := *actor
		onB.base = o.B.String()
		// B serves the session from its cache once it has seen it twice.
		for range 3 {
			if status, body, err := onB.get(ctx, "/api/me"); err != nil || status != http.StatusOK {
				return fmt.Errorf("round %d: B does not serve the running session: status %d %v %.200s", round, status, err, body)
			}
		}
		var ended time.Time
		switch how {
		case "stop":
			status, body, err = actor.do(ctx, request{method: http.MethodDelete, path: "/api/impersonation"})
			ended = time.Now()
			if err != nil || status != http.StatusNoContent {
				return fmt.Errorf("round %d: stop through A: status %d %v %.200s", round, status, err, body)
			}
		case "revoke":
			status, body, err = admin.do(ctx, request{method: http.MethodPost, path: "/api/impersonations/" + sid.ID + "/revoke"})
			ended = time.Now()
			if err != nil || status != http.StatusNoContent {
				return fmt.Errorf("round %d: revoke through A: status %d %v %.200s", round, status, err, body)
			}
			actor.token = ""
		}
		for {
			status, _, err := onB.get(ctx, "/api/me")
			if err != nil {
				return err
			}
			if status == http.StatusUnauthorized {
				took[how] = append(took[how], time.Since(ended))
				break
			}
			if time.Since(ended) > replicaRefusalLimit {
				return fmt.Errorf("round %d: replica B still honours a session %s through A after %v", round, how, replicaRefusalLimit)
			}
			time.Sleep(time.Millisecond)
		}
	}
	fmt.Fprintf(stdout, "replica B (%s) refusing what replica A (%s) ended, %d rounds each:\n", o.B, o.A, o.Rounds)
	for _, how := range []string{"stop", "revoke"} {
		d := took[how]
		slices.Sort(d)
		fmt.Fprintf(stdout, "%-7s n %-4d ms  p50 %s  p95 %s  p99 %s  max %s\n", how, len(d),
			ms(percentile(d, 50)), ms(percentile(d, 95)), ms(percentile(d, 99)), ms(percentile(d, 100)))
	}
	return nil
}
