package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// The wrk driver sends a closed-loop scenario's requests with wrk (Debian's package) instead
// of Go's HTTP client. On a two-core machine the load client shares the cores with Regent and
// PostgreSQL, and Go's client spends about 0.25 ms of CPU a request, as much as Regent itself
// on an impersonated page; wrk spends a tenth of that. regent-bench still signs in, runs the
// scenario's setup and prepare, and signs out after, so the sessions, their footprint and the
// requests are the same; only the sender changes.

// wrkSamples is how many of the scenario's requests are drawn in advance for wrk to cycle
// through (wrk's Lua cannot call back into Go).
const wrkSamples = 4096

// wrkResultPrefix starts the line the script's done() prints.
const wrkResultPrefix = "regent-wrk"

// wrkScript is the Lua for wrk: each request takes the next drawn path and the next session's
// cookie, with the User-Agent the sessions were started with (benchUserAgent: a
// footprint-bound impersonation would end on another one); done() prints the counts and percentiles in ms.
func wrkScript(cookies []string, paths []string, userAgent string) (string, error) {
	var b strings.Builder
	b.WriteString("local cookies = {\n")
	for _, c := range cookies {
		fmt.Fprintf(&b, "  %q,\n", "regent_session="+c)
	}
	b.WriteString("}\nlocal paths = {\n")
	for _, p := range paths {
		if strings.ContainsAny(p, "\"\\\n\r") {
			return "", fmt.Errorf("wrk: path %q cannot be written into the script", p)
		}
		fmt.Fprintf(&b, "  %q,\n", p)
	}
	fmt.Fprintf(&b, "}\nlocal ua = %q\n", userAgent)
	b.WriteString(`local n = 0
function init(args)
  n = math.random(#paths)
end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], {["Cookie"] = cookies[(n % #cookies) + 1], ["User-Agent"] = ua})
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("` + wrkResultPrefix + ` %d %d %d %.3f %.3f %.3f %.3f\n",
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
`)
	return b.String(), nil
}

// wrkResult is what one wrk run reports.
type wrkResult struct {
	requests, errors    int64
	elapsed             time.Duration
	p50, p95, p99, pmax float64 // ms
}

func parseWrk(out []byte) (wrkResult, error) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 8 || f[0] != wrkResultPrefix {
			continue
		}
		var r wrkResult
		var us int64
		var err error
		for i, dst := range []*int64{&r.requests, &r.errors, &us} {
			if *dst, err = strconv.ParseInt(f[1+i], 10, 64); err != nil {
				return r, fmt.Errorf("wrk: %q: %w", sc.Text(), err)
			}
		}
		r.elapsed = time.Duration(us) * time.Microsecond
		for i, dst := range []*float64{&r.p50, &r.p95, &r.p99, &r.pmax} {
			if *dst, err = strconv.ParseFloat(f[4+i], 64); err != nil {
				return r, fmt.Errorf("wrk: %q: %w", sc.Text(), err)
			}
		}
		return r, nil
	}
	return wrkResult{}, fmt.Errorf("wrk printed no result line: %.500s", out)
}

// driveWrk runs wrk over the prepared clients' sessions: a warm-up run, then the measured one,
// and prints the report as drive's caller does. Only closed-loop GET scenarios can be driven.
func driveWrk(ctx context.Context, o loadOptions, clients []loadSetup, next nextRequest, stdout io.Writer) error {
	r := rand.New(rand.NewPCG(o.Seed, 0))
	paths := make([]string, wrkSamples)
	for i := range paths {
		req := next(r)
		if req.method != "" && req.method != http.MethodGet {
			return fmt.Errorf("load: --driver wrk sends GET requests only; scenario %s sends %s", o.Scenario, req.method)
		}
		paths[i] = req.path
	}
	cookies := make([]string, len(clients))
	for i := range clients {
		cookies[i] = clients[i].token
	}
	script, err := wrkScript(cookies, paths, benchUserAgent)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp("", "regent-wrk-*.lua")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(script); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	run := func(d time.Duration) (wrkResult, error) {
		// One thread: its event loop keeps 16 connections busy at 15,000 requests a second,
		// and a second one only takes more of the two cores the server is measured on (the
		// indexed tenant lists' p95 was 17-21 ms with two threads, 6 ms with one).
		cmd := exec.CommandContext(ctx, "wrk", "-t", "1", "-c", strconv.Itoa(o.Concurrency),
			"-d", strconv.Itoa(max(1, int(d.Round(time.Second)/time.Second)))+"s", "--timeout", "30s", "-s", f.Name(), o.URL.String())
		out, err := cmd.CombinedOutput()
		if err != nil {
			return wrkResult{}, fmt.Errorf("wrk: %w: %.500s", err, out)
		}
		return parseWrk(out)
	}
	if o.Warmup > 0 {
		if _, err := run(o.Warmup); err != nil {
			return err
		}
	}
	res, err := run(o.Duration)
	if err != nil {
		return err
	}
	rate := float64(res.requests) / res.elapsed.Seconds()
	fmt.Fprintf(stdout, "scenario %s: %d connections over %d sessions, wrk, %s measured after %s warm-up (closed loop)\n",
		o.Scenario, o.Concurrency, len(clients), res.elapsed.Round(time.Millisecond), o.Warmup)
	fmt.Fprintf(stdout, "requests %d  errors %d  throughput %.1f req/s\n", res.requests, res.errors, rate)
	fmt.Fprintf(stdout, "all      n %-7d latency ms  p50 %.1f  p95 %.1f  p99 %.1f  max %.1f\n", res.requests, res.p50, res.p95, res.p99, res.pmax)
	fmt.Fprintf(stdout, "| %s (wrk) | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f |\n", o.Scenario, o.Concurrency, res.requests, rate,
		res.p50, res.p95, res.p99, res.pmax)
	if res.errors > 0 {
		return fmt.Errorf("%d of %d requests failed (wrk counts non-2xx/3xx answers and socket errors)", res.errors, res.requests)
	}
	return nil
}
