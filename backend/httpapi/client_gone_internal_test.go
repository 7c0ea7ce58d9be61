package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
)

// A request whose client hung up is answered 499 and is not logged as a failure of ours; a
// cancellation the client did not cause (ours, with the client still there) still is one.
func TestAClientThatHungUpIsNotAnInternalError(t *testing.T) {
	for _, tc := range []struct {
		name       string
		clientGone bool
		err        error
		status     int
		logged     bool
	}{
		{"client gone", true, fmt.Errorf("reading the page: %w", context.Canceled), statusClientClosed, false},
		{"cancelled on our side", false, fmt.Errorf("reading the page: %w", context.Canceled), http.StatusInternalServerError, true},
		{"another failure with the client gone", true, fmt.Errorf("connection reset by the database"), http.StatusInternalServerError, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			s := &Server{cfg: Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))}}
			ctx, cancel := context.WithCancel(context.Background())
			if tc.clientGone {
				cancel()
			} else {
				defer cancel()
			}
			req := httptest.NewRequest(http.MethodGet, "/api/tenants", nil).WithContext(ctx)
			rec := httptest.NewRecorder()
			s.handleError(tc.err, echo.New().NewContext(req, rec))
			if rec.Code != tc.status {
				t.Errorf("status %d, want %d", rec.Code, tc.status)
			}
			if logged := bytes.Contains(logs.Bytes(), []byte("internal error")); logged != tc.logged {
				t.Errorf("logged as an internal error: %v, want %v (%s)", logged, tc.logged, logs.String())
			}
		})
	}
}
