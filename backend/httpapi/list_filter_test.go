package httpapi_test

import (
	"testing"

	"github.com/regent/regent/gormstore/storetest"
)

// TestListFilterValidation sends list filters no row could match: each is a 400 naming its
// field, on both databases (PostgreSQL's uuid columns once turned a bad id into a 500), and
// a good filter still answers.
func TestListFilterValidation(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			b := newBrowser()
			me := e.signIn(b, "tm-admin@classics.example")
			platform := me["home"].(map[string]any)["id"].(string)
			tests := []struct {
				path, field string
			}{
				{"/api/tenants?parentId=not-an-id", "parentId"},
				{"/api/tenants?parentId=1%27%20OR%201=1", "parentId"},
				{"/api/tenants?kind=galaxy", "kind"},
				{"/api/tenants?kind=platform", "kind"},
				{"/api/tenants?status=deleted", "status"},
				{"/api/users?homeId=not-an-id", "homeId"},
				{"/api/users?status=banned", "status"},
				{"/api/tenants/" + platform + "/employees?status=banned", "status"},
				{"/api/impersonations?tenantId=not-an-id", "tenantId"},
				{"/api/impersonations?actorId=not-an-id", "actorId"},
				// PostgreSQL refuses a NUL in any text it is sent: a search term holding one
				// (or bytes that are not UTF-8) is refused here, not turned into a 500 there.
				{"/api/tenants?q=a%00b", "q"},
				{"/api/users?q=%00", "q"},
				{"/api/impersonations?q=%00", "q"},
				{"/api/tenants?q=%ff", "q"},
				{"/api/audit?action=%00", "action"},
				{"/api/audit?action=%ff", "action"},
			}
			for _, tt := range tests {
				status, doc := e.do(b, "GET", tt.path, "", nil)
				errs, _ := doc["errors"].(map[string]any)
				if status != 400 || doc["code"] != "invalid" || errs[tt.field] == nil {
					t.Errorf("GET %s: got %d %v, want 400 invalid naming %s", tt.path, status, doc, tt.field)
				}
			}
			// The tenant app's lists: a status filter is checked against the list's own
			// statuses, and a list without statuses refuses one instead of asking the database
			// for a column it does not have.
			pb := newBrowser()
			pme := e.signIn(pb, "tenant-admin@paris.lsp.example")
			paris := pme["home"].(map[string]any)["id"].(string)
			for _, path := range []string{"/business-units?status=deleted", "/skills?status=active", "/branding?status=active", "/contacts?status=active", "/roles?status=active"} {
				status, doc := e.do(pb, "GET", "/api/tenants/"+paris+path, "", nil)
				errs, _ := doc["errors"].(map[string]any)
				if status != 400 || doc["code"] != "invalid" || errs["status"] == nil {
					t.Errorf("GET %s: got %d %v, want 400 invalid naming status", path, status, doc)
				}
			}
			for _, path := range []string{"/employees", "/roles", "/contacts", "/access-log"} {
				status, doc := e.do(pb, "GET", "/api/tenants/"+paris+path+"?q=%00", "", nil)
				errs, _ := doc["errors"].(map[string]any)
				if status != 400 || errs["q"] == nil {
					t.Errorf("GET %s?q=%%00: got %d %v, want 400 naming q", path, status, doc)
				}
			}
			if status, doc := e.do(pb, "GET", "/api/tenants/"+paris+"/business-units?status=active", "", nil); status != 200 || doc["total"] == nil {
				t.Errorf("business units by a real status: got %d %v, want 200", status, doc)
			}
			// Revoking every session of a tenant named by a malformed id ends nothing and says so.
			csrf := me["csrfToken"].(string)
			status, doc := e.do(b, "POST", "/api/impersonations/revoke-all?tenantId=not-an-id", "", map[string]string{"X-CSRF-Token": csrf})
			if errs, _ := doc["errors"].(map[string]any); status != 400 || errs["tenantId"] == nil {
				t.Errorf("revoke-all with a malformed tenantId: got %d %v, want 400 naming tenantId", status, doc)
			}
			for _, path := range []string{"/api/tenants?parentId=" + platform + "&kind=customer&status=active", "/api/users?homeId=" + platform + "&status=active",
				"/api/impersonations?tenantId=" + platform + "&actorId=" + me["user"].(map[string]any)["id"].(string) + "&active=true"} {
				if status, doc := e.do(b, "GET", path, "", nil); status != 200 || doc["total"] == nil {
					t.Errorf("GET %s: got %d %v, want 200", path, status, doc)
				}
			}
		})
	}
}
