package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/regent/regent"
)

// statusOf maps domain error codes to HTTP statuses.
var statusOf = map[string]int{
	regent.EINVALID:      http.StatusBadRequest,
	regent.EUNAUTHORIZED: http.StatusUnauthorized,
	regent.EFORBIDDEN:    http.StatusForbidden,
	regent.ENOTFOUND:     http.StatusNotFound,
	regent.ECONFLICT:     http.StatusConflict,
	regent.EINTERNAL:     http.StatusInternalServerError,
}

// codeOf maps HTTP statuses raised by echo itself (unknown route, wrong method, bad body)
// back to codes, so every error a client sees has one.
var codeOf = map[int]string{
	http.StatusBadRequest:            regent.EINVALID,
	http.StatusUnauthorized:          regent.EUNAUTHORIZED,
	http.StatusForbidden:             regent.EFORBIDDEN,
	http.StatusNotFound:              regent.ENOTFOUND,
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusTooManyRequests:       "rate_limited",
}

// Problem is an RFC 9457 problem document with Regent's extension members.
type Problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail,omitempty"`
	Code      string            `json:"code"`
	RequestID string            `json:"requestId,omitempty"`
	Errors    map[string]string `json:"errors,omitempty"`
	extra     map[string]any
}

// MarshalJSON adds the extension members (for example loginUrl) beside the standard ones.
func (p Problem) MarshalJSON() ([]byte, error) {
	type plain Problem
	b, err := json.Marshal(plain(p))
	if err != nil || len(p.extra) == 0 {
		return b, err
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range p.extra {
		if _, taken := m[k]; !taken {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

// problemFor turns any error into the problem a client may see. Errors that are not domain
// errors or echo's own are internal: the client gets a generic text, the log gets the error.
func problemFor(err error) (p Problem, internal bool) {
	var de *regent.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &de):
		status, ok := statusOf[de.Code]
		if !ok {
			status = http.StatusInternalServerError
		}
		code := de.Code
		if de.Reason != "" {
			code = de.Reason
		}
		p = Problem{Status: status, Code: code, Detail: de.Message, Errors: de.Fields, extra: de.Extra}
		internal = de.Code == regent.EINTERNAL
	case errors.As(err, &he):
		p = Problem{Status: he.Code, Code: codeOf[he.Code]}
		if p.Code == "" {
			p.Code = regent.EINTERNAL
		}
		if msg, ok := he.Message.(string); ok && he.Code < 500 {
			p.Detail = msg
		}
		internal = he.Code >= 500
	default:
		p = Problem{Status: http.StatusInternalServerError, Code: regent.EINTERNAL}
		internal = true
	}
	if internal {
		p.Detail = "Something went wrong on our side. It has been logged; quote the request id if you contact support."
		p.Errors, p.extra = nil, nil
	}
	p.Title = http.StatusText(p.Status)
	p.Type = "urn:regent:problem:" + p.Code
	return p, internal
}

// statusClientClosed is the status logged and counted for a request whose client hung up.
const statusClientClosed = 499

// handleError is echo's central error handler.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		// The client went away before the answer (a closed tab, a load tool stopping): not a
		// failure of ours, so not logged or counted as one. 499 is nginx's "client closed
		// request"; nobody reads the answer.
		c.Response().WriteHeader(statusClientClosed)
		return
	}
	p, internal := problemFor(err)
	p.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
	if internal {
		loggerFrom(c.Request().Context(), s.cfg.Logger).Error("internal error", "error", err.Error())
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	if c.Request().Method == http.MethodHead {
		return
	}
	_ = json.NewEncoder(c.Response()).Encode(p)
}
