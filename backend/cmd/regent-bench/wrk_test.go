package main

import (
	"strings"
	"testing"
	"time"
)

func TestWrkScriptAndResult(t *testing.T) {
	script, err := wrkScript([]string{"tok-a", "tok-b"}, []string{"/api/x?page=1", "/api/x?page=2"}, benchUserAgent)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"regent_session=tok-a"`, `"regent_session=tok-b"`, `"/api/x?page=2"`, `local ua = "regent-bench"`, `["User-Agent"] = ua`} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %s:\n%s", want, script)
		}
	}
	if _, err := wrkScript([]string{"t"}, []string{`/api/x?q="]]`}, benchUserAgent); err == nil {
		t.Error("a path that would break out of its Lua string was written")
	}
	out := []byte("Running 1s test @ http://127.0.0.1:1\n  2 threads and 4 connections\nregent-wrk 1200 3 1000512 2.500 7.250 12.000 30.125\n")
	r, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.requests != 1200 || r.errors != 3 || r.elapsed != 1000512*time.Microsecond || r.p50 != 2.5 || r.p95 != 7.25 || r.p99 != 12 || r.pmax != 30.125 {
		t.Errorf("parsed %+v", r)
	}
	if _, err := parseWrk([]byte("unable to connect to 127.0.0.1:1 Connection refused\n")); err == nil {
		t.Error("output without a result line was accepted")
	}
}
