// Command regent is Regent's single binary: the server and its operator commands.
//
//	regent serve        start the HTTP server
//	regent migrate      apply pending database migrations
//	regent demo seed    create the demo data (idempotent)
//	regent audit verify check the audit trail's hash chains
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/regent/regent"
	"github.com/regent/regent/devidp"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/httpapi"
	"github.com/regent/regent/oidc"
	"github.com/regent/regent/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "regent:", err)
		os.Exit(1)
	}
}

const usage = `Usage: regent <command>

Commands:
  serve        start the HTTP server
  migrate      apply pending database migrations
  demo seed    create the demo data (does nothing if data exists)
  audit verify check every audit chain; exits non-zero naming the first bad event
  audit archive [--older-than DAYS] [--dir DIR]
               move audit events older than DAYS (default REGENT_AUDIT_RETENTION_DAYS)
               into archive files under DIR (default REGENT_DATA_DIR/audit-archive),
               anchoring each chain so it stays verifiable

Configuration comes from the environment (REGENT_ADDR, REGENT_PUBLIC_URL,
REGENT_DATABASE_URL, REGENT_OIDC_*, REGENT_SESSION_SECRET; see README.md).
`

// run is the whole program: everything it wires is visible here.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd := args[1]
	if len(args) > 2 {
		cmd += " " + args[2]
	}
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)

	switch cmd {
	case "serve":
		return serve(ctx, cfg, log)
	case "migrate":
		db, err := gormstore.Open(ctx, cfg.DatabaseURL, log)
		if err != nil {
			return err
		}
		defer db.Close()
		n, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "applied %d migration(s)\n", n)
		return nil
	case "demo seed":
		db, err := openDatabase(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer db.Close()
		seeded, err := db.SeedDemo(ctx)
		if err != nil {
			return fmt.Errorf("demo seed: %w", err)
		}
		if seeded {
			fmt.Fprintln(stdout, "demo data created")
		} else {
			fmt.Fprintln(stdout, "demo data already present; nothing changed")
		}
		return nil
	case "audit verify":
		return auditVerify(ctx, cfg, log, stdout)
	case "audit archive":
		return auditArchive(ctx, cfg, log, args[3:], getenv, stdout)
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// auditVerify walks every audit chain and fails naming the first event that does not match.
func auditVerify(ctx context.Context, cfg *config, log *slog.Logger, stdout io.Writer) error {
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	rep, err := db.VerifyAudit(ctx, func(n int64) {
		fmt.Fprintf(stdout, "  %d events checked…\n", n)
	})
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	elapsed := time.Since(start)
	rate := float64(rep.Events) / max(elapsed.Seconds(), 1e-9)
	fmt.Fprintf(stdout, "checked %d events in %d chains in %s (%.0f events/s)\n", rep.Events, rep.Chains, elapsed.Round(time.Millisecond), rate)
	for _, b := range rep.Breaks {
		fmt.Fprintf(stdout, "BROKEN chain %s at seq %d, event %s: %s\n", b.Chain, b.Seq, b.EventID, b.Problem)
	}
	if len(rep.Breaks) > 0 {
		return fmt.Errorf("audit trail does not verify: %d chain(s) broken", len(rep.Breaks))
	}
	fmt.Fprintln(stdout, "audit trail OK")
	return nil
}

// auditArchive applies the retention: whole old prefixes of each chain go to files.
func auditArchive(ctx context.Context, cfg *config, log *slog.Logger, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("audit archive", flag.ContinueOnError)
	fs.SetOutput(stdout)
	days := fs.Int("older-than", 0, "archive events older than this many days")
	dir := fs.String("dir", filepath.Join(cfg.DataDir, "audit-archive"), "where the archive files go")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *days == 0 {
		if v := getenv("REGENT_AUDIT_RETENTION_DAYS"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return errors.New("REGENT_AUDIT_RETENTION_DAYS must be a whole number of days")
			}
			*days = n
		}
	}
	if *days < 1 {
		return errors.New("say how old events must be: --older-than DAYS or REGENT_AUDIT_RETENTION_DAYS")
	}
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	cutoff := time.Now().UTC().AddDate(0, 0, -*days)
	segs, err := db.ArchiveAudit(ctx, cutoff, *dir)
	for _, s := range segs {
		fmt.Fprintf(stdout, "archived chain %s events %d-%d (%d) to %s sha256 %s\n", s.Chain, s.FromSeq, s.ToSeq, s.Events, s.File, s.SHA256)
	}
	if err != nil {
		return fmt.Errorf("audit archive: %w", err)
	}
	fmt.Fprintf(stdout, "archived %d segment(s) of events older than %s\n", len(segs), cutoff.Format(time.RFC3339))
	return nil
}

func newLogger(cfg *config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.Production {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openDatabase opens the database. The embedded SQLite mode migrates itself (there is no
// one else to do it); PostgreSQL must be migrated with `regent migrate`, so that several
// replicas never race to change the schema.
func openDatabase(ctx context.Context, cfg *config, log *slog.Logger) (*gormstore.DB, error) {
	db, err := gormstore.Open(ctx, cfg.DatabaseURL, log)
	if err != nil {
		return nil, err
	}
	if db.Dialect() == gormstore.DialectSQLite {
		if _, err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
	pending, err := db.Pending(ctx)
	if err != nil {
		db.Close()
		return nil, err
	} else if pending {
		db.Close()
		return nil, errors.New("the database has pending migrations: run `regent migrate` first")
	}
	return db, nil
}

func serve(ctx context.Context, cfg *config, log *slog.Logger) error {
	log.Info("starting", "config", cfg, "gogc", tuneGC(os.Getenv))
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()

	secret := cfg.SessionSecret
	if secret == nil {
		if secret, err = developmentSecret(cfg.DataDir); err != nil {
			return err
		}
	}

	public := cfg.PublicURL.String()
	rpCfg := oidc.Config{
		Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCSecret,
		RedirectURL: public + "/auth/callback",
	}
	var idp http.Handler
	if cfg.OIDCIssuer == "" {
		// No provider configured: run the embedded development provider, which refuses to
		// start unless the public URL is a loopback address.
		rpCfg.Issuer, rpCfg.ClientID = public+"/idp", "regent-dev"
		rpCfg.ClientSecret = fmt.Sprintf("%x", regent.RandomToken(32))
		p, err := devidp.New(devidp.Config{
			Issuer: rpCfg.Issuer, ClientID: rpCfg.ClientID, ClientSecret: rpCfg.ClientSecret,
			RedirectURIs: []string{rpCfg.RedirectURL}, Directory: devDirectory{db}, Logger: log.With("component", "devidp"),
		})
		if err != nil {
			return fmt.Errorf("embedded identity provider: %w", err)
		}
		idp = p.Handler()
		log.Warn("using the embedded development identity provider; never use it for real users", "issuer", rpCfg.Issuer)
	}

	var ipExtractor echo.IPExtractor
	if len(cfg.TrustedProxies) > 0 {
		opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range cfg.TrustedProxies {
			opts = append(opts, echo.TrustIPRange(n))
		}
		ipExtractor = echo.ExtractIPFromXFFHeader(opts...)
	}

	var metrics *httpapi.Metrics
	if cfg.MetricsAddr != "" {
		reg := prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		metrics = httpapi.NewMetrics(reg)
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("metrics listener: %w", err)
		}
		ms := &http.Server{Handler: promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), ReadHeaderTimeout: 10 * time.Second}
		go ms.Serve(mln)
		defer ms.Close()
		log.Info("serving metrics", "addr", mln.Addr().String())
	}

	imps := gormstore.NewImpersonationService(db)
	go sweepLapsed(ctx, imps, log, lapsedSweepEvery)

	srv := httpapi.NewServer(httpapi.Config{
		Logger:           log,
		PublicURL:        cfg.PublicURL,
		Auth:             gormstore.NewAuthService(db),
		LoginStates:      gormstore.NewAuthService(db),
		Tenants:          gormstore.NewTenantService(db),
		Users:            gormstore.NewUserService(db),
		Roles:            gormstore.NewRoleService(db),
		BusinessUnits:    gormstore.NewBusinessUnitService(db),
		Skills:           gormstore.NewSkillService(db),
		Branding:         gormstore.NewBrandingService(db),
		Contacts:         gormstore.NewContactService(db),
		Impersonations:   imps,
		Policies:         gormstore.NewPolicyService(db),
		Audit:            gormstore.NewAuditService(db),
		RP:               oidc.New(rpCfg),
		SessionSecret:    secret,
		Ready:            db.Ping,
		IdentityProvider: idp,
		Web:              web.Handler(),
		IPExtractor:      ipExtractor,
		Metrics:          metrics,
	})

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// No write timeout: audit exports stream for as long as they need.
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "public_url", public)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// devDirectory lists the users the development provider may sign in.
type devDirectory struct{ db *gormstore.DB }

func (d devDirectory) DevUsers(ctx context.Context) ([]devidp.User, error) {
	users, err := d.db.DevUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]devidp.User, len(users))
	for i, u := range users {
		out[i] = devidp.User{Email: u.Email, Name: u.Name}
	}
	return out, nil
}

// serverGOGC is the garbage collector's target for a serving process unless GOGC says
// otherwise: a request allocates a lot and keeps little, so collecting at 5x the live heap
// rather than 2x trades ~20 MiB of memory for ~10 % more requests a second on two cores
// (docs/performance-impersonation.md).
const serverGOGC = 400

// tuneGC applies serverGOGC when the environment sets no GOGC, and returns the target in force.
func tuneGC(getenv func(string) string) string {
	if v := getenv("GOGC"); v != "" {
		return v
	}
	debug.SetGCPercent(serverGOGC)
	return strconv.Itoa(serverGOGC)
}

// lapsedSweepEvery is how often serve ends the impersonations that ran out with nobody there
// to make the request that would end them.
const lapsedSweepEvery = 30 * time.Second

// sweepLapsed ends expired and idle impersonations every interval until ctx ends, so that the
// Sessions page, the Access Log and its notice stop counting a session nobody came back to,
// and its end is on record with its reason. Every replica sweeps; each session ends once.
func sweepLapsed(ctx context.Context, imps regent.ImpersonationService, log *slog.Logger, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n, err := imps.EndLapsed(ctx); err != nil && ctx.Err() == nil {
			log.Warn("ending lapsed impersonations", "error", err)
		} else if n > 0 {
			log.Info("ended lapsed impersonations", "count", n)
		}
	}
}
