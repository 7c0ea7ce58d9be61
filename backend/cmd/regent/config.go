package main

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/regent/regent"
)

// config is Regent's configuration, read from the environment and validated before anything
// starts. The secret fields are never logged: LogValue leaves them out.
type config struct {
	Addr           string
	PublicURL      *url.URL
	DatabaseURL    string
	OIDCIssuer     string
	OIDCClientID   string
	OIDCSecret     string
	SessionSecret  []byte
	Production     bool
	DataDir        string
	LogLevel       slog.Level
	TrustedProxies []*net.IPNet
	MetricsAddr    string
}

// LogValue implements slog.LogValuer with everything but secrets.
func (c *config) LogValue() slog.Value {
	db := c.DatabaseURL
	if u, err := url.Parse(db); err == nil && u.User != nil {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
		db = u.String()
	}
	issuer := c.OIDCIssuer
	if issuer == "" {
		issuer = "embedded development provider"
	}
	return slog.GroupValue(
		slog.String("addr", c.Addr), slog.String("public_url", c.PublicURL.String()),
		slog.String("database", db), slog.String("oidc_issuer", issuer),
		slog.Bool("production", c.Production), slog.String("data_dir", c.DataDir))
}

// loadConfig reads and checks the environment. Every problem is reported at once.
func loadConfig(getenv func(string) string) (*config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	var problems []string
	c := &config{
		Addr:         get("REGENT_ADDR", "127.0.0.1:8080"),
		DatabaseURL:  get("REGENT_DATABASE_URL", "sqlite:./data/regent.db"),
		OIDCIssuer:   get("REGENT_OIDC_ISSUER", ""),
		OIDCClientID: get("REGENT_OIDC_CLIENT_ID", ""),
		OIDCSecret:   get("REGENT_OIDC_CLIENT_SECRET", ""),
		DataDir:      get("REGENT_DATA_DIR", "./data"),
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		problems = append(problems, "REGENT_ADDR must be host:port")
	}
	pu, err := url.Parse(get("REGENT_PUBLIC_URL", "http://127.0.0.1:8080"))
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" || (pu.Path != "" && pu.Path != "/") || pu.RawQuery != "" {
		problems = append(problems, "REGENT_PUBLIC_URL must be an http(s) origin such as https://regent.example.com, without a path")
	} else {
		pu.Path = ""
		c.PublicURL = pu
	}
	if !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") && !strings.HasPrefix(c.DatabaseURL, "sqlite:") {
		problems = append(problems, "REGENT_DATABASE_URL must be postgres://… or sqlite:PATH")
	}
	if (c.OIDCIssuer == "") != (c.OIDCClientID == "") || (c.OIDCIssuer != "" && c.OIDCSecret == "") {
		problems = append(problems, "REGENT_OIDC_ISSUER, REGENT_OIDC_CLIENT_ID and REGENT_OIDC_CLIENT_SECRET go together: set all three, or none for the embedded development provider")
	}
	if c.OIDCIssuer != "" {
		if iu, err := url.Parse(c.OIDCIssuer); err != nil || (iu.Scheme != "https" && !(iu.Scheme == "http" && isLoopbackHost(iu.Hostname()))) {
			problems = append(problems, "REGENT_OIDC_ISSUER must be an https URL (http only on a loopback address)")
		}
	}
	switch env := get("REGENT_ENV", ""); env {
	case "production":
		c.Production = true
	case "", "development":
		// A public URL off this machine is a deployment, whatever the variable says.
		c.Production = c.PublicURL != nil && !isLoopbackHost(c.PublicURL.Hostname())
	default:
		problems = append(problems, "REGENT_ENV must be development or production")
	}
	if c.Production && c.OIDCIssuer == "" {
		problems = append(problems, "production needs a real identity provider: set REGENT_OIDC_ISSUER, REGENT_OIDC_CLIENT_ID and REGENT_OIDC_CLIENT_SECRET")
	}
	if s := get("REGENT_SESSION_SECRET", ""); s != "" {
		key, err := decodeSecret(s)
		if err != nil {
			problems = append(problems, "REGENT_SESSION_SECRET: "+err.Error())
		}
		c.SessionSecret = key
	} else if c.Production {
		problems = append(problems, "REGENT_SESSION_SECRET is required in production (at least 32 random bytes, e.g. `openssl rand -base64 48`)")
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("REGENT_LOG_LEVEL", "info"))); err != nil {
		problems = append(problems, "REGENT_LOG_LEVEL must be debug, info, warn or error")
	}
	c.MetricsAddr = get("REGENT_METRICS_ADDR", "")
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			problems = append(problems, "REGENT_METRICS_ADDR must be host:port")
		}
	}
	if tp := get("REGENT_TRUSTED_PROXIES", ""); tp != "" {
		for _, cidr := range strings.Split(tp, ",") {
			_, n, err := net.ParseCIDR(strings.TrimSpace(cidr))
			if err != nil {
				problems = append(problems, "REGENT_TRUSTED_PROXIES must be a comma-separated list of CIDRs")
				break
			}
			c.TrustedProxies = append(c.TrustedProxies, n)
		}
	}
	if len(problems) > 0 {
		return nil, errors.New("configuration:\n  - " + strings.Join(problems, "\n  - "))
	}
	return c, nil
}

// decodeSecret accepts base64 (standard or URL-safe), hex, or a raw string, and insists on
// 32 bytes of key at least.
func decodeSecret(s string) ([]byte, error) {
	var key []byte
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		key = b
	} else if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		key = b
	} else if b, err := hex.DecodeString(s); err == nil {
		key = b
	} else {
		key = []byte(s)
	}
	if len(key) < 32 {
		return nil, errors.New("must hold at least 32 bytes of key")
	}
	return key, nil
}

// developmentSecret reads the generated session secret from the data directory, creating it
// on first use, so development sessions survive restarts.
func developmentSecret(dir string) ([]byte, error) {
	path := filepath.Join(dir, "session-secret")
	if b, err := os.ReadFile(path); err == nil {
		return decodeSecret(strings.TrimSpace(string(b)))
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	key := regent.RandomToken(48)
	if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("store session secret: %w", err)
	}
	return key, nil
}

// isLoopbackHost reports whether host is localhost or a loopback IP address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
