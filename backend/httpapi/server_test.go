package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/regent/regent/devidp"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
	"github.com/regent/regent/httpapi"
	"github.com/regent/regent/oidc"
)

// env is a running Regent with the embedded identity provider, over real HTTP.
type env struct {
	t     *testing.T
	db    *gormstore.DB
	dbURL string
	url   string
	clock *testClock
}

type testClock struct{ t time.Time }

func (c *testClock) now() time.Time { return c.t }

// directory lets the provider sign in the seeded users plus extra people Regent does not know.
type directory struct {
	db    *gormstore.DB
	extra []devidp.User
}

func (d directory) DevUsers(ctx context.Context) ([]devidp.User, error) {
	us, err := d.db.DevUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := append([]devidp.User(nil), d.extra...)
	for _, u := range us {
		out = append(out, devidp.User{Email: u.Email, Name: u.Name})
	}
	return out, nil
}

func newEnv(t *testing.T, dialect string) *env {
	t.Helper()
	dbURL := storetest.URL(t, dialect)
	db := openDB(t, dbURL)
	clk := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	db.Now = clk.now
	if _, err := db.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &env{t: t, db: db, dbURL: dbURL, url: serveOn(t, db, clk), clock: clk}
}

// replica starts a second server on the same database, as another Regent process would.
func (e *env) replica() *env {
	db := openDB(e.t, e.dbURL)
	db.Now = e.clock.now
	return &env{t: e.t, db: db, dbURL: e.dbURL, url: serveOn(e.t, db, e.clock), clock: e.clock}
}

func openDB(t *testing.T, dbURL string) *gormstore.DB {
	t.Helper()
	db, err := gormstore.Open(context.Background(), dbURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// serveOn runs Regent's handler over db with the embedded provider on a loopback port.
func serveOn(t *testing.T, db *gormstore.DB, clk *testClock) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	pu, _ := url.Parse(base)
	idp, err := devidp.New(devidp.Config{
		Issuer: base + "/idp", ClientID: "regent-test", ClientSecret: "test-secret",
		RedirectURIs: []string{base + "/auth/callback"},
		Directory:    directory{db: db, extra: []devidp.User{{Email: "stranger@example.com", Name: "Stranger"}}},
		Now:          clk.now,
		Logger:       slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	auth := gormstore.NewAuthService(db)
	srv := httpapi.NewServer(httpapi.Config{
		PublicURL: pu, Auth: auth, LoginStates: auth,
		Tenants: gormstore.NewTenantService(db), Users: gormstore.NewUserService(db), Roles: gormstore.NewRoleService(db),
		BusinessUnits: gormstore.NewBusinessUnitService(db), Skills: gormstore.NewSkillService(db),
		Branding: gormstore.NewBrandingService(db), Contacts: gormstore.NewContactService(db),
		Impersonations: gormstore.NewImpersonationService(db), Policies: gormstore.NewPolicyService(db),
		Audit: gormstore.NewAuditService(db),
		RP: oidc.New(oidc.Config{Issuer: base + "/idp", ClientID: "regent-test", ClientSecret: "test-secret",
			// The provider stamps iat and exp with the real time (zitadel has no clock to
			// inject), so the relying party checks them against the real time too.
			RedirectURL: base + "/auth/callback"}),
		SessionSecret:    []byte("0123456789abcdef0123456789abcdef"),
		Ready:            db.Ping,
		IdentityProvider: idp.Handler(),
		Now:              clk.now,
	})
	ts := httptest.NewUnstartedServer(srv)
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	t.Cleanup(ts.Close)
	return base
}

// browser is an HTTP client with a cookie jar that records every redirect it follows.
type browser struct {
	*http.Client
	hops []*url.URL
}

func newBrowser() *browser {
	jar, _ := cookiejar.New(nil)
	b := &browser{}
	b.Client = &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		b.hops = append(b.hops, req.URL)
		return nil
	}}
	return b
}

func (b *browser) cookie(base, name string) string {
	u, _ := url.Parse(base)
	for _, c := range b.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// signIn signs in through the provider with login_hint and returns the /api/me document.
func (e *env) signIn(b *browser, email string) map[string]any {
	e.t.Helper()
	res, err := b.Get(e.url + "/auth/login?login_hint=" + url.QueryEscape(email) + "&return_to=/tenants")
	if err != nil {
		e.t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path != "/tenants" {
		e.t.Fatalf("sign in %s: landed on %s (status %d)", email, res.Request.URL, res.StatusCode)
	}
	status, me := e.do(b, "GET", "/api/me", "", nil)
	if status != 200 {
		e.t.Fatalf("/api/me after sign-in: %d %v", status, me)
	}
	return me
}

// do sends a request and decodes a JSON answer.
func (e *env) do(b *browser, method, path, body string, headers map[string]string) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := b.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var doc map[string]any
	if ct := res.Header.Get("Content-Type"); strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "application/problem+json") {
		if err := json.Unmarshal(raw, &doc); err != nil {
			e.t.Fatalf("%s %s: bad JSON %.200q", method, path, raw)
		}
	} else {
		doc = map[string]any{"_body": string(raw)}
	}
	return res.StatusCode, doc
}

func TestSignInFlow(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)

			t.Run("login_hint signs in and /api/me knows the user", func(t *testing.T) {
				b := newBrowser()
				me := e.signIn(b, "tm-admin@classics.example")
				user := me["user"].(map[string]any)
				if user["name"] != "Tess Morgan" || me["home"].(map[string]any)["kind"] != "platform" {
					t.Errorf("me: got %v", me)
				}
				if me["csrfToken"] == "" || me["impersonation"] != nil {
					t.Errorf("me: csrfToken %v impersonation %v", me["csrfToken"], me["impersonation"])
				}
				perms, _ := me["permissions"].([]any)
				if len(perms) == 0 {
					t.Errorf("me: no permissions")
				}
				// The authorize request carried PKCE S256, state and nonce.
				var authz *url.URL
				for _, h := range b.hops {
					if strings.HasSuffix(h.Path, "/authorize") {
						authz = h
					}
				}
				if authz == nil {
					t.Fatalf("no authorize hop in %v", b.hops)
				}
				q := authz.Query()
				if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("state") == "" || q.Get("nonce") == "" {
					t.Errorf("authorize request lacks PKCE/state/nonce: %v", q)
				}
			})

			t.Run("the session cookie is HttpOnly and SameSite=Lax", func(t *testing.T) {
				b := newBrowser()
				b.CheckRedirect = func(req *http.Request, via []*http.Request) error {
					if req.URL.Path == "/tenants" {
						return http.ErrUseLastResponse
					}
					return nil
				}
				res, err := b.Get(e.url + "/auth/login?login_hint=support@classics.example&return_to=/tenants")
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				var set string
				for _, c := range res.Header.Values("Set-Cookie") {
					if strings.HasPrefix(c, "regent_session=") {
						set = c
					}
				}
				if !strings.Contains(set, "HttpOnly") || !strings.Contains(set, "SameSite=Lax") || strings.Contains(set, "Secure") {
					t.Errorf("Set-Cookie: got %q", set)
				}
			})

			t.Run("a replayed callback is refused", func(t *testing.T) {
				b := newBrowser()
				e.signIn(b, "support@classics.example")
				var cb *url.URL
				for _, h := range b.hops {
					if h.Path == "/auth/callback" {
						cb = h
					}
				}
				if cb == nil {
					t.Fatal("no callback hop")
				}
				// Same browser (it still has its cookies), same URL: the state is used up.
				res, err := b.Get(cb.String())
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusBadRequest {
					t.Errorf("replay: got %d, want 400", res.StatusCode)
				}
			})

			t.Run("forged state or code is refused", func(t *testing.T) {
				for name, mutate := range map[string]func(q url.Values){
					"state": func(q url.Values) { q.Set("state", "forged") },
					"code":  func(q url.Values) { q.Set("code", "forged") },
				} {
					t.Run(name, func(t *testing.T) {
						b := newBrowser()
						b.CheckRedirect = stopAt("/auth/callback")
						res, err := b.Get(e.url + "/auth/login?login_hint=support@classics.example")
						if err != nil {
							t.Fatal(err)
						}
						res.Body.Close()
						cb, _ := url.Parse(res.Header.Get("Location"))
						q := cb.Query()
						mutate(q)
						cb.RawQuery = q.Encode()
						res, err = b.Get(cb.String())
						if err != nil {
							t.Fatal(err)
						}
						res.Body.Close()
						if res.StatusCode != http.StatusBadRequest || b.cookie(e.url, "regent_session") != "" {
							t.Errorf("got %d with session %q, want 400 and no session", res.StatusCode, b.cookie(e.url, "regent_session"))
						}
					})
				}
			})

			t.Run("a state from another browser is refused", func(t *testing.T) {
				attacker := newBrowser()
				attacker.CheckRedirect = stopAt("/auth/callback")
				res, err := attacker.Get(e.url + "/auth/login?login_hint=support@classics.example")
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				victim := newBrowser()
				res, err = victim.Get(res.Header.Get("Location"))
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusBadRequest || victim.cookie(e.url, "regent_session") != "" {
					t.Errorf("login CSRF: got %d, want 400 and no session", res.StatusCode)
				}
			})

			t.Run("tampered nonce or PKCE challenge at the provider is refused", func(t *testing.T) {
				for _, param := range []string{"nonce", "code_challenge"} {
					t.Run(param, func(t *testing.T) {
						b := newBrowser()
						b.CheckRedirect = func(req *http.Request, via []*http.Request) error {
							if strings.HasSuffix(req.URL.Path, "/authorize") {
								return http.ErrUseLastResponse
							}
							return nil
						}
						res, err := b.Get(e.url + "/auth/login?login_hint=support@classics.example")
						if err != nil {
							t.Fatal(err)
						}
						res.Body.Close()
						authz, _ := url.Parse(res.Header.Get("Location"))
						q := authz.Query()
						q.Set(param, "tampered-"+strings.Repeat("x", 43))
						authz.RawQuery = q.Encode()
						b.CheckRedirect = nil
						res, err = b.Get(authz.String())
						if err != nil {
							t.Fatal(err)
						}
						res.Body.Close()
						if res.StatusCode != http.StatusBadRequest || b.cookie(e.url, "regent_session") != "" {
							t.Errorf("got %d at %s, want 400 and no session", res.StatusCode, res.Request.URL.Path)
						}
					})
				}
			})

			t.Run("an unknown identity gets the not-provisioned page and no account", func(t *testing.T) {
				b := newBrowser()
				res, err := b.Get(e.url + "/auth/login?login_hint=stranger@example.com")
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "not provisioned") {
					t.Errorf("got %d %q", res.StatusCode, body)
				}
				if b.cookie(e.url, "regent_session") != "" {
					t.Error("a session cookie was set")
				}
			})

			t.Run("the people of a suspended tenant are signed out and get the suspended page", func(t *testing.T) {
				tb, lb := newBrowser(), newBrowser()
				me := e.signIn(tb, "tenant-admin@paris.lsp.example")
				paris := me["home"].(map[string]any)["id"].(string)
				lme := e.signIn(lb, "partner-admin@lsp.example")
				patch := func(status string) {
					t.Helper()
					_, cur := e.do(lb, "GET", "/api/tenants/"+paris, "", nil)
					code, doc := e.do(lb, "PATCH", "/api/tenants/"+paris, fmt.Sprintf(`{"version": %v, "status": %q}`, cur["version"], status),
						map[string]string{"X-CSRF-Token": lme["csrfToken"].(string)})
					if code != 200 {
						t.Fatalf("%s: %d %v", status, code, doc)
					}
				}
				patch("suspended")
				defer patch("active")
				if code, doc := e.do(tb, "GET", "/api/me", "", nil); code != 401 {
					t.Errorf("an open session of the suspended tenant: %d %v", code, doc)
				}
				res, err := newBrowser().Get(e.url + "/auth/login?login_hint=tenant-admin@paris.lsp.example")
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "suspended") {
					t.Errorf("signing in: got %d %q", res.StatusCode, body)
				}
			})

			t.Run("return_to only ever leads to a path on this site", func(t *testing.T) {
				for _, rt := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/auth/logout"} {
					b := newBrowser()
					res, err := b.Get(e.url + "/auth/login?login_hint=support@classics.example&return_to=" + url.QueryEscape(rt))
					if err != nil {
						t.Fatal(err)
					}
					res.Body.Close()
					if res.Request.URL.Host != strings.TrimPrefix(e.url, "http://") || res.Request.URL.Path != "/" {
						t.Errorf("return_to %q: landed on %s", rt, res.Request.URL)
					}
				}
			})

			t.Run("CSRF is enforced and logout kills the cookie", func(t *testing.T) {
				b := newBrowser()
				me := e.signIn(b, "partner-admin@lsp.example")
				token := b.cookie(e.url, "regent_session")
				for name, h := range map[string]map[string]string{"missing": nil, "wrong": {"X-CSRF-Token": "nope"}} {
					status, doc := e.do(b, "POST", "/auth/logout", "", h)
					if status != 403 || doc["code"] != "csrf_failed" {
						t.Errorf("%s token: got %d %v, want 403 csrf_failed", name, status, doc)
					}
					status, doc = e.do(b, "POST", "/api/me", "{}", h)
					if status != 403 || doc["code"] != "csrf_failed" {
						t.Errorf("%s token on /api: got %d %v, want 403 csrf_failed", name, status, doc)
					}
				}
				status, _ := e.do(b, "POST", "/auth/logout", "", map[string]string{"X-CSRF-Token": me["csrfToken"].(string)})
				if status != 204 {
					t.Fatalf("logout: got %d, want 204", status)
				}
				if b.cookie(e.url, "regent_session") != "" {
					t.Error("the browser kept the cookie")
				}
				replay := newBrowser()
				status, doc := e.do(replay, "GET", "/api/me", "", map[string]string{"Cookie": "regent_session=" + token})
				if status != 401 || doc["code"] != "unauthorized" {
					t.Errorf("old cookie after logout: got %d %v, want 401", status, doc)
				}
			})

			t.Run("an expired session is refused", func(t *testing.T) {
				b := newBrowser()
				e.signIn(b, "implementer@classics.example")
				e.clock.t = e.clock.t.Add(13 * time.Hour)
				defer func() { e.clock.t = e.clock.t.Add(-13 * time.Hour) }()
				if status, _ := e.do(b, "GET", "/api/me", "", nil); status != 401 {
					t.Errorf("got %d, want 401", status)
				}
			})
		})
	}
}

func stopAt(path string) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if req.URL.Path == path {
			return http.ErrUseLastResponse
		}
		return nil
	}
}

func TestAPIScenarios(t *testing.T) {
	e := newEnv(t, gormstore.DialectSQLite)
	signedIn := newBrowser()
	me := e.signIn(signedIn, "support@classics.example")
	csrf := me["csrfToken"].(string)
	anon := newBrowser()

	tests := []struct {
		name       string
		b          *browser
		method     string
		path       string
		headers    map[string]string
		wantStatus int
		wantParts  []string
	}{
		{"healthz", anon, "GET", "/healthz", nil, 200, []string{`"ok"`}},
		{"readyz", anon, "GET", "/readyz", nil, 200, []string{`"ready"`}},
		{"me without session", anon, "GET", "/api/me", nil, 401, []string{`"code":"unauthorized"`, `"status":401`, `"type":"urn:regent:problem:unauthorized"`}},
		{"me with session", signedIn, "GET", "/api/me", nil, 200, []string{`"Sam Ortiz"`, `"csrfToken"`, `"impersonation":null`}},
		{"unknown api path", signedIn, "GET", "/api/nope", nil, 404, []string{`"code":"not_found"`, `"requestId"`}},
		{"unknown api path, mutating with CSRF", signedIn, "DELETE", "/api/nope", map[string]string{"X-CSRF-Token": csrf}, 404, []string{`"code":"not_found"`}},
		{"unknown api path, anonymous", anon, "GET", "/api/nope", nil, 401, []string{`"code":"unauthorized"`}},
		{"openapi document", signedIn, "GET", "/api/openapi.yaml", nil, 200, []string{"openapi: 3.1.0"}},
		{"logout by GET is not a thing", signedIn, "GET", "/auth/logout", nil, 405, []string{`"code":"method_not_allowed"`}},
		{"security headers", anon, "GET", "/healthz", nil, 200, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, e.url+tt.path, nil)
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			res, err := tt.b.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d, want %d (%s)", res.StatusCode, tt.wantStatus, body)
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("security headers missing: %v", res.Header)
			}
			if tt.wantStatus >= 400 && res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("content type: got %q, want application/problem+json", res.Header.Get("Content-Type"))
			}
			compact := strings.ReplaceAll(string(body), " ", "")
			for _, part := range tt.wantParts {
				if !strings.Contains(compact, strings.ReplaceAll(part, " ", "")) {
					t.Errorf("body %s: want it to contain %s", body, part)
				}
			}
		})
	}
}

// TestSignInRateLimit floods /auth/login from one address: the limiter must cut in.
func TestSignInRateLimit(t *testing.T) {
	e := newEnv(t, gormstore.DialectSQLite)
	b := newBrowser()
	b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for i := 0; i < 200; i++ {
		res, err := b.Get(e.url + "/auth/login")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == http.StatusTooManyRequests {
			if res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("429 as %q", res.Header.Get("Content-Type"))
			}
			return
		}
	}
	t.Fatal("200 sign-in attempts in a burst were all accepted")
}
