//go:build pprof

package main

// Built only with `-tags pprof`, for measuring: the Go profiler on a loopback port of its own
// (REGENT_PPROF_ADDR, default 127.0.0.1:6060), never in a release binary.

import (
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
	"time"
)

func init() {
	addr := os.Getenv("REGENT_PPROF_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6060"
	}
	go func() {
		s := &http.Server{Addr: addr, Handler: http.DefaultServeMux, ReadHeaderTimeout: 10 * time.Second}
		slog.Warn("profiling server listening (built with -tags pprof)", "addr", addr, "err", s.ListenAndServe())
	}()
}
