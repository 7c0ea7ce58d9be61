package httpapi

import (
	"encoding/csv"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regent/regent"
)

// csvSafe defuses spreadsheet formula injection: a cell that a spreadsheet would evaluate
// (starting with = + - @, tab or carriage return) is prefixed with a quote.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// handleContactExport streams the tenant's contacts as CSV. Rows go out as they are read,
// flushed in batches, so the export's memory does not grow with the tenant.
func handleContactExport(svc regent.ContactExporter, log *slog.Logger) echo.HandlerFunc {
	return func(c echo.Context) error {
		format := c.QueryParam("format")
		if format == "" {
			format = "csv"
		}
		if format != "csv" {
			return regent.Invalid(map[string]string{"format": "must be csv"})
		}
		w := c.Response()
		var cw *csv.Writer
		n := 0
		err := svc.ExportContacts(c.Request().Context(), c.Param("id"), format, func(ct *regent.Contact) error {
			if cw == nil {
				w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
				w.Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="contacts-%s.csv"`, time.Now().UTC().Format("20060102-150405")))
				w.Header().Set("Cache-Control", "no-store")
				w.WriteHeader(http.StatusOK)
				cw = csv.NewWriter(w)
				cw.Write([]string{"id", "name", "email", "phone", "notes", "updatedAt"})
			}
			n++
			if err := cw.Write([]string{ct.ID, csvSafe(ct.Name), csvSafe(ct.Email), csvSafe(ct.Phone), csvSafe(ct.Notes), ct.UpdatedAt.Format(time.RFC3339)}); err != nil {
				return err
			}
			if n%500 == 0 {
				cw.Flush()
				w.Flush()
			}
			return nil
		})
		if err != nil && cw == nil {
			return err
		}
		if cw == nil { // no contacts: still a valid CSV with its header
			w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			cw = csv.NewWriter(w)
			cw.Write([]string{"id", "name", "email", "phone", "notes", "updatedAt"})
		}
		cw.Flush()
		if err != nil {
			loggerFrom(c.Request().Context(), log).Error("contact export failed mid-stream", "error", err.Error())
			abortStream()
		}
		return nil
	}
}

// abortStream ends a streamed download that failed after its 200 went out by dropping the
// connection without the chunked body's last chunk: the client sees a failed download, not
// a file that looks complete but is not. net/http recovers this panic quietly.
func abortStream() {
	panic(http.ErrAbortHandler)
}
