package gormstore

import (
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/regent/regent"
)

// The authentication cache lets a request be authenticated without a database round trip
// when nothing changed. It holds, per session token, what Authenticate read: the login
// session, the person with their roles, and any live impersonation with its tenant, policy
// and principal. The time-based checks (expiry, idleness) and the footprint check still run
// on every request against the cached values.
//
// Correctness rests on one rule: a write transaction (db.tx) that writes to any table
// Authenticate reads (authTables) invalidates the cache when it commits. gorm callbacks
// notice such writes by table name, so no list of call sites has to be kept in step; audit
// events and business records leave the cache alone, which keeps it useful under write load.
// Writes come in three weights. One to the sessions tables (a sign-in, an impersonation's
// start or end, a cookie's rotation) drops the snapshots but keeps the directory: the
// people, tenants, roles and policies read by id, which only a write to their own tables
// changes. One to the directory drops everything but the tenant index (tenantindex.go),
// and one to tenants everything. So a sign-in or a start elsewhere costs the next request
// of each session one read (its session rows, in one statement), not seven.
//
// Across processes, PostgreSQL carries the invalidation as a NOTIFY, its payload saying
// which weight; while the listener is not connected, the cache is off. A directory write
// sends it inside its transaction (delivered exactly when it commits); a sessions write
// just after its commit (notifySessions says why), so a snapshot is trusted for at most
// snapshotTTL, the bound should the sender die in between. SQLite compares PRAGMA data_version,
// which moves whenever another connection commits, and drops everything.
type authCache struct {
	// origin tells this process's notifications from others' (random, per handle).
	origin string
	// gen moves on every invalidation, dirGen only on one that drops the directory, tenGen
	// only on one that drops everything (a write to tenants): the tenant index's.
	gen     atomic.Uint64
	dirGen  atomic.Uint64
	tenGen  atomic.Uint64
	enabled atomic.Bool
	mu      sync.RWMutex
	entries map[string]*authSnapshot
	// policies holds the impersonation policy layers by tenant id (globalLayer for the
	// global row; an empty slice: none); roles holds roles by id for the lists of people;
	// callers holds people with their home, roles and permissions by user id, tenants
	// tenants by id and principals the Impersonated Admin accounts by id, for Authenticate
	// (which reads policies through the layers).
	policies   sideCache[[]regent.PolicySettings]
	roles      sideCache[cachedRole]
	callers    sideCache[*regent.Caller]
	tenants    sideCache[*regent.Tenant]
	principals sideCache[*regent.User]
	// principalOf holds each tenant's Impersonated Admin account by tenant id, for a start.
	principalOf sideCache[*regent.User]
	// policyTable holds every policy layer by tenant id (globalLayer for the global row)
	// when there are few enough to read at once (the usual case: a tenant without an entry
	// has no layer of its own); nil until read at this directory generation. Guarded by mu.
	policyTable map[string][]regent.PolicySettings
	// policyTableTooBig: at this directory generation the table had more rows than
	// maxPolicyTable, so layers are read by id. Guarded by mu.
	policyTableTooBig bool

	// SQLite: a dedicated connection whose data_version tells of others' commits. It is
	// looked at no more often than versionEvery: this process's own commits invalidate
	// directly, so only another process's change can wait that long to be seen.
	versionMu    sync.Mutex
	versionConn  *sql.Conn
	lastVersion  int64
	versionCheck atomic.Int64
}

// versionEvery bounds how long another process's SQLite commit may go unseen.
const versionEvery = 100 * time.Millisecond

// maxCacheEntries bounds memory; past it the cache starts over.
const maxCacheEntries = 50_000

// cacheTTL bounds how long the directory is trusted even if no invalidation arrives, and
// snapshotTTL a snapshot of a session's rows (their changes are notified after the commit:
// see notifySessions).
const (
	cacheTTL    = 30 * time.Second
	snapshotTTL = time.Second
)

// authSnapshot is what Authenticate needs about a token, read at one moment.
type authSnapshot struct {
	gen       uint64
	loadedAt  time.Time
	session   loginSessionRow
	actor     *regent.Caller
	imp       *ImpersonationRow
	tenant    *regent.Tenant
	policy    regent.Policy
	principal *regent.User
}

func newAuthCache() *authCache {
	c := &authCache{entries: map[string]*authSnapshot{}, origin: regent.NewID()}
	c.policies.c, c.roles.c, c.callers.c, c.tenants.c, c.principals.c, c.principalOf.c = c, c, c, c, c, c
	return c
}

// cachedRole is a role as the lists of people show it, and whether it is hidden.
type cachedRole struct {
	role   regent.Role
	hidden bool
}

// invalidate drops everything cached, the tenant index too.
func (c *authCache) invalidate() {
	c.mu.Lock()
	c.tenGen.Add(1)
	c.mu.Unlock()
	c.invalidateDirectory()
}

// invalidateDirectory drops everything but the tenant index: for a write to the directory's
// other tables.
func (c *authCache) invalidateDirectory() {
	c.mu.Lock()
	c.gen.Add(1)
	c.dirGen.Add(1)
	if len(c.entries) > 0 {
		c.entries = map[string]*authSnapshot{}
	}
	c.policies.m, c.roles.m, c.callers.m, c.tenants.m, c.principals.m, c.principalOf.m = nil, nil, nil, nil, nil, nil
	c.policyTable, c.policyTableTooBig = nil, false
	c.mu.Unlock()
}

// policyLayers returns the whole policy table if it is held, and whether it is known to be
// too big to hold at this generation.
func (c *authCache) policyLayers() (map[string][]regent.PolicySettings, bool) {
	if !c.enabled.Load() {
		return nil, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.policyTable, c.policyTableTooBig
}

// putPolicyLayers holds the whole policy table (nil: it was too big), read at directory
// generation gen, unless the directory was dropped since.
func (c *authCache) putPolicyLayers(gen uint64, table map[string][]regent.PolicySettings) {
	if !c.enabled.Load() {
		return
	}
	c.mu.Lock()
	if gen == c.dirGen.Load() {
		c.policyTable, c.policyTableTooBig = table, table == nil
	}
	c.mu.Unlock()
}

// invalidateSessions drops the snapshots and keeps the directory: for a write to the
// sessions tables only.
func (c *authCache) invalidateSessions() {
	c.mu.Lock()
	c.gen.Add(1)
	if len(c.entries) > 0 {
		c.entries = map[string]*authSnapshot{}
	}
	c.mu.Unlock()
}

// invalidateFor drops what a committed write of weight w made stale.
func (c *authCache) invalidateFor(w writeWeight) {
	switch w {
	case writeSessions:
		c.invalidateSessions()
	case writeDirectory:
		c.invalidateDirectory()
	case writeTenants:
		c.invalidate()
	}
}

func (c *authCache) get(key string, now time.Time) *authSnapshot {
	if !c.enabled.Load() {
		return nil
	}
	c.mu.RLock()
	s := c.entries[key]
	c.mu.RUnlock()
	if s == nil || s.gen != c.gen.Load() || now.Sub(s.loadedAt) > snapshotTTL || s.loadedAt.After(now) {
		return nil
	}
	return s
}

// put stores s unless the cache moved on since s was read (s.gen is the generation seen
// before reading: anything that committed meanwhile makes it stale).
func (c *authCache) put(key string, s *authSnapshot) {
	if !c.enabled.Load() || s.gen != c.gen.Load() {
		return
	}
	c.mu.Lock()
	if len(c.entries) >= maxCacheEntries {
		c.entries = map[string]*authSnapshot{}
	}
	c.entries[key] = s
	c.mu.Unlock()
}

// globalLayer is the policies key of the global row.
const globalLayer = ""

// sideCache holds values by id that were read at one generation of the authentication cache
// and go with it: the policy layers and roles that lists show. Its map is guarded by the
// cache's mu and dropped by invalidate.
type sideCache[V any] struct {
	c *authCache
	m map[string]V
}

// get returns the cached values of ids and the ids it has none for.
func (s *sideCache[V]) get(ids []string) (map[string]V, []string) {
	if !s.c.enabled.Load() {
		return map[string]V{}, ids
	}
	out := make(map[string]V, len(ids))
	var missing []string
	s.c.mu.RLock()
	for _, id := range ids {
		if v, ok := s.m[id]; ok {
			out[id] = v
		} else {
			missing = append(missing, id)
		}
	}
	s.c.mu.RUnlock()
	return out, missing
}

// one returns the cached value of id, if there is one.
func (s *sideCache[V]) one(id string) (V, bool) {
	var v V
	if !s.c.enabled.Load() {
		return v, false
	}
	s.c.mu.RLock()
	v, ok := s.m[id]
	s.c.mu.RUnlock()
	return v, ok
}

// put stores values read at directory generation gen (dirGen, loaded before reading),
// unless the directory was dropped since: the generation is compared under the lock that
// invalidate holds while moving it on.
func (s *sideCache[V]) put(gen uint64, vals map[string]V) {
	if !s.c.enabled.Load() {
		return
	}
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	if gen != s.c.dirGen.Load() {
		return
	}
	if s.m == nil || len(s.m)+len(vals) > maxCacheEntries {
		s.m = make(map[string]V, len(vals))
	}
	for id, v := range vals {
		s.m[id] = v
	}
}

// checkSQLiteVersion invalidates the cache when another connection committed since the last
// look. It is cheap (no I/O) but serialised on one connection.
func (c *authCache) checkSQLiteVersion(ctx context.Context) {
	now := time.Now().UnixNano()
	if last := c.versionCheck.Load(); now-last < int64(versionEvery) || !c.versionCheck.CompareAndSwap(last, now) {
		return
	}
	c.versionMu.Lock()
	defer c.versionMu.Unlock()
	if c.versionConn == nil {
		return
	}
	// Not the request's context: a client hanging up must not turn the cache off for good.
	qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	var v int64
	if err := c.versionConn.QueryRowContext(qctx, "PRAGMA data_version").Scan(&v); err != nil {
		c.enabled.Store(false)
		c.invalidate()
		return
	}
	if v != c.lastVersion {
		c.lastVersion = v
		c.invalidate()
	}
}

// startSQLite turns the cache on for SQLite.
func (c *authCache) startSQLite(ctx context.Context, db *sql.DB) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return // no cache: every request reads
	}
	c.versionConn = conn
	c.enabled.Store(true)
}

// listenPostgres keeps a LISTEN connection open and invalidates on every notification;
// the cache is on only while it is connected. It returns when ctx ends.
func (c *authCache) listenPostgres(ctx context.Context, dsn string, log *slog.Logger) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		conn, err := pgx.Connect(ctx, dsn)
		if err == nil {
			_, err = conn.Exec(ctx, "LISTEN "+invalidationChannel)
		}
		if err == nil {
			c.invalidate() // whatever happened while we were away
			c.enabled.Store(true)
			backoff = 100 * time.Millisecond
			for {
				var n *pgconn.Notification
				if n, err = conn.WaitForNotification(ctx); err != nil {
					break
				}
				weight, origin, _ := strings.Cut(n.Payload, "/")
				switch {
				case origin == c.origin:
					// This process's own commit, already applied when it committed: applying it
					// again would drop what was read since.
				case weight == sessionsPayload:
					c.invalidateSessions()
				case weight == directoryPayload:
					c.invalidateDirectory()
				default:
					c.invalidate() // "" from a write to tenants, and anything unknown
				}
			}
		}
		c.enabled.Store(false)
		c.invalidate()
		if conn != nil {
			conn.Close(context.Background())
		}
		if ctx.Err() != nil {
			return
		}
		if log != nil {
			log.Warn("auth cache listener disconnected; authenticating from the database until it is back", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

// invalidationChannel is the PostgreSQL NOTIFY channel every write transaction signals on.
const invalidationChannel = "regent_invalidate"

// The NOTIFY payloads say the weight, then "/" and the sending process's origin: a write to
// the sessions tables only, and to the directory but not tenants. Any other weight (a write
// to tenants sends none) drops everything.
const (
	sessionsPayload  = "sessions"
	directoryPayload = "directory"
)

// writeWeight is how much of the cache a transaction's writes make stale.
type writeWeight int

const (
	writeNone      writeWeight = iota
	writeSessions              // login_sessions, impersonation_sessions: the snapshots
	writeDirectory             // people, roles, policies: all but the tenant index
	writeTenants               // tenants: everything
)

// authTables are the tables Authenticate reads, with the weight of a write to each.
var authTables = map[string]writeWeight{
	"login_sessions": writeSessions, "impersonation_sessions": writeSessions,
	"users": writeDirectory, "user_roles": writeDirectory, "roles": writeDirectory, "role_permissions": writeDirectory,
	"tenants": writeTenants, "impersonation_policies": writeDirectory,
}

// txWrites tracks, per open transaction, the heaviest write it made to an auth table.
type txWrites struct {
	mu   sync.Mutex
	open map[any]*writeWeight
}

func (w *txWrites) begin(pool any) *writeWeight {
	w.mu.Lock()
	defer w.mu.Unlock()
	dirty := new(writeWeight)
	w.open[pool] = dirty
	return dirty
}

func (w *txWrites) end(pool any) {
	w.mu.Lock()
	delete(w.open, pool)
	w.mu.Unlock()
}

func (w *txWrites) mark(pool any, weight writeWeight) {
	w.mu.Lock()
	if dirty, ok := w.open[pool]; ok {
		*dirty = max(*dirty, weight)
	}
	w.mu.Unlock()
}
