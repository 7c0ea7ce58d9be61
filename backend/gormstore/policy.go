package gormstore

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/regent/regent"
)

var _ regent.PolicyService = (*PolicyService)(nil)

type policyRow struct {
	ID                  string
	TenantID            *string
	Level               string
	SupportEnabled      *bool
	ConfigureEnabled    *bool
	RequireReason       *bool
	MaxDurationMinutes  *int
	IdleTimeoutMinutes  *int
	ReauthWithinMinutes *int
	BindFootprint       *bool
	MaskPersonalData    *bool
	DisableExport       *bool
	NotifyTenantAdmins  *bool
	UpdatedAt           time.Time
	UpdatedByID         *string
	Version             int
}

func (policyRow) TableName() string { return "impersonation_policies" }

func (r *policyRow) settings() regent.PolicySettings {
	return regent.PolicySettings{SupportEnabled: r.SupportEnabled, ConfigureEnabled: r.ConfigureEnabled,
		RequireReason: r.RequireReason, MaxDurationMinutes: r.MaxDurationMinutes, IdleTimeoutMinutes: r.IdleTimeoutMinutes,
		ReauthWithinMin: r.ReauthWithinMinutes, BindFootprint: r.BindFootprint, MaskPersonalData: r.MaskPersonalData,
		DisableExport: r.DisableExport, NotifyTenantAdmins: r.NotifyTenantAdmins, Version: r.Version}
}

func (r *policyRow) set(s regent.PolicySettings) {
	r.SupportEnabled, r.ConfigureEnabled, r.RequireReason = s.SupportEnabled, s.ConfigureEnabled, s.RequireReason
	r.MaxDurationMinutes, r.IdleTimeoutMinutes, r.ReauthWithinMinutes = s.MaxDurationMinutes, s.IdleTimeoutMinutes, s.ReauthWithinMin
	r.BindFootprint, r.MaskPersonalData, r.DisableExport, r.NotifyTenantAdmins = s.BindFootprint, s.MaskPersonalData, s.DisableExport, s.NotifyTenantAdmins
}

// PolicyService implements regent.PolicyService.
type PolicyService struct{ db *DB }

// NewPolicyService returns the impersonation policy service over db.
func NewPolicyService(db *DB) *PolicyService { return &PolicyService{db: db} }

func policyAudit(s regent.PolicySettings) map[string]any {
	return map[string]any{"supportEnabled": s.SupportEnabled, "configureEnabled": s.ConfigureEnabled,
		"requireReason": s.RequireReason, "maxDurationMinutes": s.MaxDurationMinutes,
		"idleTimeoutMinutes": s.IdleTimeoutMinutes, "reauthWithinMinutes": s.ReauthWithinMin,
		"bindFootprint": s.BindFootprint, "maskPersonalData": s.MaskPersonalData,
		"disableExport": s.DisableExport, "notifyTenantAdmins": s.NotifyTenantAdmins, "version": s.Version}
}

// effectivePolicy combines the global layer with every layer set on the tenant and on its
// partner, most restrictive first to last (the order does not matter: Tighten only tightens).
func effectivePolicy(db *gorm.DB, t *regent.Tenant) (regent.Policy, error) {
	var rows []policyRow
	ids := []string{t.ID}
	if t.ParentID != "" {
		ids = append(ids, t.ParentID) // a partner's layer covers its customers
	}
	if err := db.Where("tenant_id IS NULL OR tenant_id IN ?", ids).Order("tenant_id IS NOT NULL").Find(&rows).Error; err != nil {
		return regent.Policy{}, err
	}
	p := regent.DefaultPolicy
	for i, r := range rows {
		if i == 0 && r.TenantID == nil {
			p = regent.GlobalPolicy(r.settings())
			continue
		}
		p = p.Tighten(r.settings())
	}
	return p, nil
}

// EffectivePolicies implements regent.PolicyService. It serves what the tenant lists show
// (which modes a row offers), a start's policy and Authenticate's policy of a live
// impersonation, so it reads the layers through the authentication cache and its
// invalidation: a start is decided on the policy every request of its session is checked
// against.
func (s *PolicyService) EffectivePolicies(ctx context.Context, tenants []*regent.Tenant) (map[string]regent.Policy, error) {
	out := map[string]regent.Policy{}
	if len(tenants) == 0 {
		return out, nil
	}
	if s.db.dialect == DialectSQLite {
		s.db.auth.checkSQLiteVersion(ctx)
	}
	ids := []string{globalLayer}
	for _, t := range tenants {
		ids = append(ids, t.ID)
		if t.ParentID != "" {
			ids = append(ids, t.ParentID)
		}
	}
	layers, err := s.policyLayers(ctx, ids)
	if err != nil {
		return nil, err
	}
	global := regent.DefaultPolicy
	if g := layers[globalLayer]; len(g) > 0 {
		global = regent.GlobalPolicy(g[0])
	}
	for _, t := range tenants {
		p := global
		for _, l := range layers[t.ID] { // the cached slices are shared: never append to them
			p = p.Tighten(l)
		}
		for _, l := range layers[t.ParentID] {
			p = p.Tighten(l)
		}
		out[t.ID] = p
	}
	return out, nil
}

// maxPolicyTable is the most policy rows read and held at once; past it, layers are read
// and held by id.
var maxPolicyTable = 10_000

// policyLayers returns the layers of ids (globalLayer for the global row; a tenant with no
// layer of its own has none) through the authentication cache: the whole policy table when
// it is small enough, as it usually is (most tenants have no layer, and a list of 25 of
// 100,000 tenants then reads nothing), else by id.
func (s *PolicyService) policyLayers(ctx context.Context, ids []string) (map[string][]regent.PolicySettings, error) {
	c := s.db.auth
	gen := c.dirGen.Load()
	table, tooBig := c.policyLayers()
	if table == nil && !tooBig && c.enabled.Load() { // with the cache off, only the rows asked for
		var rows []policyRow
		if err := s.db.gdb.WithContext(ctx).Limit(maxPolicyTable + 1).Find(&rows).Error; err != nil {
			return nil, err
		}
		if len(rows) <= maxPolicyTable {
			table = map[string][]regent.PolicySettings{}
			for _, r := range rows {
				id := globalLayer
				if r.TenantID != nil {
					id = *r.TenantID
				}
				table[id] = append(table[id], r.settings())
			}
		}
		c.putPolicyLayers(gen, table) // nil: too big, remembered until the directory moves
	}
	if table != nil {
		return table, nil // the cached slices are shared: never append to them
	}
	layers, missing := c.policies.get(ids)
	if len(missing) > 0 {
		read, err := s.readPolicyLayers(ctx, missing)
		if err != nil {
			return nil, err
		}
		c.policies.put(gen, read)
		for id, l := range read {
			layers[id] = l
		}
	}
	return layers, nil
}

// readPolicyLayers reads the policy rows of ids (globalLayer for the global row), with an
// entry, empty if need be, for every id asked.
func (s *PolicyService) readPolicyLayers(ctx context.Context, ids []string) (map[string][]regent.PolicySettings, error) {
	layers := make(map[string][]regent.PolicySettings, len(ids))
	var tenantIDs []string
	q := s.db.gdb.WithContext(ctx)
	for _, id := range ids {
		layers[id] = []regent.PolicySettings{}
		if id != globalLayer {
			tenantIDs = append(tenantIDs, id)
		}
	}
	_, global := layers[globalLayer]
	switch {
	case global && len(tenantIDs) > 0:
		q = q.Where("tenant_id IS NULL OR tenant_id IN ?", tenantIDs)
	case global:
		q = q.Where("tenant_id IS NULL")
	default:
		q = q.Where("tenant_id IN ?", tenantIDs)
	}
	var rows []policyRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		id := globalLayer
		if r.TenantID != nil {
			id = *r.TenantID
		}
		layers[id] = append(layers[id], r.settings())
	}
	return layers, nil
}

// EffectivePolicy implements regent.PolicyService.
func (s *PolicyService) EffectivePolicy(ctx context.Context, tenantID string) (regent.Policy, error) {
	db := s.db.gdb.WithContext(ctx)
	var t tenantRow
	if err := db.Where("id = ?", tenantID).Take(&t).Error; err != nil {
		return regent.Policy{}, translate(err)
	}
	return effectivePolicy(db, t.domain())
}

func mayChangeGlobal(c *regent.Caller) bool {
	return c.Can(regent.PermImpersonationSettings) && c.Home.Kind == regent.TenantKindPlatform && !c.Impersonating()
}

// GlobalSettings implements regent.PolicyService.
func (s *PolicyService) GlobalSettings(ctx context.Context) (regent.PolicySettings, error) {
	if !mayChangeGlobal(regent.CallerFromContext(ctx)) {
		return regent.PolicySettings{}, regent.Errorf(regent.EFORBIDDEN, "Only TM Admins see the global impersonation settings.")
	}
	var row policyRow
	if err := s.db.gdb.WithContext(ctx).Where("tenant_id IS NULL").Take(&row).Error; err != nil {
		return regent.PolicySettings{}, translate(err)
	}
	return row.settings(), nil
}

// UpdateGlobalSettings implements regent.PolicyService.
func (s *PolicyService) UpdateGlobalSettings(ctx context.Context, in regent.PolicySettings) (regent.PolicySettings, error) {
	c := regent.CallerFromContext(ctx)
	if !mayChangeGlobal(c) {
		return regent.PolicySettings{}, regent.Errorf(regent.EFORBIDDEN, "Only TM Admins change the global impersonation settings.")
	}
	if fields := in.Validate(); fields != nil {
		return regent.PolicySettings{}, regent.Invalid(fields)
	}
	var out regent.PolicySettings
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		var row policyRow
		if err := tx.Where("tenant_id IS NULL").Take(&row).Error; err != nil {
			return err
		}
		before := row.settings()
		if in.Version != 0 && in.Version != row.Version {
			return versionConflict()
		}
		// The global layer has every field: what the request leaves out keeps its value.
		merged := before
		for _, f := range []struct{ dst, src **bool }{
			{&merged.SupportEnabled, &in.SupportEnabled}, {&merged.ConfigureEnabled, &in.ConfigureEnabled},
			{&merged.RequireReason, &in.RequireReason}, {&merged.BindFootprint, &in.BindFootprint},
			{&merged.MaskPersonalData, &in.MaskPersonalData}, {&merged.DisableExport, &in.DisableExport},
			{&merged.NotifyTenantAdmins, &in.NotifyTenantAdmins},
		} {
			if *f.src != nil {
				*f.dst = *f.src
			}
		}
		for _, f := range []struct{ dst, src **int }{
			{&merged.MaxDurationMinutes, &in.MaxDurationMinutes}, {&merged.IdleTimeoutMinutes, &in.IdleTimeoutMinutes},
			{&merged.ReauthWithinMin, &in.ReauthWithinMin},
		} {
			if *f.src != nil {
				*f.dst = *f.src
			}
		}
		row.set(merged)
		row.UpdatedAt, row.UpdatedByID, row.Version = s.db.now(), &c.User.ID, row.Version+1
		res := tx.Model(&policyRow{}).Where("id = ? AND version = ?", row.ID, row.Version-1).Select("*").Updates(&row)
		if res.Error != nil {
			return res.Error
		} else if res.RowsAffected != 1 {
			return versionConflict()
		}
		out = row.settings()
		ev := s.db.newEvent(ctx, "impersonation_policy.update", regent.OutcomeSuccess)
		ev.TargetType, ev.TargetID, ev.Detail = "impersonation_policy", "global", "global"
		ev.Before, ev.After = mustJSON(policyAudit(before)), mustJSON(policyAudit(out))
		return appendAudit(tx, ev)
	})
	return out, translate(err)
}

// tenantForSettings returns the tenant whose layer the caller may read or write, and the
// caller's level: TM Admins (platform level) for any tenant, Partner Admins (partner level)
// for their own partner and its customers.
func (s *PolicyService) tenantForSettings(db *gorm.DB, c *regent.Caller, tenantID string) (*regent.Tenant, string, error) {
	notFound := regent.Errorf(regent.ENOTFOUND, "Tenant not found.")
	if !regent.ValidID(tenantID) || c.Impersonating() {
		return nil, "", notFound
	}
	var row tenantRow
	if err := db.Where("id = ?", tenantID).Take(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, "", notFound
		}
		return nil, "", err
	}
	t := row.domain()
	own := c.Home.Kind == regent.TenantKindPartner && t.ID == c.Home.ID
	if !own && !(c.Can(regent.PermTenantsRead) && regent.Reaches(c.Home, t)) {
		return nil, "", notFound
	}
	if !c.Can(regent.PermImpersonationSettings) {
		return nil, "", regent.Errorf(regent.EFORBIDDEN, "Your role does not include impersonation settings.")
	}
	level := regent.PolicyLevelPartner
	if c.Home.Kind == regent.TenantKindPlatform {
		level = regent.PolicyLevelPlatform
	}
	return t, level, nil
}

// TenantSettings implements regent.PolicyService.
func (s *PolicyService) TenantSettings(ctx context.Context, tenantID string) (regent.PolicySettings, regent.Policy, error) {
	db := s.db.gdb.WithContext(ctx)
	t, level, err := s.tenantForSettings(db, regent.CallerFromContext(ctx), tenantID)
	if err != nil {
		return regent.PolicySettings{}, regent.Policy{}, err
	}
	var row policyRow
	err = db.Where("tenant_id = ? AND level = ?", t.ID, level).Take(&row).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return regent.PolicySettings{}, regent.Policy{}, err
	}
	eff, err := effectivePolicy(db, t)
	return row.settings(), eff, err
}

// UpdateTenantSettings implements regent.PolicyService.
func (s *PolicyService) UpdateTenantSettings(ctx context.Context, tenantID string, in regent.PolicySettings) (regent.PolicySettings, regent.Policy, error) {
	c := regent.CallerFromContext(ctx)
	if fields := in.Validate(); fields != nil {
		return regent.PolicySettings{}, regent.Policy{}, regent.Invalid(fields)
	}
	var out regent.PolicySettings
	var eff regent.Policy
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		t, level, err := s.tenantForSettings(tx, c, tenantID)
		if err != nil {
			return err
		}
		var row policyRow
		err = tx.Where("tenant_id = ? AND level = ?", t.ID, level).Take(&row).Error
		isNew := errors.Is(err, gorm.ErrRecordNotFound)
		if err != nil && !isNew {
			return err
		}
		before := row.settings()
		if in.Version != 0 && in.Version != row.Version {
			return versionConflict()
		}
		row.set(in)
		row.UpdatedAt, row.UpdatedByID = s.db.now(), &c.User.ID
		if isNew {
			row.ID, row.TenantID, row.Level, row.Version = regent.NewID(), &t.ID, level, 1
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
		} else {
			row.Version++
			res := tx.Model(&policyRow{}).Where("id = ? AND version = ?", row.ID, row.Version-1).Select("*").Updates(&row)
			if res.Error != nil {
				return res.Error
			} else if res.RowsAffected != 1 {
				return versionConflict()
			}
		}
		out = row.settings()
		if eff, err = effectivePolicy(tx, t); err != nil {
			return err
		}
		ev := s.db.newEvent(ctx, "impersonation_policy.update", regent.OutcomeSuccess)
		ev.TenantID, ev.TargetType, ev.TargetID, ev.Detail = t.ID, "impersonation_policy", t.ID, level
		ev.Before, ev.After = mustJSON(policyAudit(before)), mustJSON(policyAudit(out))
		return appendAudit(tx, ev)
	})
	return out, eff, translate(err)
}
