package gormstore

import (
	"context"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

var _ regent.ImpersonationService = (*ImpersonationService)(nil)

// ImpersonationRow is an impersonation session's row (exported only so that gorm flattens
// it into impersonationView).
type ImpersonationRow struct {
	ID                 string
	LoginSessionID     string
	ActorID            string
	TenantID           string
	PrincipalID        string
	Mode               string
	Reason             string
	StartedAt          time.Time
	ExpiresAt          time.Time
	LastActivityAt     time.Time
	IdleTimeoutS       int    `gorm:"column:idle_timeout_s"`
	IP                 string `gorm:"column:ip"`
	UserAgent          string
	BindFootprint      bool
	MaskPersonalData   bool
	DisableExport      bool
	NotifyTenantAdmins bool
	EndedAt            *time.Time
	EndReason          string
	EndedByID          *string
}

func (ImpersonationRow) TableName() string { return "impersonation_sessions" }

// impersonationView is a session row with its actor's and tenant's names, read in one query.
type impersonationView struct {
	ImpersonationRow `gorm:"embedded"`
	ActorEmail       string
	ActorName        string
	TenantName       string
}

func (r *ImpersonationRow) domain() *regent.ImpersonationSession {
	s := &regent.ImpersonationSession{ID: r.ID, LoginSessionID: r.LoginSessionID, ActorID: r.ActorID,
		TenantID: r.TenantID, PrincipalID: r.PrincipalID, Mode: r.Mode, Reason: r.Reason,
		StartedAt: r.StartedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), LastActivityAt: r.LastActivityAt.UTC(),
		IdleTimeout: time.Duration(r.IdleTimeoutS) * time.Second, IP: r.IP, UserAgent: r.UserAgent,
		BindFootprint: r.BindFootprint, MaskPersonalData: r.MaskPersonalData, DisableExport: r.DisableExport,
		NotifyTenantAdmins: r.NotifyTenantAdmins, EndReason: r.EndReason}
	if r.EndedAt != nil {
		t := r.EndedAt.UTC()
		s.EndedAt = &t
	}
	return s
}

// ImpersonationService implements regent.ImpersonationService.
type ImpersonationService struct {
	db       *DB
	policies *PolicyService
}

// NewImpersonationService returns the impersonation service over db.
func NewImpersonationService(db *DB) *ImpersonationService {
	return &ImpersonationService{db: db, policies: NewPolicyService(db)}
}

func newToken() string { return base64.RawURLEncoding.EncodeToString(regent.RandomToken(32)) }

// refuse records a refused start and returns err.
//
// A start refused because the caller is already impersonating is refused before the tenant
// asked for is looked at, and is the person's own act in the console, not something done in
// the running session: it is recorded as a refusal by the person themselves (no session, the
// person as principal), on the tenant asked for as its target, and in that tenant's trail
// only when it is a tenant the person, as themselves, can see, as every other refusal is.
// The running session is named in the detail as running_session, so an auditor can tell
// which session was in the way without the attempt appearing in that session's timeline,
// in its tenant's Access Log, or under its Impersonated Admin.
func (s *ImpersonationService) refuse(ctx context.Context, in regent.StartImpersonation, err error) error {
	code := regent.ErrorCode(err)
	var de *regent.Error
	if errors.As(err, &de) && de.Reason != "" {
		code = de.Reason
	}
	ev := s.db.newEvent(ctx, "impersonation.start", regent.OutcomeDenied)
	if regent.ValidID(in.TenantID) && code != regent.ENOTFOUND {
		ev.TenantID = in.TenantID
	}
	// The tenant id and the mode are recorded as sent only when they are what they should
	// be: anything else (a NUL, a megabyte) would make the record fail, or bloat the trail.
	mode := in.Mode
	if _, ok := regent.ModePermission(mode); !ok {
		mode = "invalid"
	}
	ev.TargetType = "tenant"
	if regent.ValidID(in.TenantID) {
		ev.TargetID = in.TenantID
	}
	ev.Detail = "mode=" + mode + " refused=" + code
	c := regent.CallerFromContext(ctx)
	if c.Impersonating() {
		ev.SessionID = ""
		ev.PrincipalID, ev.PrincipalName = c.User.ID, c.User.Name
		ev.Detail += " running_session=" + c.Impersonation.ID
	}
	if werr := s.db.tx(ctx, func(tx *gorm.DB) error {
		if c.Impersonating() {
			seen, lerr := tenantInSight(tx, c.User.ID, in.TenantID)
			if lerr != nil {
				return lerr
			}
			ev.TenantID = seen
		}
		return appendAudit(tx, ev)
	}); werr != nil {
		return werr
	}
	return err
}

// tenantInSight returns tenantID if it is a tenant that the user, as themselves (not as the
// Impersonated Admin they may be acting as), can see; "" otherwise.
func tenantInSight(tx *gorm.DB, userID, tenantID string) (string, error) {
	if !regent.ValidID(tenantID) {
		return "", nil
	}
	var trow tenantRow
	if err := tx.Where("id = ?", tenantID).Take(&trow).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	self, err := loadCaller(tx, userID)
	if err != nil {
		return "", err
	}
	if !self.Can(regent.PermTenantsRead) || !regent.Reaches(self.Home, trow.domain()) {
		return "", nil
	}
	return tenantID, nil
}

// reauthGrace is how long a sign-in counts as just made when the policy asks for one at every
// start (a window of 0): the time it takes to come back from the identity provider.
const reauthGrace = 2 * time.Minute

// freshEnough reports whether the login session's sign-in is recent enough to start an
// impersonation under window. A window of 0 asks for a sign-in for every start: one made in
// the last reauthGrace, that no earlier start of this login session has used.
func freshEnough(db *gorm.DB, sess *regent.LoginSession, window time.Duration, now time.Time) (bool, error) {
	age := now.Sub(sess.AuthTime)
	if window > 0 || age > reauthGrace {
		return age <= window, nil
	}
	var used int64
	err := db.Model(&ImpersonationRow{}).Where("login_session_id = ? AND started_at >= ?", sess.ID, sess.AuthTime).Count(&used).Error
	return used == 0, err
}

// Start implements regent.ImpersonationService.
func (s *ImpersonationService) Start(ctx context.Context, in regent.StartImpersonation) (*regent.ImpersonationSession, string, error) {
	c := regent.CallerFromContext(ctx)
	if c.Impersonating() {
		return nil, "", s.refuse(ctx, in, &regent.Error{Code: regent.ECONFLICT, Reason: "already_impersonating",
			Message: "You are already impersonating a tenant. Stop that session first."})
	}
	db := s.db.gdb.WithContext(ctx)
	// The tenant, its policy and its Impersonated Admin come through the directory cache,
	// exactly as every request of the session will read them (Authenticate).
	dir := s.db.auth
	var t *regent.Tenant
	if regent.ValidID(in.TenantID) {
		t, _ = s.db.cachedTenant(db, in.TenantID)
	}
	if t == nil {
		return nil, "", s.refuse(ctx, in, regent.Errorf(regent.ENOTFOUND, "Tenant not found."))
	}
	// A tenant the caller cannot see (the platform and their own home included) does not
	// exist for them; ImpersonationGrant refuses those too, should this check ever change.
	if !c.Can(regent.PermTenantsRead) || !regent.Reaches(c.Home, t) {
		return nil, "", s.refuse(ctx, in, regent.Errorf(regent.ENOTFOUND, "Tenant not found."))
	}
	if err := regent.ImpersonationGrant(c, t, in.Mode); err != nil {
		return nil, "", s.refuse(ctx, in, err)
	}
	policies, err := NewPolicyService(s.db).EffectivePolicies(ctx, []*regent.Tenant{t})
	if err != nil {
		return nil, "", err
	}
	policy := policies[t.ID]
	if !policy.ModeEnabled(in.Mode) {
		return nil, "", s.refuse(ctx, in, &regent.Error{Code: regent.EFORBIDDEN, Reason: "impersonation_disabled",
			Message: "Impersonate & " + strings.ToUpper(in.Mode[:1]) + in.Mode[1:] + " is switched off for this tenant by policy."})
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if n := utf8.RuneCountInString(in.Reason); (policy.RequireReason && n < regent.MinReasonLength) || n > regent.MaxReasonLength {
		return nil, "", s.refuse(ctx, in, regent.Invalid(map[string]string{
			"reason": "must be 10 to 500 characters: say why, for example the ticket number"}))
	}
	if !regent.PlainText(in.Reason) {
		return nil, "", s.refuse(ctx, in, regent.Invalid(map[string]string{"reason": regent.NotPlainText}))
	}
	now := s.db.now()
	fresh, err := freshEnough(db, c.Session, policy.ReauthWithin, now)
	if err != nil {
		return nil, "", err
	}
	if !fresh {
		q := url.Values{}
		q.Set("reauth", "1")
		q.Set("login_hint", c.User.Email)
		q.Set("return_to", "/tenants/"+t.ID+"?impersonate="+in.Mode)
		return nil, "", s.refuse(ctx, in, &regent.Error{Code: regent.EFORBIDDEN, Reason: "reauth_required",
			Message: "Confirm it is you: sign in again at your identity provider, then start the session.",
			Extra:   map[string]any{"loginUrl": "/auth/login?" + q.Encode()}})
	}
	ri := regent.RequestInfoFromContext(ctx)
	var out *regent.ImpersonationSession
	token := newToken()
	principal, err := throughCache(&dir.principalOf, t.ID, func() (*regent.User, error) {
		var row userRow
		if err := db.Where("home_tenant_id = ? AND hidden", t.ID).Take(&row).Error; err != nil {
			return nil, err
		}
		return row.domain(), nil
	})
	if err != nil {
		return nil, "", translate(err)
	}
	err = s.db.tx(ctx, func(tx *gorm.DB) error {
		row := ImpersonationRow{ID: regent.NewID(), LoginSessionID: c.Session.ID, ActorID: c.User.ID, TenantID: t.ID,
			PrincipalID: principal.ID, Mode: in.Mode, Reason: in.Reason, StartedAt: now,
			ExpiresAt: now.Add(policy.MaxDuration), LastActivityAt: now, IdleTimeoutS: int(policy.IdleTimeout / time.Second),
			IP: ri.IP, UserAgent: ri.UserAgent, BindFootprint: policy.BindFootprint, MaskPersonalData: policy.MaskPersonalData,
			DisableExport: policy.DisableExport, NotifyTenantAdmins: policy.NotifyTenantAdmins}
		if err := tx.Create(&row).Error; err != nil {
			if regent.ErrorCode(translate(err)) == regent.ECONFLICT {
				return &regent.Error{Code: regent.ECONFLICT, Reason: "already_impersonating",
					Message: "You are already impersonating a tenant. Stop that session first."}
			}
			return err
		}
		// The cookie from before the start dies here: the login session gets a new token.
		if err := rotateToken(tx, c.Session.ID, token); err != nil {
			return err
		}
		out = row.domain()
		out.ActorEmail, out.ActorName, out.TenantName, out.TenantKind = c.User.Email, c.User.Name, t.Name, t.Kind
		ev := s.db.newEvent(ctx, "impersonation.start", regent.OutcomeSuccess)
		ev.TenantID, ev.SessionID = t.ID, row.ID
		ev.PrincipalID, ev.PrincipalName = principal.ID, principal.Name
		ev.TargetType, ev.TargetID = "impersonation_session", row.ID
		ev.After = mustJSON(map[string]any{"mode": in.Mode, "reason": in.Reason, "expiresAt": row.ExpiresAt,
			"restrictions": out.Restrictions()})
		return appendAudit(tx, ev)
	})
	if err != nil {
		return nil, "", translate(err)
	}
	return out, token, nil
}

func rotateToken(tx *gorm.DB, loginSessionID, token string) error {
	res := tx.Model(&loginSessionRow{}).Where("id = ? AND ended_at IS NULL", loginSessionID).Update("token_hash", hashToken(token))
	if res.Error != nil {
		return res.Error
	} else if res.RowsAffected != 1 {
		return regent.Errorf(regent.EUNAUTHORIZED, "Your session has ended. Sign in again.")
	}
	return nil
}

// endImpersonation marks a live session ended with reason, once, and records it. The actor
// of the event is whoever ended it (the revoking admin), or the session's own actor. With
// endLogin (an end the person did not ask for: revocation, expiry, idleness, footprint,
// grant or policy change) the login session ends too, so the cookie used during the
// impersonation, and any copy of it, is dead; the person signs in again as themselves.
func (s *ImpersonationService) endImpersonation(ctx context.Context, tx *gorm.DB, row *ImpersonationRow, reason string, by *regent.User, endLogin bool) (bool, error) {
	return s.endImpersonationOf(ctx, tx, row, nil, reason, by, endLogin)
}

// endImpersonationOf is endImpersonation with the session's actor, when known (nil: read).
func (s *ImpersonationService) endImpersonationOf(ctx context.Context, tx *gorm.DB, row *ImpersonationRow, actor *regent.User, reason string, by *regent.User, endLogin bool) (bool, error) {
	now := s.db.now()
	upd := map[string]any{"ended_at": now, "end_reason": reason}
	if by != nil {
		upd["ended_by_id"] = by.ID
	}
	res := tx.Model(&ImpersonationRow{}).Where("id = ? AND ended_at IS NULL", row.ID).Updates(upd)
	if res.Error != nil || res.RowsAffected == 0 {
		return false, res.Error
	}
	if endLogin {
		if err := tx.Model(&loginSessionRow{}).Where("id = ? AND ended_at IS NULL", row.LoginSessionID).
			Updates(map[string]any{"ended_at": now, "end_reason": "impersonation:" + reason}).Error; err != nil {
			return false, err
		}
	}
	if actor == nil {
		var read userRow
		if err := tx.Where("id = ?", row.ActorID).Take(&read).Error; err != nil {
			return false, err
		}
		actor = read.domain()
	}
	ev := s.db.newEvent(ctx, "impersonation.end", regent.OutcomeSuccess)
	if by == nil {
		by = actor
	}
	ev.ActorID, ev.ActorEmail, ev.ActorName = by.ID, by.Email, by.Name
	ev.PrincipalID, ev.PrincipalName = by.ID, by.Name
	ev.TenantID, ev.SessionID = row.TenantID, row.ID
	ev.TargetType, ev.TargetID = "impersonation_session", row.ID
	ev.Detail = "reason=" + reason + " actor=" + actor.Email
	return true, appendAudit(tx, ev)
}

// Stop implements regent.ImpersonationService.
func (s *ImpersonationService) Stop(ctx context.Context) (string, error) {
	c := regent.CallerFromContext(ctx)
	if !c.Impersonating() {
		return "", &regent.Error{Code: regent.ECONFLICT, Reason: "not_impersonating", Message: "You are not impersonating anyone."}
	}
	token := newToken()
	// The session is the caller's own, as Authenticate read it for this request, and its
	// actor the caller; the update below ends it only if it is still live.
	imp := c.Impersonation
	row := ImpersonationRow{ID: imp.ID, LoginSessionID: imp.LoginSessionID, ActorID: imp.ActorID, TenantID: imp.TenantID}
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		actor := c.User
		if actor.ID != imp.ActorID {
			actor = nil // never so; read it rather than record someone else
		}
		// The session row before the login session's, as every other end takes them (the
		// other order deadlocks against a revocation or a sign-out of the same session).
		if _, err := s.endImpersonationOf(ctx, tx, &row, actor, regent.EndStopped, nil, false); err != nil {
			return err
		}
		// The cookie used during the impersonation dies here.
		return rotateToken(tx, c.Session.ID, token)
	})
	return token, translate(err)
}

// endLive ends the live session of a login session, if any, for reason, as the login
// session itself ends (sign-out, its own expiry).
func (s *ImpersonationService) endLive(ctx context.Context, tx *gorm.DB, loginSessionID, reason string) error {
	var row ImpersonationRow
	err := tx.Where("login_session_id = ? AND ended_at IS NULL", loginSessionID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	_, err = s.endImpersonation(ctx, tx, &row, reason, nil, false)
	return err
}

const impersonationColumns = "s.*, a.email AS actor_email, a.name AS actor_name, t.name AS tenant_name"

func (s *ImpersonationService) views(db *gorm.DB) *gorm.DB {
	return db.Table("impersonation_sessions s").Select(impersonationColumns).
		Joins("JOIN users a ON a.id = s.actor_id").Joins("JOIN tenants t ON t.id = s.tenant_id")
}

func (v *impersonationView) domain() *regent.ImpersonationSession {
	out := v.ImpersonationRow.domain()
	out.ActorEmail, out.ActorName, out.TenantName = v.ActorEmail, v.ActorName, v.TenantName
	return out
}

// scopeSessions limits a session query to what the caller may see: sessions on tenants in
// reach with impersonation:sessions, and always their own. A partner's admins also see the
// sessions on the partner itself, as its audit trail shows them: they are that tenant's
// admins, and nobody else there is told who came in from outside.
func scopeSessions(q *gorm.DB, c *regent.Caller) *gorm.DB {
	switch {
	case c.Impersonating():
		return q.Where("1 = 0")
	case c.Can(regent.PermImpersonationSessions) && c.Home.Kind == regent.TenantKindPlatform:
		return q
	case c.Can(regent.PermImpersonationSessions) && c.Home.Kind == regent.TenantKindPartner:
		return q.Where("(t.parent_id = ? OR t.id = ? OR s.actor_id = ?)", c.Home.ID, c.Home.ID, c.User.ID)
	}
	return q.Where("s.actor_id = ?", c.User.ID)
}

func (s *ImpersonationService) page(q *gorm.DB, f regent.ListFilter) ([]*regent.ImpersonationSession, int, error) {
	f.Normalize()
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []impersonationView
	if err := scan(q.Select(impersonationColumns).Order("s.started_at DESC").Order("s.id DESC").
		Offset(f.Offset()).Limit(f.PageSize), &rows); err != nil {
		return nil, 0, err
	}
	out := make([]*regent.ImpersonationSession, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, int(total), nil
}

// List implements regent.ImpersonationService.
func (s *ImpersonationService) List(ctx context.Context, f regent.ImpersonationFilter) ([]*regent.ImpersonationSession, int, error) {
	c := regent.CallerFromContext(ctx)
	// PostgreSQL keeps these ids as uuid: a malformed one would be a database error (500)
	// rather than what it is, a filter no session can match.
	bad := regent.Validator{}
	for field, id := range map[string]string{"tenantId": f.TenantID, "actorId": f.ActorID} {
		if id != "" && !regent.ValidID(id) {
			bad[field] = "must be an id"
		}
	}
	if fields := bad.Result(); fields != nil {
		return nil, 0, regent.Invalid(fields)
	}
	q := scopeSessions(s.views(s.db.gdb.WithContext(ctx)), c)
	if f.TenantID != "" {
		q = q.Where("s.tenant_id = ?", f.TenantID)
	}
	if f.ActorID != "" {
		q = q.Where("s.actor_id = ?", f.ActorID)
	}
	if f.Active != nil && *f.Active {
		q = q.Where("s.ended_at IS NULL")
	} else if f.Active != nil {
		q = q.Where("s.ended_at IS NOT NULL")
	}
	q = applySearch(q, f.Query, []string{"a.name", "a.email", "t.name", "s.reason"})
	return s.page(q, f.ListFilter)
}

func mayRevoke(c *regent.Caller) bool {
	return c.Can(regent.PermImpersonationRevoke) && !c.Impersonating()
}

// Revoke implements regent.ImpersonationService.
func (s *ImpersonationService) Revoke(ctx context.Context, id string) error {
	c := regent.CallerFromContext(ctx)
	notFound := regent.Errorf(regent.ENOTFOUND, "Session not found.")
	if !regent.ValidID(id) {
		return notFound
	}
	return translate(s.db.tx(ctx, func(tx *gorm.DB) error {
		var v impersonationView
		if err := scopeSessions(s.views(tx), c).Where("s.id = ?", id).Take(&v).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return notFound
			}
			return err
		}
		if !mayRevoke(c) {
			return regent.Errorf(regent.EFORBIDDEN, "Only TM Admins can end someone's impersonation session.")
		}
		if v.EndedAt != nil {
			return nil // already over: revoking is idempotent
		}
		_, err := s.endImpersonation(ctx, tx, &v.ImpersonationRow, regent.EndRevoked, c.User, true)
		return err
	}))
}

// EndLapsed implements regent.ImpersonationService. Each session is judged as a request would
// judge it (the tenant's policy in force now can only shorten it), all but the footprint,
// which only a request has: a session whose tenant was suspended, whose actor lost the
// grant or the account, or whose mode the policy switched off, ends here with that reason,
// not minutes later as idle (or never, in the Sessions page and the Access Log, while nobody
// comes back). Each is ended in its own transaction with its event; of several processes
// sweeping at once, or a request ending the same session, one ends it and the others find it
// ended.
func (s *ImpersonationService) EndLapsed(ctx context.Context) (int, error) {
	db := s.db.gdb.WithContext(ctx)
	var live []ImpersonationRow
	if err := db.Where("ended_at IS NULL").Find(&live).Error; err != nil {
		return 0, err
	}
	n := 0
	now := s.db.now()
	// Read once a sweep: each tenant with its policy, each actor.
	type tenantState struct {
		tenant *regent.Tenant
		policy regent.Policy
	}
	tenants := map[string]tenantState{}
	actors := map[string]*regent.Caller{}
	for i := range live {
		row := &live[i]
		sess := row.domain()
		ts, ok := tenants[row.TenantID]
		if !ok {
			var trow tenantRow
			if err := db.Where("id = ?", row.TenantID).Take(&trow).Error; err != nil {
				return n, err
			}
			ts.tenant = trow.domain()
			var err error
			if ts.policy, err = effectivePolicy(db, ts.tenant); err != nil {
				return n, err
			}
			tenants[row.TenantID] = ts
		}
		actor, ok := actors[row.ActorID]
		if !ok {
			var err error
			if actor, err = loadCaller(db, row.ActorID); err != nil {
				return n, err
			}
			actors[row.ActorID] = actor
		}
		sess.Tighten(ts.policy)
		check := regent.ImpersonationCheck{Session: sess, Actor: actor, Tenant: ts.tenant, Policy: ts.policy,
			Now: now, IP: sess.IP, UserAgent: sess.UserAgent}
		reason := check.EndReason()
		if reason == "" {
			continue
		}
		var ended bool
		if err := s.db.tx(ctx, func(tx *gorm.DB) (err error) {
			ended, err = s.endImpersonation(ctx, tx, row, reason, nil, true)
			return err
		}); err != nil {
			return n, err
		}
		if ended {
			n++
		}
	}
	return n, nil
}

// RevokeAll implements regent.ImpersonationService.
func (s *ImpersonationService) RevokeAll(ctx context.Context, tenantID string) (int, error) {
	c := regent.CallerFromContext(ctx)
	if !mayRevoke(c) {
		return 0, regent.Errorf(regent.EFORBIDDEN, "Only TM Admins can end impersonation sessions.")
	}
	if tenantID != "" && !regent.ValidID(tenantID) {
		return 0, regent.Invalid(map[string]string{"tenantId": "must be an id"})
	}
	n := 0
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		q := tx.Where("ended_at IS NULL")
		if tenantID != "" {
			q = q.Where("tenant_id = ?", tenantID)
		}
		// In tenant order: each end moves its tenant's chain head, and every writer that
		// holds several heads at once takes them in this order (writeGroup), so that two
		// never wait for each other.
		var rows []ImpersonationRow
		if err := q.Order("tenant_id, id").Find(&rows).Error; err != nil {
			return err
		}
		for i := range rows {
			ended, err := s.endImpersonation(ctx, tx, &rows[i], regent.EndRevoked, c.User, true)
			if err != nil {
				return err
			} else if ended {
				n++
			}
		}
		return nil
	})
	return n, translate(err)
}

// AccessLog implements regent.ImpersonationService.
func (s *ImpersonationService) AccessLog(ctx context.Context, tenantID string, f regent.ListFilter) ([]*regent.ImpersonationSession, int, error) {
	if _, err := access(ctx, tenantID, regent.PermAccessLogRead); err != nil {
		return nil, 0, err
	}
	q := s.views(s.db.gdb.WithContext(ctx)).Where("s.tenant_id = ?", tenantID)
	q = applySearch(q, f.Query, []string{"a.name", "a.email", "s.reason"})
	return s.page(q, f)
}

// AccessNotice implements regent.ImpersonationService.
func (s *ImpersonationService) AccessNotice(ctx context.Context, tenantID string) (regent.AccessNotice, error) {
	c, err := access(ctx, tenantID, regent.PermAccessLogRead)
	if err != nil {
		return regent.AccessNotice{}, err
	}
	db := s.db.gdb.WithContext(ctx)
	var seen []time.Time
	if err := db.Model(&userRow{}).Where("id = ? AND access_log_seen_at IS NOT NULL", c.User.ID).Pluck("access_log_seen_at", &seen).Error; err != nil {
		return regent.AccessNotice{}, err
	}
	q := s.views(db).Where("s.tenant_id = ? AND s.notify_tenant_admins", tenantID)
	out := regent.AccessNotice{}
	if len(seen) == 1 {
		t := seen[0].UTC()
		out.Since = &t
		q = q.Where("s.started_at > ?", t)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return out, err
	}
	out.Unseen = int(n)
	var latest impersonationView
	if n > 0 {
		if err := q.Select(impersonationColumns).Order("s.started_at DESC").Limit(1).Take(&latest).Error; err != nil {
			return out, err
		}
		t := latest.StartedAt.UTC()
		out.LatestAt, out.LatestBy = &t, latest.ActorName
	}
	var active int64
	if err := db.Model(&ImpersonationRow{}).Where("tenant_id = ? AND ended_at IS NULL AND notify_tenant_admins", tenantID).Count(&active).Error; err != nil {
		return out, err
	}
	out.Active = int(active)
	return out, nil
}

// AcknowledgeAccess implements regent.ImpersonationService.
func (s *ImpersonationService) AcknowledgeAccess(ctx context.Context, tenantID string) error {
	c, err := access(ctx, tenantID, regent.PermAccessLogRead)
	if err != nil {
		return err
	}
	return translate(s.db.tx(ctx, func(tx *gorm.DB) error {
		now := s.db.now()
		if err := tx.Model(&userRow{}).Where("id = ?", c.User.ID).Update("access_log_seen_at", now).Error; err != nil {
			return err
		}
		ev := s.db.newEvent(ctx, "access_log.acknowledge", regent.OutcomeSuccess)
		ev.TenantID, ev.TargetType, ev.TargetID = tenantID, "access_log", tenantID
		return appendAudit(tx, ev)
	}))
}
