package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
)

// The audit trail's load: filtered pages (scenarios of `load`), sustained writing through a
// service (`write-audit`) and a timed export with the server's memory sampled
// (`export-audit`). See docs/performance-audit.md.

// withAuditScenarios adds the audit scenarios to load's for one command (`load-audit`) and
// returns how to take them away again. They need the trail that generate-audit writes, so
// `load` itself, which its tests run on trees without one, does not offer them.
func withAuditScenarios() (restore func()) {
	added := map[string]scenario{
		"audit-tenant":  {user: "tm-admin@classics.example", setup: setupAuditTenant, postgresOnly: true},
		"audit-actor":   {user: "tm-admin@classics.example", setup: setupAuditActor, postgresOnly: true},
		"audit-session": {user: "tm-admin@classics.example", setup: setupAuditSession, postgresOnly: true},
	}
	for name, sc := range added {
		scenarios[name] = sc
	}
	return func() {
		for name := range added {
			delete(scenarios, name)
		}
	}
}

// auditDepth is how many pages deep the audit scenarios read: the first and up to nine
// more through their cursors, as someone scrolling back.
const auditDepth = 10

// auditPages follows each filter value's cursors up to auditDepth pages and returns, per
// value, the path of every page.
func auditPages(ctx context.Context, s *loadSetup, param string, values []string) ([][]string, error) {
	var out [][]string
	for _, v := range values {
		first := "/api/audit?" + param + "=" + url.QueryEscape(v)
		paths := []string{first}
		for len(paths) < auditDepth {
			status, body, err := s.get(ctx, paths[len(paths)-1])
			if err != nil {
				return nil, err
			} else if status != http.StatusOK {
				return nil, fmt.Errorf("GET %s: status %d: %.200s", paths[len(paths)-1], status, body)
			}
			var doc struct {
				NextCursor *string `json:"nextCursor"`
			}
			if err := json.Unmarshal(body, &doc); err != nil {
				return nil, err
			}
			if doc.NextCursor == nil {
				break
			}
			paths = append(paths, first+"&cursor="+url.QueryEscape(*doc.NextCursor))
		}
		out = append(out, paths)
	}
	if len(out) == 0 {
		return nil, errors.New("no filter values: run generate-audit first")
	}
	return out, nil
}

// auditMix sends, for a value picked at random, its first page half the time and one of its
// cursor pages otherwise.
func auditMix(pages [][]string) nextRequest {
	return func(r *rand.Rand) request {
		p := pages[r.IntN(len(pages))]
		if len(p) == 1 || r.IntN(2) == 0 {
			return request{path: p[0], kind: "first"}
		}
		return request{path: p[1+r.IntN(len(p)-1)], kind: "cursor"}
	}
}

func queryStrings(ctx context.Context, conn *pgx.Conn, query string, args ...any) ([]string, error) {
	rows, err := conn.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// setupAuditTenant pages through the ten busiest tenants' events.
func setupAuditTenant(ctx context.Context, s *loadSetup) (nextRequest, error) {
	ids, err := queryStrings(ctx, s.conn, "SELECT chain FROM audit_chain_heads WHERE chain <> $1 ORDER BY seq DESC LIMIT 10", regent.GlobalChain)
	if err != nil {
		return nil, err
	}
	pages, err := auditPages(ctx, s, "tenantId", ids)
	return auditMix(pages), err
}

// setupAuditActor pages through the events of the ten busiest actors and of ten picked at
// random among everyone who acted.
func setupAuditActor(ctx context.Context, s *loadSetup) (nextRequest, error) {
	busy, err := queryStrings(ctx, s.conn, `SELECT actor_id::text FROM audit_events WHERE actor_id IS NOT NULL
		GROUP BY actor_id ORDER BY count(*) DESC LIMIT 10`)
	if err != nil {
		return nil, err
	}
	some, err := queryStrings(ctx, s.conn, `SELECT DISTINCT actor_id::text FROM audit_events TABLESAMPLE SYSTEM (0.1) REPEATABLE (7)
		WHERE actor_id IS NOT NULL ORDER BY 1 LIMIT 10`)
	if err != nil {
		return nil, err
	}
	pages, err := auditPages(ctx, s, "actorId", append(busy, some...))
	return auditMix(pages), err
}

// setupAuditSession pages through the ten longest impersonation sessions and ten picked at
// random.
func setupAuditSession(ctx context.Context, s *loadSetup) (nextRequest, error) {
	long, err := queryStrings(ctx, s.conn, `SELECT session_id::text FROM audit_events WHERE session_id IS NOT NULL
		GROUP BY session_id ORDER BY count(*) DESC LIMIT 10`)
	if err != nil {
		return nil, err
	}
	some, err := queryStrings(ctx, s.conn, "SELECT id::text FROM impersonation_sessions ORDER BY md5(id::text) LIMIT 10")
	if err != nil {
		return nil, err
	}
	pages, err := auditPages(ctx, s, "sessionId", append(long, some...))
	return auditMix(pages), err
}

// ---- write-audit -------------------------------------------------------------------------

type writeAuditOptions struct {
	DatabaseURL string
	Writers     int
	Tenants     int
	Duration    time.Duration
	Warmup      time.Duration
	CPUProfile  string
}

func parseWriteAudit(args []string, getenv func(string) string, stderr io.Writer) (writeAuditOptions, error) {
	o := writeAuditOptions{}
	fs := flag.NewFlagSet("write-audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.DatabaseURL, "database-url", getenv("REGENT_DATABASE_URL"), "PostgreSQL URL of the bench database")
	fs.IntVar(&o.Writers, "writers", 16, "concurrent writers, each a tenant admin making changes")
	fs.IntVar(&o.Tenants, "tenants", 16, "distinct tenants written to (writers share them round-robin)")
	fs.DurationVar(&o.Duration, "duration", 30*time.Second, "how long to measure, after the warm-up")
	fs.DurationVar(&o.Warmup, "warmup", 3*time.Second, "writes before measuring, not counted")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile of the measured period to this file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("write-audit: unexpected argument %q", fs.Arg(0))
	case o.DatabaseURL == "":
		return o, errors.New("write-audit: --database-url (or REGENT_DATABASE_URL) is required")
	case o.Writers < 1 || o.Writers > 256 || o.Tenants < 1:
		return o, errors.New("write-audit: --writers must be from 1 to 256 and --tenants positive")
	case o.Duration <= 0 || o.Duration > 10*time.Minute || o.Warmup < 0 || o.Warmup > time.Minute:
		return o, errors.New("write-audit: --duration must be from 1ns to 10m and --warmup at most 1m")
	}
	return o, nil
}

// writeAudit makes changes through the tenant app's skill service, as signed-in tenant
// admins: each change and its audit event in one transaction, exactly as a request would.
func writeAudit(ctx context.Context, o writeAuditOptions, stdout io.Writer) error {
	db, err := gormstore.Open(ctx, o.DatabaseURL, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := pgx.Connect(ctx, o.DatabaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, `SELECT DISTINCT ON (u.home_tenant_id) u.email, u.home_tenant_id::text
		FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE ur.role_id = $1 AND u.status = 'active' AND NOT u.hidden
		ORDER BY u.home_tenant_id, u.id LIMIT $2`, roleTenantAdmin, o.Tenants)
	if err != nil {
		return err
	}
	admins, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) ([2]string, error) {
		var a [2]string
		return a, row.Scan(&a[0], &a[1])
	})
	if err != nil {
		return err
	}
	if len(admins) == 0 {
		return errors.New("no active tenant admins: run generate first")
	}
	auth := gormstore.NewAuthService(db)
	skills := gormstore.NewSkillService(db)
	ctxs := make([]context.Context, o.Writers)
	tenantOf := make([]string, o.Writers)
	defer func() {
		// The writers sign out as a person would.
		for _, c := range ctxs {
			if c != nil {
				auth.SignOut(context.WithoutCancel(c))
			}
		}
	}()
	for w := range o.Writers {
		a := admins[w%len(admins)]
		// (Generated active people are bound to their identity already; base is not used.)
		token, err := openSession(ctx, db, "http://127.0.0.1", a[0])
		if err != nil {
			return err
		}
		ri := regent.RequestInfo{IP: "127.0.0.1", UserAgent: "regent-bench write-audit"}
		c, err := auth.Authenticate(regent.NewContextWithRequestInfo(ctx, ri), token)
		if err != nil {
			return fmt.Errorf("authenticate writer %d: %w", w, err)
		}
		ctxs[w], tenantOf[w] = regent.NewContextWithCaller(regent.NewContextWithRequestInfo(ctx, ri), c), a[1]
	}
	var before int64
	if err := conn.QueryRow(ctx, "SELECT coalesce(sum(seq), 0) FROM audit_chain_heads").Scan(&before); err != nil {
		return err
	}
	start := time.Now()
	measureFrom, deadline := start.Add(o.Warmup), start.Add(o.Warmup+o.Duration)
	var (
		wg          sync.WaitGroup
		mu          sync.Mutex
		lat         []time.Duration
		failed      atomic.Int64
		firstErr    atomic.Value
		total       atomic.Int64
		run         = time.Now().UnixNano()
		measuredEnd time.Time
	)
	for w := range o.Writers {
		wg.Go(func() {
			var mine []time.Duration
			for i := 0; ctx.Err() == nil; i++ {
				t0 := time.Now()
				if !t0.Before(deadline) {
					break
				}
				_, err := skills.Create(ctxs[w], tenantOf[w], &regent.Skill{
					Name: fmt.Sprintf("Bench skill %x-%d-%d", run, w, i), Channel: "phone", Direction: "inbound"})
				total.Add(1)
				if err != nil {
					if failed.Add(1) == 1 {
						firstErr.Store(err.Error())
					}
					continue
				}
				if !t0.Before(measureFrom) {
					mine = append(mine, time.Since(t0))
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	var profile *os.File
	if o.CPUProfile != "" {
		if profile, err = os.Create(o.CPUProfile); err != nil {
			return err
		}
		defer profile.Close()
		profiling := time.AfterFunc(time.Until(measureFrom), func() { pprof.StartCPUProfile(profile) })
		defer profiling.Stop()
	}
	wg.Wait()
	measuredEnd = time.Now()
	if profile != nil {
		pprof.StopCPUProfile()
	}
	var after int64
	if err := conn.QueryRow(ctx, "SELECT coalesce(sum(seq), 0) FROM audit_chain_heads").Scan(&after); err != nil {
		return err
	}
	slices.Sort(lat)
	el := measuredEnd.Sub(measureFrom)
	fmt.Fprintf(stdout, "write-audit: %d writers as tenant admins of %d tenants, skill.create through the service, %s measured after %s warm-up\n",
		o.Writers, min(len(admins), o.Writers), el.Round(time.Millisecond), o.Warmup)
	fmt.Fprintf(stdout, "changes %d measured (%d in all, %d failed); audit events written in all %d\n",
		len(lat), total.Load(), failed.Load(), after-before)
	fmt.Fprintf(stdout, "throughput %.0f events/s  latency ms  p50 %s  p95 %s  p99 %s  max %s\n", float64(len(lat))/el.Seconds(),
		ms(percentile(lat, 50)), ms(percentile(lat, 95)), ms(percentile(lat, 99)), ms(percentile(lat, 100)))
	if after-before != total.Load()-failed.Load() {
		return fmt.Errorf("%d changes made but %d audit events written", total.Load()-failed.Load(), after-before)
	}
	if n := failed.Load(); n > 0 {
		return fmt.Errorf("%d changes failed; first: %v", n, firstErr.Load())
	}
	return ctx.Err()
}

// ---- export-audit ------------------------------------------------------------------------

type exportAuditOptions struct {
	URL         *url.URL
	DatabaseURL string
	Format      string
	TenantID    string
	PID         int
	Timeout     time.Duration
}

func parseExportAudit(args []string, getenv func(string) string, stderr io.Writer) (exportAuditOptions, error) {
	o := exportAuditOptions{}
	var rawURL string
	fs := flag.NewFlagSet("export-audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&rawURL, "url", "http://127.0.0.1:18181", "base URL of the running Regent (loopback only)")
	fs.StringVar(&o.DatabaseURL, "database-url", getenv("REGENT_DATABASE_URL"), "the PostgreSQL URL Regent uses, to open a session in")
	fs.StringVar(&o.Format, "format", "csv", "csv or jsonl")
	fs.StringVar(&o.TenantID, "tenant-id", "", "export only this tenant's events")
	fs.IntVar(&o.PID, "pid", 0, "the server's process id, to sample its resident memory every second")
	fs.DurationVar(&o.Timeout, "timeout", 10*time.Minute, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	u, err := url.Parse(rawURL)
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("export-audit: unexpected argument %q", fs.Arg(0))
	case o.DatabaseURL == "":
		return o, errors.New("export-audit: --database-url (or REGENT_DATABASE_URL) is required")
	case err != nil || u.Scheme != "http" || u.Host == "" || (u.Path != "" && u.Path != "/"):
		return o, errors.New("export-audit: --url must be an origin such as http://127.0.0.1:18181")
	case !isLoopback(u.Hostname()):
		return o, fmt.Errorf("export-audit: --url must be a loopback address, not %q", u.Hostname())
	case o.Format != "csv" && o.Format != "jsonl":
		return o, errors.New("export-audit: --format must be csv or jsonl")
	case o.Timeout <= 0 || o.Timeout > time.Hour:
		return o, errors.New("export-audit: --timeout must be from 1ns to 1h")
	}
	u.Path = ""
	o.URL = u
	return o, nil
}

// rssKiB reads a process's resident set size from /proc.
func rssKiB(pid int) (int64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		}
	}
	return 0, errors.New("no VmRSS")
}

// exportAudit downloads the export as the demo TM admin, counting rows and bytes, while
// sampling the server's resident memory every second, and then shows the audit.export
// event the download recorded.
func exportAudit(ctx context.Context, o exportAuditOptions, stdout io.Writer) error {
	db, err := gormstore.Open(ctx, o.DatabaseURL, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := pgx.Connect(ctx, o.DatabaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	const email = "tm-admin@classics.example"
	var userID string
	if err := conn.QueryRow(ctx, "SELECT id::text FROM users WHERE lower(email) = $1 AND NOT hidden", email).Scan(&userID); err != nil {
		return fmt.Errorf("demo user %s: %w", email, err)
	}
	token, err := openSession(ctx, db, o.URL.String(), email)
	if err != nil {
		return err
	}
	auth := gormstore.NewAuthService(db)
	defer func() {
		if c, err := auth.Authenticate(context.Background(), token); err == nil {
			auth.SignOut(regent.NewContextWithCaller(context.Background(), c))
		}
	}()
	q := url.Values{"format": {o.Format}}
	if o.TenantID != "" {
		q.Set("tenantId", o.TenantID)
	}
	path := "/api/audit/export?" + q.Encode()
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.URL.String()+path, nil)
	if err != nil {
		return err
	}
	req.AddCookie(&http.Cookie{Name: "regent_session", Value: token})

	type rssSample struct {
		at  time.Duration
		kib int64
	}
	var samples []rssSample
	var smu sync.Mutex
	start := time.Now()
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		if o.PID == 0 {
			return
		}
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			if k, err := rssKiB(o.PID); err == nil {
				smu.Lock()
				samples = append(samples, rssSample{time.Since(start), k})
				smu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableCompression: true}}
	res, err := client.Do(req)
	if err != nil {
		close(stop)
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		close(stop)
		b, _ := io.ReadAll(io.LimitReader(res.Body, 500))
		return fmt.Errorf("GET %s: status %d: %s", path, res.StatusCode, b)
	}
	firstByte := time.Since(start)
	buf := make([]byte, 256<<10)
	var bytesRead, lines int64
	for {
		n, err := res.Body.Read(buf)
		bytesRead += int64(n)
		lines += int64(bytes.Count(buf[:n], []byte{'\n'}))
		if err == io.EOF {
			break
		} else if err != nil {
			close(stop)
			return fmt.Errorf("after %d bytes: %w", bytesRead, err)
		}
	}
	el := time.Since(start)
	close(stop)
	<-sampled
	rows := lines
	if o.Format == "csv" {
		rows-- // the header
	}
	fmt.Fprintf(stdout, "export-audit GET %s as %s\n", path, email)
	fmt.Fprintf(stdout, "rows %d  bytes %d (%.1f MB)  first byte %s  total %s  %.0f rows/s  %.1f MB/s\n", rows, bytesRead,
		float64(bytesRead)/1e6, firstByte.Round(time.Millisecond), el.Round(time.Millisecond), float64(rows)/el.Seconds(),
		float64(bytesRead)/1e6/el.Seconds())
	if len(samples) > 0 {
		lo, hi := samples[0].kib, samples[0].kib
		var series []string
		for _, s := range samples {
			lo, hi = min(lo, s.kib), max(hi, s.kib)
			series = append(series, strconv.FormatInt(s.kib/1024, 10))
		}
		fmt.Fprintf(stdout, "server RSS MiB: at start %d, min %d, max %d, at end %d (%d samples, one a second)\n",
			samples[0].kib/1024, lo/1024, hi/1024, samples[len(samples)-1].kib/1024, len(samples))
		fmt.Fprintf(stdout, "RSS series MiB: %s\n", strings.Join(series, " "))
	}
	// The export records itself before the first row goes out.
	var evID, detail string
	var at time.Time
	err = conn.QueryRow(context.Background(), `SELECT id::text, time, detail FROM audit_events
		WHERE action = 'audit.export' AND actor_id = $1 ORDER BY seq DESC LIMIT 1`, userID).Scan(&evID, &at, &detail)
	if err != nil {
		return fmt.Errorf("the export's own audit event: %w", err)
	}
	fmt.Fprintf(stdout, "recorded as audit event %s at %s: %s\n", evID, at.UTC().Format(time.RFC3339), detail)
	return nil
}
