package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/regent/regent"
)

type userRefResponse struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

type homeResponse struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type roleRefResponse struct {
	ID   string `json:"id"`
	Key  string `json:"key"`
	Name string `json:"name"`
}

type meResponse struct {
	User          userRefResponse   `json:"user"`
	Home          homeResponse      `json:"home"`
	Roles         []roleRefResponse `json:"roles"`
	Permissions   []string          `json:"permissions"`
	CSRFToken     string            `json:"csrfToken"`
	Impersonation any               `json:"impersonation"`
}

// handleMe answers who the caller is, with the CSRF token for their session.
func (s *Server) handleMe() echo.HandlerFunc {
	return func(c echo.Context) error {
		caller := regent.CallerFromContext(c.Request().Context())
		res := meResponse{
			User:        userRefResponse{ID: caller.User.ID, Email: caller.User.Email, Name: caller.User.Name},
			Home:        homeResponse{ID: caller.Home.ID, Name: caller.Home.Name, Kind: caller.Home.Kind},
			Roles:       make([]roleRefResponse, 0, len(caller.Roles)),
			Permissions: caller.Permissions.Sorted(),
			CSRFToken:   s.csrfToken(caller.Session),
		}
		for _, r := range caller.Roles {
			res.Roles = append(res.Roles, roleRefResponse{ID: r.ID, Key: r.Key, Name: r.Name})
		}
		if caller.Impersonating() {
			res.Impersonation = impersonationView(caller.Impersonation)
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusOK, res)
	}
}
