package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/regent/regent/gormstore/storetest"
)

const goodReason = "Ticket SUP-1234: customer cannot log in"

// actor is a signed-in persona with what the tests need at hand.
type actor struct {
	b    *browser
	csrf string
	id   string
}

func (e *env) login(email string) *actor {
	e.t.Helper()
	b := newBrowser()
	me := e.signIn(b, email)
	return &actor{b: b, csrf: me["csrfToken"].(string), id: me["user"].(map[string]any)["id"].(string)}
}

func (e *env) call(a *actor, method, path, body string, extra ...string) (int, map[string]any) {
	e.t.Helper()
	h := map[string]string{"X-CSRF-Token": a.csrf}
	for i := 0; i+1 < len(extra); i += 2 {
		h[extra[i]] = extra[i+1]
	}
	return e.do(a.b, method, path, body, h)
}

func (e *env) tenantID(name string) string {
	e.t.Helper()
	var id string
	if err := e.db.SQL().QueryRow("SELECT id FROM tenants WHERE name = '" + name + "'").Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func (e *env) start(a *actor, tenantID, mode, reason string) (int, map[string]any) {
	e.t.Helper()
	return e.call(a, "POST", "/api/tenants/"+tenantID+"/impersonations", fmt.Sprintf(`{"mode": %q, "reason": %q}`, mode, reason))
}

func (e *env) count(sql string) int {
	e.t.Helper()
	var n int
	if err := e.db.SQL().QueryRow(sql).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func code(doc map[string]any) any { return doc["code"] }

func TestImpersonationLifecycle(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			paris := e.tenantID("LSP Paris")
			sup := e.login("support@classics.example")
			before := sup.b.cookie(e.url, "regent_session")

			status, doc := e.start(sup, paris, "support", goodReason)
			if status != 201 {
				t.Fatalf("start: %d %v", status, doc)
			}
			if doc["landing"] != "/t/"+paris+"/admin/employees" || doc["mode"] != "support" ||
				doc["principal"].(map[string]any)["name"] != "Impersonated Admin" || doc["reason"] != goodReason {
				t.Errorf("start answer: %v", doc)
			}
			during := sup.b.cookie(e.url, "regent_session")
			if during == "" || during == before {
				t.Fatal("starting did not issue a fresh cookie")
			}

			t.Run("the cookie from before the start is dead", func(t *testing.T) {
				status, _ := e.do(newBrowser(), "GET", "/api/me", "", map[string]string{"Cookie": "regent_session=" + before})
				if status != 401 {
					t.Errorf("got %d, want 401", status)
				}
			})
			t.Run("who am I says who is impersonating whom", func(t *testing.T) {
				_, me := e.call(sup, "GET", "/api/me", "")
				imp, _ := me["impersonation"].(map[string]any)
				if imp == nil || imp["tenant"].(map[string]any)["name"] != "LSP Paris" ||
					imp["actor"].(map[string]any)["email"] != "support@classics.example" {
					t.Fatalf("impersonation: %v", me["impersonation"])
				}
				perms := fmt.Sprint(me["permissions"])
				if !strings.Contains(perms, "employees:manage") || strings.Contains(perms, "business_units:manage") ||
					strings.Contains(perms, "access_log:read") || strings.Contains(perms, "contacts:export") || strings.Contains(perms, "tenants:read") {
					t.Errorf("support mode permissions: %v", perms)
				}
			})
			var employeeID string
			t.Run("changes are authored by Impersonated Admin; the trail names the real actor", func(t *testing.T) {
				status, emp := e.call(sup, "POST", "/api/tenants/"+paris+"/employees", `{"email": "helped@paris.lsp.example", "name": "Helped Person"}`)
				if status != 201 {
					t.Fatalf("create employee: %d %v", status, emp)
				}
				employeeID = emp["id"].(string)
				if emp["createdBy"].(map[string]any)["name"] != "Impersonated Admin" {
					t.Errorf("createdBy in the answer: %v", emp["createdBy"])
				}
				var by string
				e.db.SQL().QueryRow("SELECT created_by_name FROM users WHERE id = '" + employeeID + "'").Scan(&by)
				if by != "Impersonated Admin" {
					t.Errorf("created_by_name: got %q", by)
				}
				var actorEmail, principal, sess string
				e.db.SQL().QueryRow("SELECT actor_email, principal_name, session_id FROM audit_events WHERE action = 'employee.create' AND target_id = '"+employeeID+"'").
					Scan(&actorEmail, &principal, &sess)
				if actorEmail != "support@classics.example" || principal != "Impersonated Admin" || sess != doc["id"] {
					t.Errorf("audit: actor %q principal %q session %q", actorEmail, principal, sess)
				}
			})
			t.Run("the mode narrows what may be done", func(t *testing.T) {
				for _, c := range []struct {
					method, path, body string
					want               int
				}{
					{"POST", "/api/tenants/" + paris + "/business-units", `{"name": "Nope", "timeZone": "UTC"}`, 403},
					{"POST", "/api/tenants/" + paris + "/roles", `{"name": "Nope", "permissions": ["contacts:read"]}`, 403},
					{"GET", "/api/tenants/" + paris + "/access-log", "", 403},
					{"GET", "/api/tenants/" + paris + "/contacts/export?format=csv", "", 403},
					{"GET", "/api/tenants/" + paris + "/business-units", "", 200},
				} {
					if status, doc := e.call(sup, c.method, c.path, c.body); status != c.want {
						t.Errorf("%s %s: got %d %v, want %d", c.method, c.path, status, code(doc), c.want)
					}
				}
			})
			t.Run("personal data is masked", func(t *testing.T) {
				_, list := e.call(sup, "GET", "/api/tenants/"+paris+"/contacts?q=jeanne", "")
				items := list["items"].([]any)
				c := items[0].(map[string]any)
				if c["email"] != "j•••@example.fr" || !strings.HasPrefix(c["phone"].(string), "•••") || c["name"] != "Jeanne Dupuis" {
					t.Errorf("masked contact: %v", c)
				}
			})
			t.Run("the console is closed and nesting is impossible", func(t *testing.T) {
				london := e.tenantID("LSP London")
				for _, c := range []struct{ method, path, body, code string }{
					{"GET", "/api/tenants", "", "impersonating"},
					{"GET", "/api/users", "", "impersonating"},
					{"GET", "/api/impersonations", "", "impersonating"},
					{"PUT", "/api/settings/impersonation", `{"supportEnabled": true}`, "impersonating"},
					{"GET", "/api/tenants/" + london + "/employees", "", "impersonating"},
					{"PATCH", "/api/tenants/" + paris, `{"version": 1, "status": "suspended"}`, "impersonating"},
					{"POST", "/api/tenants/" + london + "/impersonations", `{"mode": "support", "reason": "` + goodReason + `"}`, "already_impersonating"},
					{"POST", "/api/tenants/" + paris + "/impersonations", `{"mode": "support", "reason": "` + goodReason + `"}`, "already_impersonating"},
				} {
					if _, doc := e.call(sup, c.method, c.path, c.body); code(doc) != c.code {
						t.Errorf("%s %s: got %v, want %s", c.method, c.path, code(doc), c.code)
					}
				}
			})
			t.Run("client headers cannot choose a tenant, principal or actor", func(t *testing.T) {
				london := e.tenantID("LSP London")
				_, doc := e.call(sup, "GET", "/api/tenants/"+london+"/employees", "",
					"X-Tenant-Id", london, "X-Impersonation-Id", "x", "X-Forwarded-For", "10.9.9.9", "X-Real-IP", "10.9.9.9")
				if code(doc) != "impersonating" {
					t.Errorf("london through headers: %v", doc)
				}
				// A spoofed forwarding header is not the footprint either: the session goes on.
				if status, _ := e.call(sup, "GET", "/api/me", "", "X-Forwarded-For", "10.9.9.9"); status != 200 {
					t.Errorf("X-Forwarded-For changed the footprint: %d", status)
				}
			})
			t.Run("the hidden account stays hidden while impersonating it", func(t *testing.T) {
				var hidden string
				e.db.SQL().QueryRow("SELECT id FROM users WHERE home_tenant_id = '" + paris + "' AND hidden").Scan(&hidden)
				if status, _ := e.call(sup, "GET", "/api/tenants/"+paris+"/employees/"+hidden, ""); status != 404 {
					t.Errorf("hidden by id: %d", status)
				}
				_, list := e.call(sup, "GET", "/api/tenants/"+paris+"/employees?pageSize=100", "")
				for _, it := range list["items"].([]any) {
					u := it.(map[string]any)
					if u["id"] == hidden || u["name"] == "Impersonated Admin" {
						t.Errorf("the employee list shows the hidden account: %v", u)
					}
				}
			})
			t.Run("nobody else can stop or revoke it", func(t *testing.T) {
				sid := doc["id"].(string)
				parisAdmin := e.login("tenant-admin@paris.lsp.example")
				lspAdmin := e.login("partner-admin@lsp.example")
				other := e.login("implementer@classics.example")
				if _, d := e.call(parisAdmin, "DELETE", "/api/impersonation", ""); code(d) != "not_impersonating" {
					t.Errorf("tenant admin DELETE: %v", d)
				}
				for who, a := range map[string]*actor{"tenant admin": parisAdmin, "implementer": other} {
					if status, _ := e.call(a, "POST", "/api/impersonations/"+sid+"/revoke", ""); status != 404 {
						t.Errorf("%s revoke: %d, want 404", who, status)
					}
				}
				if status, _ := e.call(lspAdmin, "POST", "/api/impersonations/"+sid+"/revoke", ""); status != 403 {
					t.Errorf("partner admin revoke: %d, want 403", status)
				}
				if status, _ := e.call(parisAdmin, "POST", "/api/impersonations/revoke-all", ""); status != 403 {
					t.Errorf("tenant admin revoke-all: %d", status)
				}
				if status, _ := e.call(sup, "GET", "/api/me", ""); status != 200 {
					t.Fatalf("the session did not survive: %d", status)
				}
			})
			t.Run("the tenant's admins see the access; others do not", func(t *testing.T) {
				parisAdmin := e.login("tenant-admin@paris.lsp.example")
				_, log := e.call(parisAdmin, "GET", "/api/tenants/"+paris+"/access-log", "")
				items, _ := log["items"].([]any)
				if len(items) != 1 || items[0].(map[string]any)["reason"] != goodReason ||
					items[0].(map[string]any)["actor"].(map[string]any)["email"] != "support@classics.example" {
					t.Errorf("access log: %v", log)
				}
				londonAdmin := e.login("tenant-admin@london.lsp.example")
				if status, _ := e.call(londonAdmin, "GET", "/api/tenants/"+paris+"/access-log", ""); status != 404 {
					t.Errorf("london reads paris's access log: %d", status)
				}
				_, notice := e.call(parisAdmin, "GET", "/api/tenants/"+paris+"/access-log/notice", "")
				if notice["unseen"] != float64(1) || notice["active"] != float64(1) || notice["latestBy"] != "Sam Ortiz" {
					t.Errorf("notice: %v", notice)
				}
				if status, _ := e.call(parisAdmin, "POST", "/api/tenants/"+paris+"/access-log/seen", ""); status != 204 {
					t.Errorf("acknowledge: %d", status)
				}
				_, notice = e.call(parisAdmin, "GET", "/api/tenants/"+paris+"/access-log/notice", "")
				if notice["unseen"] != float64(0) || notice["since"] == nil {
					t.Errorf("notice after acknowledging: %v", notice)
				}
				if status, _ := e.call(sup, "GET", "/api/tenants/"+paris+"/access-log/notice", ""); status != 403 {
					t.Errorf("the impersonator reads the notice: %d", status)
				}
			})
			t.Run("stop issues a fresh cookie and the one used during the session dies", func(t *testing.T) {
				if status, d := e.call(sup, "DELETE", "/api/impersonation", ""); status != 204 {
					t.Fatalf("stop: %d %v", status, d)
				}
				after := sup.b.cookie(e.url, "regent_session")
				if after == "" || after == during {
					t.Fatal("no fresh cookie on stop")
				}
				status, me := e.call(sup, "GET", "/api/me", "")
				if status != 200 || me["impersonation"] != nil {
					t.Errorf("after stop: %d %v", status, me["impersonation"])
				}
				if status, _ := e.do(newBrowser(), "GET", "/api/me", "", map[string]string{"Cookie": "regent_session=" + during}); status != 401 {
					t.Errorf("replaying the impersonation cookie: %d", status)
				}
				if status, _ := e.call(sup, "GET", "/api/tenants/"+paris+"/employees", ""); status != 404 {
					t.Errorf("tenant app after stop: %d, want 404", status)
				}
			})
			t.Run("every step is on record", func(t *testing.T) {
				if n := e.count("SELECT count(*) FROM audit_events WHERE action = 'impersonation.start' AND outcome = 'success'"); n != 1 {
					t.Errorf("starts: %d", n)
				}
				if n := e.count("SELECT count(*) FROM audit_events WHERE action = 'impersonation.start' AND outcome = 'denied'"); n != 2 {
					t.Errorf("refused starts (the two nesting attempts): %d", n)
				}
				if n := e.count("SELECT count(*) FROM audit_events WHERE action = 'impersonation.end' AND detail LIKE 'reason=stopped%'"); n != 1 {
					t.Errorf("stops: %d", n)
				}
			})
		})
	}
}

func TestImpersonationRefusals(t *testing.T) {
	e := newEnv(t, "sqlite")
	paris, acme, lsp, platform := e.tenantID("LSP Paris"), e.tenantID("Acme Retail"), e.tenantID("League of the Scarlet Pimpernel"), e.tenantID("Classics, Inc.")
	tm := e.login("tm-admin@classics.example")
	sup := e.login("support@classics.example")
	impl := e.login("implementer@classics.example")
	lspAdmin := e.login("partner-admin@lsp.example")
	lspSupport := e.login("partner-support@lsp.example")
	parisAdmin := e.login("tenant-admin@paris.lsp.example")

	// A suspended tenant.
	_, london := e.call(tm, "GET", "/api/tenants/"+e.tenantID("LSP London"), "")
	if status, d := e.call(tm, "PATCH", "/api/tenants/"+london["id"].(string), fmt.Sprintf(`{"version": %v, "status": "suspended"}`, london["version"])); status != 200 {
		t.Fatalf("suspend: %d %v", status, d)
	}

	tests := []struct {
		name       string
		who        *actor
		tenant     string
		mode       string
		reason     string
		wantStatus int
		wantCode   string
	}{
		{"partner support outside the partner", lspSupport, acme, "support", goodReason, 404, "not_found"},
		{"partner admin outside the partner", lspAdmin, acme, "configure", goodReason, 404, "not_found"},
		{"own home", lspAdmin, lsp, "support", goodReason, 404, "not_found"},
		{"the platform", tm, platform, "support", goodReason, 404, "not_found"},
		{"a suspended tenant", tm, london["id"].(string), "support", goodReason, 403, "impersonation_forbidden"},
		{"support cannot configure", sup, paris, "configure", goodReason, 403, "impersonation_forbidden"},
		{"implementer cannot support", impl, paris, "support", goodReason, 403, "impersonation_forbidden"},
		{"partner support cannot configure", lspSupport, paris, "configure", goodReason, 403, "impersonation_forbidden"},
		{"tenant admin has no grant and no reach", parisAdmin, paris, "support", goodReason, 404, "not_found"},
		{"unknown mode", sup, paris, "admin", goodReason, 400, "invalid"},
		{"reason too short", sup, paris, "support", "help", 400, "invalid"},
		{"reason too long", sup, paris, "support", strings.Repeat("x", 501), 400, "invalid"},
		{"malformed tenant id", sup, "not-a-uuid", "support", goodReason, 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, doc := e.start(tt.who, tt.tenant, tt.mode, tt.reason)
			if status != tt.wantStatus || code(doc) != tt.wantCode {
				t.Errorf("got %d %v (%v), want %d %s", status, code(doc), doc["detail"], tt.wantStatus, tt.wantCode)
			}
		})
	}
	if n := e.count("SELECT count(*) FROM impersonation_sessions"); n != 0 {
		t.Fatalf("refused starts left %d sessions", n)
	}
	if n := e.count("SELECT count(*) FROM audit_events WHERE action = 'impersonation.start' AND outcome = 'denied'"); n != len(tests) {
		t.Errorf("refusals on record: got %d, want %d", n, len(tests))
	}

	t.Run("start by GET or without CSRF does nothing", func(t *testing.T) {
		status, _ := e.do(sup.b, "GET", "/api/tenants/"+paris+"/impersonations", "", nil)
		if status != 404 && status != 405 {
			t.Errorf("GET: %d", status)
		}
		status, doc := e.do(sup.b, "POST", "/api/tenants/"+paris+"/impersonations", `{"mode": "support", "reason": "`+goodReason+`"}`, nil)
		if status != 403 || code(doc) != "csrf_failed" {
			t.Errorf("without CSRF: %d %v", status, doc)
		}
		if n := e.count("SELECT count(*) FROM impersonation_sessions"); n != 0 {
			t.Errorf("sessions: %d", n)
		}
	})
	t.Run("a ten-year duration is refused and changes nothing", func(t *testing.T) {
		status, doc := e.call(tm, "PUT", "/api/settings/impersonation", `{"maxDurationMinutes": 5256000}`)
		if status != 400 || doc["errors"].(map[string]any)["maxDurationMinutes"] == nil {
			t.Errorf("got %d %v", status, doc)
		}
		_, g := e.call(tm, "GET", "/api/settings/impersonation", "")
		if g["maxDurationMinutes"] != float64(60) {
			t.Errorf("after refusal: %v", g["maxDurationMinutes"])
		}
		if status, _ := e.call(lspAdmin, "PUT", "/api/settings/impersonation", `{"supportEnabled": true}`); status != 403 {
			t.Errorf("partner admin changes global policy: %d", status)
		}
	})
	t.Run("a disabled mode disappears and is refused", func(t *testing.T) {
		if status, d := e.call(tm, "PUT", "/api/settings/impersonation", `{"supportEnabled": false}`); status != 200 {
			t.Fatalf("disable: %d %v", status, d)
		}
		defer e.call(tm, "PUT", "/api/settings/impersonation", `{"supportEnabled": true}`)
		_, list := e.call(sup, "GET", "/api/tenants?q=LSP+Paris", "")
		ci := list["items"].([]any)[0].(map[string]any)["canImpersonate"].(map[string]any)
		if ci["support"] != false {
			t.Errorf("canImpersonate: %v", ci)
		}
		if status, doc := e.start(sup, paris, "support", goodReason); status != 403 || code(doc) != "impersonation_disabled" {
			t.Errorf("start: %d %v", status, doc)
		}
	})
	t.Run("a partner can tighten its tenants, never loosen the platform", func(t *testing.T) {
		status, doc := e.call(lspAdmin, "PUT", "/api/tenants/"+lsp+"/settings/impersonation", `{"configureEnabled": false, "maxDurationMinutes": 30}`)
		if status != 200 || doc["effective"].(map[string]any)["configureEnabled"] != false {
			t.Fatalf("partner layer: %d %v", status, doc)
		}
		_, tp := e.call(tm, "GET", "/api/tenants/"+paris+"/settings/impersonation", "")
		eff := tp["effective"].(map[string]any)
		if eff["configureEnabled"] != false || eff["maxDurationMinutes"] != float64(30) || tp["level"] != "platform" {
			t.Errorf("paris inherits its partner's layer: %v", tp)
		}
		if status, doc := e.start(tm, paris, "configure", goodReason); status != 403 || code(doc) != "impersonation_disabled" {
			t.Errorf("configure after the partner switched it off: %d %v", status, doc)
		}
		// Switching it back on at the partner level cannot beat a platform-level "off".
		e.call(tm, "PUT", "/api/tenants/"+paris+"/settings/impersonation", `{"supportEnabled": false}`)
		e.call(lspAdmin, "PUT", "/api/tenants/"+paris+"/settings/impersonation", `{"supportEnabled": true}`)
		if status, doc := e.start(lspAdmin, paris, "support", goodReason); status != 403 || code(doc) != "impersonation_disabled" {
			t.Errorf("partner loosened the platform: %d %v", status, doc)
		}
		e.call(tm, "PUT", "/api/tenants/"+paris+"/settings/impersonation", `{}`)
		e.call(lspAdmin, "PUT", "/api/tenants/"+lsp+"/settings/impersonation", `{}`)
		if status, _ := e.call(e.login("partner-admin@acme.example"), "PUT", "/api/tenants/"+paris+"/settings/impersonation", `{}`); status != 404 {
			t.Errorf("acme sets paris's policy: %d", status)
		}
	})
}

// TestImpersonationRefusesMalformedInput sends a start with a NUL where text goes: each is
// refused with the 4xx it deserves and recorded, on both databases (PostgreSQL refuses a
// NUL in text, which once made the start, or the record of its refusal, a 500).
func TestImpersonationRefusesMalformedInput(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			paris := e.tenantID("LSP Paris")
			tm := e.login("tm-admin@classics.example")
			for _, tt := range []struct {
				name, tenant, body string
				wantStatus         int
				wantField          string
			}{
				{"a NUL in the reason", paris, `{"mode": "support", "reason": "Ticket 12345 \u0000 hello"}`, 400, "reason"},
				{"a NUL in the mode", paris, `{"mode": "sup\u0000port", "reason": "` + goodReason + `"}`, 400, "mode"},
				{"a NUL as the tenant id", "%00", `{"mode": "support", "reason": "` + goodReason + `"}`, 404, ""},
			} {
				before := e.count("SELECT count(*) FROM audit_events WHERE action = 'impersonation.start' AND outcome = 'denied'")
				status, doc := e.call(tm, "POST", "/api/tenants/"+tt.tenant+"/impersonations", tt.body)
				errs, _ := doc["errors"].(map[string]any)
				if status != tt.wantStatus || (tt.wantField != "" && errs[tt.wantField] == nil) {
					t.Errorf("%s: got %d %v, want %d naming %q", tt.name, status, doc, tt.wantStatus, tt.wantField)
				}
				if after := e.count("SELECT count(*) FROM audit_events WHERE action = 'impersonation.start' AND outcome = 'denied'"); after != before+1 {
					t.Errorf("%s: %d refusals recorded, want 1", tt.name, after-before)
				}
			}
		})
	}
}

// TestImpersonatingAPartnerManagesNoConsoleUsers impersonates a partner: its people are
// console users, which an impersonation may never manage (product.md 3.2), so Support, who
// has no users:manage, cannot deactivate the Partner Admin or plant an account that way.
func TestImpersonatingAPartnerManagesNoConsoleUsers(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			lsp := e.tenantID("League of the Scarlet Pimpernel")
			var lspAdmin string
			if err := e.db.SQL().QueryRow("SELECT id FROM users WHERE email = 'partner-admin@lsp.example'").Scan(&lspAdmin); err != nil {
				t.Fatal(err)
			}
			sup := e.login("support@classics.example")
			status, doc := e.start(sup, lsp, "support", goodReason)
			if status != 201 {
				t.Fatalf("start: %d %v", status, doc)
			}
			// It opens on a page it may use: Contacts, not the closed Employees page.
			if want := "/t/" + lsp + "/contacts"; doc["landing"] != want {
				t.Errorf("landing: got %v, want %s", doc["landing"], want)
			}
			if status, doc := e.call(sup, "GET", "/api/tenants/"+lsp+"/contacts", ""); status != 200 {
				t.Errorf("the landing page's list: %d %v", status, doc)
			}
			_, me := e.call(sup, "GET", "/api/me", "")
			for _, p := range me["permissions"].([]any) {
				if strings.HasPrefix(p.(string), "employees:") {
					t.Errorf("/api/me offers %s in a partner", p)
				}
			}
			for _, c := range []struct{ method, path, body string }{
				{"GET", "/api/tenants/" + lsp + "/employees", ""},
				{"GET", "/api/tenants/" + lsp + "/employees/" + lspAdmin, ""},
				{"PATCH", "/api/tenants/" + lsp + "/employees/" + lspAdmin, `{"version": 1, "status": "deactivated"}`},
				{"DELETE", "/api/tenants/" + lsp + "/employees/" + lspAdmin, ""},
				{"POST", "/api/tenants/" + lsp + "/employees", `{"email": "mole@lsp.example", "name": "Mole", "roles": []}`},
			} {
				if status, doc := e.call(sup, c.method, c.path, c.body); status != 403 {
					t.Errorf("%s %s while impersonating the partner: got %d %v, want 403", c.method, c.path, status, doc)
				}
			}
			if n := e.count("SELECT count(*) FROM users WHERE email = 'mole@lsp.example' OR (id = '" + lspAdmin + "' AND status = 'deactivated')"); n != 0 {
				t.Errorf("the partner's console users changed: %d rows", n)
			}
		})
	}
}

// TestImpersonationEnds drives every way a session ends by itself, with the test clock.
func TestImpersonationEnds(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			paris := e.tenantID("LSP Paris")
			tm := e.login("tm-admin@classics.example")

			startAs := func(t *testing.T, email string) *actor {
				a := e.login(email)
				if status, doc := e.start(a, paris, "support", goodReason); status != 201 {
					t.Fatalf("start: %d %v", status, doc)
				}
				return a
			}
			ended := func(t *testing.T, a *actor, want string) {
				t.Helper()
				status, doc := e.call(a, "GET", "/api/tenants/"+paris+"/employees", "")
				if status != 401 || code(doc) != "impersonation_ended" || doc["endReason"] != want {
					t.Fatalf("got %d %v %v, want 401 impersonation_ended %s", status, code(doc), doc["endReason"], want)
				}
				// Every later request with that cookie is refused the same way.
				if status, _ := e.call(a, "GET", "/api/me", ""); status != 401 {
					t.Errorf("the cookie still works after the end: %d", status)
				}
				var reason string
				e.db.SQL().QueryRow("SELECT end_reason FROM impersonation_sessions ORDER BY started_at DESC, id DESC LIMIT 1").Scan(&reason)
				if reason != want {
					t.Errorf("recorded end reason %q, want %q", reason, want)
				}
			}

			t.Run("hard expiry, never extended by activity", func(t *testing.T) {
				a := startAs(t, "support@classics.example")
				for i := 0; i < 5; i++ { // busy all along
					e.clock.t = e.clock.t.Add(10 * time.Minute)
					if status, _ := e.call(a, "GET", "/api/tenants/"+paris+"/employees", ""); status != 200 {
						t.Fatalf("at %d0 min: %d", i+1, status)
					}
				}
				e.clock.t = e.clock.t.Add(10 * time.Minute)
				ended(t, a, "expired")
			})
			t.Run("idle timeout", func(t *testing.T) {
				a := startAs(t, "support@classics.example")
				e.clock.t = e.clock.t.Add(14 * time.Minute)
				if status, _ := e.call(a, "GET", "/api/me", ""); status != 200 {
					t.Fatalf("before idle: %d", status)
				}
				e.clock.t = e.clock.t.Add(16 * time.Minute)
				ended(t, a, "idle_timeout")
			})
			t.Run("the page's own polling is not activity", func(t *testing.T) {
				a := startAs(t, "support@classics.example")
				// An unattended tab asks /api/me every two seconds, and refreshes some data on
				// a timer with X-Regent-Background; a minute apart is enough to cross every
				// write throttle.
				for i := 0; i < 14; i++ {
					e.clock.t = e.clock.t.Add(time.Minute)
					if status, _ := e.call(a, "GET", "/api/me", ""); status != 200 {
						t.Fatalf("poll at %d min: %d", i+1, status)
					}
					if status, _ := e.call(a, "GET", "/api/tenants/"+paris+"/employees", "", "X-Regent-Background", "1"); status != 200 {
						t.Fatalf("timed refresh at %d min: %d", i+1, status)
					}
				}
				e.clock.t = e.clock.t.Add(90 * time.Second)
				ended(t, a, "idle_timeout")
			})
			t.Run("footprint change", func(t *testing.T) {
				a := startAs(t, "support@classics.example")
				stolen := a.b.cookie(e.url, "regent_session")
				status, doc := e.call(a, "GET", "/api/me", "", "User-Agent", "curl/8.0 (stolen cookie)")
				if status != 401 || doc["endReason"] != "footprint_changed" {
					t.Fatalf("got %d %v", status, doc)
				}
				// The cookie is dead for its owner's browser too, footprint and all.
				status, doc = e.do(newBrowser(), "GET", "/api/me", "", map[string]string{"Cookie": "regent_session=" + stolen})
				if status != 401 || code(doc) != "impersonation_ended" || doc["endReason"] != "footprint_changed" {
					t.Errorf("replay from the original footprint: %d %v", status, doc)
				}
			})
			t.Run("revoked by a TM Admin", func(t *testing.T) {
				a := startAs(t, "support@classics.example")
				_, me := e.call(a, "GET", "/api/me", "")
				sid := me["impersonation"].(map[string]any)["id"].(string)
				// The Sessions list gives every item endedAt and endReason (contract.md), null
				// and empty while the session runs.
				listed := func() map[string]any {
					t.Helper()
					status, doc := e.call(tm, "GET", "/api/impersonations?tenantId="+paris, "")
					if status != 200 {
						t.Fatalf("list: %d %v", status, doc)
					}
					for _, it := range doc["items"].([]any) {
						if item := it.(map[string]any); item["id"] == sid {
							return item
						}
					}
					t.Fatalf("session %s not listed", sid)
					return nil
				}
				if item := listed(); !hasKey(item, "endedAt") || item["endedAt"] != nil || !hasKey(item, "endReason") || item["endReason"] != "" {
					t.Errorf("a live session is listed as %v", item)
				}
				if status, d := e.call(tm, "POST", "/api/impersonations/"+sid+"/revoke", ""); status != 204 {
					t.Fatalf("revoke: %d %v", status, d)
				}
				ended(t, a, "revoked")
				if item := listed(); item["endedAt"] == nil || item["endReason"] != "revoked" {
					t.Errorf("a revoked session is listed as %v", item)
				}
			})
			t.Run("the actor loses the grant", func(t *testing.T) {
				a := startAs(t, "partner-support@lsp.example")
				status, u := e.call(tm, "GET", "/api/users/"+a.id, "")
				if status != 200 {
					t.Fatalf("read user: %d", status)
				}
				if status, d := e.call(tm, "PATCH", "/api/users/"+a.id, fmt.Sprintf(`{"version": %v, "roles": []}`, u["version"])); status != 200 {
					t.Fatalf("demote: %d %v", status, d)
				}
				ended(t, a, "grant_changed")
			})
			t.Run("the actor is deactivated", func(t *testing.T) {
				a := startAs(t, "partner-admin@lsp.example")
				_, u := e.call(tm, "GET", "/api/users/"+a.id, "")
				if status, d := e.call(tm, "PATCH", "/api/users/"+a.id, fmt.Sprintf(`{"version": %v, "status": "deactivated"}`, u["version"])); status != 200 {
					t.Fatalf("deactivate: %d %v", status, d)
				}
				status, _ := e.call(a, "GET", "/api/me", "")
				if status != 401 {
					t.Fatalf("deactivated actor: %d", status)
				}
				var reason string
				e.db.SQL().QueryRow("SELECT end_reason FROM impersonation_sessions WHERE actor_id = '" + a.id + "'").Scan(&reason)
				if reason != "actor_deactivated" {
					t.Errorf("end reason: %q", reason)
				}
			})
			t.Run("the mode is switched off by policy", func(t *testing.T) {
				a := startAs(t, "tm-admin@classics.example")
				other := e.login("tm-admin@classics.example")
				if status, d := e.call(other, "PUT", "/api/tenants/"+paris+"/settings/impersonation", `{"supportEnabled": false}`); status != 200 {
					t.Fatalf("policy: %d %v", status, d)
				}
				defer e.call(other, "PUT", "/api/tenants/"+paris+"/settings/impersonation", `{}`)
				ended(t, a, "policy_changed")
			})
			t.Run("a safeguard switched on mid-session holds at once", func(t *testing.T) {
				if status, d := e.call(tm, "PUT", "/api/settings/impersonation", `{"maskPersonalData": false}`); status != 200 {
					t.Fatalf("global policy: %d %v", status, d)
				}
				a := startAs(t, "support@classics.example")
				_, list := e.call(a, "GET", "/api/tenants/"+paris+"/contacts?q=jeanne", "")
				if c := list["items"].([]any)[0].(map[string]any); c["email"] != "jeanne.dupuis@example.fr" {
					t.Fatalf("unmasked policy: %v", c["email"])
				}
				e.call(tm, "PUT", "/api/settings/impersonation", `{"maskPersonalData": true}`)
				if status, d := e.call(tm, "PUT", "/api/tenants/"+paris+"/settings/impersonation", `{"maxDurationMinutes": 5}`); status != 200 {
					t.Fatalf("tenant policy: %d %v", status, d)
				}
				defer e.call(tm, "PUT", "/api/tenants/"+paris+"/settings/impersonation", `{}`)
				_, list = e.call(a, "GET", "/api/tenants/"+paris+"/contacts?q=jeanne", "")
				if c := list["items"].([]any)[0].(map[string]any); c["email"] != "j•••@example.fr" {
					t.Errorf("masking switched on mid-session: got %v", c["email"])
				}
				_, me := e.call(a, "GET", "/api/me", "")
				if imp, _ := me["impersonation"].(map[string]any); imp == nil || !strings.Contains(fmt.Sprint(imp["restrictions"]), "mask_personal_data") {
					t.Errorf("restrictions after the change: %v", me["impersonation"])
				}
				e.clock.t = e.clock.t.Add(6 * time.Minute)
				ended(t, a, "expired")
			})
			t.Run("sign-out ends it", func(t *testing.T) {
				a := startAs(t, "support@classics.example")
				if status, _ := e.call(a, "POST", "/auth/logout", ""); status != 204 {
					t.Fatalf("logout: %d", status)
				}
				var reason string
				e.db.SQL().QueryRow("SELECT end_reason FROM impersonation_sessions ORDER BY started_at DESC, id DESC LIMIT 1").Scan(&reason)
				if reason != "logout" {
					t.Errorf("end reason: %q", reason)
				}
			})
			t.Run("nothing is left running", func(t *testing.T) {
				if n := e.count("SELECT count(*) FROM impersonation_sessions WHERE ended_at IS NULL"); n != 0 {
					t.Errorf("live sessions: %d", n)
				}
			})
		})
	}
}

func TestImpersonationReauthentication(t *testing.T) {
	e := newEnv(t, "sqlite")
	paris := e.tenantID("LSP Paris")
	sup := e.login("support@classics.example")
	e.clock.t = e.clock.t.Add(20 * time.Minute) // the sign-in is now older than the 15-minute window

	status, doc := e.start(sup, paris, "support", goodReason)
	if status != 403 || code(doc) != "reauth_required" {
		t.Fatalf("got %d %v", status, doc)
	}
	loginURL, _ := doc["loginUrl"].(string)
	if !strings.HasPrefix(loginURL, "/auth/login?") || !strings.Contains(loginURL, "reauth=1") {
		t.Fatalf("loginUrl: %q", loginURL)
	}
	// The provider is asked to authenticate now (prompt=login, max_age=0).
	sup.b.hops = nil
	res, err := sup.b.Get(e.url + loginURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var authz string
	for _, h := range sup.b.hops {
		if strings.HasSuffix(h.Path, "/authorize") {
			authz = h.RawQuery
		}
	}
	if !strings.Contains(authz, "max_age=0") || !strings.Contains(authz, "prompt=login") {
		t.Errorf("authorize request: %s", authz)
	}
	if !strings.Contains(res.Request.URL.String(), "/tenants/"+paris+"?impersonate=support") {
		t.Errorf("came back to %s", res.Request.URL)
	}
	_, me := e.call(sup, "GET", "/api/me", "")
	sup.csrf = me["csrfToken"].(string)
	if status, doc := e.start(sup, paris, "support", goodReason); status != 201 {
		t.Fatalf("after re-authentication: %d %v", status, doc)
	}
}

// TestImpersonationAcrossReplicas runs two servers on one database: a session ended through
// one is refused by the other on its very next request.
func TestImpersonationAcrossReplicas(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			a := newEnv(t, dialect)
			b := a.replica()
			paris := a.tenantID("LSP Paris")
			sup := a.login("support@classics.example")
			// The cookie from before the start, which B has just served (and cached), dies on
			// B too when the start through A rotates it.
			before := "regent_session=" + sup.b.cookie(a.url, "regent_session")
			if status, _ := b.do(newBrowser(), "GET", "/api/me", "", map[string]string{"Cookie": before}); status != 200 {
				t.Fatalf("replica B before the start: %d", status)
			}
			if status, doc := a.start(sup, paris, "support", goodReason); status != 201 {
				t.Fatalf("start on A: %d %v", status, doc)
			}
			for start := time.Now(); ; time.Sleep(5 * time.Millisecond) {
				if status, _ := b.do(newBrowser(), "GET", "/api/me", "", map[string]string{"Cookie": before}); status == 401 {
					break
				}
				if time.Since(start) > time.Second {
					t.Fatal("replica B still accepts the cookie from before a start through A after 1 s")
				}
			}
			// The same browser talks to replica B (another port, same cookie).
			cookie := "regent_session=" + sup.b.cookie(a.url, "regent_session")
			status, me := b.do(newBrowser(), "GET", "/api/me", "", map[string]string{"Cookie": cookie})
			if status != 200 || me["impersonation"] == nil {
				t.Fatalf("replica B does not see the session: %d %v", status, me)
			}
			tm := a.login("tm-admin@classics.example")
			sid := me["impersonation"].(map[string]any)["id"].(string)
			if status, _ := a.call(tm, "POST", "/api/impersonations/"+sid+"/revoke", ""); status != 204 {
				t.Fatalf("revoke on A: %d", status)
			}
			// B learns of it through PostgreSQL's NOTIFY (or SQLite's data_version): within a
			// second, and from then on for good.
			start := time.Now()
			for {
				status, doc := b.do(newBrowser(), "GET", "/api/tenants/"+paris+"/employees", "", map[string]string{"Cookie": cookie})
				if status == 401 && doc["endReason"] == "revoked" {
					break
				}
				if time.Since(start) > time.Second {
					t.Fatalf("replica B after revocation on A: %d %v", status, doc)
				}
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
}

func hasKey(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

// TestImpersonationReauthEveryStart sets the re-authentication window to 0, "every start":
// a sign-in just made (seconds before, as it takes to come back from the provider) allows
// one start, and the next start of the same login asks again. (A window of 0 used to be
// unreachable: any sign-in a second old was too old, and the round trip looped.)
func TestImpersonationReauthEveryStart(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			paris := e.tenantID("LSP Paris")
			tm := e.login("tm-admin@classics.example")
			if status, doc := e.call(tm, "PUT", "/api/settings/impersonation", `{"reauthWithinMinutes": 0}`); status != 200 {
				t.Fatalf("policy: %d %v", status, doc)
			}
			sup := e.login("support@classics.example")
			e.clock.t = e.clock.t.Add(5 * time.Second) // back from the provider, a few seconds on
			if status, doc := e.start(sup, paris, "support", goodReason); status != 201 {
				t.Fatalf("first start after signing in: %d %v", status, doc)
			}
			if status, doc := e.call(sup, "DELETE", "/api/impersonation", ""); status != 200 && status != 204 {
				t.Fatalf("stop: %d %v", status, doc)
			}
			_, me := e.call(sup, "GET", "/api/me", "")
			sup.csrf = me["csrfToken"].(string)
			if status, doc := e.start(sup, paris, "support", goodReason); status != 403 || code(doc) != "reauth_required" {
				t.Errorf("second start on the same sign-in: %d %v, want 403 reauth_required", status, doc)
			}
			// A fresh login that waited too long at the provider is not fresh either.
			late := e.login("implementer@classics.example")
			e.clock.t = e.clock.t.Add(3 * time.Minute)
			if status, doc := e.start(late, paris, "configure", goodReason); status != 403 || code(doc) != "reauth_required" {
				t.Errorf("a start three minutes after signing in: %d %v, want 403 reauth_required", status, doc)
			}
		})
	}
}
