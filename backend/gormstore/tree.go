package gormstore

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

// createTenantTx inserts a tenant together with its hidden Impersonated Admin account and
// role (product.md 3.1), so that no tenant ever exists without them.
func createTenantTx(tx *gorm.DB, t *regent.Tenant, now time.Time) error {
	row := tenantRow{ID: t.ID, Name: t.Name, Kind: t.Kind, ParentID: nullable(t.ParentID),
		Status: t.Status, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	*t = *row.domain()
	if t.IsPlatform() {
		return nil // nobody impersonates the platform
	}
	return ensureImpersonatedAdminTx(tx, t, now)
}

// ensureImpersonatedAdminTx creates the tenant's hidden account and role unless they exist.
func ensureImpersonatedAdminTx(tx *gorm.DB, t *regent.Tenant, now time.Time) error {
	var n int64
	if err := tx.Model(&userRow{}).Where("home_tenant_id = ? AND hidden", t.ID).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	role := roleRow{ID: regent.NewID(), TenantID: &t.ID, Key: regent.RoleImpersonatedAdmin,
		Name: regent.ImpersonatedAdminName, HomeKind: t.Kind, Hidden: true, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := tx.Create(&role).Error; err != nil {
		return err
	}
	user := userRow{ID: regent.NewID(), HomeTenantID: t.ID,
		// An address in the reserved .invalid domain: it can never receive mail or match an
		// identity provider's verified email.
		Email:  fmt.Sprintf("impersonated-admin+%s@regent.invalid", t.ID),
		Name:   regent.ImpersonatedAdminName,
		Status: regent.UserStatusActive, Hidden: true, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := tx.Create(&user).Error; err != nil {
		return err
	}
	return tx.Create(&userRoleRow{UserID: user.ID, RoleID: role.ID}).Error
}

// createUserTx inserts a user (invited until first sign-in) with built-in roles by key.
func createUserTx(tx *gorm.DB, u *regent.User, roleKeys []string, now time.Time) error {
	row := userRow{ID: u.ID, HomeTenantID: u.HomeTenantID, Email: u.Email, Name: u.Name,
		Status: u.Status, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	for _, key := range roleKeys {
		var role roleRow
		if err := tx.Where("key = ? AND tenant_id IS NULL", key).Take(&role).Error; err != nil {
			return fmt.Errorf("built-in role %q: %w", key, err)
		}
		if err := tx.Create(&userRoleRow{UserID: row.ID, RoleID: role.ID}).Error; err != nil {
			return err
		}
	}
	*u = *row.domain()
	return nil
}
