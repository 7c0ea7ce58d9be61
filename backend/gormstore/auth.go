package gormstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

// Compile-time checks.
var (
	_ regent.AuthService     = (*AuthService)(nil)
	_ regent.LoginStateStore = (*AuthService)(nil)
)

// touchEvery bounds how often a session's last-seen time is written: often enough for the
// idle timeout to be accurate to the minute, rarely enough that reads stay reads.
const touchEvery = time.Minute

// AuthService implements regent.AuthService and regent.LoginStateStore.
type AuthService struct {
	db   *DB
	imps *ImpersonationService
}

// NewAuthService returns the sign-in service over db.
func NewAuthService(db *DB) *AuthService {
	return &AuthService{db: db, imps: NewImpersonationService(db)}
}

// activityEvery bounds how often an impersonation's last activity is written. The idle
// timeout is in minutes, so this keeps it accurate while most requests only read.
const activityEvery = 15 * time.Second

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// SignIn implements regent.AuthService.
func (s *AuthService) SignIn(ctx context.Context, in regent.SignIn) (*regent.LoginSession, string, error) {
	now := s.db.now()
	var (
		sess    *regent.LoginSession
		token   string
		refusal error
	)
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		var u userRow
		err := tx.Where("oidc_issuer = ? AND oidc_subject = ? AND NOT hidden", in.Issuer, in.Subject).Take(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) && in.EmailVerified && in.Email != "" {
			// First sign-in: bind the invited, not yet bound account with this email.
			err = tx.Where("lower(email) = ? AND NOT hidden AND oidc_issuer IS NULL", strings.ToLower(in.Email)).Take(&u).Error
			if err == nil {
				u.OIDCIssuer, u.OIDCSubject = &in.Issuer, &in.Subject
				if err := tx.Model(&userRow{}).Where("id = ?", u.ID).
					Updates(map[string]any{"oidc_issuer": in.Issuer, "oidc_subject": in.Subject}).Error; err != nil {
					return err
				}
			}
		}
		if errors.Is(err, gorm.ErrRecordNotFound) {
			ev := s.db.newEvent(ctx, regent.ActionLogin, regent.OutcomeDenied)
			ev.ActorEmail, ev.Detail = in.Email, "not_provisioned"
			refusal = &regent.Error{Code: regent.ENOTFOUND, Reason: "not_provisioned",
				Message: "Your identity is not provisioned in Regent. Ask an administrator to invite you."}
			return appendAudit(tx, ev)
		} else if err != nil {
			return err
		}
		user := u.domain()
		if !user.CanSignIn() {
			ev := withActor(s.db.newEvent(ctx, regent.ActionLogin, regent.OutcomeDenied), user)
			ev.Detail = "account_deactivated"
			refusal = &regent.Error{Code: regent.EFORBIDDEN, Reason: "account_deactivated",
				Message: "Your Regent account is deactivated. Ask an administrator to reactivate it."}
			return appendAudit(tx, ev)
		}
		var home tenantRow
		if err := tx.Where("id = ?", u.HomeTenantID).Take(&home).Error; err != nil {
			return err
		}
		if home.Status == regent.TenantStatusSuspended {
			ev := withActor(s.db.newEvent(ctx, regent.ActionLogin, regent.OutcomeDenied), user)
			ev.Detail = "tenant_suspended"
			refusal = &regent.Error{Code: regent.EFORBIDDEN, Reason: "tenant_suspended",
				Message: home.Name + " is suspended: nobody of it can sign in until it is reactivated."}
			return appendAudit(tx, ev)
		}
		if err := tx.Model(&userRow{}).Where("id = ?", u.ID).
			Updates(map[string]any{"status": regent.UserStatusActive, "last_login_at": now}).Error; err != nil {
			return err
		}
		ri := regent.RequestInfoFromContext(ctx)
		token = base64.RawURLEncoding.EncodeToString(regent.RandomToken(32))
		row := loginSessionRow{
			ID: regent.NewID(), TokenHash: hashToken(token), UserID: u.ID,
			AuthTime: in.AuthTime.UTC().Truncate(time.Microsecond), CreatedAt: now, LastSeenAt: now,
			ExpiresAt: now.Add(s.db.Sessions.MaxAge), IP: ri.IP, UserAgent: ri.UserAgent,
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		sess = row.domain()
		ev := withActor(s.db.newEvent(ctx, regent.ActionLogin, regent.OutcomeSuccess), user)
		ev.TargetType, ev.TargetID = "login_session", row.ID
		return appendAudit(tx, ev)
	})
	if err != nil {
		return nil, "", translate(err)
	}
	if refusal != nil {
		return nil, "", refusal
	}
	return sess, token, nil
}

// Authenticate implements regent.AuthService. It reads what it needs through the
// authentication cache (see authcache.go) and re-decides everything on every request:
// session expiry and idleness, the account, and for a live impersonation its expiry,
// idleness, footprint, the actor's grant, the tenant and the policy.
func (s *AuthService) Authenticate(ctx context.Context, token string) (*regent.Caller, error) {
	unauthorized := regent.Errorf(regent.EUNAUTHORIZED, "Your session has ended. Sign in again.")
	if token == "" {
		return nil, unauthorized
	}
	now := s.db.now()
	key := string(hashToken(token))
	if s.db.dialect == DialectSQLite {
		s.db.auth.checkSQLiteVersion(ctx)
	}
	snap := s.db.auth.get(key, now)
	if snap == nil {
		var err error
		if snap, err = s.load(ctx, []byte(key)); err != nil {
			return nil, err
		}
		s.db.auth.put(key, snap)
	}
	row := snap.session
	if row.EndedAt != nil {
		if reason, ok := strings.CutPrefix(row.EndReason, "impersonation:"); ok {
			return nil, impersonationEnded(reason)
		}
		return nil, unauthorized
	}
	caller := &regent.Caller{User: snap.actor.User, Home: snap.actor.Home, Roles: snap.actor.Roles,
		Permissions: snap.actor.Permissions, Session: row.domain()}
	var endReason string
	switch {
	case !now.Before(row.ExpiresAt):
		endReason = regent.SessionEndExpired
	case !now.Before(row.LastSeenAt.Add(s.db.Sessions.IdleTimeout)):
		endReason = regent.SessionEndIdle
	case !caller.User.CanSignIn():
		endReason = "account_deactivated"
	case caller.Home != nil && caller.Home.Status == regent.TenantStatusSuspended:
		// Suspending a tenant shuts out its own people at once, not at their next sign-in.
		endReason = "tenant_suspended"
	}
	if endReason != "" {
		if err := s.endSession(ctx, caller, endReason); err != nil {
			return nil, err
		}
		return nil, unauthorized
	}
	kept := snap
	if snap.imp != nil {
		var err error
		if kept, err = s.impersonate(ctx, snap, caller, now); err != nil {
			return nil, err
		}
	}
	if now.Sub(row.LastSeenAt) >= touchEvery && !regent.InBackground(ctx) {
		// Conditional so that concurrent requests write it once. Not a transaction: it
		// changes nothing that authorization depends on, so the cache stays.
		db := s.db.gdb.WithContext(ctx)
		if err := db.Model(&loginSessionRow{}).Where("id = ? AND last_seen_at < ?", row.ID, now.Add(-touchEvery)).
			Update("last_seen_at", now).Error; err != nil {
			return nil, err
		}
		caller.Session.LastSeenAt = now
		next := *kept
		next.session.LastSeenAt = now
		kept = &next
	}
	if kept != snap {
		s.db.auth.put(key, kept)
	}
	return caller, nil
}

// load reads everything Authenticate needs about a token hash.
func (s *AuthService) load(ctx context.Context, tokenHash []byte) (*authSnapshot, error) {
	snap := &authSnapshot{gen: s.db.auth.gen.Load(), loadedAt: s.db.now()}
	db := s.db.gdb.WithContext(ctx)
	// The session rows are read every time, in one statement; the rest comes from the
	// cache's directory when it has it (see authcache.go).
	var pair sessionPairs
	if err := scan(db.Raw(sessionPairSQL, tokenHash), &pair); err != nil {
		return nil, err
	} else if len(pair) == 0 {
		return nil, regent.Errorf(regent.EUNAUTHORIZED, "Your session has ended. Sign in again.")
	}
	snap.session = pair[0].session
	if snap.session.EndedAt != nil {
		return snap, nil
	}
	imp := pair[0].impersonation()
	var err error
	c := s.db.auth
	if snap.actor, err = throughCache(&c.callers, snap.session.UserID, func() (*regent.Caller, error) {
		return loadCaller(db, snap.session.UserID)
	}); err != nil {
		return nil, err
	}
	if imp == nil {
		return snap, nil
	}
	snap.imp = imp
	if snap.tenant, err = s.db.cachedTenant(db, imp.TenantID); err != nil {
		return nil, err
	}
	// The policy from its layers, through the same cache the tenant lists read them from.
	policies, err := NewPolicyService(s.db).EffectivePolicies(ctx, []*regent.Tenant{snap.tenant})
	if err != nil {
		return nil, err
	}
	snap.policy = policies[snap.tenant.ID]
	if snap.principal, err = throughCache(&c.principals, imp.PrincipalID, func() (*regent.User, error) {
		var principal userRow
		if err := db.Where("id = ? AND hidden", imp.PrincipalID).Take(&principal).Error; err != nil {
			return nil, err
		}
		return principal.domain(), nil
	}); err != nil {
		return nil, err
	}
	return snap, nil
}

// cachedTenant returns tenant id through the directory cache (dropped by any write to
// tenants, here and in every other process), reading it with q on a miss.
func (db *DB) cachedTenant(q *gorm.DB, id string) (*regent.Tenant, error) {
	return throughCache(&db.auth.tenants, id, func() (*regent.Tenant, error) {
		var trow tenantRow
		if err := q.Where("id = ?", id).Take(&trow).Error; err != nil {
			return nil, err
		}
		return trow.domain(), nil
	})
}

// throughCache returns the value of id from the directory cache sc, reading and keeping it
// on a miss. A value is shared by every request that gets it: never change one.
func throughCache[V any](sc *sideCache[V], id string, read func() (V, error)) (V, error) {
	if v, ok := sc.one(id); ok {
		return v, nil
	}
	gen := sc.c.dirGen.Load()
	v, err := read()
	if err != nil {
		return v, err
	}
	sc.put(gen, map[string]V{id: v})
	return v, nil
}

func impersonationEnded(reason string) error {
	return &regent.Error{Code: regent.EUNAUTHORIZED, Reason: "impersonation_ended",
		Message: "Your impersonation session has ended (" + strings.ReplaceAll(reason, "_", " ") + "). Sign in again to continue as yourself.",
		Extra:   map[string]any{"endReason": reason}}
}

// impersonate turns the caller into the impersonated tenant's principal, after re-checking
// everything that could end the impersonation: expiry, idleness, footprint, the actor's
// account and grant, the tenant, the policy.
//
// It returns the snapshot to keep: a copy with the new last activity when it wrote one.
func (s *AuthService) impersonate(ctx context.Context, snap *authSnapshot, caller *regent.Caller, now time.Time) (*authSnapshot, error) {
	row := *snap.imp
	sess := row.domain()
	// A policy tightened since the start (masking switched on, a shorter limit) holds for
	// the live session too, not only for the next one.
	sess.Tighten(snap.policy)
	ri := regent.RequestInfoFromContext(ctx)
	check := regent.ImpersonationCheck{Session: sess, Actor: caller, Tenant: snap.tenant, Policy: snap.policy,
		Now: now, IP: ri.IP, UserAgent: ri.UserAgent}
	if reason := check.EndReason(); reason != "" {
		if err := s.db.tx(ctx, func(tx *gorm.DB) error {
			_, err := s.imps.endImpersonation(ctx, tx, &row, reason, nil, true)
			return err
		}); err != nil {
			return nil, err
		}
		return nil, impersonationEnded(reason)
	}
	sess.ActorEmail, sess.ActorName, sess.TenantName, sess.TenantKind = caller.User.Email, caller.User.Name, snap.tenant.Name, snap.tenant.Kind
	caller.Impersonation, caller.Principal = sess, snap.principal
	caller.Permissions, caller.Roles = regent.ImpersonationPermissionsIn(sess.TenantKind, sess.Mode), nil
	// A background request (the SPA's own polling) is not activity: counting it would keep
	// an unattended tab's impersonation alive until its hard expiry.
	if now.Sub(row.LastActivityAt) >= activityEvery && !regent.InBackground(ctx) {
		db := s.db.gdb.WithContext(ctx)
		if err := db.Model(&ImpersonationRow{}).Where("id = ? AND ended_at IS NULL AND last_activity_at < ?", row.ID, now.Add(-activityEvery)).
			Update("last_activity_at", now).Error; err != nil {
			return nil, err
		}
		sess.LastActivityAt = now
		next, imp := *snap, row
		imp.LastActivityAt = now
		next.imp = &imp
		return &next, nil
	}
	return snap, nil
}

// SignOut implements regent.AuthService.
func (s *AuthService) SignOut(ctx context.Context) error {
	c := regent.CallerFromContext(ctx)
	if c == nil || c.Session == nil {
		return regent.Errorf(regent.EUNAUTHORIZED, "You are not signed in.")
	}
	return s.endSession(ctx, c, regent.SessionEndLogout)
}

// endSession marks the caller's session ended with reason and records it, once: a session
// that another request already ended is left as it is.
func (s *AuthService) endSession(ctx context.Context, c *regent.Caller, reason string) error {
	now := s.db.now()
	impReason := map[string]string{regent.SessionEndLogout: regent.EndLogout, regent.SessionEndIdle: regent.EndIdle,
		regent.SessionEndExpired: regent.EndExpired, "tenant_suspended": regent.EndActorHomeSuspended}[reason]
	if impReason == "" {
		impReason = regent.EndActorDeactivated
	}
	return translate(s.db.tx(ctx, func(tx *gorm.DB) error {
		// An impersonation never outlives the login session that carries it.
		if err := s.imps.endLive(ctx, tx, c.Session.ID, impReason); err != nil {
			return err
		}
		res := tx.Model(&loginSessionRow{}).Where("id = ? AND ended_at IS NULL", c.Session.ID).
			Updates(map[string]any{"ended_at": now, "end_reason": reason})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		action := regent.ActionSessionEnded
		if reason == regent.SessionEndLogout {
			action = regent.ActionLogout
		}
		ev := withActor(s.db.newEvent(ctx, action, regent.OutcomeSuccess), c.User)
		ev.TargetType, ev.TargetID, ev.Detail = "login_session", c.Session.ID, reason
		return appendAudit(tx, ev)
	}))
}

// loadCaller reads a user with their home and roles, and resolves their permissions.
func loadCaller(db *gorm.DB, userID string) (*regent.Caller, error) {
	var u userRow
	if err := db.Where("id = ?", userID).Take(&u).Error; err != nil {
		return nil, translate(err)
	}
	var home tenantRow
	if err := db.Where("id = ?", u.HomeTenantID).Take(&home).Error; err != nil {
		return nil, translate(err)
	}
	roles, err := userRoles(db, userID)
	if err != nil {
		return nil, err
	}
	c := &regent.Caller{User: u.domain(), Home: home.domain(), Roles: roles}
	lists := make([][]regent.Permission, 0, len(roles))
	for _, r := range roles {
		lists = append(lists, r.Permissions)
	}
	c.Permissions = regent.NewPermissionSet(lists...)
	return c, nil
}

// userRoles returns a user's roles with their permissions: built-in ones from code, custom
// ones from role_permissions.
func userRoles(db *gorm.DB, userID string) ([]regent.Role, error) {
	var rows []roleRow
	if err := db.Joins("JOIN user_roles ur ON ur.role_id = roles.id").
		Where("ur.user_id = ?", userID).Order("roles.name").Find(&rows).Error; err != nil {
		return nil, err
	}
	roles := make([]regent.Role, 0, len(rows))
	var custom []string
	for _, r := range rows {
		role := regent.Role{ID: r.ID, Key: r.Key, Name: r.Name, HomeKind: r.HomeKind, Hidden: r.Hidden, Version: r.Version}
		if r.TenantID != nil {
			role.TenantID = *r.TenantID
		}
		if b, ok := regent.BuiltinRoleByKey(r.Key); ok && r.TenantID == nil {
			role.Permissions = b.Permissions
		} else {
			custom = append(custom, r.ID)
		}
		roles = append(roles, role)
	}
	if len(custom) > 0 {
		var perms []rolePermissionRow
		if err := db.Where("role_id IN ?", custom).Find(&perms).Error; err != nil {
			return nil, err
		}
		for i := range roles {
			for _, p := range perms {
				if p.RoleID == roles[i].ID {
					roles[i].Permissions = append(roles[i].Permissions, regent.Permission(p.Permission))
				}
			}
		}
	}
	return roles, nil
}

// SaveLoginState implements regent.LoginStateStore.
func (s *AuthService) SaveLoginState(ctx context.Context, st *regent.LoginState) error {
	db := s.db.gdb.WithContext(ctx)
	// Sweep abandoned sign-ins as we go; there are few and the index is the primary key.
	if err := db.Where("expires_at < ?", s.db.now()).Delete(&loginStateRow{}).Error; err != nil {
		return err
	}
	return db.Create(&loginStateRow{
		StateHash: hashToken(st.State), Nonce: st.Nonce, CodeVerifier: st.CodeVerifier,
		ReturnTo: st.ReturnTo, MaxAge: st.MaxAge, CreatedAt: st.CreatedAt, ExpiresAt: st.ExpiresAt,
	}).Error
}

// ConsumeLoginState implements regent.LoginStateStore.
func (s *AuthService) ConsumeLoginState(ctx context.Context, state string) (*regent.LoginState, error) {
	notFound := regent.Errorf(regent.ENOTFOUND, "This sign-in is unknown, already used or expired. Start again.")
	var out *regent.LoginState
	expired := false
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		var row loginStateRow
		if err := tx.Where("state_hash = ?", hashToken(state)).Take(&row).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return notFound
		} else if err != nil {
			return err
		}
		// Deleting is what makes the state single-use: of two concurrent callbacks only one
		// deletes the row.
		res := tx.Where("state_hash = ?", row.StateHash).Delete(&loginStateRow{})
		if res.Error != nil {
			return res.Error
		} else if res.RowsAffected != 1 {
			return notFound
		}
		if !s.db.now().Before(row.ExpiresAt) {
			expired = true // commit the delete, refuse below
			return nil
		}
		out = &regent.LoginState{State: state, Nonce: row.Nonce, CodeVerifier: row.CodeVerifier,
			ReturnTo: row.ReturnTo, MaxAge: row.MaxAge, CreatedAt: row.CreatedAt.UTC(), ExpiresAt: row.ExpiresAt.UTC()}
		return nil
	})
	if err != nil {
		return nil, translate(err)
	} else if expired {
		return nil, notFound
	}
	return out, nil
}

// sessionPairSQL reads a login session by its token's hash with its live impersonation, if
// any: Authenticate's one statement when its cache has nothing for the token.
const sessionPairSQL = `SELECT ls.id, ls.token_hash, ls.user_id, ls.auth_time, ls.created_at, ls.last_seen_at,
	ls.expires_at, ls.ip, ls.user_agent, ls.ended_at, ls.end_reason,
	i.id AS i_id, i.actor_id AS i_actor_id, i.tenant_id AS i_tenant_id, i.principal_id AS i_principal_id,
	i.mode AS i_mode, i.reason AS i_reason, i.started_at AS i_started_at, i.expires_at AS i_expires_at,
	i.last_activity_at AS i_last_activity_at, i.idle_timeout_s AS i_idle_timeout_s, i.ip AS i_ip,
	i.user_agent AS i_user_agent, i.bind_footprint AS i_bind_footprint, i.mask_personal_data AS i_mask_personal_data,
	i.disable_export AS i_disable_export, i.notify_tenant_admins AS i_notify_tenant_admins
	FROM login_sessions ls
	LEFT JOIN impersonation_sessions i ON i.login_session_id = ls.id AND i.ended_at IS NULL
	WHERE ls.token_hash = ?`

// sessionPair is a row of sessionPairSQL: the impersonation's columns are null without one.
type sessionPair struct {
	session                                                  loginSessionRow
	id, actorID, tenantID, principalID, mode, reason, ip, ua *string
	started, expires, lastActivity                           *time.Time
	idle                                                     *int
	bind, mask, noExport, notify                             *bool
}

// impersonation returns the live impersonation, or nil.
func (p *sessionPair) impersonation() *ImpersonationRow {
	if p.id == nil {
		return nil
	}
	return &ImpersonationRow{ID: *p.id, LoginSessionID: p.session.ID, ActorID: *p.actorID, TenantID: *p.tenantID,
		PrincipalID: *p.principalID, Mode: *p.mode, Reason: *p.reason, StartedAt: *p.started, ExpiresAt: *p.expires,
		LastActivityAt: *p.lastActivity, IdleTimeoutS: *p.idle, IP: *p.ip, UserAgent: *p.ua, BindFootprint: *p.bind,
		MaskPersonalData: *p.mask, DisableExport: *p.noExport, NotifyTenantAdmins: *p.notify}
}

type sessionPairs []sessionPair

func (ps *sessionPairs) readRows(rows *sql.Rows) error {
	return readInto(rows, (*[]sessionPair)(ps), func(column string) func(*sessionPair) any {
		switch column {
		case "id":
			return func(p *sessionPair) any { return &p.session.ID }
		case "token_hash":
			return func(p *sessionPair) any { return &p.session.TokenHash }
		case "user_id":
			return func(p *sessionPair) any { return &p.session.UserID }
		case "auth_time":
			return func(p *sessionPair) any { return &p.session.AuthTime }
		case "created_at":
			return func(p *sessionPair) any { return &p.session.CreatedAt }
		case "last_seen_at":
			return func(p *sessionPair) any { return &p.session.LastSeenAt }
		case "expires_at":
			return func(p *sessionPair) any { return &p.session.ExpiresAt }
		case "ip":
			return func(p *sessionPair) any { return &p.session.IP }
		case "user_agent":
			return func(p *sessionPair) any { return &p.session.UserAgent }
		case "ended_at":
			return func(p *sessionPair) any { return &p.session.EndedAt }
		case "end_reason":
			return func(p *sessionPair) any { return &p.session.EndReason }
		case "i_id":
			return func(p *sessionPair) any { return &p.id }
		case "i_actor_id":
			return func(p *sessionPair) any { return &p.actorID }
		case "i_tenant_id":
			return func(p *sessionPair) any { return &p.tenantID }
		case "i_principal_id":
			return func(p *sessionPair) any { return &p.principalID }
		case "i_mode":
			return func(p *sessionPair) any { return &p.mode }
		case "i_reason":
			return func(p *sessionPair) any { return &p.reason }
		case "i_started_at":
			return func(p *sessionPair) any { return &p.started }
		case "i_expires_at":
			return func(p *sessionPair) any { return &p.expires }
		case "i_last_activity_at":
			return func(p *sessionPair) any { return &p.lastActivity }
		case "i_idle_timeout_s":
			return func(p *sessionPair) any { return &p.idle }
		case "i_ip":
			return func(p *sessionPair) any { return &p.ip }
		case "i_user_agent":
			return func(p *sessionPair) any { return &p.ua }
		case "i_bind_footprint":
			return func(p *sessionPair) any { return &p.bind }
		case "i_mask_personal_data":
			return func(p *sessionPair) any { return &p.mask }
		case "i_disable_export":
			return func(p *sessionPair) any { return &p.noExport }
		case "i_notify_tenant_admins":
			return func(p *sessionPair) any { return &p.notify }
		}
		return nil
	})
}
