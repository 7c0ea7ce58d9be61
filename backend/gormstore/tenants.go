package gormstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

var _ regent.TenantService = (*TenantService)(nil)

// TenantService implements regent.TenantService.
type TenantService struct{ db *DB }

// NewTenantService returns the console's tenant service over db.
func NewTenantService(db *DB) *TenantService { return &TenantService{db: db} }

// tenantViewRow is a tenant with its parent's name. (gorm does not flatten an embedded
// unexported struct, so the columns are spelled out.)
type tenantViewRow struct {
	ID         string
	Name       string
	Kind       string
	ParentID   *string
	Status     string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int
	ParentName *string
	// NameLower is lower(name), as the database keeps it: read for the tenant index.
	NameLower string
	// Total is the number of all matches, on the rows of a search.
	Total int64
}

// tenantViewRows reads a list's rows itself (rowsReader): tenantListColumns, and total on a
// search.
type tenantViewRows []tenantViewRow

func (rs *tenantViewRows) readRows(rows *sql.Rows) error {
	return readInto(rows, (*[]tenantViewRow)(rs), func(column string) func(*tenantViewRow) any {
		switch column {
		case "id":
			return func(r *tenantViewRow) any { return &r.ID }
		case "name":
			return func(r *tenantViewRow) any { return &r.Name }
		case "kind":
			return func(r *tenantViewRow) any { return &r.Kind }
		case "parent_id":
			return func(r *tenantViewRow) any { return &r.ParentID }
		case "status":
			return func(r *tenantViewRow) any { return &r.Status }
		case "created_at":
			return func(r *tenantViewRow) any { return &r.CreatedAt }
		case "updated_at":
			return func(r *tenantViewRow) any { return &r.UpdatedAt }
		case "version":
			return func(r *tenantViewRow) any { return &r.Version }
		case "parent_name":
			return func(r *tenantViewRow) any { return &r.ParentName }
		case "name_lower":
			return func(r *tenantViewRow) any { return &r.NameLower }
		case "total":
			return func(r *tenantViewRow) any { return &r.Total }
		}
		return nil
	})
}

func (rs *tenantViewRows) total() int {
	if len(*rs) == 0 {
		return 0
	}
	return int((*rs)[0].Total)
}

// tenantListColumns are the columns of a list's tenants, aliased t, and their parents', p.
const tenantListColumns = "t.id, t.name, t.kind, t.parent_id, t.status, t.created_at, t.updated_at, t.version, p.name AS parent_name"

func (r *tenantViewRow) view() *regent.TenantView {
	t := tenantRow{ID: r.ID, Name: r.Name, Kind: r.Kind, ParentID: r.ParentID, Status: r.Status,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version}
	v := &regent.TenantView{Tenant: *t.domain()}
	if r.ParentName != nil {
		v.ParentName = *r.ParentName
	}
	return v
}

// scopeTenants applies the caller's reach to a query over tenants (or tenant_counts)
// aliased t. A scope that names no parent reaches nothing.
func scopeTenants(q *gorm.DB, s regent.TenantScope) *gorm.DB {
	switch {
	case s.None:
		return q.Where("1 = 0")
	case s.All:
		return q.Where("t.kind <> ?", regent.TenantKindPlatform)
	case s.ParentID == "":
		return q.Where("1 = 0")
	default:
		return q.Where("t.parent_id = ?", s.ParentID)
	}
}

func (s *TenantService) viewQuery(db *gorm.DB) *gorm.DB {
	return db.Table("tenants t").Select("t.*, p.name AS parent_name").Joins("LEFT JOIN tenants p ON p.id = t.parent_id")
}

// name_lower is lower(name), kept by the database (migration 0010): searching and sorting
// read it instead of computing it for every row.
var tenantSorts = map[string]string{"name": "t.name_lower", "kind": "t.kind", "status": "t.status", "createdAt": "t.created_at"}

// ListTenants implements regent.TenantService.
func (s *TenantService) ListTenants(ctx context.Context, f regent.TenantFilter) ([]*regent.TenantView, int, error) {
	c := regent.CallerFromContext(ctx)
	scope := regent.ConsoleTenantScope(c, regent.PermTenantsRead)
	if scope.None {
		return nil, 0, regent.Errorf(regent.EFORBIDDEN, "Your role does not include the tenant list.")
	}
	f.Normalize()
	if ix := s.db.tenantIndex(ctx); ix != nil {
		rows, total := ix.list(scope, f)
		out := make([]*regent.TenantView, len(rows))
		for i := range rows {
			out[i] = rows[i].view()
		}
		return out, total, nil
	}
	db := s.db.gdb.WithContext(ctx)
	// filter holds for tenants and for tenant_counts alike, both aliased t.
	filter := func(q *gorm.DB) *gorm.DB {
		q = scopeTenants(q, scope)
		if f.Kind != "" {
			q = q.Where("t.kind = ?", f.Kind)
		}
		if f.Status != "" {
			q = q.Where("t.status = ?", f.Status)
		}
		if f.ParentID != "" {
			q = q.Where("t.parent_id = ?", f.ParentID)
		}
		return q
	}
	list := listPage{
		rows: func() *gorm.DB {
			return applyLoweredSearch(filter(db.Table("tenants t")), f.Query, []string{"t.name_lower"})
		},
		order:   sortBy(tenantSorts, f.Sort, "t.name_lower", "t.id", f.Desc),
		columns: tenantListColumns,
		joins:   "JOIN tenants t ON t.id = pg.id LEFT JOIN tenants p ON p.id = t.parent_id",
	}
	var rows tenantViewRows
	var total int
	if strings.TrimSpace(f.Query) != "" {
		err := s.db.scanPlanned(list.search(db, f.ListFilter), &rows)
		if err != nil {
			return nil, 0, err
		}
		if total = rows.total(); len(rows) == 0 && f.Offset() > 0 {
			var err error
			if total, err = list.count(db); err != nil {
				return nil, 0, err
			}
		}
	} else {
		var err error
		total, err = list.unsearched(db, f.ListFilter, filter(db.Table("tenant_counts t")).Select("COALESCE(sum(t.n), 0)"), &rows)
		if err != nil {
			return nil, 0, err
		}
	}
	out := make([]*regent.TenantView, len(rows))
	for i := range rows {
		out[i] = rows[i].view()
	}
	return out, total, nil
}

// TenantByID implements regent.TenantService.
func (s *TenantService) TenantByID(ctx context.Context, id string) (*regent.TenantView, error) {
	return s.tenantInReach(s.db.gdb.WithContext(ctx), regent.CallerFromContext(ctx), id)
}

func (s *TenantService) tenantInReach(db *gorm.DB, c *regent.Caller, id string) (*regent.TenantView, error) {
	notFound := regent.Errorf(regent.ENOTFOUND, "Tenant not found.")
	if !regent.ValidID(id) || !c.Can(regent.PermTenantsRead) {
		return nil, notFound
	}
	var row tenantViewRow
	if err := s.viewQuery(db).Where("t.id = ?", id).Take(&row).Error; err != nil {
		if regent.ErrorCode(translate(err)) == regent.ENOTFOUND {
			return nil, notFound
		}
		return nil, err
	}
	v := row.view()
	if !regent.Reaches(c.Home, &v.Tenant) {
		return nil, notFound
	}
	return v, nil
}

// CreateTenant implements regent.TenantService.
func (s *TenantService) CreateTenant(ctx context.Context, in regent.TenantInput) (*regent.TenantView, error) {
	c := regent.CallerFromContext(ctx)
	if !c.Can(regent.PermTenantsCreate) && !c.Can(regent.PermPartnersCreate) {
		return nil, regent.Errorf(regent.EFORBIDDEN, "Your role does not allow creating tenants.")
	}
	in.Name, in.Kind, in.ParentID = strings.TrimSpace(in.Name), strings.TrimSpace(in.Kind), strings.TrimSpace(in.ParentID)
	v := regent.Validator{}
	v.Text("name", in.Name, 2, 100)
	v.OneOf("kind", in.Kind, regent.TenantKindPartner, regent.TenantKindCustomer)
	if fields := v.Result(); fields != nil {
		return nil, regent.Invalid(fields)
	}
	var out *regent.TenantView
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		var platform tenantRow
		if err := tx.Where("kind = ?", regent.TenantKindPlatform).Take(&platform).Error; err != nil {
			return err
		}
		switch {
		case in.Kind == regent.TenantKindPartner:
			if !c.Can(regent.PermPartnersCreate) || c.Home.Kind != regent.TenantKindPlatform {
				return regent.Errorf(regent.EFORBIDDEN, "Only platform users who manage partners can create a partner.")
			}
			if in.ParentID != "" && in.ParentID != platform.ID {
				return regent.Invalid(map[string]string{"parentId": "a partner belongs to the platform"})
			}
			in.ParentID = platform.ID
		case !c.Can(regent.PermTenantsCreate):
			return regent.Errorf(regent.EFORBIDDEN, "Your role does not allow creating tenants.")
		case in.ParentID == "" && c.Home.Kind == regent.TenantKindPartner:
			in.ParentID = c.Home.ID // a partner's new customers are its own
		case in.ParentID == "" || in.ParentID == platform.ID:
			if c.Home.Kind != regent.TenantKindPlatform {
				return regent.Errorf(regent.EFORBIDDEN, "Only platform users can create customers directly under the platform.")
			}
			in.ParentID = platform.ID
		default:
			parent, err := s.tenantInReach(tx, c, in.ParentID)
			if err != nil && c.Home.ID == in.ParentID {
				parent, err = &regent.TenantView{Tenant: *c.Home}, nil
			}
			if err != nil || parent.Kind != regent.TenantKindPartner {
				return regent.Invalid(map[string]string{"parentId": "must be a partner you manage"})
			}
		}
		t := &regent.Tenant{ID: regent.NewID(), Name: in.Name, Kind: in.Kind, ParentID: in.ParentID, Status: regent.TenantStatusActive}
		if err := createTenantTx(tx, t, s.db.now()); err != nil {
			return err
		}
		ev := s.db.newEvent(ctx, "tenant.create", regent.OutcomeSuccess)
		ev.TenantID, ev.TargetType, ev.TargetID = t.ID, "tenant", t.ID
		ev.After = mustJSON(tenantAudit(t))
		if err := appendAudit(tx, ev); err != nil {
			return err
		}
		out = &regent.TenantView{Tenant: *t}
		var pn tenantRow
		if tx.Where("id = ?", t.ParentID).Take(&pn).Error == nil {
			out.ParentName = pn.Name
		}
		return nil
	})
	if err != nil {
		return nil, tenantNameConflict(translate(err))
	}
	return out, nil
}

// UpdateTenant implements regent.TenantService.
func (s *TenantService) UpdateTenant(ctx context.Context, id string, version int, patch map[string]any) (*regent.TenantView, error) {
	c := regent.CallerFromContext(ctx)
	var out *regent.TenantView
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		cur, err := s.tenantInReach(tx, c, id)
		if err != nil {
			return err
		}
		if !c.Can(regent.PermTenantsUpdate) && !c.Can(regent.PermTenantsSuspend) && !c.Can(regent.PermPartnersUpdate) {
			return regent.Errorf(regent.EFORBIDDEN, "Your role does not allow changing tenants.")
		}
		before := tenantAudit(&cur.Tenant)
		if cur.Version != version {
			return versionConflict()
		}
		next := cur.Tenant
		bad := regent.Validator{}
		for k, val := range patch {
			str, ok := val.(string)
			switch {
			case k != "name" && k != "status":
				bad[k] = "is not a field you can change"
			case !ok:
				bad[k] = "must be a string"
			case k == "name":
				next.Name = strings.TrimSpace(str)
				bad.Text("name", next.Name, 2, 100)
			case k == "status":
				next.Status = str
				bad.OneOf("status", str, regent.TenantStatusActive, regent.TenantStatusSuspended)
			}
		}
		if fields := bad.Result(); fields != nil {
			return regent.Invalid(fields)
		}
		renamePerm := regent.PermTenantsUpdate
		if cur.Kind == regent.TenantKindPartner {
			renamePerm = regent.PermPartnersUpdate
		}
		if next.Name != cur.Name && !c.Can(renamePerm) {
			return regent.Errorf(regent.EFORBIDDEN, "Your role does not allow renaming this tenant.")
		}
		if next.Status != cur.Status && !c.Can(regent.PermTenantsSuspend) {
			return regent.Errorf(regent.EFORBIDDEN, "Your role does not allow suspending or reactivating tenants.")
		}
		next.UpdatedAt, next.Version = s.db.now(), version+1
		res := tx.Model(&tenantRow{}).Where("id = ? AND version = ?", id, version).
			Updates(map[string]any{"name": next.Name, "status": next.Status, "updated_at": next.UpdatedAt, "version": next.Version})
		if res.Error != nil {
			return res.Error
		} else if res.RowsAffected != 1 {
			return versionConflict()
		}
		action := "tenant.update"
		if next.Status != cur.Status && next.Status == regent.TenantStatusSuspended {
			action = "tenant.suspend"
		} else if next.Status != cur.Status {
			action = "tenant.reactivate"
		}
		ev := s.db.newEvent(ctx, action, regent.OutcomeSuccess)
		ev.TenantID, ev.TargetType, ev.TargetID = id, "tenant", id
		ev.Before, ev.After = mustJSON(before), mustJSON(tenantAudit(&next))
		out = &regent.TenantView{Tenant: next, ParentName: cur.ParentName}
		return appendAudit(tx, ev)
	})
	if err != nil {
		return nil, tenantNameConflict(translate(err))
	}
	return out, nil
}

func tenantAudit(t *regent.Tenant) map[string]any {
	return map[string]any{"name": t.Name, "kind": t.Kind, "parentId": t.ParentID, "status": t.Status, "version": t.Version}
}

func tenantNameConflict(err error) error {
	if e, ok := err.(*regent.Error); ok && e.Code == regent.ECONFLICT && e.Reason == "" {
		return &regent.Error{Code: regent.ECONFLICT, Reason: "name_taken",
			Message: "A tenant with that name already exists.", Fields: map[string]string{"name": "is already used"}}
	}
	return err
}
