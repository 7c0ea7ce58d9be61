package gormstore

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

var _ regent.RoleService = (*RoleService)(nil)

// RoleService implements regent.RoleService.
type RoleService struct{ db *DB }

// NewRoleService returns the tenant app's role service over db.
func NewRoleService(db *DB) *RoleService { return &RoleService{db: db} }

// tenantRoles selects the roles visible in tenantID's app: the built-in customer roles and the
// tenant's custom roles. Hidden roles are filtered out here, for every read.
func tenantRoles(db *gorm.DB, tenantID string) *gorm.DB {
	return db.Model(&roleRow{}).Where("NOT hidden").
		Where("(tenant_id IS NULL AND home_kind = ?) OR tenant_id = ?", regent.TenantKindCustomer, tenantID)
}

func (s *RoleService) withPermissions(db *gorm.DB, rows []roleRow) ([]*regent.Role, error) {
	out := make([]*regent.Role, len(rows))
	var custom []string
	for i, r := range rows {
		role := &regent.Role{ID: r.ID, Key: r.Key, Name: r.Name, HomeKind: r.HomeKind, Version: r.Version}
		if r.TenantID != nil {
			role.TenantID = *r.TenantID
			custom = append(custom, r.ID)
		} else if b, ok := regent.BuiltinRoleByKey(r.Key); ok {
			role.Permissions = b.Permissions
		}
		out[i] = role
	}
	if len(custom) > 0 {
		var perms []rolePermissionRow
		if err := db.Where("role_id IN ?", custom).Order("permission").Find(&perms).Error; err != nil {
			return nil, err
		}
		for _, role := range out {
			for _, p := range perms {
				if p.RoleID == role.ID {
					role.Permissions = append(role.Permissions, regent.Permission(p.Permission))
				}
			}
		}
	}
	return out, nil
}

// ListRoles implements regent.RoleService.
func (s *RoleService) ListRoles(ctx context.Context, tenantID string, f regent.ListFilter) ([]*regent.Role, int, error) {
	if _, err := access(ctx, tenantID, regent.PermRolesRead); err != nil {
		return nil, 0, err
	}
	f.Normalize()
	if f.Status != "" { // roles have no status, like skills (ResourceService.List)
		return nil, 0, regent.Invalid(map[string]string{"status": "is not a filter of this list"})
	}
	db := s.db.gdb.WithContext(ctx)
	q := applySearch(tenantRoles(db, tenantID), f.Query, []string{"name"})
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	order := "lower(name)"
	if f.Desc {
		order += " DESC"
	}
	var rows []roleRow
	if err := q.Order("tenant_id IS NOT NULL").Order(order).Offset(f.Offset()).Limit(f.PageSize).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	out, err := s.withPermissions(db, rows)
	return out, int(total), err
}

// RoleByID implements regent.RoleService.
func (s *RoleService) RoleByID(ctx context.Context, tenantID, id string) (*regent.Role, error) {
	if _, err := access(ctx, tenantID, regent.PermRolesRead); err != nil {
		return nil, err
	}
	return s.one(s.db.gdb.WithContext(ctx), tenantID, id)
}

func (s *RoleService) one(db *gorm.DB, tenantID, id string) (*regent.Role, error) {
	if !regent.ValidID(id) {
		return nil, regent.Errorf(regent.ENOTFOUND, "Role not found.")
	}
	var row roleRow
	if err := tenantRoles(db, tenantID).Where("id = ?", id).Take(&row).Error; err != nil {
		err = translate(err)
		if regent.ErrorCode(err) == regent.ENOTFOUND {
			return nil, regent.Errorf(regent.ENOTFOUND, "Role not found.")
		}
		return nil, err
	}
	out, err := s.withPermissions(db, []roleRow{row})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// validateRole checks a custom role's name and permissions. Names of built-in roles and of
// the hidden role are reserved, so a custom role can never pass for one of them.
func validateRole(name string, perms []regent.Permission) map[string]string {
	v := regent.Validator{}
	v.Text("name", name, 2, 60)
	reserved := []string{strings.ToLower(regent.ImpersonatedAdminName)}
	for _, b := range regent.BuiltinRoles {
		reserved = append(reserved, strings.ToLower(b.Name))
	}
	if slices.Contains(reserved, strings.ToLower(name)) {
		v["name"] = "is reserved for a built-in role"
	}
	if len(perms) == 0 {
		v["permissions"] = "must include at least one permission"
	}
	for _, p := range perms {
		if !slices.Contains(regent.TenantPermissions, p) {
			v["permissions"] = "may only include tenant permissions; " + string(p) + " is not one"
			break
		}
	}
	return v.Result()
}

// grantsBeyond returns the field error for a role change that adds a permission the caller
// does not hold, or nil. Holding roles:manage is not a way to more: someone with it and a
// custom role could otherwise add contacts:export, or anything else, to a role they hold.
// Permissions the role already had may stay when someone without them renames it.
func grantsBeyond(c *regent.Caller, had, next []regent.Permission) map[string]string {
	for _, p := range next {
		if !slices.Contains(had, p) && !c.Can(p) {
			return map[string]string{"permissions": "may only add permissions you hold yourself; you do not hold " + string(p)}
		}
	}
	return nil
}

// CreateRole implements regent.RoleService.
func (s *RoleService) CreateRole(ctx context.Context, tenantID string, in regent.RoleInput) (*regent.Role, error) {
	c, err := access(ctx, tenantID, regent.PermRolesManage)
	if err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	in.Permissions = slices.Compact(slices.Sorted(slices.Values(in.Permissions)))
	if fields := validateRole(in.Name, in.Permissions); fields != nil {
		return nil, regent.Invalid(fields)
	}
	if fields := grantsBeyond(c, nil, in.Permissions); fields != nil {
		return nil, regent.Invalid(fields)
	}
	now := s.db.now()
	role := &regent.Role{ID: regent.NewID(), TenantID: tenantID, Name: in.Name, HomeKind: regent.TenantKindCustomer,
		Permissions: in.Permissions, Version: 1}
	err = s.db.tx(ctx, func(tx *gorm.DB) error {
		row := roleRow{ID: role.ID, TenantID: &tenantID, Name: in.Name, HomeKind: role.HomeKind, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if err := tx.Model(&roleRow{}).Where("id = ?", row.ID).Updates(map[string]any{
			"created_by_id": c.Author().ID, "created_by_name": c.Author().Name, "updated_by_id": c.Author().ID, "updated_by_name": c.Author().Name,
		}).Error; err != nil {
			return err
		}
		if err := setRolePermissions(tx, role.ID, in.Permissions); err != nil {
			return err
		}
		ev := s.db.newEvent(ctx, "role.create", regent.OutcomeSuccess)
		ev.TenantID, ev.TargetType, ev.TargetID = tenantID, "role", role.ID
		ev.After = mustJSON(roleAudit(role))
		return appendAudit(tx, ev)
	})
	if err != nil {
		return nil, conflictName(translate(err))
	}
	return role, nil
}

func setRolePermissions(tx *gorm.DB, roleID string, perms []regent.Permission) error {
	if err := tx.Where("role_id = ?", roleID).Delete(&rolePermissionRow{}).Error; err != nil {
		return err
	}
	for _, p := range perms {
		if err := tx.Create(&rolePermissionRow{RoleID: roleID, Permission: string(p)}).Error; err != nil {
			return err
		}
	}
	return nil
}

func roleAudit(r *regent.Role) map[string]any {
	return map[string]any{"name": r.Name, "permissions": r.Permissions, "version": r.Version}
}

// UpdateRole implements regent.RoleService.
func (s *RoleService) UpdateRole(ctx context.Context, tenantID, id string, version int, patch map[string]any) (*regent.Role, error) {
	c, err := access(ctx, tenantID, regent.PermRolesManage)
	if err != nil {
		return nil, err
	}
	var out *regent.Role
	err = s.db.tx(ctx, func(tx *gorm.DB) error {
		cur, err := s.one(tx, tenantID, id)
		if err != nil {
			return err
		}
		if cur.TenantID == "" {
			return regent.Errorf(regent.EFORBIDDEN, "Built-in roles cannot be changed. Create a custom role instead.")
		}
		if cur.Version != version {
			return versionConflict()
		}
		next := *cur
		bad := regent.Validator{}
		for k, val := range patch {
			switch k {
			case "name":
				str, ok := val.(string)
				if !ok {
					bad[k] = "must be a string"
				}
				next.Name = strings.TrimSpace(str)
			case "permissions":
				list, ok := val.([]any)
				if !ok {
					bad[k] = "must be a list of permissions"
				}
				next.Permissions = nil
				for _, x := range list {
					p, _ := x.(string)
					next.Permissions = append(next.Permissions, regent.Permission(p))
				}
				next.Permissions = slices.Compact(slices.Sorted(slices.Values(next.Permissions)))
			default:
				bad[k] = "is not a field you can change"
			}
		}
		if fields := bad.Result(); fields != nil {
			return regent.Invalid(fields)
		}
		if fields := validateRole(next.Name, next.Permissions); fields != nil {
			return regent.Invalid(fields)
		}
		if fields := grantsBeyond(c, cur.Permissions, next.Permissions); fields != nil {
			return regent.Invalid(fields)
		}
		next.Version = version + 1
		res := tx.Model(&roleRow{}).Where("id = ? AND tenant_id = ? AND version = ?", id, tenantID, version).Updates(map[string]any{
			"name": next.Name, "updated_at": s.db.now(), "version": next.Version, "updated_by_id": c.Author().ID, "updated_by_name": c.Author().Name,
		})
		if res.Error != nil {
			return res.Error
		} else if res.RowsAffected != 1 {
			return versionConflict()
		}
		if err := setRolePermissions(tx, id, next.Permissions); err != nil {
			return err
		}
		ev := s.db.newEvent(ctx, "role.update", regent.OutcomeSuccess)
		ev.TenantID, ev.TargetType, ev.TargetID = tenantID, "role", id
		ev.Before, ev.After = mustJSON(roleAudit(cur)), mustJSON(roleAudit(&next))
		out = &next
		return appendAudit(tx, ev)
	})
	if err != nil {
		return nil, conflictName(translate(err))
	}
	return out, nil
}

// DeleteRole implements regent.RoleService.
func (s *RoleService) DeleteRole(ctx context.Context, tenantID, id string) error {
	if _, err := access(ctx, tenantID, regent.PermRolesManage); err != nil {
		return err
	}
	return translate(s.db.tx(ctx, func(tx *gorm.DB) error {
		cur, err := s.one(tx, tenantID, id)
		if err != nil {
			return err
		}
		if cur.TenantID == "" {
			return regent.Errorf(regent.EFORBIDDEN, "Built-in roles cannot be deleted.")
		}
		var n int64
		if err := tx.Model(&userRoleRow{}).Where("role_id = ?", id).Count(&n).Error; err != nil {
			return err
		} else if n > 0 {
			return &regent.Error{Code: regent.ECONFLICT, Reason: "role_in_use",
				Message: "This role is still given to someone. Take it away from them first."}
		}
		if err := tx.Where("role_id = ?", id).Delete(&rolePermissionRow{}).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ? AND tenant_id = ?", id, tenantID).Delete(&roleRow{}).Error; err != nil {
			return err
		}
		ev := s.db.newEvent(ctx, "role.delete", regent.OutcomeSuccess)
		ev.TenantID, ev.TargetType, ev.TargetID = tenantID, "role", id
		ev.Before = mustJSON(roleAudit(cur))
		return appendAudit(tx, ev)
	}))
}

// ConsoleRoles implements regent.RoleService.
func (s *RoleService) ConsoleRoles(ctx context.Context) ([]*regent.Role, error) {
	c := regent.CallerFromContext(ctx)
	if !c.Can(regent.PermUsersManage) {
		return nil, regent.Errorf(regent.EFORBIDDEN, "Your role does not allow managing users.")
	}
	kinds := []string{regent.TenantKindPartner}
	if c.Home.Kind == regent.TenantKindPlatform {
		kinds = append(kinds, regent.TenantKindPlatform)
	}
	db := s.db.gdb.WithContext(ctx)
	var rows []roleRow
	if err := db.Where("tenant_id IS NULL AND NOT hidden AND home_kind IN ?", kinds).Order("home_kind DESC, name").Find(&rows).Error; err != nil {
		return nil, err
	}
	return s.withPermissions(db, rows)
}
