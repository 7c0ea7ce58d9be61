package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/regent/regent"
	"github.com/regent/regent/gormstore"
	"github.com/regent/regent/gormstore/storetest"
	"github.com/regent/regent/httpapi"
	"github.com/regent/regent/oidc"
)

// The per-request authorization path through the whole handler: the session cookie is
// resolved to a caller (session, user, home, roles, a live impersonation if any), the
// middleware and the service decide access, and the answer is encoded. docs/performance.md
// has the figures; `make bench` runs these.
//
// The env of server_test.go is built around *testing.T and the embedded identity provider;
// a benchmark has a *testing.B and needs no provider, so it signs in through the AuthService
// (what the OIDC callback calls) and serves requests straight into a ResponseRecorder.
func BenchmarkAuthorizedRequest(b *testing.B) {
	for _, dialect := range storetest.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			srv, db := benchServer(b, dialect)
			tmAdmin := benchSignIn(b, db, "tm-admin@classics.example")
			tenantAdmin := benchSignIn(b, db, "tenant-admin@paris.lsp.example")
			var me struct{ Home struct{ ID string } }
			benchGet(b, srv, tenantAdmin, "/api/me", &me)
			paris := me.Home.ID
			benchEmployees(b, srv, tenantAdmin, paris, 40)
			impersonating := benchImpersonate(b, srv, benchSignIn(b, db, "implementer@classics.example"), paris)

			cases := []struct{ name, token, path string }{
				{"me", tmAdmin, "/api/me"},
				{"business-units", tenantAdmin, "/api/tenants/" + paris + "/business-units"},
				{"business-units-impersonating", impersonating, "/api/tenants/" + paris + "/business-units"},
				// Issue 4's page: 25 employees, as Impersonated Admin.
				{"employees-impersonating", impersonating, "/api/tenants/" + paris + "/employees?pageSize=25"},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						benchGet(b, srv, c.token, c.path, nil)
					}
				})
			}
			// The same requests from many goroutines: contention on the connection pool and,
			// for SQLite, its single-writer design (reads still run side by side in WAL mode).
			for _, c := range cases[:2] {
				b.Run(c.name+"-parallel", func(b *testing.B) {
					b.ReportAllocs()
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							// Fatal is for the benchmark's own goroutine only.
							if rec := serveGet(srv, c.token, c.path); rec.Code != http.StatusOK {
								b.Errorf("GET %s: got %d, want 200", c.path, rec.Code)
								return
							}
						}
					})
				})
			}
		})
	}
}

// benchServer returns Regent's handler over a fresh, migrated database with the demo data.
func benchServer(b *testing.B, dialect string) (http.Handler, *gormstore.DB) {
	b.Helper()
	db := storetest.Open(b, dialect)
	if _, err := db.SeedDemo(context.Background()); err != nil {
		b.Fatal(err)
	}
	pu, _ := url.Parse("http://127.0.0.1")
	auth := gormstore.NewAuthService(db)
	srv := httpapi.NewServer(httpapi.Config{
		PublicURL: pu, Auth: auth, LoginStates: auth,
		Tenants: gormstore.NewTenantService(db), Users: gormstore.NewUserService(db), Roles: gormstore.NewRoleService(db),
		BusinessUnits: gormstore.NewBusinessUnitService(db), Skills: gormstore.NewSkillService(db),
		Branding: gormstore.NewBrandingService(db), Contacts: gormstore.NewContactService(db),
		Impersonations: gormstore.NewImpersonationService(db), Policies: gormstore.NewPolicyService(db),
		RP:            oidc.New(oidc.Config{}),
		SessionSecret: []byte("0123456789abcdef0123456789abcdef"),
		Ready:         db.Ping,
	})
	return srv, db
}

// benchEmployees invites people into tenantID, as its admin, until it has at least n.
func benchEmployees(b *testing.B, srv http.Handler, adminToken, tenantID string, n int) {
	b.Helper()
	var me struct{ CSRFToken string }
	benchGet(b, srv, adminToken, "/api/me", &me)
	var list struct{ Total int }
	benchGet(b, srv, adminToken, "/api/tenants/"+tenantID+"/employees", &list)
	for i := list.Total; i < n; i++ {
		body := fmt.Sprintf(`{"name": "Bench Person %03d", "email": "bench-%03d@paris.lsp.example", "roles": []}`, i, i)
		req := httptest.NewRequest(http.MethodPost, "/api/tenants/"+tenantID+"/employees", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", me.CSRFToken)
		req.AddCookie(&http.Cookie{Name: "regent_session", Value: adminToken})
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			b.Fatalf("invite employee: got %d %s, want 201", rec.Code, rec.Body)
		}
	}
}

// benchSignIn signs a demo user in as the OIDC callback would and returns the cookie token.
func benchSignIn(b *testing.B, db *gormstore.DB, email string) string {
	b.Helper()
	_, token, err := gormstore.NewAuthService(db).SignIn(context.Background(), regent.SignIn{
		Issuer: "https://bench.regent.invalid", Subject: email, Email: email, EmailVerified: true,
		AuthTime: time.Now().UTC(),
	})
	if err != nil {
		b.Fatalf("sign in %s: %v", email, err)
	}
	return token
}

// benchImpersonate starts an Impersonate & Configure session on tenantID and returns the
// fresh cookie token that carries it.
func benchImpersonate(b *testing.B, srv http.Handler, token, tenantID string) string {
	b.Helper()
	var me struct{ CSRFToken string }
	benchGet(b, srv, token, "/api/me", &me)
	req := httptest.NewRequest(http.MethodPost, "/api/tenants/"+tenantID+"/impersonations",
		strings.NewReader(`{"mode":"configure","reason":"Benchmark of the per-request path"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", me.CSRFToken)
	req.AddCookie(&http.Cookie{Name: "regent_session", Value: token})
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		b.Fatalf("start impersonation: got %d %s, want 201", rec.Code, rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == "regent_session" && c.Value != "" {
			return c.Value
		}
	}
	return token
}

// benchGet serves one signed-in GET and fails the benchmark unless it answers 200. When
// into is not nil, the JSON answer is decoded into it.
func benchGet(b *testing.B, srv http.Handler, token, path string, into any) {
	rec := serveGet(srv, token, path)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: got %d %s, want 200", path, rec.Code, rec.Body)
	}
	if into != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), into); err != nil {
			b.Fatalf("GET %s: %v", path, err)
		}
	}
}

func serveGet(srv http.Handler, token, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(&http.Cookie{Name: "regent_session", Value: token})
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}
