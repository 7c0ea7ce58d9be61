package devidp

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

const (
	testClientID     = "regent"
	testClientSecret = "s3cret"
)

var (
	ada   = User{Email: "ada@example.com", Name: "Ada Lovelace"}
	grace = User{Email: "Grace@Example.com", Name: "Grace Hopper"}
	eve   = User{Email: "eve@example.com", Name: `Eve <script>alert(1)</script> & "Co"`}
)

// fakeClock is an adjustable Config.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// directory is a fixed Directory; err, when set, is returned instead.
type directory struct {
	users []User
	err   error
}

func (d directory) DevUsers(context.Context) ([]User, error) {
	return d.users, d.err
}

// testEnv is a provider on a real HTTP server, a relying party (go-oidc + oauth2) and a
// "browser" that follows redirects until it reaches the relying party's callback.
type testEnv struct {
	srv         *httptest.Server
	base        string
	issuer      string
	redirectURI string
	clock       *fakeClock
	ctx         context.Context
	rp          *oidc.Provider
	oauth       oauth2.Config
	browser     *http.Client
	noRedirect  *http.Client
}

func newTestEnv(t *testing.T, dir Directory) *testEnv {
	t.Helper()
	// The listener exists before Start, so the issuer is known before the provider is built.
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	env := &testEnv{
		srv:         srv,
		base:        base,
		issuer:      base + "/idp",
		redirectURI: base + "/auth/callback",
		clock:       &fakeClock{t: time.Unix(time.Now().Unix(), 0)},
	}
	p, err := New(Config{
		Issuer:       env.issuer,
		ClientID:     testClientID,
		ClientSecret: testClientSecret,
		RedirectURIs: []string{env.redirectURI},
		Directory:    dir,
		Logger:       slog.New(slog.DiscardHandler),
		Now:          env.clock.Now,
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	mux := http.NewServeMux()
	// Mounted like the main server does: the full path reaches the handler.
	mux.Handle("/idp/", p.Handler())
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)

	env.ctx = oidc.ClientContext(context.WithValue(t.Context(), oauth2.HTTPClient, srv.Client()), srv.Client())
	env.rp, err = oidc.NewProvider(env.ctx, env.issuer)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	env.oauth = oauth2.Config{
		ClientID:     testClientID,
		ClientSecret: testClientSecret,
		Endpoint:     env.rp.Endpoint(),
		RedirectURL:  env.redirectURI,
		Scopes:       []string{oidc.ScopeOpenID, "email", "profile"},
	}
	env.oauth.Endpoint.AuthStyle = oauth2.AuthStyleInHeader
	env.browser = &http.Client{
		Transport: srv.Client().Transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if strings.HasPrefix(req.URL.String(), env.redirectURI) {
				return http.ErrUseLastResponse
			}
			if len(via) > 5 {
				return errors.New("too many redirects")
			}
			return nil
		},
	}
	env.noRedirect = &http.Client{
		Transport: srv.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return env
}

// flow is one authorization request of the relying party.
type flow struct {
	state, nonce, verifier string
}

func newFlow() flow {
	return flow{state: oauth2.GenerateVerifier(), nonce: oauth2.GenerateVerifier(), verifier: oauth2.GenerateVerifier()}
}

// authorize opens the authorization URL in the browser and returns where it stopped: the
// sign-in page, the callback redirect or an error.
func (e *testEnv) authorize(t *testing.T, f flow, params ...string) *http.Response {
	t.Helper()
	opts := []oauth2.AuthCodeOption{oidc.Nonce(f.nonce), oauth2.S256ChallengeOption(f.verifier)}
	for i := 0; i+1 < len(params); i += 2 {
		opts = append(opts, oauth2.SetAuthURLParam(params[i], params[i+1]))
	}
	return e.get(t, e.oauth.AuthCodeURL(f.state, opts...))
}

func (e *testEnv) get(t *testing.T, u string) *http.Response {
	t.Helper()
	resp, err := e.browser.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return resp
}

// signInPage is what a test reads from the sign-in page.
type signInPage struct {
	action  string
	id      string
	buttons []button
}

type button struct{ email, text string }

var (
	formRe   = regexp.MustCompile(`<form method="post" action="([^"]+)">`)
	idRe     = regexp.MustCompile(`<input type="hidden" name="id" value="([^"]+)">`)
	buttonRe = regexp.MustCompile(`<button type="submit" name="email" value="([^"]*)">([^<]*)</button>`)
)

// readSignInPage checks resp is the sign-in page and extracts its form.
func readSignInPage(t *testing.T, resp *http.Response) signInPage {
	t.Helper()
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign-in page status: got %d, want 200; body: %s", resp.StatusCode, body)
	}
	if !strings.Contains(body, "<h1>Regent development sign-in</h1>") {
		t.Fatalf("sign-in page: heading missing in %s", body)
	}
	form, id := formRe.FindStringSubmatch(body), idRe.FindStringSubmatch(body)
	if form == nil || id == nil {
		t.Fatalf("sign-in page: no form with an id in %s", body)
	}
	page := signInPage{action: html.UnescapeString(form[1]), id: html.UnescapeString(id[1])}
	for _, m := range buttonRe.FindAllStringSubmatch(body, -1) {
		page.buttons = append(page.buttons, button{email: html.UnescapeString(m[1]), text: html.UnescapeString(m[2])})
	}
	return page
}

func (e *testEnv) submit(t *testing.T, action, id, email string) *http.Response {
	t.Helper()
	resp, err := e.browser.PostForm(e.base+action, url.Values{"id": {id}, "email": {email}})
	if err != nil {
		t.Fatalf("POST %s: %v", action, err)
	}
	return resp
}

// code checks resp redirects to the callback with the flow's state and returns the code.
func (e *testEnv) code(t *testing.T, resp *http.Response, f flow) string {
	t.Helper()
	defer resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, e.redirectURI+"?") {
		t.Fatalf("got status %d to %q, want 302 to the callback", resp.StatusCode, loc)
	}
	q := mustParse(t, loc).Query()
	if got := q.Get("state"); got != f.state {
		t.Errorf("callback state: got %q, want %q", got, f.state)
	}
	if q.Get("error") != "" || q.Get("code") == "" {
		t.Fatalf("callback: got error %q (%s), want a code", q.Get("error"), q.Get("error_description"))
	}
	return q.Get("code")
}

func (e *testEnv) exchange(code, verifier string) (*oauth2.Token, error) {
	return e.oauth.Exchange(e.ctx, code, oauth2.VerifierOption(verifier))
}

// idClaims are the claims a test checks beyond what go-oidc verifies.
type idClaims struct {
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
	Name          string `json:"name"`
	AuthTime      *int64 `json:"auth_time"`
}

// verify verifies the ID token of tok with go-oidc and checks every claim about user.
func (e *testEnv) verify(t *testing.T, tok *oauth2.Token, f flow, user User, wantAuthTime time.Time) {
	t.Helper()
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		t.Fatal("token response has no id_token")
	}
	idToken, err := e.rp.Verifier(&oidc.Config{ClientID: testClientID}).Verify(e.ctx, raw)
	if err != nil {
		t.Fatalf("verify ID token: %v", err)
	}
	var c idClaims
	if err := idToken.Claims(&c); err != nil {
		t.Fatalf("ID token claims: %v", err)
	}
	if got, want := idToken.Subject, Subject(user.Email); got != want {
		t.Errorf("sub: got %q, want %q", got, want)
	}
	if got, want := idToken.Issuer, e.issuer; got != want {
		t.Errorf("iss: got %q, want %q", got, want)
	}
	if got, want := idToken.Nonce, f.nonce; got != want {
		t.Errorf("nonce: got %q, want %q", got, want)
	}
	if got, want := c.Email, user.Email; got != want {
		t.Errorf("email: got %q, want %q", got, want)
	}
	if !c.EmailVerified {
		t.Errorf("email_verified: got false, want true")
	}
	if got, want := c.Name, user.Name; got != want {
		t.Errorf("name: got %q, want %q", got, want)
	}
	if c.AuthTime == nil {
		t.Errorf("auth_time: missing, want %d", wantAuthTime.Unix())
	} else if got, want := *c.AuthTime, wantAuthTime.Unix(); got != want {
		t.Errorf("auth_time: got %d, want %d", got, want)
	}

	info, err := e.rp.UserInfo(e.ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	var ic idClaims
	if err := info.Claims(&ic); err != nil {
		t.Fatalf("userinfo claims: %v", err)
	}
	if info.Subject != idToken.Subject || info.Email != user.Email || !info.EmailVerified || ic.Name != user.Name {
		t.Errorf("userinfo: got sub %q email %q verified %v name %q, want %q %q true %q",
			info.Subject, info.Email, info.EmailVerified, ic.Name, idToken.Subject, user.Email, user.Name)
	}
}

// signInWithHint runs a whole flow with login_hint and returns the tokens.
func (e *testEnv) signInWithHint(t *testing.T, f flow, email string, params ...string) *oauth2.Token {
	t.Helper()
	resp := e.authorize(t, f, append([]string{"login_hint", email}, params...)...)
	tok, err := e.exchange(e.code(t, resp, f), f.verifier)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	return tok
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return string(b)
}

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	return u
}

func oauthErrorCode(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return ""
}

func TestMain(m *testing.M) {
	// zitadel's op package logs refused requests to the default logger; the tests cause many.
	slog.SetDefault(slog.New(slog.DiscardHandler))
	os.Exit(m.Run())
}

func TestSubject(t *testing.T) {
	t.Parallel()
	tests := []struct {
		email string
		want  string
	}{
		{"ada@example.com", "dev-b5fc85e55755f9e0d030a10a"},
		{"Ada@Example.COM", "dev-b5fc85e55755f9e0d030a10a"},
		{"tm-admin@classics.example", "dev-c57d01be523a82e991797215"},
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			if got := Subject(tt.email); got != tt.want {
				t.Errorf("Subject(%q): got %q, want %q", tt.email, got, tt.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	valid := Config{
		Issuer:       "http://127.0.0.1:8080/idp",
		ClientID:     testClientID,
		ClientSecret: testClientSecret,
		RedirectURIs: []string{"http://127.0.0.1:8080/auth/callback"},
		Directory:    directory{},
		Logger:       slog.New(slog.DiscardHandler),
	}
	tests := []struct {
		name    string
		change  func(*Config)
		wantErr bool
	}{
		{"loopback IPv4", func(c *Config) {}, false},
		{"other 127/8 address", func(c *Config) { c.Issuer = "http://127.1.2.3:9000/idp" }, false},
		{"localhost", func(c *Config) { c.Issuer = "http://localhost:8080/idp" }, false},
		{"IPv6 loopback", func(c *Config) { c.Issuer = "http://[::1]:8080/idp" }, false},
		{"https loopback at the root", func(c *Config) { c.Issuer = "https://127.0.0.1" }, false},
		{"public https issuer", func(c *Config) { c.Issuer = "https://idp.example.com" }, true},
		{"private address", func(c *Config) { c.Issuer = "http://10.0.0.1:8080/idp" }, true},
		{"unspecified address", func(c *Config) { c.Issuer = "http://0.0.0.0:8080/idp" }, true},
		{"localhost as a subdomain", func(c *Config) { c.Issuer = "http://localhost.example.com/idp" }, true},
		{"loopback as a subdomain", func(c *Config) { c.Issuer = "http://127.0.0.1.nip.io/idp" }, true},
		{"empty issuer", func(c *Config) { c.Issuer = "" }, true},
		{"not http", func(c *Config) { c.Issuer = "ftp://127.0.0.1/idp" }, true},
		{"trailing slash", func(c *Config) { c.Issuer = "http://127.0.0.1:8080/idp/" }, true},
		{"query in issuer", func(c *Config) { c.Issuer = "http://127.0.0.1:8080/idp?x=1" }, true},
		{"no client id", func(c *Config) { c.ClientID = "" }, true},
		{"no client secret", func(c *Config) { c.ClientSecret = "" }, true},
		{"no redirect URI", func(c *Config) { c.RedirectURIs = nil }, true},
		{"relative redirect URI", func(c *Config) { c.RedirectURIs = []string{"/auth/callback"} }, true},
		{"no directory", func(c *Config) { c.Directory = nil }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := valid
			tt.change(&cfg)
			p, err := New(cfg)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("New(issuer %q): got error %v, want error %v", cfg.Issuer, err, tt.wantErr)
			}
			if err == nil && p.Handler() == nil {
				t.Errorf("Handler: got nil, want a handler")
			}
		})
	}
}

func TestDiscovery(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, directory{users: []User{ada}})

	var doc struct {
		Issuer                string   `json:"issuer"`
		AuthorizationEndpoint string   `json:"authorization_endpoint"`
		TokenEndpoint         string   `json:"token_endpoint"`
		UserinfoEndpoint      string   `json:"userinfo_endpoint"`
		JWKSURI               string   `json:"jwks_uri"`
		EndSessionEndpoint    string   `json:"end_session_endpoint"`
		ResponseTypes         []string `json:"response_types_supported"`
		GrantTypes            []string `json:"grant_types_supported"`
		CodeChallengeMethods  []string `json:"code_challenge_methods_supported"`
		TokenAuthMethods      []string `json:"token_endpoint_auth_methods_supported"`
		Scopes                []string `json:"scopes_supported"`
	}
	if err := env.rp.Claims(&doc); err != nil {
		t.Fatalf("discovery document: %v", err)
	}
	if doc.Issuer != env.issuer {
		t.Errorf("issuer: got %q, want %q", doc.Issuer, env.issuer)
	}
	endpoints := map[string]string{
		"authorization_endpoint": doc.AuthorizationEndpoint,
		"token_endpoint":         doc.TokenEndpoint,
		"userinfo_endpoint":      doc.UserinfoEndpoint,
		"jwks_uri":               doc.JWKSURI,
		"end_session_endpoint":   doc.EndSessionEndpoint,
	}
	for name, u := range endpoints {
		if !strings.HasPrefix(u, env.issuer+"/") {
			t.Errorf("%s: got %q, want a URL under %s/", name, u, env.issuer)
		}
	}
	lists := []struct {
		name string
		got  []string
		want string
	}{
		{"response_types_supported", doc.ResponseTypes, "code"},
		{"grant_types_supported", doc.GrantTypes, "authorization_code"},
		{"code_challenge_methods_supported", doc.CodeChallengeMethods, "S256"},
		{"token_endpoint_auth_methods_supported", doc.TokenAuthMethods, "client_secret_basic client_secret_post"},
		{"scopes_supported", doc.Scopes, "openid email profile"},
	}
	for _, l := range lists {
		if got := strings.Join(l.got, " "); got != l.want {
			t.Errorf("%s: got %q, want %q", l.name, got, l.want)
		}
	}

	resp := env.get(t, doc.JWKSURI)
	var jwks struct {
		Keys []struct {
			Kid, Kty, Alg, Use string
		} `json:"keys"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&jwks); err != nil {
		t.Fatalf("JWKS: %v", err)
	}
	resp.Body.Close()
	if len(jwks.Keys) != 1 || jwks.Keys[0].Kid == "" || jwks.Keys[0].Kty != "RSA" || jwks.Keys[0].Alg != "RS256" || jwks.Keys[0].Use != "sig" {
		t.Errorf("JWKS: got %+v, want one RSA RS256 signing key with a kid", jwks.Keys)
	}
}

func TestCodeFlow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		user      User
		params    []string // extra authorization parameters
		usePage   bool     // sign in by pressing the user's button
		authStyle oauth2.AuthStyle
	}{
		{name: "sign-in page, client_secret_basic", user: ada, usePage: true, authStyle: oauth2.AuthStyleInHeader},
		{name: "sign-in page, client_secret_post", user: grace, usePage: true, authStyle: oauth2.AuthStyleInParams},
		{name: "login_hint skips the page", user: ada, params: []string{"login_hint", "ada@example.com"}},
		{name: "login_hint matches case-insensitively", user: grace, params: []string{"login_hint", "grace@example.com"}},
		{name: "login_hint with prompt=login", user: ada, params: []string{"login_hint", "ada@example.com", "prompt", "login"}},
		{name: "unknown login_hint shows the page", user: grace, params: []string{"login_hint", "nobody@example.com"}, usePage: true},
		{name: "response_mode=query", user: ada, params: []string{"login_hint", "ada@example.com", "response_mode", "query"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, directory{users: []User{ada, grace}})
			env.oauth.Endpoint.AuthStyle = tt.authStyle
			f := newFlow()

			resp := env.authorize(t, f, tt.params...)
			if tt.usePage {
				page := readSignInPage(t, resp)
				resp = env.submit(t, page.action, page.id, tt.user.Email)
			}
			signedInAt := env.clock.Now()
			tok, err := env.exchange(env.code(t, resp, f), f.verifier)
			if err != nil {
				t.Fatalf("exchange: %v", err)
			}
			if tok.RefreshToken != "" {
				t.Errorf("refresh token: got %q, want none", tok.RefreshToken)
			}
			env.verify(t, tok, f, tt.user, signedInAt)
		})
	}
}

func TestSignInPage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, directory{users: []User{ada, grace, eve}})
	resp := env.authorize(t, newFlow())

	if got := resp.Header.Get("Content-Security-Policy"); !strings.Contains(got, "frame-ancestors 'none'") {
		t.Errorf("Content-Security-Policy: got %q, want frame-ancestors 'none'", got)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control: got %q, want no-store", got)
	}
	page := readSignInPage(t, resp)
	if want := "/idp/login"; page.action != want {
		t.Errorf("form action: got %q, want %q", page.action, want)
	}
	want := []button{
		{ada.Email, "Sign in as Ada Lovelace (ada@example.com)"},
		{grace.Email, "Sign in as Grace Hopper (Grace@Example.com)"},
		{eve.Email, `Sign in as Eve <script>alert(1)</script> & "Co" (eve@example.com)`},
	}
	if len(page.buttons) != len(want) {
		t.Fatalf("buttons: got %+v, want %+v", page.buttons, want)
	}
	for i := range want {
		if page.buttons[i] != want[i] {
			t.Errorf("button %d: got %+v, want %+v", i, page.buttons[i], want[i])
		}
	}

	t.Run("escapes names", func(t *testing.T) {
		body := readBody(t, env.authorize(t, newFlow()))
		if strings.Contains(body, "<script>") {
			t.Errorf("page contains an unescaped <script>: %s", body)
		}
	})
	t.Run("empty directory", func(t *testing.T) {
		env := newTestEnv(t, directory{})
		body := readBody(t, env.authorize(t, newFlow()))
		if strings.Contains(body, "<button") || !strings.Contains(body, "No one can sign in yet") {
			t.Errorf("got %s, want a page without buttons explaining the directory is empty", body)
		}
	})
	t.Run("directory error", func(t *testing.T) {
		env := newTestEnv(t, directory{err: errors.New("database down")})
		resp := env.authorize(t, newFlow())
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusInternalServerError || strings.Contains(body, "database down") {
			t.Errorf("got %d %s, want 500 without the internal error", resp.StatusCode, body)
		}
	})
}

func TestSignInRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		do         func(t *testing.T, env *testEnv, page signInPage) *http.Response
		wantStatus int
		wantText   string
	}{
		{
			name: "unknown auth request",
			do: func(t *testing.T, env *testEnv, page signInPage) *http.Response {
				return env.get(t, env.issuer+"/login?id=nope")
			},
			wantStatus: http.StatusBadRequest,
			wantText:   "unknown or has expired",
		},
		{
			name: "user not in the directory",
			do: func(t *testing.T, env *testEnv, page signInPage) *http.Response {
				return env.submit(t, page.action, page.id, "mallory@example.com")
			},
			wantStatus: http.StatusBadRequest,
			wantText:   "not a development user",
		},
		{
			name: "posted twice",
			do: func(t *testing.T, env *testEnv, page signInPage) *http.Response {
				env.code(t, env.submit(t, page.action, page.id, ada.Email), flow{state: "s"})
				return env.submit(t, page.action, page.id, grace.Email)
			},
			wantStatus: http.StatusBadRequest,
			wantText:   "already been used",
		},
		{
			name: "expired auth request",
			do: func(t *testing.T, env *testEnv, page signInPage) *http.Response {
				env.clock.Advance(authRequestLifetime)
				return env.submit(t, page.action, page.id, ada.Email)
			},
			wantStatus: http.StatusBadRequest,
			wantText:   "unknown or has expired",
		},
		{
			name: "cross-origin post",
			do: func(t *testing.T, env *testEnv, page signInPage) *http.Response {
				req, err := http.NewRequest(http.MethodPost, env.base+page.action,
					strings.NewReader(url.Values{"id": {page.id}, "email": {ada.Email}}.Encode()))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", "https://evil.example")
				req.Header.Set("Sec-Fetch-Site", "cross-site")
				resp, err := env.browser.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				return resp
			},
			wantStatus: http.StatusForbidden,
			wantText:   "refused",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, directory{users: []User{ada, grace}})
			page := readSignInPage(t, env.authorize(t, flow{state: "s", nonce: "n", verifier: oauth2.GenerateVerifier()}))
			resp := tt.do(t, env, page)
			body := readBody(t, resp)
			if resp.StatusCode != tt.wantStatus || !strings.Contains(body, tt.wantText) {
				t.Errorf("got %d %q, want %d containing %q", resp.StatusCode, body, tt.wantStatus, tt.wantText)
			}
			if loc := resp.Header.Get("Location"); loc != "" {
				t.Errorf("Location: got %q, want no redirect", loc)
			}
		})
	}
}

func TestTokenEndpointRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		exchange func(t *testing.T, env *testEnv, code string, f flow) error
		wantCode string
	}{
		{
			name: "wrong PKCE verifier",
			exchange: func(t *testing.T, env *testEnv, code string, f flow) error {
				_, err := env.exchange(code, oauth2.GenerateVerifier())
				return err
			},
			wantCode: "invalid_grant",
		},
		{
			name: "missing PKCE verifier",
			exchange: func(t *testing.T, env *testEnv, code string, f flow) error {
				_, err := env.oauth.Exchange(env.ctx, code)
				return err
			},
			wantCode: "invalid_request",
		},
		{
			name: "code used twice",
			exchange: func(t *testing.T, env *testEnv, code string, f flow) error {
				tok, err := env.exchange(code, f.verifier)
				if err != nil {
					t.Fatalf("first exchange: %v", err)
				}
				_, err = env.exchange(code, f.verifier)
				// Reuse revokes what the first exchange issued.
				if _, uerr := env.rp.UserInfo(env.ctx, oauth2.StaticTokenSource(tok)); uerr == nil {
					t.Errorf("userinfo after code reuse: got success, want the access token revoked")
				}
				return err
			},
			wantCode: "invalid_grant",
		},
		{
			name: "expired code",
			exchange: func(t *testing.T, env *testEnv, code string, f flow) error {
				env.clock.Advance(codeLifetime)
				_, err := env.exchange(code, f.verifier)
				return err
			},
			wantCode: "invalid_grant",
		},
		{
			name: "wrong client secret",
			exchange: func(t *testing.T, env *testEnv, code string, f flow) error {
				env.oauth.ClientSecret = "wrong"
				_, err := env.exchange(code, f.verifier)
				return err
			},
			wantCode: "invalid_client",
		},
		{
			name: "different redirect_uri",
			exchange: func(t *testing.T, env *testEnv, code string, f flow) error {
				env.oauth.RedirectURL = env.base + "/elsewhere"
				_, err := env.exchange(code, f.verifier)
				return err
			},
			wantCode: "invalid_grant",
		},
		{
			name: "unsupported grant type",
			exchange: func(t *testing.T, env *testEnv, code string, f flow) error {
				_, err := env.oauth.Exchange(env.ctx, code, oauth2.SetAuthURLParam("grant_type", "client_credentials"))
				return err
			},
			wantCode: "unsupported_grant_type",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, directory{users: []User{ada}})
			f := newFlow()
			code := env.code(t, env.authorize(t, f, "login_hint", ada.Email), f)
			err := tt.exchange(t, env, code, f)
			if got := oauthErrorCode(err); got != tt.wantCode {
				t.Errorf("token error: got %q (%v), want %q", got, err, tt.wantCode)
			}
		})
	}
}

func TestLateSignInStillRedeems(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, directory{users: []User{ada}})
	f := newFlow()
	page := readSignInPage(t, env.authorize(t, f))
	env.clock.Advance(authRequestLifetime - time.Second)
	code := env.code(t, env.submit(t, page.action, page.id, ada.Email), f)
	signedInAt := env.clock.Now()
	env.clock.Advance(codeLifetime - time.Second)
	tok, err := env.exchange(code, f.verifier)
	if err != nil {
		t.Fatalf("exchange just before the code expires: %v", err)
	}
	env.verify(t, tok, f, ada, signedInAt)
}

func TestCodeRedeemedOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, directory{users: []User{ada}})
	f := newFlow()
	code := env.code(t, env.authorize(t, f, "login_hint", ada.Email), f)

	const attempts = 8
	var wg sync.WaitGroup
	errs := make(chan error, attempts)
	for range attempts {
		wg.Go(func() {
			_, err := env.exchange(code, f.verifier)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	succeeded := 0
	for err := range errs {
		if err == nil {
			succeeded++
		}
	}
	if succeeded != 1 {
		t.Errorf("successful exchanges of one code: got %d, want 1", succeeded)
	}
}

func TestAccessTokenExpires(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, directory{users: []User{ada}})
	f := newFlow()
	tok := env.signInWithHint(t, f, ada.Email)
	if _, err := env.rp.UserInfo(env.ctx, oauth2.StaticTokenSource(tok)); err != nil {
		t.Fatalf("userinfo with a fresh token: %v", err)
	}
	env.clock.Advance(accessTokenLifetime)
	if _, err := env.rp.UserInfo(env.ctx, oauth2.StaticTokenSource(tok)); err == nil {
		t.Errorf("userinfo with an expired token: got success, want refusal")
	}
}

func TestAuthorizeRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// edit changes the authorization URL's query.
		edit func(env *testEnv, q url.Values)
		// wantError is the error sent back to the client; "" means the provider must answer
		// 400 itself and must not redirect anywhere.
		wantError string
	}{
		{"unknown redirect_uri", func(env *testEnv, q url.Values) { q.Set("redirect_uri", "https://evil.example/cb") }, ""},
		{"redirect_uri with extra path", func(env *testEnv, q url.Values) { q.Set("redirect_uri", env.redirectURI+"/x") }, ""},
		{"unknown client", func(env *testEnv, q url.Values) { q.Set("client_id", "someone-else") }, ""},
		{"no PKCE", func(env *testEnv, q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") }, "invalid_request"},
		{"plain PKCE", func(env *testEnv, q url.Values) { q.Set("code_challenge_method", "plain") }, "invalid_request"},
		{"implicit flow", func(env *testEnv, q url.Values) { q.Set("response_type", "id_token") }, ""},
		{"no openid scope", func(env *testEnv, q url.Values) { q.Set("scope", "email profile") }, "invalid_scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, directory{users: []User{ada}})
			f := newFlow()
			u := mustParse(t, env.oauth.AuthCodeURL(f.state, oidc.Nonce(f.nonce), oauth2.S256ChallengeOption(f.verifier),
				oauth2.SetAuthURLParam("login_hint", ada.Email)))
			q := u.Query()
			tt.edit(env, q)
			u.RawQuery = q.Encode()

			resp := env.get(t, u.String())
			defer resp.Body.Close()
			loc := resp.Header.Get("Location")
			if tt.wantError == "" {
				if resp.StatusCode != http.StatusBadRequest || loc != "" {
					t.Fatalf("got %d redirecting to %q, want 400 without redirect", resp.StatusCode, loc)
				}
				return
			}
			if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, env.redirectURI+"?") {
				t.Fatalf("got %d to %q, want a redirect to the callback", resp.StatusCode, loc)
			}
			cq := mustParse(t, loc).Query()
			if got := cq.Get("error"); got != tt.wantError {
				t.Errorf("error: got %q, want %q", got, tt.wantError)
			}
			if cq.Get("code") != "" {
				t.Errorf("code: got %q, want none", cq.Get("code"))
			}
		})
	}
}

func TestFreshAuthentication(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params []string
	}{
		{"prompt=login with max_age=0", []string{"prompt", "login", "max_age", "0"}},
		{"max_age=0", []string{"max_age", "0"}},
		{"max_age=300", []string{"max_age", "300"}},
		{"no max_age", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, directory{users: []User{ada}})
			first := newFlow()
			firstAt := env.clock.Now()
			env.verify(t, env.signInWithHint(t, first, ada.Email), first, ada, firstAt)

			// A later request authenticates anew: there is no session to reuse.
			env.clock.Advance(7 * time.Minute)
			second := newFlow()
			secondAt := env.clock.Now()
			env.verify(t, env.signInWithHint(t, second, ada.Email, tt.params...), second, ada, secondAt)

			// Also through the page, which is what prompt=login shows without a hint.
			env.clock.Advance(time.Minute)
			third := newFlow()
			page := readSignInPage(t, env.authorize(t, third, tt.params...))
			thirdAt := env.clock.Now()
			tok, err := env.exchange(env.code(t, env.submit(t, page.action, page.id, ada.Email), third), third.verifier)
			if err != nil {
				t.Fatalf("exchange: %v", err)
			}
			env.verify(t, tok, third, ada, thirdAt)
		})
	}
}

func TestPromptNone(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, directory{users: []User{ada}})

	t.Run("without a hint", func(t *testing.T) {
		f := newFlow()
		resp := env.authorize(t, f, "prompt", "none")
		defer resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, env.redirectURI+"?") {
			t.Fatalf("got %d to %q, want a redirect to the callback", resp.StatusCode, loc)
		}
		q := mustParse(t, loc).Query()
		if q.Get("error") != "login_required" || q.Get("state") != f.state {
			t.Errorf("got error %q state %q, want login_required and %q", q.Get("error"), q.Get("state"), f.state)
		}
	})
	t.Run("with a known hint", func(t *testing.T) {
		f := newFlow()
		env.verify(t, env.signInWithHint(t, f, ada.Email, "prompt", "none"), f, ada, env.clock.Now())
	})
}

func TestEndSession(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, directory{users: []User{ada}})
	tests := []struct {
		name         string
		query        url.Values
		wantLocation string // "" means the signed-out page, no redirect
	}{
		{"same origin with state", url.Values{"post_logout_redirect_uri": {env.base + "/signed-out"}, "state": {"xyz"}}, env.base + "/signed-out?state=xyz"},
		{"same origin", url.Values{"post_logout_redirect_uri": {env.base + "/"}}, env.base + "/"},
		{"other origin", url.Values{"post_logout_redirect_uri": {"https://evil.example/"}}, ""},
		{"origin prefix trick", url.Values{"post_logout_redirect_uri": {env.base + ".evil.example/"}}, ""},
		{"no redirect", url.Values{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, err := env.noRedirect.Get(env.issuer + "/end_session?" + tt.query.Encode())
			if err != nil {
				t.Fatal(err)
			}
			body := readBody(t, resp)
			loc := resp.Header.Get("Location")
			if tt.wantLocation != "" {
				if resp.StatusCode != http.StatusFound || loc != tt.wantLocation {
					t.Errorf("got %d to %q, want 302 to %q", resp.StatusCode, loc, tt.wantLocation)
				}
				return
			}
			if resp.StatusCode != http.StatusOK || loc != "" || !strings.Contains(body, "signed out") {
				t.Errorf("got %d to %q, want 200 signed-out page", resp.StatusCode, loc)
			}
		})
	}
}

func TestHandlerServesOnlyUnderIssuerPath(t *testing.T) {
	t.Parallel()
	p, err := New(Config{
		Issuer:       "http://127.0.0.1:8080/idp",
		ClientID:     testClientID,
		ClientSecret: testClientSecret,
		RedirectURIs: []string{"http://127.0.0.1:8080/auth/callback"},
		Directory:    directory{},
		Logger:       slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path       string
		wantStatus int
	}{
		{"/idp/.well-known/openid-configuration", http.StatusOK},
		{"/idp/keys", http.StatusOK},
		{"/.well-known/openid-configuration", http.StatusNotFound},
		{"/idpx/.well-known/openid-configuration", http.StatusNotFound},
		{"/idp/oauth/token", http.StatusMethodNotAllowed},
		{"/idp/authorize/callback?id=x", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			p.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if rec.Code != tt.wantStatus {
				t.Errorf("GET %s: got %d, want %d", tt.path, rec.Code, tt.wantStatus)
			}
		})
	}
}
