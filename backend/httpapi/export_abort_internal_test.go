package httpapi

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/regent/regent"
)

// failingContacts yields rows, then fails, as a database that drops mid-export would.
type failingContacts struct{ rows int }

func (f failingContacts) ExportContacts(_ context.Context, _, _ string, each func(*regent.Contact) error) error {
	for i := 0; i < f.rows; i++ {
		if err := each(&regent.Contact{Name: "Row"}); err != nil {
			return err
		}
	}
	return errors.New("connection reset by the database")
}

// failingAudit does the same for the audit trail; nothing else of the service is called.
type failingAudit struct {
	regent.AuditService
	rows int
}

func (f failingAudit) ExportEvents(_ context.Context, _ regent.AuditFilter, _ string, each func(*regent.AuditEvent) error) error {
	for i := 0; i < f.rows; i++ {
		if err := each(&regent.AuditEvent{ID: regent.NewID(), Action: "tenant.update"}); err != nil {
			return err
		}
	}
	return errors.New("connection reset by the database")
}

// A download that fails after its 200 went out must fail for the client too: a file cut
// short that ends like a whole one would be taken for the whole export.
func TestAnExportThatFailsMidStreamIsAFailedDownload(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	for _, tc := range []struct {
		name string
		h    echo.HandlerFunc
		path string
	}{
		{"contacts", handleContactExport(failingContacts{rows: 2000}, log), "/export?format=csv"},
		{"audit csv", handleAuditExport(failingAudit{rows: 3000}, log), "/export?format=csv"},
		{"audit jsonl", handleAuditExport(failingAudit{rows: 3000}, log), "/export?format=jsonl"},
		{"nothing exported", handleContactExport(failingContacts{rows: 0}, log), "/export?format=csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := echo.New()
			e.GET("/export", tc.h)
			srv := httptest.NewServer(e)
			defer srv.Close()
			res, err := http.Get(srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if tc.name == "nothing exported" {
				// Nothing went out yet: a plain error answer, not a 200.
				if res.StatusCode == http.StatusOK {
					t.Fatalf("a failure before the first row answered 200 with %q", body)
				}
				return
			}
			if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "Row") && !strings.Contains(string(body), "tenant.update") {
				t.Fatalf("status %d, %d bytes before the failure", res.StatusCode, len(body))
			}
			if err == nil {
				t.Fatalf("the download read %d bytes and ended cleanly", len(body))
			}
		})
	}
}
