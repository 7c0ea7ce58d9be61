package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regent/regent/gormstore/storetest"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// TestServeSmoke starts the whole program on each database, as `make run` does, and checks
// it serves, signs a demo user in through the embedded provider, and stops cleanly.
func TestServeSmoke(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			addr, metricsAddr := freeAddr(t), freeAddr(t)
			env := map[string]string{
				"REGENT_METRICS_ADDR": metricsAddr,
				"REGENT_ADDR":         addr,
				"REGENT_PUBLIC_URL":   "http://" + addr,
				"REGENT_DATABASE_URL": storetest.URL(t, dialect),
				"REGENT_DATA_DIR":     t.TempDir(),
			}
			ctx := context.Background()
			var out, logs syncBuffer
			if err := run(ctx, []string{"regent", "demo", "seed"}, envFrom(env), &out, &logs); err != nil {
				t.Fatalf("demo seed: %v\n%s", err, logs.String())
			}
			if !strings.Contains(out.String(), "demo data created") {
				t.Fatalf("demo seed said %q", out.String())
			}

			ctx, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- run(ctx, []string{"regent", "serve"}, envFrom(env), &out, &logs) }()
			base := "http://" + addr
			waitHealthy(t, base, done, &logs)

			if res, err := http.Get(base + "/readyz"); err != nil || res.StatusCode != 200 {
				t.Fatalf("readyz: %v %v", res, err)
			}
			// A demo user signs in through the embedded provider over real HTTP.
			jarClient := newJarClient()
			res, err := jarClient.Get(base + "/auth/login?login_hint=tenant-admin@paris.lsp.example")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			res, err = jarClient.Get(base + "/api/me")
			if err != nil {
				t.Fatal(err)
			}
			var body bytes.Buffer
			body.ReadFrom(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || !strings.Contains(body.String(), "Armand St. Just") {
				t.Fatalf("/api/me: %d %s", res.StatusCode, body.String())
			}

			res, err = http.Get("http://" + metricsAddr + "/metrics")
			if err != nil {
				t.Fatal(err)
			}
			body.Reset()
			body.ReadFrom(res.Body)
			res.Body.Close()
			if !strings.Contains(body.String(), `regent_http_request_duration_seconds_count{method="GET",route="/api/me",status="200"}`) {
				t.Errorf("metrics lack the /api/me request:\n%.2000s", body.String())
			}

			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("serve returned %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not stop")
			}
			if !strings.Contains(logs.String(), "stopped") {
				t.Errorf("no clean shutdown in logs:\n%s", logs.String())
			}
		})
	}
}

func waitHealthy(t *testing.T, base string, done chan error, logs *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v\n%s", err, logs.String())
		default:
		}
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("not healthy in time\n%s", logs.String())
}

func TestConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"defaults are a development setup", map[string]string{}, ""},
		{"public url with a path", map[string]string{"REGENT_PUBLIC_URL": "http://127.0.0.1:8080/x"}, "REGENT_PUBLIC_URL"},
		{"bad database url", map[string]string{"REGENT_DATABASE_URL": "mysql://x"}, "REGENT_DATABASE_URL"},
		{"issuer without client", map[string]string{"REGENT_OIDC_ISSUER": "https://idp.example.com"}, "go together"},
		{"plain-http issuer off loopback", map[string]string{"REGENT_OIDC_ISSUER": "http://idp.example.com", "REGENT_OIDC_CLIENT_ID": "a", "REGENT_OIDC_CLIENT_SECRET": "b"}, "https"},
		{"non-loopback public url is production and needs a secret and a provider",
			map[string]string{"REGENT_PUBLIC_URL": "https://regent.example.com"}, "REGENT_SESSION_SECRET is required"},
		{"production with everything", map[string]string{"REGENT_ENV": "production", "REGENT_PUBLIC_URL": "https://regent.example.com",
			"REGENT_OIDC_ISSUER": "https://idp.example.com", "REGENT_OIDC_CLIENT_ID": "regent", "REGENT_OIDC_CLIENT_SECRET": "s",
			"REGENT_SESSION_SECRET": strings.Repeat("k", 44)}, ""},
		{"production refuses the development provider", map[string]string{"REGENT_ENV": "production", "REGENT_SESSION_SECRET": strings.Repeat("k", 44)}, "real identity provider"},
		{"short secret", map[string]string{"REGENT_SESSION_SECRET": "short"}, "32 bytes"},
		{"bad env", map[string]string{"REGENT_ENV": "staging"}, "REGENT_ENV"},
		{"bad proxies", map[string]string{"REGENT_TRUSTED_PROXIES": "10.0.0.0/8,nope"}, "CIDR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["REGENT_DATA_DIR"] = dir
			cfg, err := loadConfig(envFrom(tt.env))
			if tt.wantErr == "" && err != nil {
				t.Fatalf("got %v, want no error", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("got %v, want an error mentioning %q", err, tt.wantErr)
			}
			if cfg != nil && strings.Contains(cfg.LogValue().String(), string(cfg.SessionSecret)) && len(cfg.SessionSecret) > 0 {
				t.Error("the session secret shows in the logged configuration")
			}
		})
	}
}

func TestDevelopmentSecretPersists(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	a, err := developmentSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := developmentSecret(dir)
	if err != nil || !bytes.Equal(a, b) || len(a) < 32 {
		t.Fatalf("got %x then %x (%v)", a, b, err)
	}
}

func TestDevelopmentProviderRefusesPublicURL(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"REGENT_ENV": "development", "REGENT_PUBLIC_URL": "http://10.1.2.3:8080",
		"REGENT_SESSION_SECRET": strings.Repeat("k", 44), "REGENT_DATA_DIR": t.TempDir(),
		"REGENT_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "r.db"), "REGENT_ADDR": freeAddr(t),
	}
	var out, logs syncBuffer
	err := run(context.Background(), []string{"regent", "serve"}, envFrom(env), &out, &logs)
	if err == nil {
		t.Fatal("serve started the development provider on a non-loopback public URL")
	}
}

func TestAuditVerifyCommand(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := map[string]string{"REGENT_DATABASE_URL": storetest.URL(t, dialect), "REGENT_DATA_DIR": t.TempDir()}
			ctx := context.Background()
			var out, logs syncBuffer
			if dialect == "postgres" {
				if err := run(ctx, []string{"regent", "migrate"}, envFrom(env), &out, &logs); err != nil {
					t.Fatal(err)
				}
			}
			if err := run(ctx, []string{"regent", "demo", "seed"}, envFrom(env), &out, &logs); err != nil {
				t.Fatal(err)
			}
			out = syncBuffer{}
			if err := run(ctx, []string{"regent", "audit", "verify"}, envFrom(env), &out, &logs); err != nil {
				t.Fatalf("verify: %v\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), "audit trail OK") || !strings.Contains(out.String(), "events/s") {
				t.Errorf("output: %s", out.String())
			}
		})
	}
}
