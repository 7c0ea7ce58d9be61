package regent

import (
	"encoding/json"
	"time"
)

// Audit outcomes.
const (
	OutcomeSuccess = "success"
	OutcomeDenied  = "denied"
	OutcomeFailure = "failure"
)

// Audit actions written so far. Each change names its own action; these are the ones of
// the sign-in.
const (
	ActionLogin        = "auth.login"
	ActionLogout       = "auth.logout"
	ActionSessionEnded = "auth.session_ended"
)

// AuditEvent is one append-only record of the audit trail. The store writes it in the same
// transaction as the change it describes.
type AuditEvent struct {
	ID         string
	Time       time.Time
	Action     string
	Outcome    string
	ActorID    string
	ActorEmail string
	ActorName  string
	// PrincipalID and PrincipalName are the effective principal: the actor themselves, or
	// the tenant's Impersonated Admin while impersonating.
	PrincipalID   string
	PrincipalName string
	SessionID     string // impersonation session, if any
	TenantID      string
	TargetType    string
	TargetID      string
	Before        json.RawMessage
	After         json.RawMessage
	Detail        string
	IP            string
	UserAgent     string
	RequestID     string
}
