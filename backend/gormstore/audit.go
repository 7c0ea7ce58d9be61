package gormstore

import (
	"context"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

// newEvent starts an audit event from what the context knows: the request and, when signed
// in, the caller as actor and principal.
func (db *DB) newEvent(ctx context.Context, action, outcome string) *regent.AuditEvent {
	ri := regent.RequestInfoFromContext(ctx)
	ev := &regent.AuditEvent{
		ID: regent.NewID(), Time: db.now(), Action: action, Outcome: outcome,
		IP: ri.IP, UserAgent: ri.UserAgent, RequestID: ri.RequestID,
	}
	if c := regent.CallerFromContext(ctx); c != nil && c.User != nil {
		ev.ActorID, ev.ActorEmail, ev.ActorName = c.User.ID, c.User.Email, c.User.Name
		ev.PrincipalID, ev.PrincipalName = c.User.ID, c.User.Name
	}
	return ev
}

// withActor sets the actor and principal to u (for events written before a caller exists,
// such as a sign-in).
func withActor(ev *regent.AuditEvent, u *regent.User) *regent.AuditEvent {
	ev.ActorID, ev.ActorEmail, ev.ActorName = u.ID, u.Email, u.Name
	ev.PrincipalID, ev.PrincipalName = u.ID, u.Name
	ev.TenantID = u.HomeTenantID
	return ev
}

// appendAudit writes ev inside tx. It is the only writer of the audit trail.
func appendAudit(tx *gorm.DB, ev *regent.AuditEvent) error {
	row := auditEventRow{
		ID: ev.ID, Time: ev.Time, Action: ev.Action, Outcome: ev.Outcome,
		ActorID: nullable(ev.ActorID), ActorEmail: ev.ActorEmail, ActorName: ev.ActorName,
		PrincipalID: nullable(ev.PrincipalID), PrincipalName: ev.PrincipalName,
		SessionID: nullable(ev.SessionID), TenantID: nullable(ev.TenantID),
		TargetType: ev.TargetType, TargetID: ev.TargetID,
		Detail: ev.Detail, IP: ev.IP, UserAgent: ev.UserAgent, RequestID: ev.RequestID,
	}
	if len(ev.Before) > 0 {
		s := string(ev.Before)
		row.Before = &s
	}
	if len(ev.After) > 0 {
		s := string(ev.After)
		row.After = &s
	}
	return tx.Create(&row).Error
}
