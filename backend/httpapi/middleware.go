package httpapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regent/regent"
)

type loggerKey struct{}

// loggerFrom returns the request-scoped logger (with the request id) from ctx.
func loggerFrom(ctx context.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	return fallback
}

// requestContext gives every request an id (echoed in X-Request-Id and written on every log
// line and audit event), the client's address and User-Agent, and logs the request when it
// is done. A client-sent X-Request-Id is ignored: the id must be ours to be trusted.
func (s *Server) requestContext(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		r := c.Request()
		id := regent.NewID()
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		log := s.cfg.Logger.With("request_id", id)
		ctx := context.WithValue(r.Context(), loggerKey{}, log)
		ctx = regent.NewContextWithRequestInfo(ctx, regent.RequestInfo{
			RequestID: id, IP: c.RealIP(), UserAgent: r.UserAgent(),
		})
		c.SetRequest(r.WithContext(ctx))
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		log.LogAttrs(ctx, level, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", status), slog.Duration("duration", time.Since(start)),
			slog.String("ip", c.RealIP()))
		return nil
	}
}

// recoverPanics turns a panic into a logged 500 instead of a dropped connection.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				loggerFrom(c.Request().Context(), s.cfg.Logger).Error("panic",
					"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		return next(c)
	}
}

// securityHeaders sets the headers every response should carry. The content security policy
// allows styles inline because the UI library sets style attributes; scripts only from us.
// Over HTTPS, browsers are told to stay on HTTPS.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		if s.secureCookies() {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "+
			"img-src 'self' data: https:; connect-src 'self'; font-src 'self' data:; object-src 'none'; "+
			"base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		return next(c)
	}
}

// caller resolves the session cookie, if any, into a caller.
func (s *Server) caller(c echo.Context) (*regent.Caller, error) {
	ck, err := c.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil, regent.Errorf(regent.EUNAUTHORIZED, "You are not signed in.")
	}
	return s.cfg.Auth.Authenticate(c.Request().Context(), ck.Value)
}

func setCaller(c echo.Context, caller *regent.Caller) {
	r := c.Request()
	c.SetRequest(r.WithContext(regent.NewContextWithCaller(r.Context(), caller)))
}

// requireCaller refuses requests without a valid session (401) and puts the caller into the
// request context for everything after it.
func (s *Server) requireCaller(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		caller, err := s.caller(c)
		if err != nil {
			// The cookie is left alone: a dead token is refused here whatever the browser
			// keeps, and clearing it would race with the fresh cookie that a start or stop in
			// another tab has just set (a request still in flight with the old token would
			// delete the new one, and sign that person out).
			return err
		}
		setCaller(c, caller)
		return next(c)
	}
}

// optionalCaller resolves the caller when there is one and lets the request on either way.
func (s *Server) optionalCaller(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if caller, err := s.caller(c); err == nil {
			setCaller(c, caller)
		} else if regent.ErrorCode(err) != regent.EUNAUTHORIZED {
			return err
		}
		return next(c)
	}
}

// csrfToken derives the session's CSRF token. It is a MAC of the session id, so it needs no
// storage, differs per session, and cannot be computed without the server's secret.
func (s *Server) csrfToken(sess *regent.LoginSession) string {
	m := hmac.New(sha256.New, s.cfg.SessionSecret)
	m.Write([]byte("csrf\x00" + sess.ID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// requireCSRF refuses state-changing requests of a signed-in caller that do not carry the
// session's token in X-CSRF-Token (403, code csrf_failed). Safe methods pass.
func (s *Server) requireCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		caller := regent.CallerFromContext(c.Request().Context())
		if caller == nil || caller.Session == nil {
			return next(c)
		}
		got := c.Request().Header.Get("X-CSRF-Token")
		if got == "" || !hmac.Equal([]byte(got), []byte(s.csrfToken(caller.Session))) {
			return &regent.Error{Code: regent.EFORBIDDEN, Reason: "csrf_failed",
				Message: "The request lacks a valid X-CSRF-Token header. Reload the page and try again."}
		}
		return next(c)
	}
}

func (s *Server) setCookie(c echo.Context, name, value, path string, maxAge time.Duration) {
	c.SetCookie(&http.Cookie{
		Name: name, Value: value, Path: path, MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearCookie(c echo.Context, name, path string) {
	c.SetCookie(&http.Cookie{
		Name: name, Value: "", Path: path, MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode,
	})
}
