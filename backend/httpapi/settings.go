package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regent/regent"
)

// policyBody is a policy layer on the wire: every field optional (null or absent means
// inherited for a tenant's layer, unchanged for the global one).
type policyBody struct {
	SupportEnabled      *bool `json:"supportEnabled"`
	ConfigureEnabled    *bool `json:"configureEnabled"`
	RequireReason       *bool `json:"requireReason"`
	MaxDurationMinutes  *int  `json:"maxDurationMinutes"`
	IdleTimeoutMinutes  *int  `json:"idleTimeoutMinutes"`
	ReauthWithinMinutes *int  `json:"reauthWithinMinutes"`
	BindFootprint       *bool `json:"bindFootprint"`
	MaskPersonalData    *bool `json:"maskPersonalData"`
	DisableExport       *bool `json:"disableExport"`
	NotifyTenantAdmins  *bool `json:"notifyTenantAdmins"`
	Version             int   `json:"version,omitempty"`
}

func (b policyBody) settings() regent.PolicySettings {
	return regent.PolicySettings{SupportEnabled: b.SupportEnabled, ConfigureEnabled: b.ConfigureEnabled,
		RequireReason: b.RequireReason, MaxDurationMinutes: b.MaxDurationMinutes, IdleTimeoutMinutes: b.IdleTimeoutMinutes,
		ReauthWithinMin: b.ReauthWithinMinutes, BindFootprint: b.BindFootprint, MaskPersonalData: b.MaskPersonalData,
		DisableExport: b.DisableExport, NotifyTenantAdmins: b.NotifyTenantAdmins, Version: b.Version}
}

func policyBodyOf(s regent.PolicySettings) policyBody {
	return policyBody{SupportEnabled: s.SupportEnabled, ConfigureEnabled: s.ConfigureEnabled, RequireReason: s.RequireReason,
		MaxDurationMinutes: s.MaxDurationMinutes, IdleTimeoutMinutes: s.IdleTimeoutMinutes, ReauthWithinMinutes: s.ReauthWithinMin,
		BindFootprint: s.BindFootprint, MaskPersonalData: s.MaskPersonalData, DisableExport: s.DisableExport,
		NotifyTenantAdmins: s.NotifyTenantAdmins, Version: s.Version}
}

// effectiveResponse is the policy in force, every field resolved.
type effectiveResponse struct {
	SupportEnabled      bool `json:"supportEnabled"`
	ConfigureEnabled    bool `json:"configureEnabled"`
	RequireReason       bool `json:"requireReason"`
	MaxDurationMinutes  int  `json:"maxDurationMinutes"`
	IdleTimeoutMinutes  int  `json:"idleTimeoutMinutes"`
	ReauthWithinMinutes int  `json:"reauthWithinMinutes"`
	BindFootprint       bool `json:"bindFootprint"`
	MaskPersonalData    bool `json:"maskPersonalData"`
	DisableExport       bool `json:"disableExport"`
	NotifyTenantAdmins  bool `json:"notifyTenantAdmins"`
}

func effectiveOf(p regent.Policy) effectiveResponse {
	return effectiveResponse{p.SupportEnabled, p.ConfigureEnabled, p.RequireReason, int(p.MaxDuration / time.Minute),
		int(p.IdleTimeout / time.Minute), int(p.ReauthWithin / time.Minute), p.BindFootprint, p.MaskPersonalData,
		p.DisableExport, p.NotifyTenantAdmins}
}

type tenantPolicyResponse struct {
	policyBody
	Level     string            `json:"level"`
	Effective effectiveResponse `json:"effective"`
}

func handleGlobalPolicyGet(svc regent.PolicyService) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, err := svc.GlobalSettings(c.Request().Context())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, policyBodyOf(s))
	}
}

func handleGlobalPolicyPut(svc regent.PolicyService) echo.HandlerFunc {
	return func(c echo.Context) error {
		var body policyBody
		if err := decodeJSON(c, &body); err != nil {
			return err
		}
		s, err := svc.UpdateGlobalSettings(c.Request().Context(), body.settings())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, policyBodyOf(s))
	}
}

func tenantPolicyView(c echo.Context, s regent.PolicySettings, p regent.Policy) error {
	level := regent.PolicyLevelPartner
	if caller := regent.CallerFromContext(c.Request().Context()); caller.Home.Kind == regent.TenantKindPlatform {
		level = regent.PolicyLevelPlatform
	}
	return c.JSON(http.StatusOK, tenantPolicyResponse{policyBodyOf(s), level, effectiveOf(p)})
}

func handleTenantPolicyGet(svc regent.PolicyService) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, p, err := svc.TenantSettings(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		return tenantPolicyView(c, s, p)
	}
}

func handleTenantPolicyPut(svc regent.PolicyService) echo.HandlerFunc {
	return func(c echo.Context) error {
		var body policyBody
		if err := decodeJSON(c, &body); err != nil {
			return err
		}
		s, p, err := svc.UpdateTenantSettings(c.Request().Context(), c.Param("id"), body.settings())
		if err != nil {
			return err
		}
		return tenantPolicyView(c, s, p)
	}
}
