package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/regent/regent"
)

type loadOptions struct {
	URL         *url.URL
	DatabaseURL string
	Scenario    string
	Concurrency int
	Duration    time.Duration
	Warmup      time.Duration
	// MaxRequests bounds the run whatever the duration.
	MaxRequests int64
	// Rate, when positive, is the total requests per second offered (an open loop).
	Rate float64
	Seed uint64
}

// request is one GET a client sends: its path and the kind it is reported under.
type request struct{ path, kind string }

// nextRequest picks a client's next request.
type nextRequest func(r *rand.Rand) request

// scenario is a load: the demo account its clients sign in as, and its setup, which returns
// how each client picks its next request.
type scenario struct {
	user  string
	setup func(ctx context.Context, s *loadSetup) (nextRequest, error)
}

var scenarios = map[string]scenario{
	"me":             {"tm-admin@classics.example", setupMe},
	"tenants-search": {"tm-admin@classics.example", setupTenantSearch},
	"tenants-page":   {"tm-admin@classics.example", setupTenantPage},
	"employees-page": {"tenant-admin@paris.lsp.example", setupEmployeePage},
}

func scenarioNames() []string {
	names := make([]string, 0, len(scenarios))
	for n := range scenarios {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func parseLoad(args []string, getenv func(string) string, stderr io.Writer) (loadOptions, error) {
	o := loadOptions{}
	var rawURL string
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&rawURL, "url", "http://127.0.0.1:18181", "base URL of the running Regent (loopback only)")
	fs.StringVar(&o.DatabaseURL, "database-url", getenv("REGENT_DATABASE_URL"), "the PostgreSQL URL Regent uses, to open sessions in")
	fs.StringVar(&o.Scenario, "scenario", "", "one of: "+strings.Join(scenarioNames(), ", "))
	fs.IntVar(&o.Concurrency, "concurrency", 16, "concurrent clients, each with its own session")
	fs.DurationVar(&o.Duration, "duration", 30*time.Second, "how long to measure, after the warm-up")
	fs.DurationVar(&o.Warmup, "warmup", 3*time.Second, "requests sent before measuring, not counted")
	fs.Int64Var(&o.MaxRequests, "max-requests", 1_000_000, "stop after this many requests whatever the duration")
	fs.Float64Var(&o.Rate, "rate", 0, "offer this many requests per second in all (open loop); 0 sends as fast as answered")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed for the request mix")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	u, err := url.Parse(rawURL)
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("load: unexpected argument %q", fs.Arg(0))
	case scenarios[o.Scenario].setup == nil:
		return o, fmt.Errorf("load: --scenario must be one of %s", strings.Join(scenarioNames(), ", "))
	case o.DatabaseURL == "":
		return o, errors.New("load: --database-url (or REGENT_DATABASE_URL) is required")
	case err != nil || u.Scheme != "http" || u.Host == "" || (u.Path != "" && u.Path != "/"):
		return o, errors.New("load: --url must be an origin such as http://127.0.0.1:18181")
	case !isLoopback(u.Hostname()):
		// The tool is a load generator: it only ever points at this machine.
		return o, fmt.Errorf("load: --url must be a loopback address such as 127.0.0.1, not %q", u.Hostname())
	case o.Concurrency < 1 || o.Concurrency > 256:
		return o, errors.New("load: --concurrency must be from 1 to 256")
	case o.Duration <= 0 || o.Duration > 10*time.Minute || o.Warmup < 0 || o.Warmup > time.Minute:
		return o, errors.New("load: --duration must be from 1ns to 10m and --warmup at most 1m")
	case o.MaxRequests < 1:
		return o, errors.New("load: --max-requests must be positive")
	case o.Rate < 0 || o.Rate > 100_000:
		return o, errors.New("load: --rate must be from 0 to 100000")
	}
	u.Path = ""
	o.URL = u
	return o, nil
}

// isLoopback reports whether host is a literal loopback address. Names are refused: what
// they resolve to is not ours to vouch for.
func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loadSetup is what a scenario's setup may use.
type loadSetup struct {
	conn   *pgx.Conn
	client *http.Client
	base   string
	token  string
}

// get sends one signed-in GET and returns the status and body.
func (s *loadSetup) get(ctx context.Context, path string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+path, nil)
	if err != nil {
		return 0, nil, err
	}
	req.AddCookie(&http.Cookie{Name: "regent_session", Value: s.token})
	res, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return res.StatusCode, body, err
}

// total reads the "total" of a list answer.
func (s *loadSetup) total(ctx context.Context, path string) (int, error) {
	status, body, err := s.get(ctx, path)
	if err != nil {
		return 0, err
	} else if status != http.StatusOK {
		return 0, fmt.Errorf("GET %s: status %d: %s", path, status, body)
	}
	var doc struct{ Total int }
	if err := json.Unmarshal(body, &doc); err != nil {
		return 0, fmt.Errorf("GET %s: %w", path, err)
	}
	return doc.Total, nil
}

const pageSize = 25

func pages(total int) int { return max(1, (total+pageSize-1)/pageSize) }

// fragments returns three-letter pieces of the names the query returns.
func fragments(ctx context.Context, conn *pgx.Conn, r *rand.Rand, query string, args ...any) ([]string, error) {
	rows, err := conn.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		if f := fragment(r, n); f != "" {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no names to search for: generate the data first")
	}
	return out, nil
}

func setupMe(ctx context.Context, s *loadSetup) (nextRequest, error) {
	return func(*rand.Rand) request { return request{"/api/me", "me"} }, nil
}

func setupTenantSearch(ctx context.Context, s *loadSetup) (nextRequest, error) {
	frags, err := fragments(ctx, s.conn, rand.New(rand.NewPCG(2, 2)),
		"SELECT name FROM tenants WHERE kind <> 'platform' ORDER BY random() LIMIT 1000")
	if err != nil {
		return nil, err
	}
	return func(r *rand.Rand) request {
		return request{"/api/tenants?q=" + url.QueryEscape(frags[r.IntN(len(frags))]) + "&page=" + strconv.Itoa(1+r.IntN(5)) + "&pageSize=25", "search"}
	}, nil
}

func setupTenantPage(ctx context.Context, s *loadSetup) (nextRequest, error) {
	total, err := s.total(ctx, "/api/tenants?page=1&pageSize=25")
	if err != nil {
		return nil, err
	}
	last := pages(total)
	return func(r *rand.Rand) request {
		return request{"/api/tenants?sort=name&page=" + strconv.Itoa(1+r.IntN(last)) + "&pageSize=25", "page"}
	}, nil
}

func setupEmployeePage(ctx context.Context, s *loadSetup) (nextRequest, error) {
	var tenantID string
	if err := s.conn.QueryRow(ctx, "SELECT id::text FROM tenants WHERE name = $1", bigDemoTenant).Scan(&tenantID); err != nil {
		return nil, fmt.Errorf("%s: %w", bigDemoTenant, err)
	}
	base := "/api/tenants/" + tenantID + "/employees?pageSize=25"
	total, err := s.total(ctx, base)
	if err != nil {
		return nil, err
	}
	last := pages(total)
	frags, err := fragments(ctx, s.conn, rand.New(rand.NewPCG(3, 3)),
		"SELECT name FROM users WHERE home_tenant_id = $1 AND NOT hidden ORDER BY random() LIMIT 500", tenantID)
	if err != nil {
		return nil, err
	}
	return func(r *rand.Rand) request {
		if r.IntN(5) == 0 { // one request in five searches, as someone looking for a person
			return request{base + "&q=" + url.QueryEscape(frags[r.IntN(len(frags))]) + "&page=" + strconv.Itoa(1+r.IntN(2)), "search"}
		}
		return request{base + "&page=" + strconv.Itoa(1+r.IntN(last)), "page"}
	}, nil
}

// openSession creates a login session for the user, as SignIn would after the identity
// provider, and returns its id and cookie token. The database keeps only the token's SHA-256
// (gormstore's hashToken).
func openSession(ctx context.Context, conn *pgx.Conn, userID string) (id, token string, err error) {
	token = base64.RawURLEncoding.EncodeToString(regent.RandomToken(32))
	hash := sha256.Sum256([]byte(token))
	now := time.Now().UTC().Truncate(time.Microsecond)
	id = regent.NewID()
	_, err = conn.Exec(ctx, `INSERT INTO login_sessions
		(id, token_hash, user_id, auth_time, created_at, last_seen_at, expires_at, ip, user_agent, ended_at, end_reason)
		VALUES ($1, $2, $3, $4, $4, $4, $5, '127.0.0.1', 'regent-bench', NULL, '')`,
		id, hash[:], userID, now, now.Add(regent.DefaultSessionPolicy.MaxAge))
	return id, token, err
}

// sample is one measured request.
type sample struct {
	d    time.Duration
	kind string
}

// result is what one run measured.
type result struct {
	Errors   int
	FirstErr string
	Elapsed  time.Duration
	Samples  []sample
}

// latencies returns the sorted durations of the samples of kind ("" for all).
func (r result) latencies(kind string) []time.Duration {
	var out []time.Duration
	for _, s := range r.Samples {
		if kind == "" || s.kind == kind {
			out = append(out, s.d)
		}
	}
	slices.Sort(out)
	return out
}

// percentile returns the nearest-rank p-th percentile (0 < p <= 100) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(len(sorted))*p/100 + 0.999999999)
	return sorted[min(max(rank, 1), len(sorted))-1]
}

func load(ctx context.Context, o loadOptions, stdout io.Writer) error {
	conn, err := pgx.Connect(ctx, o.DatabaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	email := scenarios[o.Scenario].user
	var userID string
	if err := conn.QueryRow(ctx, "SELECT id::text FROM users WHERE lower(email) = $1 AND NOT hidden", email).Scan(&userID); err != nil {
		return fmt.Errorf("demo user %s: %w (seed the demo data first)", email, err)
	}
	tokens := make([]string, o.Concurrency)
	var sessions []string
	defer func() {
		// The sessions end with the run. (A running Regent's authentication cache learns of
		// changes made outside its own transactions only when its entries expire, so it may
		// honour these tokens a little longer; they were never written anywhere but memory.)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn.Exec(ctx, "UPDATE login_sessions SET ended_at = $2, end_reason = $3 WHERE id = ANY($1) AND ended_at IS NULL",
			sessions, time.Now().UTC(), regent.SessionEndLogout)
	}()
	for i := range tokens {
		id, token, err := openSession(ctx, conn, userID)
		if err != nil {
			return fmt.Errorf("open session: %w", err)
		}
		sessions, tokens[i] = append(sessions, id), token
	}
	client := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy: nil, MaxIdleConns: o.Concurrency, MaxIdleConnsPerHost: o.Concurrency,
			MaxConnsPerHost: o.Concurrency, DisableCompression: true, IdleConnTimeout: time.Minute,
		},
	}
	defer client.CloseIdleConnections()
	setup := &loadSetup{conn: conn, client: client, base: o.URL.String(), token: tokens[0]}
	next, err := scenarios[o.Scenario].setup(ctx, setup)
	if err != nil {
		return fmt.Errorf("scenario %s: %w", o.Scenario, err)
	}

	res := drive(ctx, o, setup, tokens, next)
	mode := "closed loop: each client sends its next request when the last one is answered"
	if o.Rate > 0 {
		mode = fmt.Sprintf("open loop: %.0f req/s offered, latency counted from each request's scheduled time", o.Rate)
	}
	fmt.Fprintf(stdout, "scenario %s as %s: %d clients, %s measured after %s warm-up (%s)\n",
		o.Scenario, email, o.Concurrency, res.Elapsed.Round(time.Millisecond), o.Warmup, mode)
	all := res.latencies("")
	rate := float64(len(all)) / res.Elapsed.Seconds()
	fmt.Fprintf(stdout, "requests %d  errors %d  throughput %.1f req/s\n", len(all), res.Errors, rate)
	kinds := map[string]bool{}
	for _, s := range res.Samples {
		kinds[s.kind] = true
	}
	report := func(label string, l []time.Duration) {
		fmt.Fprintf(stdout, "%-8s n %-7d latency ms  p50 %s  p95 %s  p99 %s  max %s\n", label, len(l),
			ms(percentile(l, 50)), ms(percentile(l, 95)), ms(percentile(l, 99)), ms(percentile(l, 100)))
	}
	report("all", all)
	if len(kinds) > 1 {
		for _, k := range slices.Sorted(maps.Keys(kinds)) {
			report(k, res.latencies(k))
		}
	}
	// The row of docs/performance.md's table.
	fmt.Fprintf(stdout, "| %s | %d | %d | %.0f | %s | %s | %s | %s |\n", o.Scenario, o.Concurrency, len(all), rate,
		ms(percentile(all, 50)), ms(percentile(all, 95)), ms(percentile(all, 99)), ms(percentile(all, 100)))
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if res.Errors > 0 {
		return fmt.Errorf("%d of %d requests failed; first: %s", res.Errors, len(all), res.FirstErr)
	}
	return nil
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64)
}

// drive runs the clients until the warm-up and the duration have passed or MaxRequests were
// sent, and measures every request after the warm-up.
//
// Without a rate, each client sends its next request as soon as the last one is answered
// (a closed loop: the figures are those of a saturated server). With a rate, requests are
// scheduled at fixed times spread over the clients, and a request's latency counts from its
// scheduled time, so a server that falls behind is not flattered by the clients waiting for
// it (coordinated omission).
func drive(ctx context.Context, o loadOptions, s *loadSetup, tokens []string, next nextRequest) result {
	start := time.Now()
	measureFrom := start.Add(o.Warmup)
	deadline := measureFrom.Add(o.Duration)
	ctx, cancel := context.WithDeadline(ctx, deadline.Add(30*time.Second))
	defer cancel()
	var (
		issued   atomic.Int64
		mu       sync.Mutex
		res      result
		wg       sync.WaitGroup
		interval time.Duration
	)
	if o.Rate > 0 {
		interval = time.Duration(float64(time.Second) * float64(o.Concurrency) / o.Rate)
	}
	for i := range o.Concurrency {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(o.Seed, uint64(i)))
			client := *s
			client.token = tokens[i]
			var samples []sample
			bad, badMsg := 0, ""
			for k := 0; ctx.Err() == nil && issued.Add(1) <= o.MaxRequests; k++ {
				t0 := time.Now()
				if interval > 0 {
					// Client i's k-th request; the clients are staggered evenly over one interval.
					sched := start.Add(interval*time.Duration(k) + interval*time.Duration(i)/time.Duration(o.Concurrency))
					if sched.After(t0) {
						select {
						case <-time.After(sched.Sub(t0)):
						case <-ctx.Done():
						}
					}
					t0 = sched
				}
				if !t0.Before(deadline) {
					break
				}
				req := next(r)
				status, body, err := client.get(ctx, req.path)
				d := time.Since(t0)
				if t0.Before(measureFrom) {
					continue
				}
				samples = append(samples, sample{d, req.kind})
				if err != nil || status < 200 || status > 299 {
					bad++
					if badMsg == "" {
						badMsg = fmt.Sprintf("GET %s: status %d %v %.200s", req.path, status, err, body)
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			res.Samples = append(res.Samples, samples...)
			res.Errors += bad
			if res.FirstErr == "" {
				res.FirstErr = badMsg
			}
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(measureFrom)
	if o.Rate > 0 {
		res.Elapsed = o.Duration
	} else if o.Warmup == 0 || time.Now().Before(measureFrom) {
		res.Elapsed = time.Since(start)
	}
	return res
}
