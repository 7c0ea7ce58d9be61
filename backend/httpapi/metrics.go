package httpapi

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the server's Prometheus instruments. They are registered on a registry of
// the caller's choosing and served on a separate listener (REGENT_METRICS_ADDR), never on
// the public one.
type Metrics struct {
	requests *prometheus.HistogramVec
}

// NewMetrics creates the instruments and registers them on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "regent_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern, method and status.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method", "status"}),
	}
	reg.MustRegister(m.requests)
	return m
}

// observe records each request under its route pattern (not its path: ids would explode
// the label space).
func (m *Metrics) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		// An error is answered here, as it will be answered, so that its status is the one
		// counted (before, any error but echo's own was counted as the 200 not yet written).
		if err := next(c); err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(status)).Observe(time.Since(start).Seconds())
		return nil
	}
}
