package regent

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"strconv"
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

	// The hash chain, filled in by the store's writer: the chain the event belongs to (its
	// tenant, or "global"), its position there, the previous event's hash and its own.
	Chain    string
	ChainSeq int64
	PrevHash []byte
	Hash     []byte
}

// GlobalChain is the chain of events that belong to no tenant.
const GlobalChain = "global"

// ChainOf returns the chain an event belongs to: its tenant's, or the global one.
func ChainOf(tenantID string) string {
	if tenantID == "" {
		return GlobalChain
	}
	return tenantID
}

// GenesisHash is the "previous hash" of every chain's first event.
var GenesisHash = make([]byte, sha256.Size)

// ComputeHash returns the event's hash: SHA-256 over the previous hash and a canonical JSON
// encoding of every recorded field, chain position included. Writer and verifier both call
// this, so they cannot disagree about what is covered.
func (e *AuditEvent) ComputeHash() []byte {
	before, after := e.CanonicalParts()
	return HashParts(e.PrevHash, before, e.ChainSeq, after)
}

// HashParts is ComputeHash for an event whose canonical encoding (CanonicalParts) is at
// hand: SHA-256 over prev ‖ before ‖ decimal(seq) ‖ after.
func HashParts(prev, before []byte, seq int64, after []byte) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write(before)
	h.Write(strconv.AppendInt(nil, seq, 10))
	h.Write(after)
	return h.Sum(nil)
}

// seqMark is where the chain position sits in the canonical encoding. It can only appear
// there: the fields before it (ID and Chain) are JSON strings, in which a quote is escaped.
var seqMark = []byte(`,"ChainSeq":0,"Time":`)

// CanonicalParts returns the canonical encoding of the event without its chain position:
// the bytes before the position's digits and those after. The hash covers
// before ‖ decimal(ChainSeq) ‖ after, so a writer that learns the position only while it
// holds the chain's head (PostgreSQL computes the hash in the statement that moves the
// head) hashes exactly what ComputeHash does.
func (e *AuditEvent) CanonicalParts() (before, after []byte) {
	canonical := struct {
		ID, Chain                                 string
		ChainSeq                                  int64
		Time                                      string
		Action, Outcome                           string
		ActorID, ActorEmail, ActorName            string
		PrincipalID, PrincipalName                string
		SessionID, TenantID, TargetType, TargetID string
		Before, After                             string
		Detail, IP, UserAgent, RequestID          string
	}{
		e.ID, e.Chain, 0, e.Time.UTC().Format(time.RFC3339Nano), e.Action, e.Outcome,
		e.ActorID, e.ActorEmail, e.ActorName, e.PrincipalID, e.PrincipalName,
		e.SessionID, e.TenantID, e.TargetType, e.TargetID, string(e.Before), string(e.After),
		e.Detail, e.IP, e.UserAgent, e.RequestID,
	}
	b, err := json.Marshal(canonical)
	if err != nil {
		panic(err) // plain strings and numbers always marshal
	}
	i := bytes.Index(b, seqMark)
	if i < 0 {
		panic("audit: canonical encoding lost its chain position")
	}
	cut := i + len(`,"ChainSeq":`)
	return b[:cut], b[cut+1:]
}

// ChainBreak is the first event of a chain that does not match what the chain says.
type ChainBreak struct {
	Chain   string
	EventID string
	Seq     int64
	// Problem is "edited" (the content does not match its hash), "missing" (an event is gone
	// before this one), "reordered" (its previous hash is not the one before it),
	// "truncated" (events after this one are gone), "unheaded" (events under a chain
	// Regent never wrote: put there by hand) or "unrecorded anchor".
	Problem string
}

// VerifyReport is the result of walking every chain.
type VerifyReport struct {
	Chains int
	Events int64
	Breaks []ChainBreak
}

// MaxTimelineEvents is the most events a session's timeline holds: the session's first
// ones, in order. A timeline cut there says how many the session has.
const MaxTimelineEvents = 10_000

// SessionTimeline is an impersonation session and what was done in it.
type SessionTimeline struct {
	Session *ImpersonationSession
	// Events are the session's events in order: all of them, or the first MaxTimelineEvents.
	Events []*AuditEvent
	// Total is how many events the session has: more than len(Events) when the timeline
	// was cut.
	Total int
}

// Truncated reports whether the timeline holds fewer events than the session has.
func (t *SessionTimeline) Truncated() bool { return t.Total > len(t.Events) }

// AuditFilter narrows the audit trail. Cursor continues a previous page.
type AuditFilter struct {
	TenantID  string
	ActorID   string
	SessionID string
	// Action matches exactly, or by prefix when it ends with "." (for example "impersonation.").
	Action string
	Cursor string
	Limit  int
}

// AuditService reads the audit trail. Nothing but the stores' own writer ever writes it.
type AuditService interface {
	// ListEvents returns a page of events, newest first, and the cursor of the next page ("" at
	// the end). TM Admins read everything; Partner Admins their partner's and its customers'
	// events (audit:read).
	ListEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, string, error)
	// ExportEvents streams every matching event, oldest first, to each (audit:export), after
	// recording the export itself. Memory stays flat whatever the size.
	ExportEvents(ctx context.Context, f AuditFilter, format string, each func(*AuditEvent) error) error
	// SessionTimeline returns an impersonation session and everything done in it, in order
	// (the first MaxTimelineEvents, with how many there are), to those who may see the
	// session and to the impersonated tenant's own admins.
	SessionTimeline(ctx context.Context, sessionID string) (*SessionTimeline, error)
	// TenantMetrics returns a tenant's activity figures, its own people's apart from
	// impersonated activity.
	TenantMetrics(ctx context.Context, tenantID string) (*TenantMetrics, error)
}

// TenantMetrics are honest activity figures: a tenant's own people's sign-ins and changes,
// with what outsiders did while impersonating counted apart, never as the tenant's.
type TenantMetrics struct {
	LastSignInAt          *time.Time
	ActiveUsers30d        int
	ChangesThisMonth      int
	ImpersonatedChanges   int
	ImpersonationSessions int
}

// ArchivedSegment is one chain prefix moved out of the database into an archive file.
type ArchivedSegment struct {
	Chain   string
	FromSeq int64
	ToSeq   int64
	Events  int64
	File    string
	SHA256  string
}
