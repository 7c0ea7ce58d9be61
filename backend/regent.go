// Package regent is the domain of Regent, a multi-tenant SaaS administration console.
//
// It holds the types every other package speaks in (tenants, users, roles, login sessions,
// audit events), the service interfaces the HTTP layer calls and the stores implement, the
// error codes, and the helpers that carry the caller through a context.Context. It imports
// nothing of ours: httpapi, oidc and gormstore depend on it, never the other way round.
//
// The decisions that matter for security (which permissions a role carries, who may see which
// tenant) are plain functions here, so every layer asks the same question the same way.
package regent

import (
	"crypto/rand"
	"time"

	"github.com/google/uuid"
)

// NewID returns a new, time-ordered identifier (a UUIDv7 in its canonical text form).
// Time ordering keeps primary-key indexes compact on both databases.
func NewID() string {
	id, err := uuid.NewV7()
	if err != nil {
		// NewV7 only fails when the system random source fails; nothing sensible can go on.
		panic(err)
	}
	return id.String()
}

// ValidID reports whether s has the shape of an identifier made by NewID. Handlers use it
// so that a malformed id answers "not found" without a database round trip.
func ValidID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// RandomToken returns n cryptographically random bytes.
func RandomToken(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

// Clock tells the time. Services take one so tests can move time forward.
type Clock func() time.Time

// Now returns the clock's time, truncated to microseconds so that it survives a round trip
// through either database unchanged.
func (c Clock) Now() time.Time {
	if c == nil {
		return time.Now().UTC().Truncate(time.Microsecond)
	}
	return c().UTC().Truncate(time.Microsecond)
}
