package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/regent/regent"
)

// sweeps counts EndLapsed calls; every other method of the service is unused here.
type sweeps struct {
	regent.ImpersonationService
	calls atomic.Int32
	fail  bool
}

func (s *sweeps) EndLapsed(context.Context) (int, error) {
	s.calls.Add(1)
	if s.fail {
		return 0, errors.New("database gone")
	}
	return 2, nil
}

func TestSweepLapsedRunsUntilStopped(t *testing.T) {
	for _, fail := range []bool{false, true} {
		var logs bytes.Buffer
		svc := &sweeps{fail: fail}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			sweepLapsed(ctx, svc, slog.New(slog.NewTextHandler(&logs, nil)), time.Millisecond)
			close(done)
		}()
		for svc.calls.Load() < 3 {
			time.Sleep(time.Millisecond)
		}
		cancel()
		<-done // it returns once stopped
		want := "ended lapsed impersonations"
		if fail {
			want = "database gone"
		}
		if !strings.Contains(logs.String(), want) {
			t.Errorf("fail=%v: log %q lacks %q", fail, logs.String(), want)
		}
	}
}
