package devidp

import (
	"bytes"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// routes builds the handler behind Handler. Paths below are relative to the issuer; op serves
// everything not listed here.
func (p *Provider) routes() http.Handler {
	mux := http.NewServeMux()

	mux.HandleFunc("GET /login", p.handleLoginPage)
	// The form carries nothing secret but the auth request id, which only the browser that
	// started the flow has seen; on top of that, refuse cross-origin posts outright.
	submit := http.NewCrossOriginProtection()
	submit.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.renderMessage(w, http.StatusForbidden, "This sign-in was posted from another site and was refused.")
	}))
	mux.Handle("POST /login", submit.Handler(http.HandlerFunc(p.handleLoginSubmit)))

	// Discovery and the token endpoint are narrowed to what the provider really supports; op
	// would advertise and route the implicit, JWT profile and other grants.
	mux.HandleFunc("GET "+oidc.DiscoveryEndpoint, p.handleDiscovery)
	token := p.op.TokenEndpoint().Relative()
	mux.HandleFunc("POST "+token, p.handleToken)
	mux.HandleFunc(token, methodNotAllowed("POST"))

	// There is no session to end, so logout is just a redirect (see handleEndSession).
	endSession := p.op.EndSessionEndpoint().Relative()
	mux.HandleFunc("GET "+endSession, p.handleEndSession)
	mux.HandleFunc("POST "+endSession, p.handleEndSession)

	// The sign-in handlers answer the client themselves (op.AuthResponse), so op's login
	// callback, which would mint further codes for a signed-in request, stays closed.
	mux.HandleFunc(p.op.AuthorizationEndpoint().Relative()+"/callback", http.NotFound)

	mux.Handle("/", p.op)

	stripped := http.StripPrefix(p.basePath, mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Only the issuer's path and what lies below it: "/idpx" is not under "/idp".
		rest, ok := strings.CutPrefix(r.URL.Path, p.basePath)
		if !ok || (rest != "" && rest[0] != '/') {
			http.NotFound(w, r)
			return
		}
		stripped.ServeHTTP(w, r)
	})
}

// handleLoginPage is where op sends the browser with a new auth request. A login_hint naming a
// Directory person signs them in at once, even with prompt=login: the provider has no session,
// so every sign-in is fresh. Otherwise it shows the sign-in page.
func (p *Provider) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	ar, ok := p.pendingAuthRequest(w, id)
	if !ok {
		return
	}
	users, err := p.directory.DevUsers(r.Context())
	if err != nil {
		p.logger.ErrorContext(r.Context(), "development identity provider: list users", slog.Any("error", err))
		p.renderMessage(w, http.StatusInternalServerError, "The list of development users could not be loaded. Check Regent's log.")
		return
	}
	// HEAD has no side effects: it never signs anyone in.
	if ar.loginHint != "" && r.Method == http.MethodGet {
		if u, found := findUser(users, ar.loginHint); found {
			p.signIn(w, r, id, u)
			return
		}
	}
	if ar.hasPrompt(oidc.PromptNone) && r.Method == http.MethodGet {
		// No session and no usable hint: prompt=none cannot be satisfied (OIDC Core 3.1.2.6).
		_ = p.storage.DeleteAuthRequest(r.Context(), id)
		op.AuthRequestError(w, r, ar, oidc.ErrLoginRequired().WithDescription("the development identity provider keeps no session"), p.op)
		return
	}
	p.renderSignIn(w, http.StatusOK, id, users, "")
}

// handleLoginSubmit signs in the person whose button was pressed. The posted email must be a
// Directory person and the auth request must still be pending.
func (p *Provider) handleLoginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		p.renderMessage(w, http.StatusBadRequest, "The sign-in form could not be read.")
		return
	}
	id := r.PostForm.Get("id")
	if _, ok := p.pendingAuthRequest(w, id); !ok {
		return
	}
	users, err := p.directory.DevUsers(r.Context())
	if err != nil {
		p.logger.ErrorContext(r.Context(), "development identity provider: list users", slog.Any("error", err))
		p.renderMessage(w, http.StatusInternalServerError, "The list of development users could not be loaded. Check Regent's log.")
		return
	}
	u, found := findUser(users, r.PostForm.Get("email"))
	if !found {
		p.renderSignIn(w, http.StatusBadRequest, id, users, "That person is not a development user. Choose one from the list.")
		return
	}
	p.signIn(w, r, id, u)
}

// pendingAuthRequest returns the auth request id if it can still be signed in, and otherwise
// answers with a page explaining why not.
func (p *Provider) pendingAuthRequest(w http.ResponseWriter, id string) (*authRequest, bool) {
	ar, err := p.storage.authRequest(id)
	if err != nil {
		p.renderMessage(w, http.StatusBadRequest, "This sign-in request is unknown or has expired. Go back to Regent and sign in again.")
		return nil, false
	}
	if ar.done {
		p.renderMessage(w, http.StatusBadRequest, "This sign-in request has already been used. Go back to Regent and sign in again.")
		return nil, false
	}
	return ar, true
}

// signIn authenticates the auth request id as u, now, and sends the browser back to the client
// with an authorization code.
func (p *Provider) signIn(w http.ResponseWriter, r *http.Request, id string, u User) {
	ar, err := p.storage.signIn(id, u)
	switch {
	case errors.Is(err, errAuthRequestDone):
		p.renderMessage(w, http.StatusBadRequest, "This sign-in request has already been used. Go back to Regent and sign in again.")
		return
	case err != nil:
		p.renderMessage(w, http.StatusBadRequest, "This sign-in request is unknown or has expired. Go back to Regent and sign in again.")
		return
	}
	p.logger.InfoContext(r.Context(), "development identity provider: signed in",
		slog.String("email", u.Email), slog.String("sub", Subject(u.Email)))
	ctx := op.ContextWithIssuer(r.Context(), p.issuer.String())
	op.AuthResponse(ar, p.op, w, r.WithContext(ctx))
}

// findUser returns the Directory person with email, compared case-insensitively.
func findUser(users []User, email string) (User, bool) {
	email = strings.TrimSpace(email)
	if email == "" {
		return User{}, false
	}
	for _, u := range users {
		if strings.EqualFold(u.Email, email) {
			return u, true
		}
	}
	return User{}, false
}

// handleDiscovery serves op's discovery document, narrowed to the code flow.
func (p *Provider) handleDiscovery(w http.ResponseWriter, r *http.Request) {
	ctx := op.ContextWithIssuer(r.Context(), p.issuer.String())
	cfg := op.CreateDiscoveryConfig(ctx, p.op, p.storage)
	cfg.ResponseTypesSupported = []string{string(oidc.ResponseTypeCode)}
	cfg.ResponseModesSupported = []string{string(oidc.ResponseModeQuery), string(oidc.ResponseModeFormPost)}
	cfg.GrantTypesSupported = []oidc.GrantType{oidc.GrantTypeCode}
	// The client is confidential: every endpoint wants its secret, and no JWT client assertions.
	secretMethods := []oidc.AuthMethod{oidc.AuthMethodBasic, oidc.AuthMethodPost}
	cfg.TokenEndpointAuthMethodsSupported = secretMethods
	cfg.RevocationEndpointAuthMethodsSupported = secretMethods
	cfg.RevocationEndpointAuthSigningAlgValuesSupported = nil
	cfg.IntrospectionEndpointAuthSigningAlgValuesSupported = nil
	cfg.DeviceAuthorizationEndpoint = ""
	cfg.CheckSessionIframe = ""
	cfg.RequestObjectSigningAlgValuesSupported = nil
	cfg.TokenEndpointAuthSigningAlgValuesSupported = nil
	op.Discover(w, cfg)
}

// handleToken passes authorization_code requests to op and refuses every other grant.
func (p *Provider) handleToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		op.RequestError(w, r, oidc.ErrInvalidRequest().WithDescription("cannot parse form"), nil)
		return
	}
	if grant := r.FormValue("grant_type"); grant != string(oidc.GrantTypeCode) {
		op.RequestError(w, r, oidc.ErrUnsupportedGrantType().WithDescription("only authorization_code is supported"), nil)
		return
	}
	p.op.ServeHTTP(w, r)
}

// handleEndSession is RP-initiated logout. The provider keeps no session, so all there is to
// do is send the browser to post_logout_redirect_uri — only when it is on the issuer's own
// origin, so the endpoint is no open redirect — or else show a signed-out page.
func (p *Provider) handleEndSession(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		p.renderMessage(w, http.StatusBadRequest, "The logout request could not be read.")
		return
	}
	if target, ok := p.sameOrigin(r.Form.Get("post_logout_redirect_uri")); ok {
		if state := r.Form.Get("state"); state != "" {
			q := target.Query()
			q.Set("state", state)
			target.RawQuery = q.Encode()
		}
		http.Redirect(w, r, target.String(), http.StatusFound)
		return
	}
	p.renderMessage(w, http.StatusOK, "You are signed out. The development identity provider keeps no session, so there was nothing more to end.")
}

// sameOrigin parses raw and reports whether it is an absolute URL on the issuer's origin.
func (p *Provider) sameOrigin(raw string) (*url.URL, bool) {
	if raw == "" {
		return nil, false
	}
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Opaque != "" {
		return nil, false
	}
	if u.Scheme != p.issuer.Scheme || !strings.EqualFold(u.Host, p.issuer.Host) {
		return nil, false
	}
	return u, true
}

// methodNotAllowed answers 405 with the allowed methods.
func methodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Allow", allow)
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
	}
}

// pageData is what the page template shows: either the sign-in form (Form set) or a message.
type pageData struct {
	Form    bool
	Action  string
	ID      string
	Users   []User
	Message string
	IsError bool
}

// renderSignIn shows the sign-in page for auth request id, with an optional error message.
func (p *Provider) renderSignIn(w http.ResponseWriter, status int, id string, users []User, problem string) {
	shown := make([]User, 0, len(users))
	for _, u := range users {
		if u.Email == "" {
			continue
		}
		if u.Name == "" {
			u.Name = u.Email
		}
		shown = append(shown, u)
	}
	p.render(w, status, pageData{
		Form:    true,
		Action:  p.basePath + "/login",
		ID:      id,
		Users:   shown,
		Message: problem,
		IsError: problem != "",
	})
}

// renderMessage shows a page with just a message; statuses of 400 and above mark it an error.
func (p *Provider) renderMessage(w http.ResponseWriter, status int, message string) {
	p.render(w, status, pageData{Message: message, IsError: status >= http.StatusBadRequest})
}

func (p *Provider) render(w http.ResponseWriter, status int, data pageData) {
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, data); err != nil {
		p.logger.Error("development identity provider: render page", slog.Any("error", err))
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", p.csp)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	// The page's URL carries the auth request id.
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Regent development sign-in</title>
<style>
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #f6f8fa; --card: #fff; --line: #d1d9e0; --accent: #0969da; --warn-bg: #fff8c5; --warn-line: #d4a72c; --err: #d1242f; }
@media (prefers-color-scheme: dark) { :root { --fg: #f0f6fc; --muted: #9198a1; --bg: #0d1117; --card: #151b23; --line: #3d444d; --accent: #4493f8; --warn-bg: #2e2a1a; --warn-line: #9e6a03; --err: #f85149; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; align-items: flex-start; justify-content: center; padding: 4rem 1rem; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { width: 100%; max-width: 34rem; background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 2rem; }
h1 { margin: 0 0 1rem; font-size: 1.5rem; line-height: 1.25; }
.note { margin: 0 0 1.5rem; padding: .75rem 1rem; background: var(--warn-bg); border: 1px solid var(--warn-line); border-radius: 8px; font-size: .95rem; }
.message { margin: 0 0 1.5rem; }
.error { color: var(--err); font-weight: 600; }
fieldset { border: 0; margin: 0; padding: 0; }
legend { padding: 0; margin-bottom: .75rem; font-weight: 600; }
ul { list-style: none; margin: 0; padding: 0; display: grid; gap: .5rem; }
button { width: 100%; text-align: left; padding: .75rem 1rem; font: inherit; color: var(--fg); background: var(--card); border: 1px solid var(--line); border-radius: 8px; cursor: pointer; }
button:hover { border-color: var(--accent); }
button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
</style>
</head>
<body>
<main>
<h1>Regent development sign-in</h1>
<p class="note" role="note">This identity provider exists only for local development. It asks for no password and signs you in as whoever you choose, and it runs only on a loopback address. Production uses a real identity provider.</p>
{{- if .Message}}
<p class="message{{if .IsError}} error{{end}}"{{if .IsError}} role="alert"{{end}}>{{.Message}}</p>
{{- end}}
{{- if .Form}}
{{- if .Users}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="id" value="{{.ID}}">
<fieldset>
<legend>Choose who to sign in as</legend>
<ul>
{{- range .Users}}
<li><button type="submit" name="email" value="{{.Email}}">Sign in as {{.Name}} ({{.Email}})</button></li>
{{- end}}
</ul>
</fieldset>
</form>
{{- else}}
<p class="message">No one can sign in yet: the directory lists no development users. Seed the demo data (<code>regent demo seed</code>) and reload this page.</p>
{{- end}}
{{- end}}
</main>
</body>
</html>
`))
