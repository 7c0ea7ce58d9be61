package gormstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/regent/regent"
)

// RecordColumns are the columns every tenant-owned record has (exported only so that gorm
// flattens it into the rows that embed it).
type RecordColumns struct {
	ID            string
	TenantID      string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	CreatedByID   *string
	CreatedByName string
	UpdatedByID   *string
	UpdatedByName string
	Version       int
}

func (c *RecordColumns) domain() regent.Record {
	r := regent.Record{ID: c.ID, TenantID: c.TenantID, CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(),
		CreatedBy: regent.Author{Name: c.CreatedByName}, UpdatedBy: regent.Author{Name: c.UpdatedByName}, Version: c.Version}
	if c.CreatedByID != nil {
		r.CreatedBy.ID = *c.CreatedByID
	}
	if c.UpdatedByID != nil {
		r.UpdatedBy.ID = *c.UpdatedByID
	}
	return r
}

func RecordColumnsOf(r regent.Record) RecordColumns {
	return RecordColumns{ID: r.ID, TenantID: r.TenantID, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		CreatedByID: nullable(r.CreatedBy.ID), CreatedByName: r.CreatedBy.Name,
		UpdatedByID: nullable(r.UpdatedBy.ID), UpdatedByName: r.UpdatedBy.Name, Version: r.Version}
}

// resource describes one kind of simple tenant record to the generic service: its
// permissions, its row mapping, its validation and how the audit trail sees it.
type resource[T any, R any] struct {
	kind   string // audit target type and log name, e.g. "business_unit"
	read   regent.Permission
	manage regent.Permission
	export regent.Permission // empty when the resource has no export
	// record gives access to the embedded regent.Record of a T.
	record     func(*T) *regent.Record
	toDomain   func(*R) *T
	fromDomain func(*T) *R
	// normalize trims and canonicalises input; validate reports what is wrong with it.
	normalize func(*T)
	validate  func(*T) map[string]string
	// fields are the editable fields by their API name; all are strings.
	fields map[string]func(*T) *string
	// personal names the fields that hold personal data: the audit trail never stores them.
	personal map[string]bool
	// mask hides personal data in place, for callers who impersonate under a policy that
	// masks it; nil when the resource holds none. maskedColumns are the columns it hides:
	// such a caller can neither search nor sort by them, or a search for "jeanne.d" and
	// the order of the rows would tell them what the mask hides.
	mask          func(*T)
	maskedColumns []string
	// search lists the columns a query matches (case-insensitively, by substring); sorts maps
	// the sort keys a client may ask for to columns.
	search []string
	sorts  map[string]string
	// statuses are the values a list may be filtered by; nil when the resource has no
	// status, and a status filter is then refused rather than sent to a missing column.
	statuses []string
}

// What the audit trail keeps in place of personal data: redactedChanged in an event's
// "after" where the change altered the value, so the trail says that it changed (an
// impersonation that rewrote a contact's phone number shows as such), never from what or to
// what.
const (
	redacted        = "[redacted]"
	redactedChanged = "[redacted: changed]"
)

// auditView is the record as the audit trail stores it, with personal data redacted. prev,
// if not nil, is the record before the change: a personal field that differs from it reads
// redactedChanged.
func (r *resource[T, R]) auditView(v, prev *T) map[string]any {
	out := map[string]any{"version": r.record(v).Version}
	for name, get := range r.fields {
		if r.personal[name] {
			out[name] = redacted
			if prev != nil && *get(prev) != *get(v) {
				out[name] = redactedChanged
			}
		} else {
			out[name] = *get(v)
		}
	}
	return out
}

// patch applies a JSON merge patch's fields, reporting unknown fields and wrong types.
func (r *resource[T, R]) patch(v *T, p map[string]any) map[string]string {
	bad := map[string]string{}
	for name, val := range p {
		get, ok := r.fields[name]
		if !ok {
			bad[name] = "is not a field you can change"
			continue
		}
		s, ok := val.(string)
		if !ok {
			bad[name] = "must be a string"
			continue
		}
		*get(v) = s
	}
	return bad
}

// ResourceService implements regent.TenantResourceService for one resource.
type ResourceService[T any, R any] struct {
	db  *DB
	res resource[T, R]

	stmtsOnce sync.Once
	stmts     *rowStatements
	stmtsErr  error
}

// rowStatements are the statements that change one row of a table, for writeAudited: the
// table's columns in a fixed order, an INSERT of all of them, an UPDATE of all but the keys
// and a DELETE, the last two by id, tenant and version.
type rowStatements struct {
	fields                  []*schema.Field
	insert, update, delete_ string
}

// statements returns the change statements for R's table, built once from its gorm schema.
func (s *ResourceService[T, R]) statements() (*rowStatements, error) {
	s.stmtsOnce.Do(func() {
		stmt := &gorm.Statement{DB: s.db.gdb}
		if s.stmtsErr = stmt.Parse(new(R)); s.stmtsErr != nil {
			return
		}
		st := &rowStatements{}
		var cols, marks, sets []string
		for _, f := range stmt.Schema.Fields {
			if f.DBName == "" {
				continue
			}
			st.fields = append(st.fields, f)
			cols, marks = append(cols, `"`+f.DBName+`"`), append(marks, "?")
			if f.DBName != "id" && f.DBName != "tenant_id" {
				sets = append(sets, `"`+f.DBName+`" = ?`)
			}
		}
		table := `"` + stmt.Schema.Table + `"`
		st.insert = "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(marks, ", ") + ")"
		st.update = "UPDATE " + table + " SET " + strings.Join(sets, ", ") + " WHERE id = ? AND tenant_id = ? AND version = ?"
		st.delete_ = "DELETE FROM " + table + " WHERE id = ? AND tenant_id = ? AND version = ?"
		s.stmts = st
	})
	return s.stmts, s.stmtsErr
}

// values returns row's values in the order of the statements' columns, all of them or
// (keys false) all but id and tenant_id.
func (st *rowStatements) values(ctx context.Context, row any, keys bool) []any {
	rv := reflect.Indirect(reflect.ValueOf(row))
	out := make([]any, 0, len(st.fields)+3)
	for _, f := range st.fields {
		if keys || (f.DBName != "id" && f.DBName != "tenant_id") {
			v, _ := f.ValueOf(ctx, rv)
			out = append(out, v)
		}
	}
	return out
}

// access returns the caller's tenant-app permissions for tenantID, or ENOTFOUND when they
// may not enter it (a tenant the caller cannot see does not exist for them), or EFORBIDDEN
// when they lack perm.
func access(ctx context.Context, tenantID string, perm regent.Permission) (*regent.Caller, error) {
	c := regent.CallerFromContext(ctx)
	perms, ok := regent.TenantAppPermissions(c, tenantID)
	if !ok {
		return nil, regent.Errorf(regent.ENOTFOUND, "Tenant not found.")
	}
	if !perms.Has(perm) {
		return nil, regent.Errorf(regent.EFORBIDDEN, "Your role does not allow this (%s).", perm)
	}
	return c, nil
}

// author is how the tenant app records the caller as author.
func author(c *regent.Caller) regent.Author {
	return c.Author()
}

func (s *ResourceService[T, R]) scoped(ctx context.Context, tenantID string) *gorm.DB {
	var r R
	return s.db.gdb.WithContext(ctx).Model(&r).Where("tenant_id = ?", tenantID)
}

// List implements regent.TenantResourceService.
func (s *ResourceService[T, R]) List(ctx context.Context, tenantID string, f regent.ListFilter) ([]*T, int, error) {
	if _, err := access(ctx, tenantID, s.res.read); err != nil {
		return nil, 0, err
	}
	f.Normalize()
	if f.Status != "" {
		v := regent.Validator{}
		if s.res.statuses == nil {
			v["status"] = "is not a filter of this list"
		} else {
			v.OneOf("status", f.Status, s.res.statuses...)
		}
		if fields := v.Result(); fields != nil {
			return nil, 0, regent.Invalid(fields)
		}
	}
	masking := s.masking(ctx)
	search := s.res.search
	if masking {
		search = slices.DeleteFunc(slices.Clone(search), func(c string) bool { return slices.Contains(s.res.maskedColumns, c) })
	}
	q := s.scoped(ctx, tenantID)
	q = applySearch(q, f.Query, search)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	col, ok := s.res.sorts[f.Sort]
	if !ok || (masking && slices.Contains(s.res.maskedColumns, col)) {
		col = "lower(name)"
	}
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	var rows []R
	if err := q.Order(col + dir).Order("id").Offset(f.Offset()).Limit(f.PageSize).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	out := make([]*T, len(rows))
	for i := range rows {
		out[i] = s.masked(ctx, s.res.toDomain(&rows[i]))
	}
	return out, int(total), nil
}

// masking reports whether the caller impersonates under a policy that masks this
// resource's personal data.
func (s *ResourceService[T, R]) masking(ctx context.Context) bool {
	c := regent.CallerFromContext(ctx)
	return s.res.mask != nil && c.Impersonating() && c.Impersonation.MaskPersonalData
}

// masked hides personal data from a caller impersonating under a masking policy.
func (s *ResourceService[T, R]) masked(ctx context.Context, v *T) *T {
	if v != nil && s.masking(ctx) {
		s.res.mask(v)
	}
	return v
}

// unmaskPatch drops from a masking caller's patch every field sent back exactly as the mask
// showed it: an edit form holds the masked email and phone, and saving it must keep the
// real values, not store "j•••@example.fr" over them (or refuse "••• •• 00" as a phone).
func (s *ResourceService[T, R]) unmaskPatch(ctx context.Context, cur *T, patch map[string]any) {
	if !s.masking(ctx) {
		return
	}
	shown := *cur
	s.res.mask(&shown)
	for name, val := range patch {
		get, ok := s.res.fields[name]
		if str, isStr := val.(string); ok && isStr && str == *get(&shown) && str != *get(cur) {
			delete(patch, name)
		}
	}
}

// Get implements regent.TenantResourceService.
func (s *ResourceService[T, R]) Get(ctx context.Context, tenantID, id string) (*T, error) {
	if _, err := access(ctx, tenantID, s.res.read); err != nil {
		return nil, err
	}
	v, err := s.get(s.scoped(ctx, tenantID), id)
	return s.masked(ctx, v), err
}

func (s *ResourceService[T, R]) get(q *gorm.DB, id string) (*T, error) {
	if !regent.ValidID(id) {
		return nil, regent.Errorf(regent.ENOTFOUND, "Not found.")
	}
	var row R
	if err := q.Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	return s.res.toDomain(&row), nil
}

// Create implements regent.TenantResourceService.
func (s *ResourceService[T, R]) Create(ctx context.Context, tenantID string, v *T) (*T, error) {
	c, err := access(ctx, tenantID, s.res.manage)
	if err != nil {
		return nil, err
	}
	s.res.normalize(v)
	if fields := s.res.validate(v); len(fields) > 0 {
		return nil, regent.Invalid(fields)
	}
	now := s.db.now()
	rec := s.res.record(v)
	*rec = regent.Record{ID: regent.NewID(), TenantID: tenantID, CreatedAt: now, UpdatedAt: now,
		CreatedBy: author(c), UpdatedBy: author(c), Version: 1}
	st, err := s.statements()
	if err != nil {
		return nil, err
	}
	ev := s.db.newEvent(ctx, s.res.kind+".create", regent.OutcomeSuccess)
	ev.TenantID, ev.TargetType, ev.TargetID = tenantID, s.res.kind, rec.ID
	ev.After = mustJSON(s.res.auditView(v, nil))
	if _, err := s.db.writeAudited(ctx, auditedChange{st.insert, st.values(ctx, s.res.fromDomain(v), true)}, ev); err != nil {
		return nil, conflictName(translate(err))
	}
	return s.masked(ctx, v), nil
}

// Update implements regent.TenantResourceService.
func (s *ResourceService[T, R]) Update(ctx context.Context, tenantID, id string, version int, patch map[string]any) (*T, error) {
	c, err := access(ctx, tenantID, s.res.manage)
	if err != nil {
		return nil, err
	}
	st, err := s.statements()
	if err != nil {
		return nil, err
	}
	cur, err := s.get(s.scoped(ctx, tenantID), id)
	if err != nil {
		return nil, err
	}
	prev := *cur
	before := s.res.auditView(&prev, nil)
	if s.res.record(cur).Version != version {
		return nil, versionConflict()
	}
	s.unmaskPatch(ctx, cur, patch)
	if fields := s.res.patch(cur, patch); len(fields) > 0 {
		return nil, regent.Invalid(fields)
	}
	s.res.normalize(cur)
	if fields := s.res.validate(cur); len(fields) > 0 {
		return nil, regent.Invalid(fields)
	}
	rec := s.res.record(cur)
	rec.UpdatedAt, rec.UpdatedBy, rec.Version = s.db.now(), author(c), version+1
	ev := s.db.newEvent(ctx, s.res.kind+".update", regent.OutcomeSuccess)
	ev.TenantID, ev.TargetType, ev.TargetID = tenantID, s.res.kind, id
	ev.Before, ev.After = mustJSON(before), mustJSON(s.res.auditView(cur, &prev))
	// The version in the WHERE clause makes the check and the write one step: of two
	// concurrent updates from the same version only one matches, and so only one is recorded.
	args := append(st.values(ctx, s.res.fromDomain(cur), false), id, tenantID, version)
	changed, err := s.db.writeAudited(ctx, auditedChange{st.update, args}, ev)
	if err != nil {
		return nil, conflictName(translate(err))
	} else if !changed {
		return nil, versionConflict()
	}
	return s.masked(ctx, cur), nil
}

// Delete implements regent.TenantResourceService.
func (s *ResourceService[T, R]) Delete(ctx context.Context, tenantID, id string) error {
	if _, err := access(ctx, tenantID, s.res.manage); err != nil {
		return err
	}
	st, err := s.statements()
	if err != nil {
		return err
	}
	// The event records the record as it was deleted: the delete matches the version read,
	// and a record changed in between is read again.
	for attempt := 0; attempt < 3; attempt++ {
		cur, err := s.get(s.scoped(ctx, tenantID), id)
		if err != nil {
			return err
		}
		ev := s.db.newEvent(ctx, s.res.kind+".delete", regent.OutcomeSuccess)
		ev.TenantID, ev.TargetType, ev.TargetID = tenantID, s.res.kind, id
		ev.Before = mustJSON(s.res.auditView(cur, nil))
		changed, err := s.db.writeAudited(ctx, auditedChange{st.delete_, []any{id, tenantID, s.res.record(cur).Version}}, ev)
		if err != nil || changed {
			return translate(err)
		}
	}
	return &regent.Error{Code: regent.ECONFLICT, Reason: "version_conflict",
		Message: "Someone else is changing this record right now. Reload it and delete it again."}
}

func versionConflict() error {
	return &regent.Error{Code: regent.ECONFLICT, Reason: "version_conflict",
		Message: "Someone else changed this record since you opened it. Reload it and apply your change again."}
}

// conflictName words a unique-violation as a taken name.
func conflictName(err error) error {
	var de *regent.Error
	if errors.As(err, &de) && de.Code == regent.ECONFLICT && de.Reason == "" {
		return &regent.Error{Code: regent.ECONFLICT, Reason: "name_taken",
			Message: "That name is already used in this tenant.", Fields: map[string]string{"name": "is already used"}}
	}
	return err
}

// applySearch matches q case-insensitively as a substring of any of the columns. LIKE
// wildcards in q are escaped so they match literally.
func applySearch(q *gorm.DB, query string, cols []string) *gorm.DB {
	return searchWhere(q, query, cols, "lower(")
}

// applyLoweredSearch is applySearch over columns that hold their text lowercased already
// (tenants.name_lower): the match is then read, not computed, for every candidate row.
func applyLoweredSearch(q *gorm.DB, query string, cols []string) *gorm.DB {
	return searchWhere(q, query, cols, "(")
}

func searchWhere(q *gorm.DB, query string, cols []string, open string) *gorm.DB {
	query = strings.TrimSpace(query)
	if query == "" || len(cols) == 0 {
		return q
	}
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(query))
	pattern := "%" + esc + "%"
	var parts []string
	var args []any
	for _, c := range cols {
		parts = append(parts, open+c+") LIKE ? ESCAPE '\\'")
		args = append(args, pattern)
	}
	return q.Where("("+strings.Join(parts, " OR ")+")", args...)
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain values are marshalled here
	}
	return b
}

// Export streams every record of the tenant to each, in name order, after recording the
// export in the audit trail. Rows are read through a cursor, so memory stays flat whatever
// the tenant's size.
func (s *ResourceService[T, R]) export(ctx context.Context, tenantID, format string, each func(*T) error) error {
	if s.res.export == "" {
		return regent.Errorf(regent.ENOTFOUND, "Not found.")
	}
	if c := regent.CallerFromContext(ctx); c.Impersonating() {
		return &regent.Error{Code: regent.EFORBIDDEN, Reason: "export_disabled",
			Message: "Exports are not available while impersonating."}
	}
	if _, err := access(ctx, tenantID, s.res.export); err != nil {
		return err
	}
	var total int64
	if err := s.scoped(ctx, tenantID).Count(&total).Error; err != nil {
		return err
	}
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		ev := s.db.newEvent(ctx, s.res.kind+".export", regent.OutcomeSuccess)
		ev.TenantID, ev.TargetType = tenantID, s.res.kind
		ev.Detail = fmt.Sprintf("format=%s rows=%d", format, total)
		return appendAudit(tx, ev)
	})
	if err != nil {
		return err
	}
	rows, err := s.scoped(ctx, tenantID).Order("lower(name)").Order("id").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r R
		if err := s.db.gdb.ScanRows(rows, &r); err != nil {
			return err
		}
		if err := each(s.res.toDomain(&r)); err != nil {
			return err
		}
	}
	return rows.Err()
}
