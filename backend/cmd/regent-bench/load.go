package main

import (
	"cmp"
	"context"
	"database/sql"
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
	"github.com/regent/regent/devidp"
	"github.com/regent/regent/gormstore"
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
	// Driver sends the requests: "go" (this process) or "wrk" (see wrk.go).
	Driver string
}

// benchUserAgent is every request's User-Agent, whichever driver sends it: an impersonation
// bound to its footprint ends when it changes.
const benchUserAgent = "regent-bench"

// request is one request a client sends: its path, the kind it is reported under, and for
// anything but a GET its method and JSON body (sent with the session's CSRF token).
type request struct {
	path, kind   string
	method, body string
}

// nextRequest picks a client's next request.
type nextRequest func(r *rand.Rand) request

// scenario is a load: the demo account its clients sign in as, and its setup, which returns
// how each client picks its next request.
type scenario struct {
	user  string
	setup func(ctx context.Context, s *loadSetup) (nextRequest, error)
	// prepare, when set, runs once for each client after sign-in and before the clock starts
	// (to start an impersonation, say); the client's cookie is whatever it leaves.
	prepare func(ctx context.Context, s *loadSetup) error
	// postgresOnly scenarios read the database directly to pick their requests.
	postgresOnly bool
}

var scenarios = map[string]scenario{
	"me":             {user: "tm-admin@classics.example", setup: setupMe},
	"tenants-search": {user: "tm-admin@classics.example", setup: setupTenantSearch, postgresOnly: true},
	"tenants-page":   {user: "tm-admin@classics.example", setup: setupTenantPage},
	"tenants-browse": {user: "tm-admin@classics.example", setup: setupTenantBrowse},
	"employees-page": {user: "tenant-admin@paris.lsp.example", setup: setupEmployeePage, postgresOnly: true},
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
	fs.StringVar(&o.DatabaseURL, "database-url", getenv("REGENT_DATABASE_URL"), "the database URL Regent uses (postgres://… or sqlite:PATH), to open sessions in")
	fs.StringVar(&o.Scenario, "scenario", "", "one of: "+strings.Join(scenarioNames(), ", "))
	fs.IntVar(&o.Concurrency, "concurrency", 16, "concurrent clients, each with its own session")
	fs.DurationVar(&o.Duration, "duration", 30*time.Second, "how long to measure, after the warm-up")
	fs.DurationVar(&o.Warmup, "warmup", 3*time.Second, "requests sent before measuring, not counted")
	fs.Int64Var(&o.MaxRequests, "max-requests", 1_000_000, "stop after this many requests whatever the duration")
	fs.Float64Var(&o.Rate, "rate", 0, "offer this many requests per second in all (open loop); 0 sends as fast as answered")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed for the request mix")
	fs.StringVar(&o.Driver, "driver", "go", "what sends the requests: go, or wrk (closed loop, GET scenarios; needs wrk on the PATH)")
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
	case o.Driver != "go" && o.Driver != "wrk":
		return o, errors.New("load: --driver must be go or wrk")
	case o.Driver == "wrk" && o.Rate > 0:
		return o, errors.New("load: --driver wrk runs a closed loop only: leave out --rate")
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

// loadSetup is what a scenario's setup may use. Each client works on its own copy.
type loadSetup struct {
	conn   *pgx.Conn // nil on SQLite
	db     *gormstore.DB
	client *http.Client
	base   string
	token  string
	csrf   string
}

// get sends one signed-in GET and returns the status and body.
func (s *loadSetup) get(ctx context.Context, path string) (int, []byte, error) {
	return s.do(ctx, request{path: path})
}

// do sends one signed-in request and returns the status and body. A new session cookie in
// the answer (Regent issues one when an impersonation starts or stops) replaces the old.
func (s *loadSetup) do(ctx context.Context, r request) (int, []byte, error) {
	method, body := cmp.Or(r.method, http.MethodGet), io.Reader(nil)
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+r.path, body)
	if err != nil {
		return 0, nil, err
	}
	req.AddCookie(&http.Cookie{Name: "regent_session", Value: s.token})
	req.Header.Set("User-Agent", benchUserAgent)
	if method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", s.csrf)
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == "regent_session" && c.Value != "" {
			s.token = c.Value
		}
	}
	out, err := io.ReadAll(res.Body)
	return res.StatusCode, out, err
}

// readCSRF asks /api/me for the session's CSRF token.
func (s *loadSetup) readCSRF(ctx context.Context) error {
	status, body, err := s.get(ctx, "/api/me")
	if err != nil {
		return err
	} else if status != http.StatusOK {
		return fmt.Errorf("GET /api/me: status %d: %.200s", status, body)
	}
	var me struct{ CSRFToken string }
	if err := json.Unmarshal(body, &me); err != nil || me.CSRFToken == "" {
		return fmt.Errorf("GET /api/me: no csrfToken (%v)", err)
	}
	s.csrf = me.CSRFToken
	return nil
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
	return func(*rand.Rand) request { return request{path: "/api/me", kind: "me"} }, nil
}

func setupTenantSearch(ctx context.Context, s *loadSetup) (nextRequest, error) {
	frags, err := fragments(ctx, s.conn, rand.New(rand.NewPCG(2, 2)),
		"SELECT name FROM tenants WHERE kind <> 'platform' ORDER BY random() LIMIT 1000")
	if err != nil {
		return nil, err
	}
	return func(r *rand.Rand) request {
		return request{path: "/api/tenants?q=" + url.QueryEscape(frags[r.IntN(len(frags))]) + "&page=" + strconv.Itoa(1+r.IntN(5)) + "&pageSize=25", kind: "search"}
	}, nil
}

func setupTenantPage(ctx context.Context, s *loadSetup) (nextRequest, error) {
	total, err := s.total(ctx, "/api/tenants?page=1&pageSize=25")
	if err != nil {
		return nil, err
	}
	last := pages(total)
	return func(r *rand.Rand) request {
		return request{path: "/api/tenants?sort=name&page=" + strconv.Itoa(1+r.IntN(last)) + "&pageSize=25", kind: "page"}
	}, nil
}

// setupTenantBrowse pages the tenant list as a person does: mostly the first pages, some
// further in, now and then the last ones. (tenants-page, where each of the 4,000 pages is as
// likely as the first, is the worst case for OFFSET paging and stays beside it.)
func setupTenantBrowse(ctx context.Context, s *loadSetup) (nextRequest, error) {
	total, err := s.total(ctx, "/api/tenants?page=1&pageSize=25")
	if err != nil {
		return nil, err
	}
	last := pages(total)
	return func(r *rand.Rand) request {
		var page int
		switch n := r.IntN(100); {
		case n < 60:
			page = 1
		case n < 85:
			page = 2 + r.IntN(9)
		case n < 95:
			page = 11 + r.IntN(90)
		default:
			page = last - r.IntN(10)
		}
		page = max(1, min(page, last))
		return request{path: "/api/tenants?sort=name&page=" + strconv.Itoa(page) + "&pageSize=25", kind: "page"}
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
			return request{path: base + "&q=" + url.QueryEscape(frags[r.IntN(len(frags))]) + "&page=" + strconv.Itoa(1+r.IntN(2)), kind: "search"}
		}
		return request{path: base + "&page=" + strconv.Itoa(1+r.IntN(last)), kind: "page"}
	}, nil
}

// openSession signs the user in through Regent's own SignIn, as the callback does after the
// identity provider, and returns the session's cookie token. An account not yet bound is
// bound as the development provider of the server at base would bind it, so a browser can
// still sign in as that user afterwards.
func openSession(ctx context.Context, db *gormstore.DB, base, email string) (string, error) {
	var issuer, subject sql.NullString
	if err := db.SQL().QueryRowContext(ctx, "SELECT oidc_issuer, oidc_subject FROM users WHERE lower(email) = $1 AND NOT hidden",
		email).Scan(&issuer, &subject); err != nil {
		return "", fmt.Errorf("demo user %s: %w (seed the demo data first)", email, err)
	}
	if !issuer.Valid {
		issuer.String, subject.String = base+"/idp", devidp.Subject(email)
	}
	_, token, err := gormstore.NewAuthService(db).SignIn(ctx, regent.SignIn{Issuer: issuer.String, Subject: subject.String,
		Email: email, EmailVerified: true, AuthTime: time.Now()})
	return token, err
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
	sc := scenarios[o.Scenario]
	db, err := gormstore.Open(ctx, o.DatabaseURL, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	var conn *pgx.Conn
	if db.Dialect() == gormstore.DialectPostgres {
		if conn, err = pgx.Connect(ctx, o.DatabaseURL); err != nil {
			return err
		}
		defer conn.Close(context.Background())
	} else if sc.postgresOnly {
		return fmt.Errorf("load: scenario %s reads PostgreSQL directly; give a postgres:// --database-url", o.Scenario)
	}
	client := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy: nil, MaxIdleConns: o.Concurrency, MaxIdleConnsPerHost: o.Concurrency,
			MaxConnsPerHost: o.Concurrency, DisableCompression: true, IdleConnTimeout: time.Minute,
		},
	}
	defer client.CloseIdleConnections()
	base := o.URL.String()
	clients := make([]loadSetup, o.Concurrency)
	defer func() {
		// The sessions end with the run, through the sign-out a person would use: it ends any
		// impersonation too, and every replica's cache learns of it.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for i := range clients {
			if c := &clients[i]; c.token != "" {
				c.do(ctx, request{method: http.MethodPost, path: "/auth/logout"})
			}
		}
	}()
	for i := range clients {
		token, err := openSession(ctx, db, base, sc.user)
		if err != nil {
			return fmt.Errorf("open session: %w", err)
		}
		clients[i] = loadSetup{conn: conn, db: db, client: client, base: base, token: token}
		if err := clients[i].readCSRF(ctx); err != nil {
			return err
		}
	}
	setup := clients[0]
	next, err := sc.setup(ctx, &setup)
	if err != nil {
		return fmt.Errorf("scenario %s: %w", o.Scenario, err)
	}
	if sc.prepare != nil {
		for i := range clients {
			if err := sc.prepare(ctx, &clients[i]); err != nil {
				return fmt.Errorf("scenario %s: %w", o.Scenario, err)
			}
		}
	}
	email := sc.user
	if o.Driver == "wrk" {
		return driveWrk(ctx, o, clients, next, stdout)
	}

	res := drive(ctx, o, clients, next)
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
func drive(ctx context.Context, o loadOptions, clients []loadSetup, next nextRequest) result {
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
			client := &clients[i]
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
				status, body, err := client.do(ctx, req)
				d := time.Since(t0)
				if t0.Before(measureFrom) {
					continue
				}
				samples = append(samples, sample{d, req.kind})
				if err != nil || status < 200 || status > 299 {
					bad++
					if badMsg == "" {
						badMsg = fmt.Sprintf("%s %s: status %d %v %.200s", cmp.Or(req.method, http.MethodGet), req.path, status, err, body)
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
