package regent_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/regent/regent"
)

// wholeEncodingHash is how events were hashed before the encoding was split around the
// chain position: SHA-256 of the previous hash and the whole canonical JSON. Every chain
// already written was hashed this way, so the split must give the same bytes.
func wholeEncodingHash(e *regent.AuditEvent) []byte {
	b, err := json.Marshal(struct {
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
		e.ID, e.Chain, e.ChainSeq, e.Time.UTC().Format(time.RFC3339Nano), e.Action, e.Outcome,
		e.ActorID, e.ActorEmail, e.ActorName, e.PrincipalID, e.PrincipalName,
		e.SessionID, e.TenantID, e.TargetType, e.TargetID, string(e.Before), string(e.After),
		e.Detail, e.IP, e.UserAgent, e.RequestID,
	})
	if err != nil {
		panic(err)
	}
	h := sha256.New()
	h.Write(e.PrevHash)
	h.Write(b)
	return h.Sum(nil)
}

func TestComputeHashMatchesTheWholeEncoding(t *testing.T) {
	mark := `,"ChainSeq":0,"Time":`
	base := regent.AuditEvent{
		ID: "0193f0a4-0000-7000-8000-000000000001", Time: time.Date(2026, 12, 3, 16, 0, 0, 123456000, time.UTC),
		Action: "skill.create", Outcome: regent.OutcomeSuccess, ActorID: "a", ActorEmail: "a@example.com",
		ActorName: "Ann", PrincipalName: "Ann", TenantID: "t", TargetType: "skill", TargetID: "s",
		After: json.RawMessage(`{"name":"Billing"}`), IP: "192.0.2.1", UserAgent: "UA", RequestID: "r",
		Chain: "t", PrevHash: bytes.Repeat([]byte{7}, 32),
	}
	cases := map[string]func(e *regent.AuditEvent){
		"plain":                  func(*regent.AuditEvent) {},
		"first of a chain":       func(e *regent.AuditEvent) { e.ChainSeq, e.PrevHash = 1, regent.GenesisHash },
		"large position":         func(e *regent.AuditEvent) { e.ChainSeq = 9_007_199_254_740_993 },
		"marker in the id":       func(e *regent.AuditEvent) { e.ID = mark },
		"marker in the chain":    func(e *regent.AuditEvent) { e.Chain = `x"` + mark },
		"marker in the action":   func(e *regent.AuditEvent) { e.Action = mark; e.ChainSeq = 42 },
		"marker in before/after": func(e *regent.AuditEvent) { e.Before = json.RawMessage(mark); e.After = json.RawMessage(mark) },
		"unicode and escapes":    func(e *regent.AuditEvent) { e.ActorName = "Zoë <\u2028>\n\"&" },
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			e := base
			e.ChainSeq = 17
			edit(&e)
			if got, want := e.ComputeHash(), wholeEncodingHash(&e); !bytes.Equal(got, want) {
				t.Fatalf("ComputeHash = %x, the whole encoding hashes to %x", got, want)
			}
			before, after := e.CanonicalParts()
			if bytes.Contains(before, []byte(`"Time"`)) || !bytes.HasPrefix(after, []byte(`,"Time":`)) {
				t.Fatalf("split in the wrong place: %q | %q", before, after)
			}
		})
	}
	// Pinned: a change to the encoding would make every chain already written fail verify.
	e := base
	e.ChainSeq = 17
	if got := hex.EncodeToString(e.ComputeHash()); got != pinnedHash {
		t.Fatalf("the canonical encoding changed: hash %s, was %s", got, pinnedHash)
	}
}

const pinnedHash = "6cce7f3bf31ff49ba48588264d1907747f951916024a5b8b78241f0aceddbd8a"
