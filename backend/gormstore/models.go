package gormstore

import (
	"time"

	"github.com/regent/regent"
)

// Rows: the database's shape. They never leave this package; services return domain types.

type tenantRow struct {
	ID        string
	Name      string
	Kind      string
	ParentID  *string
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
}

func (tenantRow) TableName() string { return "tenants" }

func (r *tenantRow) domain() *regent.Tenant {
	t := &regent.Tenant{ID: r.ID, Name: r.Name, Kind: r.Kind, Status: r.Status,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if r.ParentID != nil {
		t.ParentID = *r.ParentID
	}
	return t
}

type userRow struct {
	ID           string
	HomeTenantID string
	Email        string
	Name         string
	Status       string
	Hidden       bool
	OIDCIssuer   *string `gorm:"column:oidc_issuer"`
	OIDCSubject  *string `gorm:"column:oidc_subject"`
	LastLoginAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int
}

func (userRow) TableName() string { return "users" }

func (r *userRow) domain() *regent.User {
	u := &regent.User{ID: r.ID, HomeTenantID: r.HomeTenantID, Email: r.Email, Name: r.Name,
		Status: r.Status, Hidden: r.Hidden, CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if r.OIDCIssuer != nil {
		u.OIDCIssuer, u.OIDCSubject = *r.OIDCIssuer, *r.OIDCSubject
	}
	if r.LastLoginAt != nil {
		t := r.LastLoginAt.UTC()
		u.LastLoginAt = &t
	}
	return u
}

type roleRow struct {
	ID        string
	TenantID  *string
	Key       string
	Name      string
	HomeKind  string
	Hidden    bool
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
}

func (roleRow) TableName() string { return "roles" }

type rolePermissionRow struct {
	RoleID     string
	Permission string
}

func (rolePermissionRow) TableName() string { return "role_permissions" }

type userRoleRow struct {
	UserID string
	RoleID string
}

func (userRoleRow) TableName() string { return "user_roles" }

type loginSessionRow struct {
	ID         string
	TokenHash  []byte
	UserID     string
	AuthTime   time.Time
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string `gorm:"column:ip"`
	UserAgent  string
	EndedAt    *time.Time
	EndReason  string
}

func (loginSessionRow) TableName() string { return "login_sessions" }

func (r *loginSessionRow) domain() *regent.LoginSession {
	s := &regent.LoginSession{ID: r.ID, UserID: r.UserID, AuthTime: r.AuthTime.UTC(),
		CreatedAt: r.CreatedAt.UTC(), LastSeenAt: r.LastSeenAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(),
		IP: r.IP, UserAgent: r.UserAgent, EndReason: r.EndReason}
	if r.EndedAt != nil {
		t := r.EndedAt.UTC()
		s.EndedAt = &t
	}
	return s
}

type loginStateRow struct {
	StateHash    []byte
	Nonce        string
	CodeVerifier string
	ReturnTo     string
	MaxAge       int
	CreatedAt    time.Time
	ExpiresAt    time.Time
}

func (loginStateRow) TableName() string { return "login_states" }

type auditEventRow struct {
	Seq           int64 `gorm:"->"`
	ID            string
	Time          time.Time
	Action        string
	Outcome       string
	ActorID       *string
	ActorEmail    string
	ActorName     string
	PrincipalID   *string
	PrincipalName string
	SessionID     *string
	TenantID      *string
	TargetType    string
	TargetID      string
	Before        *string
	After         *string
	Detail        string
	IP            string `gorm:"column:ip"`
	UserAgent     string
	RequestID     string
	Chain         string
	ChainSeq      int64
	PrevHash      []byte
	Hash          []byte
}

func (auditEventRow) TableName() string { return "audit_events" }

func (r *auditEventRow) domain() *regent.AuditEvent {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	ev := &regent.AuditEvent{ID: r.ID, Time: r.Time.UTC(), Action: r.Action, Outcome: r.Outcome,
		ActorID: str(r.ActorID), ActorEmail: r.ActorEmail, ActorName: r.ActorName,
		PrincipalID: str(r.PrincipalID), PrincipalName: r.PrincipalName, SessionID: str(r.SessionID),
		TenantID: str(r.TenantID), TargetType: r.TargetType, TargetID: r.TargetID, Detail: r.Detail,
		IP: r.IP, UserAgent: r.UserAgent, RequestID: r.RequestID,
		Chain: r.Chain, ChainSeq: r.ChainSeq, PrevHash: r.PrevHash, Hash: r.Hash}
	if r.Before != nil {
		ev.Before = []byte(*r.Before)
	}
	if r.After != nil {
		ev.After = []byte(*r.After)
	}
	return ev
}

type auditChainHeadRow struct {
	Chain    string
	Seq      int64
	PrevHash []byte // the hash before Hash (NULL on heads older than migration 0011)
	Hash     []byte
}

func (auditChainHeadRow) TableName() string { return "audit_chain_heads" }

// nullable turns "" into NULL for optional foreign keys.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
