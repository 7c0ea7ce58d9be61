package httpapi

import (
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"github.com/regent/regent"
	"github.com/regent/regent/oidc"
)

// loginTTL bounds how long a sign-in may take at the provider.
const loginTTL = 10 * time.Minute

// safeReturnTo returns p if it is a same-site relative path, and "/" otherwise. It refuses
// absolute and scheme-relative URLs ("//evil", "/\evil"), control characters, and anything
// pointing back into the sign-in itself.
func safeReturnTo(p string) string {
	if p == "" || len(p) > 2048 || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	for _, r := range p {
		if unicode.IsControl(r) || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.HasPrefix(u.Path, "/auth/") {
		return "/"
	}
	return u.String()
}

func randomString() string {
	return base64.RawURLEncoding.EncodeToString(regent.RandomToken(32))
}

// handleLogin starts the code flow: it stores the state, nonce and PKCE verifier server-side
// (any replica can finish it), binds the attempt to this browser with a short-lived cookie,
// and redirects to the provider.
func (s *Server) handleLogin() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		now := s.cfg.Now.Now()
		st := &regent.LoginState{
			State: randomString(), Nonce: randomString(), CodeVerifier: oauth2.GenerateVerifier(),
			ReturnTo: safeReturnTo(c.QueryParam("return_to")), MaxAge: -1,
			CreatedAt: now, ExpiresAt: now.Add(loginTTL),
		}
		if c.QueryParam("reauth") == "1" {
			// Step-up before an impersonation: the provider must authenticate the person now
			// (prompt=login, max_age=0), and the callback checks auth_time says so.
			st.MaxAge = 0
		}
		if err := s.cfg.LoginStates.SaveLoginState(ctx, st); err != nil {
			return err
		}
		hint := c.QueryParam("login_hint")
		if a, err := mail.ParseAddress(hint); err != nil || a.Address != hint || len(hint) > 254 {
			hint = ""
		}
		dest, err := s.cfg.RP.AuthCodeURL(ctx, oidc.AuthRequest{
			State: st.State, Nonce: st.Nonce, CodeVerifier: st.CodeVerifier, LoginHint: hint, MaxAge: st.MaxAge,
		})
		if err != nil {
			loggerFrom(ctx, s.cfg.Logger).Error("identity provider unavailable", "error", err.Error())
			return s.authProblem(c, http.StatusServiceUnavailable, "The identity provider is not reachable",
				"Regent could not reach the sign-in service. Try again in a moment.")
		}
		s.setCookie(c, loginCookie, st.State, "/auth/", loginTTL)
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.Redirect(http.StatusFound, dest)
	}
}

// handleCallback finishes the code flow. The state must match this browser's cookie and a
// stored, unused, unexpired sign-in; the code is exchanged with the PKCE verifier; the ID
// token must verify and carry our nonce. Then the identity must belong to a provisioned
// user. Only then is a session opened, with a fresh cookie.
func (s *Server) handleCallback() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		log := loggerFrom(ctx, s.cfg.Logger)
		c.Response().Header().Set("Cache-Control", "no-store")
		state := c.QueryParam("state")
		ck, _ := c.Cookie(loginCookie)
		s.clearCookie(c, loginCookie, "/auth/")
		if pe := c.QueryParam("error"); pe != "" {
			log.Warn("sign-in refused by provider", "error", pe)
			return s.authProblem(c, http.StatusBadRequest, "Sign-in was not completed",
				"The identity provider did not sign you in. Try again.")
		}
		if state == "" || ck == nil || !hmac.Equal([]byte(ck.Value), []byte(state)) {
			log.Warn("sign-in callback with a state that is not this browser's")
			return s.authProblem(c, http.StatusBadRequest, "Sign-in could not be completed",
				"This sign-in did not start in this browser, or it has expired. Start again.")
		}
		st, err := s.cfg.LoginStates.ConsumeLoginState(ctx, state)
		if err != nil {
			if regent.ErrorCode(err) != regent.ENOTFOUND {
				return err
			}
			log.Warn("sign-in callback with an unknown or used state")
			return s.authProblem(c, http.StatusBadRequest, "Sign-in could not be completed",
				"This sign-in is unknown, already used or expired. Start again.")
		}
		id, err := s.cfg.RP.Exchange(ctx, c.QueryParam("code"), st.CodeVerifier, st.Nonce, st.MaxAge)
		if err != nil {
			log.Warn("sign-in token exchange or verification failed", "error", err.Error())
			return s.authProblem(c, http.StatusBadRequest, "Sign-in could not be completed",
				"The identity provider's answer could not be verified. Start again.")
		}
		// A previous session in this browser ends here: a sign-in always gets a new cookie.
		if old, err := s.caller(c); err == nil {
			_ = s.cfg.Auth.SignOut(regent.NewContextWithCaller(ctx, old))
		}
		sess, token, err := s.cfg.Auth.SignIn(ctx, regent.SignIn{
			Issuer: id.Issuer, Subject: id.Subject, Email: id.Email, EmailVerified: id.EmailVerified, AuthTime: id.AuthTime,
		})
		var de *regent.Error
		if errors.As(err, &de) && de.Reason == "not_provisioned" {
			return s.authProblem(c, http.StatusForbidden, "Your account is not provisioned",
				"You signed in as "+id.Email+", but nobody has invited that address to Regent. Ask your administrator to invite you, then sign in again.")
		} else if errors.As(err, &de) && de.Reason == "account_deactivated" {
			return s.authProblem(c, http.StatusForbidden, "Your account is deactivated",
				"Your Regent account has been deactivated. Ask your administrator to reactivate it.")
		} else if errors.As(err, &de) && de.Reason == "tenant_suspended" {
			return s.authProblem(c, http.StatusForbidden, "Your organisation is suspended", de.Message+" Ask your administrator.")
		} else if err != nil {
			return err
		}
		s.setCookie(c, sessionCookie, token, "/", time.Until(sess.ExpiresAt))
		return c.Redirect(http.StatusFound, st.ReturnTo)
	}
}

// handleLogout ends the session and clears the cookie. It answers 204 even without a
// session, so a stale tab can always sign out.
func (s *Server) handleLogout() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		if caller := regent.CallerFromContext(ctx); caller != nil {
			if err := s.cfg.Auth.SignOut(ctx); err != nil {
				return err
			}
		}
		s.clearCookie(c, sessionCookie, "/")
		return c.NoContent(http.StatusNoContent)
	}
}

var authProblemPage = template.Must(template.New("auth").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · Regent</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f5f6f8;color:#1a1b1e;margin:0}
main{max-width:34rem;margin:12vh auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.4rem;margin-top:0}a{display:inline-block;margin-top:1rem;background:#1c7ed6;color:#fff;padding:.6rem 1rem;border-radius:4px;text-decoration:none}
a:focus{outline:3px solid #74c0fc;outline-offset:2px}small{color:#5c5f66}
</style></head>
<body><main role="main"><h1>{{.Title}}</h1><p>{{.Message}}</p>
<a href="/auth/login">Sign in again</a>
<p><small>Request id: {{.RequestID}}</small></p></main></body></html>`))

// authProblem renders the sign-in's error pages: a person reads these, not a program.
func (s *Server) authProblem(c echo.Context, status int, title, message string) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return authProblemPage.Execute(c.Response(), map[string]string{
		"Title": title, "Message": message, "RequestID": c.Response().Header().Get(echo.HeaderXRequestID),
	})
}
