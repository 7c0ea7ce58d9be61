package gormstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

var _ regent.AuditService = (*AuditService)(nil)

// AuditService implements regent.AuditService.
type AuditService struct {
	db *DB
	// timelineLimit is the most events a session's timeline holds (regent.MaxTimelineEvents;
	// tests lower it).
	timelineLimit int
}

// NewAuditService returns the audit trail's reader over db.
func NewAuditService(db *DB) *AuditService {
	return &AuditService{db: db, timelineLimit: regent.MaxTimelineEvents}
}

// scopeAudit limits the trail to what the caller may read with permission p.
func scopeAudit(q *gorm.DB, c *regent.Caller, p regent.Permission) (*gorm.DB, error) {
	switch {
	case c.Impersonating() || !c.Can(p):
		return nil, regent.Errorf(regent.EFORBIDDEN, "Your role does not include the audit trail.")
	case c.Home.Kind == regent.TenantKindPlatform:
		return q, nil
	case c.Home.Kind == regent.TenantKindPartner:
		return q.Where("(tenant_id = ? OR tenant_id IN (SELECT id FROM tenants WHERE parent_id = ?))", c.Home.ID, c.Home.ID), nil
	}
	return nil, regent.Errorf(regent.EFORBIDDEN, "Your role does not include the audit trail.")
}

// filterAudit adds f's filters to q, but for the one on column pinned (a page's, below),
// which the caller adds itself.
func filterAudit(q *gorm.DB, f regent.AuditFilter, pinned string) (*gorm.DB, error) {
	bad := regent.Validator{}
	for field, id := range map[string]string{"tenantId": f.TenantID, "actorId": f.ActorID, "sessionId": f.SessionID} {
		if id != "" && !regent.ValidID(id) {
			bad[field] = "must be an id"
		}
	}
	bad.Term("action", f.Action, 100)
	if fields := bad.Result(); fields != nil {
		return nil, regent.Invalid(fields)
	}
	for _, by := range idFilters(f) {
		if by.value != "" && by.column != pinned {
			q = q.Where(by.column+" = ?", by.value)
		}
	}
	if strings.HasSuffix(f.Action, ".") {
		// SQLite has no default escape character: name it, or \_ matches a backslash and any one character.
		q = q.Where("action LIKE ? ESCAPE '\\'", strings.NewReplacer("%", "", "_", "\\_").Replace(f.Action)+"%")
	} else if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	return q, nil
}

// idFilter is one of the id filters of the trail: its column and the id asked for, or "".
type idFilter struct{ column, value string }

func idFilters(f regent.AuditFilter) [3]idFilter {
	return [3]idFilter{{"tenant_id", f.TenantID}, {"actor_id", f.ActorID}, {"session_id", f.SessionID}}
}

// pinnedFilter returns the id filter a page of the trail is read through: the filter, when
// it is the page's only one; otherwise none (a zero idFilter).
//
// Each id column has an index with seq after it, which reads a page of one tenant's, actor's
// or session's events newest first, whatever the trail holds. Asked for "actor_id = $1 ORDER
// BY seq DESC", though, PostgreSQL may instead read the whole trail newest first through
// seq's own index and keep the actor's events: it does when its statistics say the actor
// did a large share of everything (in the bench trail, the three console admins with 6 %
// each), expecting one of its events every few rows. But shares drift: an admin who has not
// acted since millions of events were written by others is read past all of those first
// (5.1 million rows and 1.9 s for one page; docs/performance-audit.md). So a page with one
// id filter first finds its events' positions, then reads those events by seq (pageQuery).
// The positions are asked for as "column = ANY(ARRAY[$1]) AND (column, seq) < ($1, cursor)
// ORDER BY column DESC, seq DESC": the same rows in the same order, but the planner does not
// take a one-element ANY for an equality, so it cannot drop the column from the order, and
// only the column's own index gives that order (read from the index alone: it holds seq).
// Written with the row comparison alone, tenant_id would not do: it leads two more indexes,
// and PostgreSQL read one of those in tenant order and sorted each tenant's events,
// misjudging how many one tenant has (0.5 s for one page). With several filters the planner
// picks among their indexes.
func pinnedFilter(f regent.AuditFilter) idFilter {
	var by idFilter
	n := 0
	for _, v := range idFilters(f) {
		if v.value != "" {
			by, n = v, n+1
		}
	}
	if n != 1 || f.Action != "" {
		return idFilter{}
	}
	return by
}

// auditEventColumns are the audit_events columns scanAuditRow reads, in its order.
const auditEventColumns = "seq, id, time, action, outcome, actor_id, actor_email, actor_name, principal_id, principal_name, " +
	"session_id, tenant_id, target_type, target_id, before, after, detail, ip, user_agent, request_id, chain, chain_seq, prev_hash, hash"

// scanAuditRow reads one row of SELECT auditEventColumns into r. It is what gorm's ScanRows
// would do, without looking the struct up by reflection for every row: a full export or
// verify reads millions of them.
func scanAuditRow(rows *sql.Rows, r *auditEventRow) error {
	*r = auditEventRow{}
	return rows.Scan(&r.Seq, &r.ID, &r.Time, &r.Action, &r.Outcome, &r.ActorID, &r.ActorEmail, &r.ActorName, &r.PrincipalID,
		&r.PrincipalName, &r.SessionID, &r.TenantID, &r.TargetType, &r.TargetID, &r.Before, &r.After, &r.Detail, &r.IP,
		&r.UserAgent, &r.RequestID, &r.Chain, &r.ChainSeq, &r.PrevHash, &r.Hash)
}

// Cursors are opaque to clients: the sequence number of the last event of a page.
func encodeCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(seq, 10)))
}

func decodeCursor(s string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(string(b), 10, 64)
}

// ListEvents implements regent.AuditService.
func (s *AuditService) ListEvents(ctx context.Context, f regent.AuditFilter) ([]*regent.AuditEvent, string, error) {
	q, err := pageQuery(ctx, s.db.gdb.WithContext(ctx), &f)
	if err != nil {
		return nil, "", err
	}
	var rows []auditEventRow
	if c := regent.CallerFromContext(ctx); c.Home.Kind == regent.TenantKindPartner && s.db.dialect == DialectPostgres &&
		pinnedFilter(f).column == "" {
		rows, err = s.partnerPage(ctx, q, c.Home.ID, f)
	} else {
		err = q.Find(&rows).Error
	}
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		next = encodeCursor(rows[len(rows)-1].Seq)
	}
	out := make([]*regent.AuditEvent, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, next, nil
}

// pageQuery returns the query of f's page of the part of the trail the caller may read:
// f.Limit + 1 events newest first from f.Cursor (one more than the page tells whether
// another follows). It sets f.Limit when f leaves it to the server.
func pageQuery(ctx context.Context, db *gorm.DB, f *regent.AuditFilter) (*gorm.DB, error) {
	q, err := scopeAudit(db.Model(&auditEventRow{}), regent.CallerFromContext(ctx), regent.PermAuditRead)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > regent.MaxPageSize {
		f.Limit = 50
	}
	by := pinnedFilter(*f)
	if q, err = filterAudit(q, *f, by.column); err != nil {
		return nil, err
	}
	before := int64(math.MaxInt64)
	if f.Cursor != "" {
		if before, err = decodeCursor(f.Cursor); err != nil {
			return nil, regent.Invalid(map[string]string{"cursor": "is not a cursor this server gave out"})
		}
	}
	if by.column == "" {
		if f.Cursor != "" {
			q = q.Where("seq < ?", before)
		}
		return q.Select("*").Order("seq DESC").Limit(f.Limit + 1), nil
	}
	// by.column is one of idFilters' own names, never the caller's text.
	is := " = ?"
	if db.Dialector.Name() == "postgres" {
		is = " = ANY(ARRAY[?::uuid])" // the same test, but not a constant to the planner
	}
	page := q.Where(by.column+is+" AND ("+by.column+", seq) < (?, ?)", by.value, by.value, before).
		Select("seq").Order(by.column + " DESC, seq DESC").Limit(f.Limit + 1)
	return db.Model(&auditEventRow{}).Where("seq IN (?)", page).Order("seq DESC"), nil
}

// partnerWindow is how many of the newest events partnerPage looks through before it reads
// the partner's tenants one by one.
const partnerWindow = 5000

// partnerPage reads f's page of a partner's trail (its own events and its customers') on
// PostgreSQL, unless f has one id filter (pinnedFilter's pages). The plain query,
// "tenant_id = P OR tenant_id IN (customers of P)" and f's filters newest first, walks the
// trail back through seq's index until it has a page: quick while the partner's tenants
// wrote some of the newest events, but a partner whose tenants have been quiet is read past
// everyone else's (2.0–15.5 s at 15 million events; docs/performance-audit.md). So it
// looks at the newest partnerWindow events below the cursor first, and only when those do
// not hold a page reads the rest below them from each tenant's own indexes (the newest few
// of each that pass f's filters, then the newest of all those): a cost that grows with the
// partner's tenants and their events, not with the trail. page is the plain query
// (pageQuery, which checked f and the caller).
func (s *AuditService) partnerPage(ctx context.Context, page *gorm.DB, partnerID string, f regent.AuditFilter) ([]auditEventRow, error) {
	db := s.db.gdb.WithContext(ctx)
	before := int64(math.MaxInt64)
	if f.Cursor != "" {
		before, _ = decodeCursor(f.Cursor)
	}
	want := f.Limit + 1
	var floor []int64
	if err := db.Raw("SELECT seq FROM audit_events WHERE seq < ? ORDER BY seq DESC OFFSET ? LIMIT 1",
		before, partnerWindow-1).Scan(&floor).Error; err != nil {
		return nil, err
	}
	from := int64(0) // the window's oldest event, or 0 when the window reaches the first
	if len(floor) == 1 {
		from = floor[0]
	}
	var rows []auditEventRow
	if err := page.Where("seq >= ?", from).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == want || from == 0 {
		return rows, nil
	}
	// Each of the partner's tenants as scopeAudit has them (the partner and its customers):
	// its newest events below the window that pass f's filters (their columns are the
	// event's, e, inside the subquery).
	m := want - len(rows)
	each, err := filterAudit(db.Table("audit_events AS e").Where("e.tenant_id = t.id AND e.seq < ?", from), f, "")
	if err != nil {
		return nil, err
	}
	each = each.Select("e.seq").Order("e.seq DESC").Limit(m)
	var older []auditEventRow
	if err := db.Raw(`SELECT * FROM audit_events WHERE seq IN (
			SELECT x.seq FROM tenants t CROSS JOIN LATERAL (?) x
			WHERE t.id = ? OR t.parent_id = ?
			ORDER BY x.seq DESC LIMIT ?)
		ORDER BY seq DESC`, each, partnerID, partnerID, m).Scan(&older).Error; err != nil {
		return nil, err
	}
	return append(rows, older...), nil
}

// ExportEvents implements regent.AuditService.
func (s *AuditService) ExportEvents(ctx context.Context, f regent.AuditFilter, format string, each func(*regent.AuditEvent) error) error {
	c := regent.CallerFromContext(ctx)
	q, err := scopeAudit(s.db.gdb.WithContext(ctx).Model(&auditEventRow{}), c, regent.PermAuditExport)
	if err != nil {
		return err
	}
	if q, err = filterAudit(q, f, ""); err != nil {
		return err
	}
	err = s.db.tx(ctx, func(tx *gorm.DB) error {
		ev := s.db.newEvent(ctx, "audit.export", regent.OutcomeSuccess)
		ev.TargetType = "audit_trail"
		ev.Detail = fmt.Sprintf("format=%s tenantId=%s actorId=%s sessionId=%s action=%s", format, f.TenantID, f.ActorID, f.SessionID, f.Action)
		return appendAudit(tx, ev)
	})
	if err != nil {
		return err
	}
	rows, err := q.Select(auditEventColumns).Order("seq").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var r auditEventRow
	for rows.Next() {
		if err := scanAuditRow(rows, &r); err != nil {
			return err
		}
		if err := each(r.domain()); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SessionTimeline implements regent.AuditService.
func (s *AuditService) SessionTimeline(ctx context.Context, sessionID string) (*regent.SessionTimeline, error) {
	c := regent.CallerFromContext(ctx)
	notFound := regent.Errorf(regent.ENOTFOUND, "Session not found.")
	if !regent.ValidID(sessionID) || c.Impersonating() {
		return nil, notFound
	}
	imps := NewImpersonationService(s.db)
	db := s.db.gdb.WithContext(ctx)
	var v impersonationView
	err := imps.views(db).Where("s.id = ?", sessionID).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, notFound
	} else if err != nil {
		return nil, err
	}
	// Visible to whoever may see the session in the console, and to the tenant's own admins.
	var n int64
	if err := scopeSessions(imps.views(db), c).Where("s.id = ?", sessionID).Count(&n).Error; err != nil {
		return nil, err
	}
	if perms, ok := regent.TenantAppPermissions(c, v.TenantID); n == 0 && !(ok && perms.Has(regent.PermAccessLogRead)) {
		return nil, notFound
	}
	var rows []auditEventRow
	if err := db.Where("session_id = ?", sessionID).Order("seq").Limit(s.timelineLimit).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := &regent.SessionTimeline{Session: v.domain(), Events: make([]*regent.AuditEvent, len(rows)), Total: len(rows)}
	for i := range rows {
		out.Events[i] = rows[i].domain()
	}
	// Counted only when the limit was reached: a session that has more says how many.
	if len(rows) == s.timelineLimit {
		var total int64
		if err := db.Model(&auditEventRow{}).Where("session_id = ?", sessionID).Count(&total).Error; err != nil {
			return nil, err
		}
		out.Total = max(int(total), len(rows))
	}
	return out, nil
}

// TenantMetrics implements regent.AuditService.
func (s *AuditService) TenantMetrics(ctx context.Context, tenantID string) (*regent.TenantMetrics, error) {
	c := regent.CallerFromContext(ctx)
	db := s.db.gdb.WithContext(ctx)
	perms, own := regent.TenantAppPermissions(c, tenantID)
	if !(own && perms.Has(regent.PermAccessLogRead)) && !c.Impersonating() {
		if _, err := NewTenantService(s.db).TenantByID(ctx, tenantID); err != nil {
			return nil, err
		}
	} else if c.Impersonating() {
		return nil, regent.Errorf(regent.ENOTFOUND, "Tenant not found.")
	}
	now := s.db.now()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	m := &regent.TenantMetrics{}
	// The tenant's own people: hidden accounts never sign in, and outsiders' sign-ins are
	// recorded at their own homes, so these count nobody else.
	// (Not max(): SQLite returns an aggregate of times as text.)
	var last []time.Time
	if err := db.Model(&userRow{}).Where("home_tenant_id = ? AND NOT hidden AND last_login_at IS NOT NULL", tenantID).
		Order("last_login_at DESC").Limit(1).Pluck("last_login_at", &last).Error; err != nil {
		return nil, err
	}
	if len(last) == 1 {
		t := last[0].UTC()
		m.LastSignInAt = &t
	}
	var n int64
	if err := db.Model(&userRow{}).Where("home_tenant_id = ? AND NOT hidden AND last_login_at >= ?", tenantID, now.AddDate(0, 0, -30)).Count(&n).Error; err != nil {
		return nil, err
	}
	m.ActiveUsers30d = int(n)
	count := func(q *gorm.DB) (int, error) {
		var n int64
		err := q.Count(&n).Error
		return int(n), err
	}
	base := func() *gorm.DB {
		return db.Model(&auditEventRow{}).Where("tenant_id = ? AND time >= ? AND outcome = ? AND action NOT LIKE ?", tenantID, month, regent.OutcomeSuccess, "auth.%")
	}
	var err error
	// Only the tenant's own people's changes are theirs: not a console user's change to the
	// tenant, not anything done while impersonating.
	people := db.Model(&userRow{}).Select("id").Where("home_tenant_id = ?", tenantID)
	if m.ChangesThisMonth, err = count(base().Where("session_id IS NULL AND actor_id IN (?)", people)); err != nil {
		return nil, err
	}
	if m.ImpersonatedChanges, err = count(base().Where("session_id IS NOT NULL AND action NOT LIKE ?", "impersonation.%")); err != nil {
		return nil, err
	}
	if m.ImpersonationSessions, err = count(db.Model(&ImpersonationRow{}).Where("tenant_id = ? AND started_at >= ?", tenantID, month)); err != nil {
		return nil, err
	}
	return m, nil
}
