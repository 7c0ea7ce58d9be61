package httpapi

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/regent/regent"
)

// Every answer is counted under the status it went out with: a refusal or a failure as
// what it was, not as a 200.
func TestMetricsCountTheStatusSent(t *testing.T) {
	reg := prometheus.NewRegistry()
	s := &Server{cfg: Config{Logger: slog.New(slog.DiscardHandler), Metrics: NewMetrics(reg)}}
	e := echo.New()
	e.HTTPErrorHandler = s.handleError
	e.Use(s.cfg.Metrics.observe)
	e.GET("/ok", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
	e.GET("/missing", func(c echo.Context) error { return regent.Errorf(regent.ENOTFOUND, "Tenant not found.") })
	e.GET("/refused", func(c echo.Context) error { return regent.Errorf(regent.EFORBIDDEN, "No.") })
	e.GET("/broken", func(c echo.Context) error { return echo.NewHTTPError(http.StatusBadRequest) })
	want := map[string]string{"/ok": "204", "/missing": "404", "/refused": "403", "/broken": "400"}
	for path, status := range want {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if got := strconv.Itoa(rec.Code); got != status {
			t.Errorf("%s answered %s, want %s", path, got, status)
		}
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			got[labels["route"]] = labels["status"]
		}
	}
	for path, status := range want {
		if got[path] != status {
			t.Errorf("%s counted with status %q, want %q", path, got[path], status)
		}
	}
}
