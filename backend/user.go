package regent

import "time"

// User statuses. An invited user has not signed in yet; a deactivated user cannot sign in
// and every session they hold stops working.
const (
	UserStatusInvited     = "invited"
	UserStatusActive      = "active"
	UserStatusDeactivated = "deactivated"
)

// User is a person with exactly one home: the platform or one tenant. Console users live
// at the platform or a partner; a tenant's users are its employees.
type User struct {
	ID           string
	HomeTenantID string
	Email        string
	Name         string
	Status       string
	// Hidden marks the tenant's Impersonated Admin: it never appears anywhere and can never
	// sign in. Stores filter hidden users out of every read that a caller can reach.
	Hidden bool
	// OIDCIssuer and OIDCSubject bind the user to an identity at the provider; both are
	// empty until the first sign-in, which matches the invited email.
	OIDCIssuer  string
	OIDCSubject string
	LastLoginAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int
}

// CanSignIn reports whether the user may start a session.
func (u *User) CanSignIn() bool {
	return !u.Hidden && u.Status != UserStatusDeactivated
}
