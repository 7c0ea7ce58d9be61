package httpapi_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/regent/regent/gormstore/storetest"
)

// TestStaleCookieLeavesFreshOneAlone is two tabs of one browser: one stops the impersonation
// (and gets a fresh cookie) while the other's request with the old cookie is still on its way.
// That late request is refused, but its answer must not delete the cookie, or the person who
// stopped would be signed out.
func TestStaleCookieLeavesFreshOneAlone(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			sup := e.login("support@classics.example")
			if status, doc := e.start(sup, e.tenantID("LSP Paris"), "support", "SUP-1: two tabs of one browser"); status != 201 {
				t.Fatalf("start: %d %v", status, doc)
			}
			u, _ := url.Parse(e.url)
			during := ""
			for _, c := range sup.b.Jar.Cookies(u) {
				if c.Name == "regent_session" {
					during = c.Value
				}
			}
			if status, doc := e.call(sup, "DELETE", "/api/impersonation", ""); status != 204 {
				t.Fatalf("stop: %d %v", status, doc)
			}
			// The other tab's late request, with the cookie from during the session.
			req, _ := http.NewRequest("GET", e.url+"/api/me", nil)
			req.AddCookie(&http.Cookie{Name: "regent_session", Value: during})
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 401 {
				t.Fatalf("the cookie from during the session: got %d, want 401", res.StatusCode)
			}
			for _, c := range res.Cookies() {
				if c.Name == "regent_session" {
					t.Errorf("the refusal sets the session cookie (%q, max-age %d): it would delete the fresh one", c.Value, c.MaxAge)
				}
			}
			// The fresh cookie from the stop works: the person is themselves again.
			if status, me := e.do(sup.b, "GET", "/api/me", "", nil); status != 200 || me["impersonation"] != nil {
				t.Errorf("after the stop: got %d %v, want 200 as oneself", status, me)
			}
		})
	}
}
