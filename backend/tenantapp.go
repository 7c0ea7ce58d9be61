package regent

import (
	"context"
	"time"
)

// Author is who created or last changed a record, as the tenant app shows it: the person,
// or "Impersonated Admin" for changes made while impersonating (the audit trail adds who
// really acted).
type Author struct {
	ID   string
	Name string
}

// Record is what every tenant-owned record carries.
type Record struct {
	ID        string
	TenantID  string
	CreatedAt time.Time
	UpdatedAt time.Time
	CreatedBy Author
	UpdatedBy Author
	// Version increases with every change; an update names the version it read and is
	// refused with ECONFLICT when the record moved on meanwhile.
	Version int
}

// Business unit statuses.
const (
	StatusActive   = "active"
	StatusInactive = "inactive"
)

// BusinessUnit is a contact-centre configuration unit of a tenant.
type BusinessUnit struct {
	Record
	Name     string
	TimeZone string
	Status   string
}

// Skill channels and directions.
var (
	SkillChannels   = []string{"phone", "email", "chat", "sms"}
	SkillDirections = []string{"inbound", "outbound", "blended"}
)

// Skill is a routing skill of a tenant, such as an outbound phone skill.
type Skill struct {
	Record
	Name      string
	Channel   string
	Direction string
}

// BrandingProfile is how a tenant's product looks.
type BrandingProfile struct {
	Record
	Name         string
	ProductName  string
	PrimaryColor string
	AccentColor  string
	LogoURL      string
}

// Contact is one of a tenant's own customers: personal data.
type Contact struct {
	Record
	Name  string
	Email string
	Phone string
	Notes string
}

// ListFilter is the paging and search every list takes.
type ListFilter struct {
	Query    string
	Status   string
	Sort     string
	Desc     bool
	Page     int
	PageSize int
}

// Paging bounds.
const (
	DefaultPageSize = 25
	MaxPageSize     = 100
)

// Normalize clamps the page and page size into range.
func (f *ListFilter) Normalize() {
	if f.Page < 1 {
		f.Page = 1
	}
	if f.PageSize < 1 {
		f.PageSize = DefaultPageSize
	}
	if f.PageSize > MaxPageSize {
		f.PageSize = MaxPageSize
	}
}

// Offset returns the number of rows before the page.
func (f ListFilter) Offset() int { return (f.Page - 1) * f.PageSize }

// TenantResourceService is the tenant app's service for one kind of simple record (business
// units, skills, branding profiles, contacts). Every method reads the caller from ctx, decides
// access with TenantAppPermissions, and scopes every query by tenantID: a record of another
// tenant answers ENOTFOUND, as does a tenant the caller may not enter.
type TenantResourceService[T any] interface {
	// List returns a page and the total. Requires the resource's read permission.
	List(ctx context.Context, tenantID string, f ListFilter) ([]*T, int, error)
	// Get returns one record. Requires read.
	Get(ctx context.Context, tenantID, id string) (*T, error)
	// Create validates and stores v with its audit event. Requires manage; EINVALID, ECONFLICT.
	Create(ctx context.Context, tenantID string, v *T) (*T, error)
	// Update applies patch to the record at version. Requires manage; EINVALID, ECONFLICT.
	Update(ctx context.Context, tenantID, id string, version int, patch map[string]any) (*T, error)
	// Delete removes the record. Requires manage.
	Delete(ctx context.Context, tenantID, id string) error
}

// ContactExporter streams a tenant's contacts for export (contacts:export). The export is
// recorded in the audit trail before the first row leaves.
type ContactExporter interface {
	ExportContacts(ctx context.Context, tenantID, format string, each func(*Contact) error) error
}
