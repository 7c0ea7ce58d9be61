package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
)

// The ids of the built-in tenant roles, fixed by migration 0001.
var (
	roleTenantAdmin = mustUUID("00000000-0000-7000-8000-000000000006")
	roleSupervisor  = mustUUID("00000000-0000-7000-8000-000000000007")
	roleAgent       = mustUUID("00000000-0000-7000-8000-000000000008")
)

// bigDemoTenant is the demo customer that becomes one of the large tenants, so that its demo
// Tenant Admin (tenant-admin@paris.lsp.example) pages through a big employee list.
const bigDemoTenant = "LSP Paris"

// demoTenantCount is how many tenants the demo data has (gormstore's seed.go): a database
// with more already holds other data, and generate refuses to add to it.
const demoTenantCount = 6

// benchIssuer marks the identity binding of generated active employees. It is in the
// reserved .invalid domain, so no real provider can ever sign them in.
const benchIssuer = "https://bench.regent.invalid"

type generateOptions struct {
	DatabaseURL string
	// Tenants is the number of tenants to add, partners included.
	Tenants   int
	Partners  int
	Employees int
	// LargeTenants customers (LSP Paris among them) get LargeSize employees each; the rest
	// of the employees are spread unevenly over the other generated customers.
	LargeTenants int
	LargeSize    int
	Seed         uint64
}

func parseGenerate(args []string, getenv func(string) string, stderr io.Writer) (generateOptions, error) {
	o := generateOptions{}
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.DatabaseURL, "database-url", getenv("REGENT_DATABASE_URL"), "PostgreSQL URL (postgres://…)")
	fs.IntVar(&o.Tenants, "tenants", 100_000, "tenants to add, partners included")
	fs.IntVar(&o.Partners, "partners", 200, "partners to add (part of --tenants)")
	fs.IntVar(&o.Employees, "employees", 1_000_000, "employees to add")
	fs.IntVar(&o.LargeTenants, "large-tenants", 10, "customers with --large-size employees each (LSP Paris is one)")
	fs.IntVar(&o.LargeSize, "large-size", 20_000, "employees of each large customer")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed: the same seed makes the same names and shape")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("generate: unexpected argument %q", fs.Arg(0))
	case o.DatabaseURL == "":
		return o, errors.New("generate: --database-url (or REGENT_DATABASE_URL) is required")
	case o.Partners < 0 || o.Tenants < 0 || o.Employees < 0 || o.LargeTenants < 1 || o.LargeSize < 0:
		return o, errors.New("generate: counts cannot be negative, and there is at least one large tenant")
	case o.Tenants < o.Partners+o.LargeTenants-1:
		return o, fmt.Errorf("generate: --tenants %d leaves no room for %d partners and %d large customers", o.Tenants, o.Partners, o.LargeTenants)
	case o.Employees < o.LargeTenants*o.LargeSize:
		return o, fmt.Errorf("generate: --employees %d is less than %d large tenants × %d", o.Employees, o.LargeTenants, o.LargeSize)
	}
	if dialect, _, err := gormstore.ParseURL(o.DatabaseURL); err != nil {
		return o, err
	} else if dialect != gormstore.DialectPostgres {
		return o, errors.New("generate: only PostgreSQL is supported (bulk loading uses COPY)")
	}
	return o, nil
}

// genTenant is a tenant about to be written.
type genTenant struct {
	id        pgtype.UUID
	idText    string
	name      string
	kind      string
	parent    pgtype.UUID
	status    string
	createdAt time.Time
	// employees is how many employees it gets.
	employees int
}

// generate seeds the demo data when the database is empty and bulk-loads the bench data on
// top of it, in one transaction, then vacuums and analyses the tables it filled.
func generate(ctx context.Context, o generateOptions, stdout io.Writer) error {
	began := time.Now()
	if err := prepare(ctx, o.DatabaseURL, stdout); err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, o.DatabaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())

	existing, err := readTenants(ctx, conn)
	if err != nil {
		return err
	}
	if len(existing) > demoTenantCount {
		return fmt.Errorf("the database already holds %d tenants, more than the demo data: generate into a fresh database", len(existing))
	}
	r := rand.New(rand.NewPCG(o.Seed, 0x7e9e47))
	now := time.Now().UTC().Truncate(time.Microsecond)
	tenants, paris, err := planTenants(r, o, existing, now)
	if err != nil {
		return err
	}
	// Employees go to the new customers and to LSP Paris, which exists already.
	homes := append(slices.Clip(tenants), paris)

	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.Background())
	total := 0
	copyTable := func(label, table string, cols []string, src pgx.CopyFromSource) error {
		start := time.Now()
		n, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, src)
		if err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
		total += int(n)
		el := time.Since(start)
		fmt.Fprintf(stdout, "  %-26s %9d rows in %7s  %9.0f rows/s\n", label, n, el.Round(time.Millisecond), float64(n)/el.Seconds())
		return nil
	}
	fmt.Fprintf(stdout, "loading %d tenants (%d partners) and %d employees…\n", len(tenants), o.Partners, o.Employees)
	loadStart := time.Now()

	if err := copyTable("tenants", "tenants", []string{"id", "name", "kind", "parent_id", "status", "created_at", "updated_at", "version"},
		pgx.CopyFromSlice(len(tenants), func(i int) ([]any, error) {
			t := tenants[i]
			return []any{t.id, t.name, t.kind, t.parent, t.status, t.createdAt, t.createdAt, 1}, nil
		})); err != nil {
		return err
	}

	// Every tenant has exactly one hidden Impersonated Admin account holding its own hidden
	// role (gormstore/tree.go does the same in createTenantTx).
	hiddenRoles := make([]pgtype.UUID, len(tenants))
	hiddenUsers := make([]pgtype.UUID, len(tenants))
	for i := range tenants {
		hiddenRoles[i], hiddenUsers[i] = newUUID(), newUUID()
	}
	if err := copyTable("roles, hidden", "roles", []string{"id", "tenant_id", "key", "name", "home_kind", "hidden", "created_at", "updated_at", "version"},
		pgx.CopyFromSlice(len(tenants), func(i int) ([]any, error) {
			t := tenants[i]
			return []any{hiddenRoles[i], t.id, regent.RoleImpersonatedAdmin, regent.ImpersonatedAdminName, t.kind, true, t.createdAt, t.createdAt, 1}, nil
		})); err != nil {
		return err
	}
	userCols := []string{"id", "home_tenant_id", "email", "name", "status", "hidden", "oidc_issuer", "oidc_subject",
		"last_login_at", "created_at", "updated_at", "version", "created_by_name", "updated_by_name"}
	if err := copyTable("users, hidden", "users", userCols,
		pgx.CopyFromSlice(len(tenants), func(i int) ([]any, error) {
			t := tenants[i]
			return []any{hiddenUsers[i], t.id, "impersonated-admin+" + t.idText + "@regent.invalid", regent.ImpersonatedAdminName,
				regent.UserStatusActive, true, nil, nil, nil, t.createdAt, t.createdAt, 1, "", ""}, nil
		})); err != nil {
		return err
	}
	if err := copyTable("user_roles, hidden", "user_roles", []string{"user_id", "role_id"},
		pgx.CopyFromSlice(len(tenants), func(i int) ([]any, error) {
			return []any{hiddenUsers[i], hiddenRoles[i]}, nil
		})); err != nil {
		return err
	}

	// Employees, streamed: only their ids and roles are kept, for the user_roles copy.
	empIDs := make([]pgtype.UUID, 0, o.Employees)
	empRoles := make([]pgtype.UUID, 0, o.Employees)
	ti, left, seq := 0, 0, 0
	emp := func() ([]any, error) {
		for left == 0 {
			if ti == len(homes) {
				return nil, nil
			}
			left = homes[ti].employees
			ti++
		}
		left--
		seq++
		t := homes[ti-1]
		first, last := person(r)
		id := newUUID()
		role := roleAgent
		switch n := r.IntN(100); {
		case n == 0:
			role = roleTenantAdmin
		case n <= 11:
			role = roleSupervisor
		}
		empIDs, empRoles = append(empIDs, id), append(empRoles, role)
		created := t.createdAt.Add(time.Duration(r.Int64N(int64(now.Sub(t.createdAt)) + 1)))
		row := []any{id, t.id, emailLocal(first) + "." + emailLocal(last) + "." + strconv.FormatInt(int64(seq), 36) + "@" + t.domain(),
			first + " " + last, regent.UserStatusInvited, false, nil, nil, nil, created, created, 1, "Regent bench", "Regent bench"}
		switch n := r.IntN(100); {
		case n < 5:
			row[4] = regent.UserStatusDeactivated
		case n < 90:
			login := now.Add(-time.Duration(r.Int64N(int64(30 * 24 * time.Hour))))
			row[4], row[6], row[7], row[8] = regent.UserStatusActive, benchIssuer, id.String(), login
		}
		return row, nil
	}
	if err := copyTable("users, employees", "users", userCols, pgx.CopyFromFunc(emp)); err != nil {
		return err
	}
	if err := copyTable("user_roles, employees", "user_roles", []string{"user_id", "role_id"},
		pgx.CopyFromSlice(len(empIDs), func(i int) ([]any, error) {
			return []any{empIDs[i], empRoles[i]}, nil
		})); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	el := time.Since(loadStart)
	fmt.Fprintf(stdout, "loaded %d rows in %s (%.0f rows/s), committed\n", total, el.Round(time.Millisecond), float64(total)/el.Seconds())

	// Fresh statistics and a visibility map, so that the planner and index-only scans see the
	// data as a long-running database would.
	vacStart := time.Now()
	if _, err := conn.Exec(ctx, "VACUUM (ANALYZE) tenants, roles, users, user_roles, tenant_counts, user_counts"); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "vacuum analyze in %s\n", time.Since(vacStart).Round(time.Millisecond))
	fmt.Fprintf(stdout, "done in %s: %d tenants, %d employees; %s (%s) has %d employees\n",
		time.Since(began).Round(time.Millisecond), len(tenants), len(empIDs), bigDemoTenant, paris.idText, paris.employees)
	return nil
}

// prepare migrates the database if needed and seeds the demo data when it is empty, through
// the store, as `regent migrate` and `regent demo seed` would.
func prepare(ctx context.Context, url string, stdout io.Writer) error {
	db, err := gormstore.Open(ctx, url, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(stdout, "applied %d migration(s)\n", n)
	}
	seeded, err := db.SeedDemo(ctx)
	if err != nil {
		return fmt.Errorf("demo seed: %w", err)
	}
	if seeded {
		fmt.Fprintln(stdout, "demo data created")
	}
	return nil
}

type existingTenant struct {
	id, name, kind string
}

func readTenants(ctx context.Context, conn *pgx.Conn) ([]existingTenant, error) {
	rows, err := conn.Query(ctx, "SELECT id::text, name, kind FROM tenants ORDER BY name")
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (existingTenant, error) {
		var t existingTenant
		return t, row.Scan(&t.id, &t.name, &t.kind)
	})
}

// planTenants decides every new tenant, partners first, and how many employees each
// customer gets. LSP Paris exists already: it is returned apart, to be given employees only.
func planTenants(r *rand.Rand, o generateOptions, existing []existingTenant, now time.Time) ([]*genTenant, *genTenant, error) {
	var platform, paris string
	// The demo partners come first, in name order (Acme Partners, then the League), so they
	// get the largest shares of the customers.
	var parents []pgtype.UUID
	names := make([]string, 0, len(existing))
	for _, t := range existing {
		names = append(names, t.name)
		switch {
		case t.kind == regent.TenantKindPlatform:
			platform = t.id
		case t.kind == regent.TenantKindPartner:
			parents = append(parents, mustUUID(t.id))
		case t.name == bigDemoTenant:
			paris = t.id
		}
	}
	if platform == "" || paris == "" {
		return nil, nil, fmt.Errorf("the demo data (a platform and %q) is missing", bigDemoTenant)
	}
	platformID := mustUUID(platform)
	ns := newNameSource(r, names)
	since := func() time.Time {
		return now.Add(-time.Duration(r.Int64N(int64(3 * 365 * 24 * time.Hour))))
	}
	newTenant := func(name, kind string, parent pgtype.UUID) *genTenant {
		id := newUUID()
		t := &genTenant{id: id, idText: id.String(), name: name, kind: kind, parent: parent,
			status: regent.TenantStatusActive, createdAt: since()}
		if kind == regent.TenantKindCustomer && r.IntN(100) < 3 {
			t.status = regent.TenantStatusSuspended
		}
		return t
	}
	out := make([]*genTenant, 0, o.Tenants)
	for range o.Partners {
		p := newTenant(ns.partner(), regent.TenantKindPartner, platformID)
		out = append(out, p)
		parents = append(parents, p.id)
	}
	// Partner sizes are skewed: the k-th partner's weight is 1/(k+4)^1.1.
	cum := make([]float64, len(parents))
	sum := 0.0
	for k := range parents {
		sum += 1 / math.Pow(float64(k+4), 1.1)
		cum[k] = sum
	}
	customers := make([]*genTenant, 0, o.Tenants-o.Partners)
	for range o.Tenants - o.Partners {
		parent := platformID
		if r.IntN(10) > 0 { // nine in ten customers belong to a partner
			x := r.Float64() * sum
			k := 0
			for cum[k] < x {
				k++
			}
			parent = parents[k]
		}
		customers = append(customers, newTenant(ns.company(), regent.TenantKindCustomer, parent))
	}

	// Employees: LSP Paris and LargeTenants-1 generated customers get LargeSize each; the
	// rest is spread with log-normal weights, so most tenants are small and a few are not.
	large := r.Perm(len(customers))[:o.LargeTenants-1]
	isLarge := make([]bool, len(customers))
	for _, i := range large {
		isLarge[i] = true
		customers[i].status = regent.TenantStatusActive
		customers[i].employees = o.LargeSize
	}
	rest := o.Employees - o.LargeTenants*o.LargeSize
	weights := make([]float64, len(customers))
	wsum := 0.0
	for i := range customers {
		if !isLarge[i] {
			weights[i] = math.Exp(1.2 * r.NormFloat64())
			wsum += weights[i]
		}
	}
	given := 0
	for i, c := range customers {
		if !isLarge[i] && wsum > 0 {
			c.employees = int(weights[i] / wsum * float64(rest))
			given += c.employees
		}
	}
	for given < rest && wsum > 0 { // what rounding left over, one each at random
		if i := r.IntN(len(customers)); !isLarge[i] {
			customers[i].employees++
			given++
		}
	}
	if rest > 0 && wsum == 0 {
		return nil, nil, errors.New("generate: no small customers to give the remaining employees to")
	}
	parisT := &genTenant{id: mustUUID(paris), idText: paris, name: bigDemoTenant, kind: regent.TenantKindCustomer,
		createdAt: now.Add(-24 * time.Hour), employees: o.LargeSize}
	return append(out, customers...), parisT, nil
}

// domain is the made-up email domain of the tenant's people.
func (t *genTenant) domain() string {
	return "t" + t.idText[len(t.idText)-12:] + ".example"
}

func newUUID() pgtype.UUID { return mustUUID(regent.NewID()) }

func mustUUID(s string) pgtype.UUID {
	return pgtype.UUID{Bytes: uuid.MustParse(s), Valid: true}
}
