package httpapi

import (
	"context"
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleHealthz answers 200 while the process serves requests.
func handleHealthz() echo.HandlerFunc {
	return func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	}
}

// handleReadyz answers 200 when the database answers and 503 otherwise.
func handleReadyz(ready func(context.Context) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ready != nil {
			if err := ready(c.Request().Context()); err != nil {
				return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			}
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	}
}

//go:embed openapi.yaml
var openAPI []byte

// handleOpenAPI serves the API description this server implements.
func handleOpenAPI() echo.HandlerFunc {
	return func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/yaml", openAPI)
	}
}
