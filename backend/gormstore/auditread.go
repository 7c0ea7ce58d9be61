package gormstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
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

func filterAudit(q *gorm.DB, f regent.AuditFilter) (*gorm.DB, error) {
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
	if f.TenantID != "" {
		q = q.Where("tenant_id = ?", f.TenantID)
	}
	if f.ActorID != "" {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.SessionID != "" {
		q = q.Where("session_id = ?", f.SessionID)
	}
	if strings.HasSuffix(f.Action, ".") {
		// SQLite has no default escape character: name it, or \_ matches a backslash and any one character.
		q = q.Where("action LIKE ? ESCAPE '\\'", strings.NewReplacer("%", "", "_", "\\_").Replace(f.Action)+"%")
	} else if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	return q, nil
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
	q, err := scopeAudit(s.db.gdb.WithContext(ctx).Model(&auditEventRow{}), regent.CallerFromContext(ctx), regent.PermAuditRead)
	if err != nil {
		return nil, "", err
	}
	if q, err = filterAudit(q, f); err != nil {
		return nil, "", err
	}
	if f.Cursor != "" {
		seq, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", regent.Invalid(map[string]string{"cursor": "is not a cursor this server gave out"})
		}
		q = q.Where("seq < ?", seq)
	}
	if f.Limit <= 0 || f.Limit > regent.MaxPageSize {
		f.Limit = 50
	}
	var rows []auditEventRow
	if err := q.Select("*").Order("seq DESC").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
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

// ExportEvents implements regent.AuditService.
func (s *AuditService) ExportEvents(ctx context.Context, f regent.AuditFilter, format string, each func(*regent.AuditEvent) error) error {
	c := regent.CallerFromContext(ctx)
	q, err := scopeAudit(s.db.gdb.WithContext(ctx).Model(&auditEventRow{}), c, regent.PermAuditExport)
	if err != nil {
		return err
	}
	if q, err = filterAudit(q, f); err != nil {
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
