package regent

import "time"

// Tenant kinds. The platform is the single root of the account tree; partners may own
// customer tenants; customers belong to a partner or directly to the platform.
const (
	TenantKindPlatform = "platform"
	TenantKindPartner  = "partner"
	TenantKindCustomer = "customer"
)

// Tenant statuses.
const (
	TenantStatusActive    = "active"
	TenantStatusSuspended = "suspended"
)

// Tenant is a node of the account tree: the platform, a partner or a customer.
type Tenant struct {
	ID   string
	Name string
	Kind string
	// ParentID is empty for the platform, the platform's id for partners and direct
	// customers, and the partner's id for a partner's customers.
	ParentID  string
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Version increases with every change; updates name the version they read so that
	// concurrent edits cannot silently overwrite each other.
	Version int
}

// IsPlatform reports whether t is the root of the account tree.
func (t *Tenant) IsPlatform() bool { return t.Kind == TenantKindPlatform }
