package httpapi

import (
	"bufio"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regent/regent"
)

type targetResponse struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

type principalRefResponse struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// auditEventResponse is one event as the API shows it.
type auditEventResponse struct {
	ID        string               `json:"id"`
	Time      time.Time            `json:"time"`
	Action    string               `json:"action"`
	Outcome   string               `json:"outcome"`
	Actor     userRefResponse      `json:"actor"`
	Principal principalRefResponse `json:"principal"`
	SessionID *string              `json:"sessionId"`
	TenantID  *string              `json:"tenantId"`
	Target    targetResponse       `json:"target"`
	Before    json.RawMessage      `json:"before,omitempty"`
	After     json.RawMessage      `json:"after,omitempty"`
	Detail    string               `json:"detail,omitempty"`
	IP        string               `json:"ip"`
	UserAgent string               `json:"userAgent"`
	RequestID string               `json:"requestId"`
	Chain     string               `json:"chain"`
	ChainSeq  int64                `json:"chainSeq"`
	Hash      string               `json:"hash"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func auditView(e *regent.AuditEvent) auditEventResponse {
	r := auditEventResponse{ID: e.ID, Time: e.Time, Action: e.Action, Outcome: e.Outcome,
		Actor:     userRefResponse{ID: e.ActorID, Email: e.ActorEmail, Name: e.ActorName},
		Principal: principalRefResponse{ID: e.PrincipalID, Name: e.PrincipalName},
		SessionID: optional(e.SessionID), TenantID: optional(e.TenantID),
		Target: targetResponse{e.TargetType, e.TargetID}, Detail: e.Detail,
		IP: e.IP, UserAgent: e.UserAgent, RequestID: e.RequestID,
		Chain: e.Chain, ChainSeq: e.ChainSeq, Hash: hex.EncodeToString(e.Hash)}
	if len(e.Before) > 0 && json.Valid(e.Before) {
		r.Before = e.Before
	}
	if len(e.After) > 0 && json.Valid(e.After) {
		r.After = e.After
	}
	return r
}

func auditFilter(c echo.Context) regent.AuditFilter {
	f := regent.AuditFilter{TenantID: c.QueryParam("tenantId"), ActorID: c.QueryParam("actorId"),
		SessionID: c.QueryParam("sessionId"), Action: c.QueryParam("action"), Cursor: c.QueryParam("cursor")}
	f.Limit, _ = strconv.Atoi(c.QueryParam("limit"))
	return f
}

func handleAuditList(svc regent.AuditService) echo.HandlerFunc {
	return func(c echo.Context) error {
		items, next, err := svc.ListEvents(c.Request().Context(), auditFilter(c))
		if err != nil {
			return err
		}
		out := struct {
			Items      []auditEventResponse `json:"items"`
			NextCursor *string              `json:"nextCursor"`
		}{Items: make([]auditEventResponse, len(items)), NextCursor: optional(next)}
		for i, e := range items {
			out.Items[i] = auditView(e)
		}
		return c.JSON(http.StatusOK, out)
	}
}

var auditCSVHeader = []string{"id", "time", "action", "outcome", "actor_id", "actor_email", "actor_name", "principal_id",
	"principal_name", "session_id", "tenant_id", "target_type", "target_id", "detail", "ip", "user_agent", "request_id",
	"chain", "chain_seq", "hash"}

// handleAuditExport streams the trail as CSV or JSON lines. Rows go out as the database
// cursor yields them and are flushed in batches: memory does not grow with the trail.
func handleAuditExport(svc regent.AuditService, log *slog.Logger) echo.HandlerFunc {
	return func(c echo.Context) error {
		format := c.QueryParam("format")
		if format != "csv" && format != "jsonl" {
			return regent.Invalid(map[string]string{"format": "must be csv or jsonl"})
		}
		w := c.Response()
		// One write to the connection per 64 KiB rather than per 4 KiB (the size csv.Writer
		// and net/http buffer by): a full export is gigabytes, and each write is a system call.
		bw := bufio.NewWriterSize(w, 64<<10)
		cw := csv.NewWriter(bw) // writes into bw itself, which is already buffered
		enc := json.NewEncoder(bw)
		flush := func() {
			cw.Flush()
			bw.Flush()
			w.Flush()
		}
		started := false
		begin := func() {
			started = true
			ct, ext := "text/csv; charset=utf-8", "csv"
			if format == "jsonl" {
				ct, ext = "application/x-ndjson", "jsonl"
			}
			w.Header().Set(echo.HeaderContentType, ct)
			w.Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="audit-%s.%s"`, time.Now().UTC().Format("20060102-150405"), ext))
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusOK)
			if format == "csv" {
				cw.Write(auditCSVHeader)
			}
		}
		n := 0
		record := make([]string, len(auditCSVHeader)) // reused: csv.Writer keeps nothing of it
		err := svc.ExportEvents(c.Request().Context(), auditFilter(c), format, func(e *regent.AuditEvent) error {
			if !started {
				begin()
			}
			n++
			var err error
			if format == "csv" {
				record = append(record[:0], e.ID, e.Time.Format(time.RFC3339Nano), e.Action, e.Outcome, e.ActorID, csvSafe(e.ActorEmail),
					csvSafe(e.ActorName), e.PrincipalID, csvSafe(e.PrincipalName), e.SessionID, e.TenantID, e.TargetType, e.TargetID,
					csvSafe(e.Detail), e.IP, csvSafe(e.UserAgent), e.RequestID, e.Chain, strconv.FormatInt(e.ChainSeq, 10), hex.EncodeToString(e.Hash))
				err = cw.Write(record)
			} else {
				err = enc.Encode(auditView(e))
			}
			if n%1000 == 0 {
				flush()
			}
			return err
		})
		if err != nil && !started {
			return err
		}
		if !started {
			begin()
		}
		flush()
		if err != nil {
			loggerFrom(c.Request().Context(), log).Error("audit export failed mid-stream", "error", err.Error(), "rows", n)
			abortStream()
		}
		return nil
	}
}

type timelineResponse struct {
	Session impersonationResponse `json:"session"`
	Events  []auditEventResponse  `json:"events"`
	// Total is how many events the session has; Truncated says that Events holds only the
	// first of them.
	Total     int  `json:"total"`
	Truncated bool `json:"truncated"`
}

// handleSessionTimeline answers a session with everything done in it, in order (the first
// regent.MaxTimelineEvents, saying so when there are more). Under
// /api/tenants/{id}/access-log it also insists the session is that tenant's.
func handleSessionTimeline(svc regent.AuditService) echo.HandlerFunc {
	return func(c echo.Context) error {
		tl, err := svc.SessionTimeline(c.Request().Context(), c.Param("sid"))
		if err != nil {
			return err
		}
		if tid := c.Param("id"); tid != "" && tid != tl.Session.TenantID {
			return regent.Errorf(regent.ENOTFOUND, "Session not found.")
		}
		out := timelineResponse{Session: impersonationView(tl.Session), Events: make([]auditEventResponse, len(tl.Events)),
			Total: tl.Total, Truncated: tl.Truncated()}
		for i, e := range tl.Events {
			out.Events[i] = auditView(e)
		}
		return c.JSON(http.StatusOK, out)
	}
}

type metricsResponse struct {
	LastSignInAt          *time.Time `json:"lastSignInAt"`
	ActiveUsers30d        int        `json:"activeUsers30d"`
	ChangesThisMonth      int        `json:"changesThisMonth"`
	ImpersonatedChanges   int        `json:"impersonatedChangesThisMonth"`
	ImpersonationSessions int        `json:"impersonationSessionsThisMonth"`
}

func handleTenantMetrics(svc regent.AuditService) echo.HandlerFunc {
	return func(c echo.Context) error {
		m, err := svc.TenantMetrics(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, metricsResponse{m.LastSignInAt, m.ActiveUsers30d, m.ChangesThisMonth, m.ImpersonatedChanges, m.ImpersonationSessions})
	}
}
