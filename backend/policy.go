package regent

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Policy is the impersonation policy in force for one tenant (product.md 3.4).
type Policy struct {
	SupportEnabled     bool
	ConfigureEnabled   bool
	RequireReason      bool
	MaxDuration        time.Duration
	IdleTimeout        time.Duration
	ReauthWithin       time.Duration
	BindFootprint      bool
	MaskPersonalData   bool
	DisableExport      bool
	NotifyTenantAdmins bool
}

// DefaultPolicy is what a fresh installation enforces.
var DefaultPolicy = Policy{
	SupportEnabled: true, ConfigureEnabled: true, RequireReason: true,
	MaxDuration: 60 * time.Minute, IdleTimeout: 15 * time.Minute, ReauthWithin: 15 * time.Minute,
	BindFootprint: true, MaskPersonalData: true, DisableExport: true, NotifyTenantAdmins: true,
}

// Policy bounds.
const (
	MaxImpersonationDuration = 8 * time.Hour
	MinReasonLength          = 10
	MaxReasonLength          = 500
)

// PolicySettings is one layer of policy: the global settings, or a tenant's settings at the
// platform's or the partner's level. A nil field is inherited.
type PolicySettings struct {
	SupportEnabled     *bool
	ConfigureEnabled   *bool
	RequireReason      *bool
	MaxDurationMinutes *int
	IdleTimeoutMinutes *int
	ReauthWithinMin    *int
	BindFootprint      *bool
	MaskPersonalData   *bool
	DisableExport      *bool
	NotifyTenantAdmins *bool
	Version            int
}

// Tighten returns p with the layer s applied so that the result is never less restrictive
// than p: a layer can switch a mode off or a safeguard on, and shorten a limit, but never the
// reverse. That is what lets partners set policy for their tenants without being able to
// loosen the platform's.
func (p Policy) Tighten(s PolicySettings) Policy {
	and := func(cur bool, v *bool) bool { return cur && (v == nil || *v) }
	or := func(cur bool, v *bool) bool { return cur || (v != nil && *v) }
	min := func(cur time.Duration, v *int) time.Duration {
		if v != nil && time.Duration(*v)*time.Minute < cur {
			return time.Duration(*v) * time.Minute
		}
		return cur
	}
	return Policy{
		SupportEnabled:     and(p.SupportEnabled, s.SupportEnabled),
		ConfigureEnabled:   and(p.ConfigureEnabled, s.ConfigureEnabled),
		RequireReason:      or(p.RequireReason, s.RequireReason),
		MaxDuration:        min(p.MaxDuration, s.MaxDurationMinutes),
		IdleTimeout:        min(p.IdleTimeout, s.IdleTimeoutMinutes),
		ReauthWithin:       min(p.ReauthWithin, s.ReauthWithinMin),
		BindFootprint:      or(p.BindFootprint, s.BindFootprint),
		MaskPersonalData:   or(p.MaskPersonalData, s.MaskPersonalData),
		DisableExport:      or(p.DisableExport, s.DisableExport),
		NotifyTenantAdmins: or(p.NotifyTenantAdmins, s.NotifyTenantAdmins),
	}
}

// GlobalPolicy turns the global layer into a Policy: the global layer has every field set,
// and anything missing falls back to DefaultPolicy.
func GlobalPolicy(s PolicySettings) Policy {
	p := DefaultPolicy
	set := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	setD := func(dst *time.Duration, v *int) {
		if v != nil {
			*dst = time.Duration(*v) * time.Minute
		}
	}
	set(&p.SupportEnabled, s.SupportEnabled)
	set(&p.ConfigureEnabled, s.ConfigureEnabled)
	set(&p.RequireReason, s.RequireReason)
	setD(&p.MaxDuration, s.MaxDurationMinutes)
	setD(&p.IdleTimeout, s.IdleTimeoutMinutes)
	setD(&p.ReauthWithin, s.ReauthWithinMin)
	set(&p.BindFootprint, s.BindFootprint)
	set(&p.MaskPersonalData, s.MaskPersonalData)
	set(&p.DisableExport, s.DisableExport)
	set(&p.NotifyTenantAdmins, s.NotifyTenantAdmins)
	return p
}

// ModeEnabled reports whether the policy allows mode.
func (p Policy) ModeEnabled(mode string) bool {
	switch mode {
	case ModeSupport:
		return p.SupportEnabled
	case ModeConfigure:
		return p.ConfigureEnabled
	}
	return false
}

// Validate checks a layer's values against the bounds of product.md 3.4.
func (s PolicySettings) Validate() map[string]string {
	v := Validator{}
	in := func(field string, x *int, lo, hi int) {
		if x != nil && (*x < lo || *x > hi) {
			v.add(field, "must be between "+itoa(lo)+" and "+itoa(hi))
		}
	}
	in("maxDurationMinutes", s.MaxDurationMinutes, 1, int(MaxImpersonationDuration/time.Minute))
	in("idleTimeoutMinutes", s.IdleTimeoutMinutes, 1, int(MaxImpersonationDuration/time.Minute))
	in("reauthWithinMinutes", s.ReauthWithinMin, 0, 1440)
	return v.Result()
}

func itoa(n int) string { return strconv.Itoa(n) }

// PolicyLevel says whose layer a tenant's settings are: the platform's or the partner's.
const (
	PolicyLevelPlatform = "platform"
	PolicyLevelPartner  = "partner"
)

// PolicyService reads and changes impersonation policy.
type PolicyService interface {
	// GlobalSettings returns the global layer (impersonation:settings at the platform).
	GlobalSettings(ctx context.Context) (PolicySettings, error)
	// UpdateGlobalSettings applies the fields set in s at version (TM Admins only).
	UpdateGlobalSettings(ctx context.Context, s PolicySettings) (PolicySettings, error)
	// TenantSettings returns the caller's level's layer for a tenant in reach, and the policy
	// in force there.
	TenantSettings(ctx context.Context, tenantID string) (PolicySettings, Policy, error)
	// UpdateTenantSettings replaces the caller's level's layer for a tenant in reach (TM
	// Admins at the platform level, Partner Admins at the partner level; fields left nil are
	// inherited).
	UpdateTenantSettings(ctx context.Context, tenantID string, s PolicySettings) (PolicySettings, Policy, error)
	// EffectivePolicy returns the policy in force for a tenant (no access check: for the
	// impersonation service and the tenant list).
	EffectivePolicy(ctx context.Context, tenantID string) (Policy, error)
	// EffectivePolicies returns the policy in force for each of the tenants, in one read.
	EffectivePolicies(ctx context.Context, tenants []*Tenant) (map[string]Policy, error)
}

// MaskEmail hides most of an address: "jeanne.dupuis@example.fr" becomes "j•••@example.fr".
func MaskEmail(s string) string {
	at := strings.LastIndex(s, "@")
	if s == "" || at < 1 {
		return maskAll(s)
	}
	return s[:1] + "•••" + s[at:]
}

// MaskPhone keeps only the last two digits: "+33 1 42 68 53 00" becomes "••• •• 00".
func MaskPhone(s string) string {
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits <= 2 {
		return maskAll(s)
	}
	var last []rune
	for i := len(s) - 1; i >= 0 && len(last) < 2; i-- {
		if s[i] >= '0' && s[i] <= '9' {
			last = append([]rune{rune(s[i])}, last...)
		}
	}
	return "••• •• " + string(last)
}

func maskAll(s string) string {
	if s == "" {
		return ""
	}
	return "•••"
}
