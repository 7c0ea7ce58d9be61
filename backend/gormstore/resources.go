package gormstore

import (
	"context"
	"strings"

	"github.com/regent/regent"
)

// The tenant app's simple records, each described once for the generic ResourceService.

type businessUnitRow struct {
	RecordColumns `gorm:"embedded"`
	Name          string
	TimeZone      string
	Status        string
}

func (businessUnitRow) TableName() string { return "business_units" }

type skillRow struct {
	RecordColumns `gorm:"embedded"`
	Name          string
	Channel       string
	Direction     string
}

func (skillRow) TableName() string { return "skills" }

type brandingProfileRow struct {
	RecordColumns `gorm:"embedded"`
	Name          string
	ProductName   string
	PrimaryColor  string
	AccentColor   string
	LogoURL       string `gorm:"column:logo_url"`
}

func (brandingProfileRow) TableName() string { return "branding_profiles" }

type contactRow struct {
	RecordColumns `gorm:"embedded"`
	Name          string
	Email         string
	Phone         string
	Notes         string
}

func (contactRow) TableName() string { return "contacts" }

func trim(ps ...*string) {
	for _, p := range ps {
		*p = strings.TrimSpace(*p)
	}
}

// NewBusinessUnitService returns the tenant app's business units.
func NewBusinessUnitService(db *DB) *ResourceService[regent.BusinessUnit, businessUnitRow] {
	return &ResourceService[regent.BusinessUnit, businessUnitRow]{db: db, res: resource[regent.BusinessUnit, businessUnitRow]{
		kind: "business_unit", read: regent.PermBusinessUnitsRead, manage: regent.PermBusinessUnitsManage,
		record: func(v *regent.BusinessUnit) *regent.Record { return &v.Record },
		toDomain: func(r *businessUnitRow) *regent.BusinessUnit {
			return &regent.BusinessUnit{Record: r.domain(), Name: r.Name, TimeZone: r.TimeZone, Status: r.Status}
		},
		fromDomain: func(v *regent.BusinessUnit) *businessUnitRow {
			return &businessUnitRow{RecordColumns: RecordColumnsOf(v.Record), Name: v.Name, TimeZone: v.TimeZone, Status: v.Status}
		},
		normalize: func(v *regent.BusinessUnit) {
			trim(&v.Name, &v.TimeZone, &v.Status)
			if v.Status == "" {
				v.Status = regent.StatusActive
			}
		},
		validate: func(v *regent.BusinessUnit) map[string]string { return v.Validate() },
		fields: map[string]func(*regent.BusinessUnit) *string{
			"name":     func(v *regent.BusinessUnit) *string { return &v.Name },
			"timeZone": func(v *regent.BusinessUnit) *string { return &v.TimeZone },
			"status":   func(v *regent.BusinessUnit) *string { return &v.Status },
		},
		search:   []string{"name", "time_zone"},
		sorts:    map[string]string{"name": "lower(name)", "timeZone": "time_zone", "status": "status", "updatedAt": "updated_at"},
		statuses: []string{regent.StatusActive, regent.StatusInactive},
	}}
}

// NewSkillService returns the tenant app's skills.
func NewSkillService(db *DB) *ResourceService[regent.Skill, skillRow] {
	return &ResourceService[regent.Skill, skillRow]{db: db, res: resource[regent.Skill, skillRow]{
		kind: "skill", read: regent.PermSkillsRead, manage: regent.PermSkillsManage,
		record: func(v *regent.Skill) *regent.Record { return &v.Record },
		toDomain: func(r *skillRow) *regent.Skill {
			return &regent.Skill{Record: r.domain(), Name: r.Name, Channel: r.Channel, Direction: r.Direction}
		},
		fromDomain: func(v *regent.Skill) *skillRow {
			return &skillRow{RecordColumns: RecordColumnsOf(v.Record), Name: v.Name, Channel: v.Channel, Direction: v.Direction}
		},
		normalize: func(v *regent.Skill) {
			trim(&v.Name, &v.Channel, &v.Direction)
			v.Channel, v.Direction = strings.ToLower(v.Channel), strings.ToLower(v.Direction)
		},
		validate: func(v *regent.Skill) map[string]string { return v.Validate() },
		fields: map[string]func(*regent.Skill) *string{
			"name":      func(v *regent.Skill) *string { return &v.Name },
			"channel":   func(v *regent.Skill) *string { return &v.Channel },
			"direction": func(v *regent.Skill) *string { return &v.Direction },
		},
		search: []string{"name"},
		sorts:  map[string]string{"name": "lower(name)", "channel": "channel", "direction": "direction", "updatedAt": "updated_at"},
	}}
}

// NewBrandingService returns the tenant app's branding profiles.
func NewBrandingService(db *DB) *ResourceService[regent.BrandingProfile, brandingProfileRow] {
	return &ResourceService[regent.BrandingProfile, brandingProfileRow]{db: db, res: resource[regent.BrandingProfile, brandingProfileRow]{
		kind: "branding_profile", read: regent.PermBrandingRead, manage: regent.PermBrandingManage,
		record: func(v *regent.BrandingProfile) *regent.Record { return &v.Record },
		toDomain: func(r *brandingProfileRow) *regent.BrandingProfile {
			return &regent.BrandingProfile{Record: r.domain(), Name: r.Name, ProductName: r.ProductName,
				PrimaryColor: r.PrimaryColor, AccentColor: r.AccentColor, LogoURL: r.LogoURL}
		},
		fromDomain: func(v *regent.BrandingProfile) *brandingProfileRow {
			return &brandingProfileRow{RecordColumns: RecordColumnsOf(v.Record), Name: v.Name, ProductName: v.ProductName,
				PrimaryColor: v.PrimaryColor, AccentColor: v.AccentColor, LogoURL: v.LogoURL}
		},
		normalize: func(v *regent.BrandingProfile) {
			trim(&v.Name, &v.ProductName, &v.PrimaryColor, &v.AccentColor, &v.LogoURL)
			v.PrimaryColor, v.AccentColor = strings.ToLower(v.PrimaryColor), strings.ToLower(v.AccentColor)
		},
		validate: func(v *regent.BrandingProfile) map[string]string { return v.Validate() },
		fields: map[string]func(*regent.BrandingProfile) *string{
			"name":         func(v *regent.BrandingProfile) *string { return &v.Name },
			"productName":  func(v *regent.BrandingProfile) *string { return &v.ProductName },
			"primaryColor": func(v *regent.BrandingProfile) *string { return &v.PrimaryColor },
			"accentColor":  func(v *regent.BrandingProfile) *string { return &v.AccentColor },
			"logoUrl":      func(v *regent.BrandingProfile) *string { return &v.LogoURL },
		},
		search: []string{"name", "product_name"},
		sorts:  map[string]string{"name": "lower(name)", "productName": "lower(product_name)", "updatedAt": "updated_at"},
	}}
}

// ContactService is the tenant app's contacts, with their export.
type ContactService struct {
	*ResourceService[regent.Contact, contactRow]
}

// ExportContacts implements regent.ContactExporter.
func (s ContactService) ExportContacts(ctx context.Context, tenantID, format string, each func(*regent.Contact) error) error {
	return s.export(ctx, tenantID, format, each)
}

// NewContactService returns the tenant app's contacts. They are people, the tenant's own
// customers: their name, email, phone and notes are personal data, and the audit trail,
// which can never be edited or erased, records that they changed, never their values (the
// target id says which contact it was).
func NewContactService(db *DB) ContactService {
	return ContactService{&ResourceService[regent.Contact, contactRow]{db: db, res: resource[regent.Contact, contactRow]{
		kind: "contact", read: regent.PermContactsRead, manage: regent.PermContactsManage, export: regent.PermContactsExport,
		record: func(v *regent.Contact) *regent.Record { return &v.Record },
		toDomain: func(r *contactRow) *regent.Contact {
			return &regent.Contact{Record: r.domain(), Name: r.Name, Email: r.Email, Phone: r.Phone, Notes: r.Notes}
		},
		fromDomain: func(v *regent.Contact) *contactRow {
			return &contactRow{RecordColumns: RecordColumnsOf(v.Record), Name: v.Name, Email: v.Email, Phone: v.Phone, Notes: v.Notes}
		},
		normalize: func(v *regent.Contact) {
			trim(&v.Name, &v.Email, &v.Phone)
			v.Email = strings.ToLower(v.Email)
		},
		validate: func(v *regent.Contact) map[string]string { return v.Validate() },
		fields: map[string]func(*regent.Contact) *string{
			"name":  func(v *regent.Contact) *string { return &v.Name },
			"email": func(v *regent.Contact) *string { return &v.Email },
			"phone": func(v *regent.Contact) *string { return &v.Phone },
			"notes": func(v *regent.Contact) *string { return &v.Notes },
		},
		personal: map[string]bool{"name": true, "email": true, "phone": true, "notes": true},
		mask: func(v *regent.Contact) {
			v.Email, v.Phone = regent.MaskEmail(v.Email), regent.MaskPhone(v.Phone)
		},
		maskedColumns: []string{"email", "phone"},
		search:        []string{"name", "email"},
		sorts:         map[string]string{"name": "lower(name)", "email": "email", "updatedAt": "updated_at"},
	}}}
}
