package httpapi_test

import (
	"testing"

	"github.com/regent/regent/gormstore/storetest"
)

// TestImpersonationGuardSeesThePathTheRouterRoutes: while impersonating, only who-am-I, stop
// and the impersonated tenant's own app are open. An escaped slash must not make a console
// route look like the tenant's app to the guard while the router still routes it to the
// console handler: each of these is refused as impersonating, by the guard.
func TestImpersonationGuardSeesThePathTheRouterRoutes(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			paris := e.tenantID("LSP Paris")
			tm := e.login("tm-admin@classics.example")
			if status, doc := e.start(tm, paris, "support", goodReason); status != 201 {
				t.Fatalf("start: %d %v", status, doc)
			}
			for _, c := range []struct{ method, path, body string }{
				{"GET", "/api/tenants/" + paris + "%2Femployees/settings/impersonation", ""},
				{"PUT", "/api/tenants/" + paris + "%2Femployees/settings/impersonation", `{"maskPersonalData": false}`},
				{"GET", "/api/tenants/" + paris + "%2Femployees/metrics", ""},
				{"GET", "/api/tenants/" + paris + "%2Fcontacts/access-log", ""},
				{"PATCH", "/api/tenants/" + paris + "%2Femployees", `{"version": 1, "status": "suspended"}`},
			} {
				if status, doc := e.call(tm, c.method, c.path, c.body); status != 403 || code(doc) != "impersonating" {
					t.Errorf("%s %s: got %d %v, want 403 impersonating", c.method, c.path, status, code(doc))
				}
			}
			// The tenant's own app stays open.
			if status, doc := e.call(tm, "GET", "/api/tenants/"+paris+"/contacts", ""); status != 200 {
				t.Errorf("the tenant's contacts: %d %v", status, doc)
			}
		})
	}
}
