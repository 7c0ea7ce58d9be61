package main

import (
	"container/heap"
	"context"
	"encoding/hex"
	"encoding/json"
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

// generate-audit writes a year of audit events into a database that `generate` has filled:
// logins, tenant-app and console changes, impersonation sessions with everything done in
// them, spread unevenly over every tenant, each chain continued from its head and hashed by
// gormstore.ChainEvent, the writer's own code, so that `regent audit verify` passes.

type generateAuditOptions struct {
	DatabaseURL string
	Events      int
	// Batch is how many events go in one transaction (with the chain heads they move).
	Batch int
	// Span is how far back the first event is; the last is now.
	Span time.Duration
	Seed uint64
}

func parseGenerateAudit(args []string, getenv func(string) string, stderr io.Writer) (generateAuditOptions, error) {
	o := generateAuditOptions{}
	fs := flag.NewFlagSet("generate-audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.DatabaseURL, "database-url", getenv("REGENT_DATABASE_URL"), "PostgreSQL URL of a database `generate` has filled")
	fs.IntVar(&o.Events, "events", 10_000_000, "audit events to add")
	fs.IntVar(&o.Batch, "batch", 500_000, "events per transaction")
	fs.DurationVar(&o.Span, "span", 365*24*time.Hour, "the events' times run from now minus this to now")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed: the same seed makes the same shape")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("generate-audit: unexpected argument %q", fs.Arg(0))
	case o.DatabaseURL == "":
		return o, errors.New("generate-audit: --database-url (or REGENT_DATABASE_URL) is required")
	case o.Events < 1 || o.Batch < 1 || o.Span <= 0:
		return o, errors.New("generate-audit: --events, --batch and --span must be positive")
	}
	if dialect, _, err := gormstore.ParseURL(o.DatabaseURL); err != nil {
		return o, err
	} else if dialect != gormstore.DialectPostgres {
		return o, errors.New("generate-audit: only PostgreSQL is supported (bulk loading uses COPY)")
	}
	return o, nil
}

// auditPerson is someone who acts in the trail.
type auditPerson struct {
	id           pgtype.UUID
	idText       string
	email, name  string
	ip, ua       string
	tenant       *auditTenant // home
	consoleAdmin bool         // may impersonate (a TM or partner admin)
}

// auditTenant is a tenant as the generator sees it.
type auditTenant struct {
	id        pgtype.UUID
	idText    string
	name      string
	kind      string
	parent    string
	people    []*auditPerson // up to peoplePerTenant of its own, not hidden
	principal *auditPerson   // its hidden Impersonated Admin
	employees int
}

// peoplePerTenant bounds how many of a tenant's people act in the trail: enough for an
// actor filter to find a few hundred events of one person in a busy tenant.
const peoplePerTenant = 40

// auditSession is an impersonation session being generated.
type auditSession struct {
	id, login    pgtype.UUID
	idText       string
	actor        *auditPerson
	tenant       *auditTenant
	mode         string
	reason       string
	started      time.Time
	next         time.Time // when its next event happens
	gap          time.Duration
	left         int // changes still to make before it ends
	planned      int // changes planned at the start
	ip, ua       string
	maskPersonal bool
}

type sessionQueue []*auditSession

func (q sessionQueue) Len() int           { return len(q) }
func (q sessionQueue) Less(i, j int) bool { return q[i].next.Before(q[j].next) }
func (q sessionQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *sessionQueue) Push(x any)        { *q = append(*q, x.(*auditSession)) }
func (q *sessionQueue) Pop() any {
	old := *q
	s := old[len(old)-1]
	*q = old[:len(old)-1]
	return s
}

// chainHead is where a chain stands.
type chainHead struct {
	seq  int64
	hash []byte
}

// auditGen makes the events, in time order.
type auditGen struct {
	r        *rand.Rand
	tenants  []*auditTenant
	cum      []float64 // cumulative event weights over tenants
	platform *auditTenant
	tmAdmins []*auditPerson
	partners map[string][]*auditPerson // partner id -> its console admins
	heads    map[string]*chainHead
	touched  map[string]bool
	live     sessionQueue
	started  []*auditSession // sessions started in the current batch
	t        time.Time
	step     time.Duration // mean time between background events
	sessions int
}

var userAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
}

var resourceKinds = []string{"business_unit", "skill", "contact", "branding_profile", "role", "user"}

var reasons = []string{
	"Ticket SUP-%d: customer cannot see their skills", "Onboarding help requested by the tenant admin (call %d)",
	"Investigating a routing complaint, case %d", "Configuring business units for go-live, change %d",
	"Customer asked us to fix branding colours, ticket %d",
}

func randomIP(r *rand.Rand) string {
	switch r.IntN(10) {
	case 0:
		return fmt.Sprintf("2001:db8:%x:%x::%x", r.IntN(65536), r.IntN(65536), r.IntN(65536))
	case 1, 2, 3:
		return fmt.Sprintf("198.51.100.%d", 1+r.IntN(254))
	case 4, 5:
		return fmt.Sprintf("192.0.2.%d", 1+r.IntN(254))
	}
	return fmt.Sprintf("203.0.113.%d", 1+r.IntN(254))
}

// eventID is a UUIDv7 whose time is the event's, as regent.NewID would have made then.
func eventID(r *rand.Rand, t time.Time) (pgtype.UUID, string) {
	var b [16]byte
	ms := uint64(t.UnixMilli())
	for i := 0; i < 6; i++ {
		b[i] = byte(ms >> (40 - 8*i))
	}
	lo, hi := r.Uint64(), r.Uint64()
	for i := 6; i < 16; i++ {
		if i < 14 {
			b[i] = byte(lo >> (8 * (i - 6)))
		} else {
			b[i] = byte(hi >> (8 * (i - 14)))
		}
	}
	b[6] = 0x70 | b[6]&0x0f
	b[8] = 0x80 | b[8]&0x3f
	return pgtype.UUID{Bytes: b, Valid: true}, uuid.UUID(b).String()
}

func randomUUID(r *rand.Rand, t time.Time) pgtype.UUID { id, _ := eventID(r, t); return id }

func (g *auditGen) requestID() string {
	var b [12]byte
	v := g.r.Uint64()
	w := g.r.Uint32()
	for i := 0; i < 8; i++ {
		b[i] = byte(v >> (8 * i))
	}
	for i := 0; i < 4; i++ {
		b[8+i] = byte(w >> (8 * i))
	}
	return hex.EncodeToString(b[:])
}

// pickTenant picks a tenant by its share of the trail.
func (g *auditGen) pickTenant() *auditTenant {
	x := g.r.Float64() * g.cum[len(g.cum)-1]
	i, _ := slices.BinarySearch(g.cum, x)
	return g.tenants[min(i, len(g.tenants)-1)]
}

// consoleActorFor is who in the console acts on t: one of its partner's admins or a TM admin.
func (g *auditGen) consoleActorFor(t *auditTenant) *auditPerson {
	if admins := g.partners[t.parent]; len(admins) > 0 && g.r.IntN(10) < 6 {
		return admins[g.r.IntN(len(admins))]
	}
	return g.tmAdmins[g.r.IntN(len(g.tmAdmins))]
}

func jsonOf(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// change fills ev as a change of one of a tenant's records, with its before and after.
func (g *auditGen) change(ev *regent.AuditEvent, kind string) {
	op := "update"
	switch n := g.r.IntN(20); {
	case n < 5:
		op = "create"
	case n < 7:
		op = "delete"
	}
	ev.Action, ev.TargetType = kind+"."+op, kind
	ev.TargetID = uuid.UUID(randomUUID(g.r, ev.Time).Bytes).String()
	var before, after map[string]any
	n := g.r.IntN(900)
	switch kind {
	case "business_unit":
		before = map[string]any{"name": "Unit " + strconv.Itoa(n), "timeZone": "Europe/Paris", "status": "active", "version": 1 + n%7}
		after = map[string]any{"name": "Unit " + strconv.Itoa(n) + " East", "timeZone": "Europe/Berlin", "status": "active", "version": 2 + n%7}
	case "skill":
		before = map[string]any{"name": "Inbound Phone " + strconv.Itoa(n), "channel": "phone", "direction": "inbound", "version": 1 + n%5}
		after = map[string]any{"name": "Inbound Phone " + strconv.Itoa(n), "channel": "phone", "direction": "blended", "version": 2 + n%5}
	case "contact":
		before = map[string]any{"name": "[redacted]", "email": "[redacted]", "phone": "[redacted]", "notes": "[redacted]", "version": 1 + n%4}
		after = map[string]any{"name": "[redacted]", "email": "[redacted]", "phone": "[redacted]", "notes": "[redacted]", "version": 2 + n%4}
	case "branding_profile":
		before = map[string]any{"name": "Default", "productName": "Help Desk " + strconv.Itoa(n), "primaryColor": "#1c7ed6", "accentColor": "#f08c00", "version": 1 + n%3}
		after = map[string]any{"name": "Default", "productName": "Help Desk " + strconv.Itoa(n), "primaryColor": "#c92a2a", "accentColor": "#f08c00", "version": 2 + n%3}
	case "role":
		before = map[string]any{"name": "Team lead " + strconv.Itoa(n), "permissions": []string{"employees:read", "skills:read"}, "version": 1 + n%3}
		after = map[string]any{"name": "Team lead " + strconv.Itoa(n), "permissions": []string{"employees:read", "skills:read", "skills:manage"}, "version": 2 + n%3}
	default: // user
		ev.Action = "employee." + map[string]string{"create": "invite", "update": "update", "delete": "deactivate"}[op]
		before = map[string]any{"name": "[person]", "email": "[redacted]", "status": "active", "roles": []string{"Agent"}, "version": 1 + n%6}
		after = map[string]any{"name": "[person]", "email": "[redacted]", "status": "active", "roles": []string{"Supervisor"}, "version": 2 + n%6}
		if op == "delete" {
			after["status"] = "deactivated"
		}
	}
	switch op {
	case "create":
		ev.After = jsonOf(after)
	case "delete":
		ev.Before = jsonOf(before)
	default:
		ev.Before, ev.After = jsonOf(before), jsonOf(after)
	}
}

func (g *auditGen) as(ev *regent.AuditEvent, p *auditPerson) {
	ev.ActorID, ev.ActorEmail, ev.ActorName = p.idText, p.email, p.name
	ev.PrincipalID, ev.PrincipalName = p.idText, p.name
	ev.IP, ev.UserAgent = p.ip, p.ua
	if g.r.IntN(8) == 0 { // people move about
		ev.IP = randomIP(g.r)
	}
}

// background is one event outside any impersonation session.
func (g *auditGen) background(t time.Time) *regent.AuditEvent {
	ev := &regent.AuditEvent{Time: t, Outcome: regent.OutcomeSuccess}
	if g.r.IntN(100) < 2 { // the global chain: refused sign-ins of strangers, exports, policy
		switch n := g.r.IntN(10); {
		case n < 6:
			ev.Action, ev.Outcome, ev.Detail = regent.ActionLogin, regent.OutcomeDenied, "not_provisioned"
			ev.ActorEmail = "someone" + strconv.Itoa(g.r.IntN(100000)) + "@example.net"
			ev.IP, ev.UserAgent = randomIP(g.r), userAgents[g.r.IntN(len(userAgents))]
		case n < 9:
			p := g.tmAdmins[g.r.IntN(len(g.tmAdmins))]
			g.as(ev, p)
			ev.Action, ev.TargetType, ev.Detail = "audit.export", "audit_trail", "format=csv tenantId= actorId= sessionId= action="
		default:
			p := g.tmAdmins[g.r.IntN(len(g.tmAdmins))]
			g.as(ev, p)
			ev.Action, ev.TargetType, ev.TargetID = "impersonation_policy.update", "impersonation_policy", "00000000-0000-7000-8000-000000000101"
			ev.Before, ev.After = []byte(`{"maxDurationMinutes":60,"idleTimeoutMinutes":15}`), []byte(`{"maxDurationMinutes":45,"idleTimeoutMinutes":15}`)
		}
		return ev
	}
	t0 := g.pickTenant()
	ev.TenantID = t0.idText
	if len(t0.people) > 0 && (t0.kind != regent.TenantKindCustomer || g.r.IntN(100) < 88) {
		// One of the tenant's own people: console users for the platform and partners.
		// A few very busy people: the first of a tenant acts a quarter of the time.
		p := t0.people[0]
		if g.r.IntN(4) > 0 {
			p = t0.people[g.r.IntN(len(t0.people))]
		}
		g.as(ev, p)
		switch n := g.r.IntN(100); {
		case n < 42:
			ev.Action, ev.TargetType = regent.ActionLogin, "login_session"
			ev.TargetID = uuid.UUID(randomUUID(g.r, t).Bytes).String()
		case n < 45:
			ev.Action, ev.Outcome, ev.Detail = regent.ActionLogin, regent.OutcomeDenied, "account_deactivated"
		case n < 52:
			ev.Action = regent.ActionLogout
		case n < 54 && t0.kind == regent.TenantKindCustomer:
			ev.Action, ev.TargetType, ev.TargetID = "access_log.acknowledge", "tenant", t0.idText
		case t0.kind == regent.TenantKindCustomer:
			g.change(ev, resourceKinds[g.r.IntN(len(resourceKinds))])
		default: // a console change to the platform's or the partner's own account
			g.change(ev, []string{"user", "role"}[g.r.IntN(2)])
			if ev.TargetType == "user" {
				ev.Action = "console_user." + ev.Action[len("employee."):]
			}
		}
		return ev
	}
	// Someone in the console working on the tenant.
	g.as(ev, g.consoleActorFor(t0))
	switch n := g.r.IntN(10); {
	case n < 5:
		ev.Action, ev.TargetType, ev.TargetID = "tenant.update", "tenant", t0.idText
		ev.Before = jsonOf(map[string]any{"name": t0.name, "status": "active", "version": 3})
		ev.After = jsonOf(map[string]any{"name": t0.name, "status": "suspended", "version": 4})
	case n < 8:
		g.change(ev, "user")
	default:
		ev.Action, ev.TargetType, ev.TargetID = "impersonation_policy.update", "tenant", t0.idText
		ev.Before, ev.After = []byte(`{"configureEnabled":null}`), []byte(`{"configureEnabled":false}`)
	}
	return ev
}

// startSession begins an impersonation session at t and returns its start event, or nil
// when the tenant picked cannot be impersonated.
func (g *auditGen) startSession(t time.Time) *regent.AuditEvent {
	t0 := g.pickTenant()
	if t0.kind != regent.TenantKindCustomer || t0.principal == nil {
		return nil
	}
	actor := g.consoleActorFor(t0)
	s := &auditSession{actor: actor, tenant: t0, started: t, ip: actor.ip, ua: actor.ua,
		mode: []string{"support", "configure"}[g.r.IntN(2)], reason: fmt.Sprintf(reasons[g.r.IntN(len(reasons))], 10000+g.r.IntN(90000))}
	s.id, s.idText = eventID(g.r, t)
	s.login = randomUUID(g.r, t)
	s.maskPersonal = s.mode == "support"
	// Most sessions are a handful of changes; a few are long configuration sessions.
	s.left = min(int(math.Exp(1.6+1.1*g.r.NormFloat64())), 2000)
	s.planned = s.left
	s.gap = time.Duration(5+g.r.IntN(60)) * time.Second
	s.next = t.Add(s.gap)
	heap.Push(&g.live, s)
	g.started = append(g.started, s)
	g.sessions++
	ev := &regent.AuditEvent{Time: t, Outcome: regent.OutcomeSuccess, Action: "impersonation.start"}
	g.as(ev, actor)
	ev.IP = s.ip
	ev.TenantID, ev.SessionID = t0.idText, s.idText
	ev.PrincipalID, ev.PrincipalName = t0.principal.idText, t0.principal.name
	ev.TargetType, ev.TargetID = "impersonation_session", s.idText
	ev.After = jsonOf(map[string]any{"mode": s.mode, "reason": s.reason, "expiresAt": t.Add(time.Hour).UTC(),
		"restrictions": map[string]bool{"bindFootprint": true, "maskPersonalData": s.maskPersonal, "disableExport": true}})
	return ev
}

// sessionEvent is the next event of the earliest live session: a change made as the
// tenant's Impersonated Admin, or the end.
func (g *auditGen) sessionEvent() *regent.AuditEvent {
	s := g.live[0]
	ev := &regent.AuditEvent{Time: s.next, Outcome: regent.OutcomeSuccess}
	g.as(ev, s.actor)
	ev.IP = s.ip
	ev.TenantID, ev.SessionID = s.tenant.idText, s.idText
	if s.left == 0 {
		heap.Pop(&g.live)
		ev.Action, ev.TargetType, ev.TargetID = "impersonation.end", "impersonation_session", s.idText
		ev.Detail = "reason=stopped actor=" + s.actor.email
		return ev
	}
	ev.PrincipalID, ev.PrincipalName = s.tenant.principal.idText, s.tenant.principal.name
	if s.mode == "support" && g.r.IntN(2) == 0 {
		g.change(ev, "user") // support mostly helps with people's accounts
	} else {
		g.change(ev, resourceKinds[g.r.IntN(len(resourceKinds))])
	}
	s.left--
	s.next = s.next.Add(s.gap/2 + time.Duration(g.r.Int64N(int64(s.gap))))
	heap.Fix(&g.live, 0)
	return ev
}

// next returns the next event in time order, chained.
func (g *auditGen) next() *regent.AuditEvent {
	var ev *regent.AuditEvent
	for ev == nil {
		bg := g.t.Add(time.Duration(g.r.ExpFloat64() * float64(g.step)))
		if len(g.live) > 0 && !g.live[0].next.After(bg) {
			ev = g.sessionEvent()
			continue
		}
		g.t = bg
		if g.r.Float64() < 0.0045 {
			ev = g.startSession(bg)
		} else {
			ev = g.background(bg)
		}
	}
	ev.RequestID = g.requestID()
	h := g.heads[regent.ChainOf(ev.TenantID)]
	if h == nil {
		h = &chainHead{hash: regent.GenesisHash}
		g.heads[regent.ChainOf(ev.TenantID)] = h
	}
	var idText string
	_, idText = eventID(g.r, ev.Time)
	ev.ID = idText
	gormstore.ChainEvent(ev, h.seq, h.hash)
	h.seq, h.hash = ev.ChainSeq, ev.Hash
	g.touched[ev.Chain] = true
	return ev
}

func uuidOrNil(s string) any {
	if s == "" {
		return nil
	}
	return pgtype.UUID{Bytes: uuid.MustParse(s), Valid: true}
}

func textOrNil(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}

var auditColumns = []string{"id", "time", "action", "outcome", "actor_id", "actor_email", "actor_name", "principal_id",
	"principal_name", "session_id", "tenant_id", "target_type", "target_id", "before", "after", "detail", "ip",
	"user_agent", "request_id", "chain", "chain_seq", "prev_hash", "hash"}

func auditRow(ev *regent.AuditEvent) []any {
	return []any{uuidOrNil(ev.ID), ev.Time, ev.Action, ev.Outcome, uuidOrNil(ev.ActorID), ev.ActorEmail, ev.ActorName,
		uuidOrNil(ev.PrincipalID), ev.PrincipalName, uuidOrNil(ev.SessionID), uuidOrNil(ev.TenantID), ev.TargetType,
		ev.TargetID, textOrNil(ev.Before), textOrNil(ev.After), ev.Detail, ev.IP, ev.UserAgent, ev.RequestID,
		ev.Chain, ev.ChainSeq, ev.PrevHash, ev.Hash}
}

// loadAuditWorld reads the tenants, their people and Impersonated Admins, the console
// admins and the chain heads.
func loadAuditWorld(ctx context.Context, conn *pgx.Conn, r *rand.Rand) (*auditGen, error) {
	g := &auditGen{r: r, partners: map[string][]*auditPerson{}, heads: map[string]*chainHead{}, touched: map[string]bool{}}
	byID := map[string]*auditTenant{}
	rows, err := conn.Query(ctx, `SELECT t.id::text, t.name, t.kind, coalesce(t.parent_id::text, ''),
		(SELECT count(*) FROM users u WHERE u.home_tenant_id = t.id AND NOT u.hidden)
		FROM tenants t ORDER BY t.id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		t := &auditTenant{}
		if err := rows.Scan(&t.idText, &t.name, &t.kind, &t.parent, &t.employees); err != nil {
			return nil, err
		}
		t.id = mustUUID(t.idText)
		g.tenants = append(g.tenants, t)
		byID[t.idText] = t
		if t.kind == regent.TenantKindPlatform {
			g.platform = t
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if g.platform == nil || len(g.tenants) < demoTenantCount {
		return nil, errors.New("no platform tenant: run `regent-bench generate` first")
	}
	rows, err = conn.Query(ctx, `SELECT id::text, home_tenant_id::text, email, name, hidden,
		EXISTS (SELECT 1 FROM user_roles ur JOIN roles ro ON ro.id = ur.role_id WHERE ur.user_id = s.id AND ro.key IN ($1, $2))
		FROM (SELECT u.*, row_number() OVER (PARTITION BY u.home_tenant_id, u.hidden ORDER BY u.id) AS rn
		      FROM users u WHERE u.status <> 'deactivated') s
		WHERE rn <= $3 ORDER BY home_tenant_id, hidden, id`, regent.RoleTMAdmin, regent.RolePartnerAdmin, peoplePerTenant)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		p := &auditPerson{}
		var home string
		var hidden bool
		if err := rows.Scan(&p.idText, &home, &p.email, &p.name, &hidden, &p.consoleAdmin); err != nil {
			return nil, err
		}
		p.id, p.tenant = mustUUID(p.idText), byID[home]
		p.ip, p.ua = randomIP(r), userAgents[r.IntN(len(userAgents))]
		switch {
		case p.tenant == nil:
		case hidden:
			p.tenant.principal = p
		default:
			p.tenant.people = append(p.tenant.people, p)
			// Everyone of the platform may impersonate (TM admins, implementers, support);
			// of a partner, its admins.
			if p.tenant.kind == regent.TenantKindPlatform {
				g.tmAdmins = append(g.tmAdmins, p)
			} else if p.consoleAdmin && p.tenant.kind == regent.TenantKindPartner {
				g.partners[home] = append(g.partners[home], p)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(g.tmAdmins) == 0 {
		return nil, errors.New("no TM admin: seed the demo data first")
	}
	// A tenant's share of the trail grows with its people, a little less than in proportion;
	// the platform and partners act in the console.
	sum := 0.0
	for _, t := range g.tenants {
		w := 0.3 + math.Pow(float64(t.employees), 0.9)
		switch t.kind {
		case regent.TenantKindPlatform:
			w = 20000
		case regent.TenantKindPartner:
			w = 2 + 50*float64(len(t.people))
		}
		sum += w
		g.cum = append(g.cum, sum)
	}
	rows, err = conn.Query(ctx, "SELECT chain, seq, hash FROM audit_chain_heads")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		h := &chainHead{}
		var chain string
		if err := rows.Scan(&chain, &h.seq, &h.hash); err != nil {
			return nil, err
		}
		g.heads[chain] = h
	}
	return g, rows.Err()
}

// headsChecksum is a cheap fingerprint of every chain head, to notice another writer.
func headsChecksum(ctx context.Context, tx pgx.Tx) (int64, error) {
	var n int64
	err := tx.QueryRow(ctx, "SELECT coalesce(sum(seq), 0) FROM audit_chain_heads").Scan(&n)
	return n, err
}

func generateAudit(ctx context.Context, o generateAuditOptions, stdout io.Writer) error {
	began := time.Now()
	conn, err := pgx.Connect(ctx, o.DatabaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	var existing int64
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM audit_events").Scan(&existing); err != nil {
		return err
	}
	if existing > 10_000 {
		return fmt.Errorf("the database already holds %d audit events: generate into a fresh bench database", existing)
	}
	g, err := loadAuditWorld(ctx, conn, rand.New(rand.NewPCG(o.Seed, 0xa0d17)))
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	g.t = now.Add(-o.Span)
	// Background events are ~95 % of the trail; sessions add the rest.
	// (The sessions' share is a little less, so the last event falls a little before now.)
	g.step = time.Duration(float64(o.Span) / float64(o.Events))
	fmt.Fprintf(stdout, "loaded %d tenants, %d TM admins, %d chains; writing %d events in batches of %d…\n",
		len(g.tenants), len(g.tmAdmins), len(g.heads), o.Events, o.Batch)

	var want int64
	for _, h := range g.heads {
		want += h.seq
	}
	written, sessions := 0, 0
	loadStart := time.Now()
	var bytesHashed int64
	for written < o.Events {
		n := min(o.Batch, o.Events-written)
		batchStart := time.Now()
		tx, err := conn.Begin(ctx)
		if err != nil {
			return err
		}
		// Nothing else may extend a chain meanwhile: the heads we continue from must stay ours.
		if _, err := tx.Exec(ctx, "LOCK TABLE audit_chain_heads IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			tx.Rollback(ctx)
			return err
		}
		if got, err := headsChecksum(ctx, tx); err != nil || got != want {
			tx.Rollback(ctx)
			if err == nil {
				err = fmt.Errorf("audit chain heads moved (sum of seq %d, want %d): something else writes the trail", got, want)
			}
			return err
		}
		clear(g.touched)
		g.started = g.started[:0]
		i := 0
		var last time.Time
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"audit_events"}, auditColumns, pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			i++
			ev := g.next()
			last = ev.Time
			bytesHashed += int64(len(ev.Before) + len(ev.After))
			return auditRow(ev), nil
		})); err != nil {
			tx.Rollback(ctx)
			return fmt.Errorf("copy into audit_events: %w", err)
		}
		if err := writeSessions(ctx, tx, g.started); err != nil {
			tx.Rollback(ctx)
			return err
		}
		heads := make([][]any, 0, len(g.touched))
		for chain := range g.touched {
			h := g.heads[chain]
			heads = append(heads, []any{chain, h.seq, h.hash})
		}
		if _, err := tx.Exec(ctx, "CREATE TEMP TABLE bench_heads (chain text, seq bigint, hash bytea) ON COMMIT DROP"); err != nil {
			tx.Rollback(ctx)
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"bench_heads"}, []string{"chain", "seq", "hash"}, pgx.CopyFromRows(heads)); err != nil {
			tx.Rollback(ctx)
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO audit_chain_heads (chain, seq, hash) SELECT chain, seq, hash FROM bench_heads
			ON CONFLICT (chain) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash`); err != nil {
			tx.Rollback(ctx)
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return err
		}
		want = 0
		for _, h := range g.heads {
			want += h.seq
		}
		written += n
		sessions += len(g.started)
		el := time.Since(batchStart)
		fmt.Fprintf(stdout, "  %9d events (%d sessions so far) up to %s: batch %7s  %7.0f events/s\n",
			written, sessions, last.Format("2006-01-02"), el.Round(time.Millisecond), float64(n)/el.Seconds())
	}
	el := time.Since(loadStart)
	fmt.Fprintf(stdout, "wrote %d events (%d impersonation sessions, %d chains) in %s: %.0f events/s\n",
		written, sessions, len(g.heads), el.Round(time.Millisecond), float64(written)/el.Seconds())
	vacStart := time.Now()
	if _, err := conn.Exec(ctx, "VACUUM (ANALYZE) audit_events, audit_chain_heads, impersonation_sessions, login_sessions"); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "vacuum analyze in %s; done in %s\n", time.Since(vacStart).Round(time.Millisecond), time.Since(began).Round(time.Millisecond))
	return nil
}

// writeSessions writes the sessions started in a batch (already ended: the generator knows
// how they end) with the login sessions they belong to.
func writeSessions(ctx context.Context, tx pgx.Tx, ss []*auditSession) error {
	if len(ss) == 0 {
		return nil
	}
	logins := make([][]any, len(ss))
	imps := make([][]any, len(ss))
	for i, s := range ss {
		end := s.started.Add(time.Duration(s.planned+1) * s.gap)
		var token [32]byte
		copy(token[:], s.login.Bytes[:])
		copy(token[16:], s.id.Bytes[:])
		logins[i] = []any{s.login, token[:], s.actor.id, s.started.Add(-time.Minute), s.started.Add(-time.Minute), end, s.started.Add(12 * time.Hour),
			s.ip, s.ua, end, "impersonation:stopped"}
		imps[i] = []any{s.id, s.login, s.actor.id, s.tenant.id, s.tenant.principal.id, s.mode, s.reason, s.started,
			s.started.Add(max(time.Hour, end.Sub(s.started))), end, 900, s.ip, s.ua, true, s.maskPersonal, true, true, end, "stopped", s.actor.id}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"login_sessions"}, []string{"id", "token_hash", "user_id", "auth_time", "created_at",
		"last_seen_at", "expires_at", "ip", "user_agent", "ended_at", "end_reason"}, pgx.CopyFromRows(logins)); err != nil {
		return fmt.Errorf("copy into login_sessions: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"impersonation_sessions"}, []string{"id", "login_session_id", "actor_id", "tenant_id",
		"principal_id", "mode", "reason", "started_at", "expires_at", "last_activity_at", "idle_timeout_s", "ip", "user_agent",
		"bind_footprint", "mask_personal_data", "disable_export", "notify_tenant_admins", "ended_at", "end_reason", "ended_by_id"},
		pgx.CopyFromRows(imps)); err != nil {
		return fmt.Errorf("copy into impersonation_sessions: %w", err)
	}
	return nil
}
