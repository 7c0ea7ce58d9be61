package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/regent/regent/gormstore/storetest"
)

// persona is a seeded demo user signed in through the provider, or nobody.
type persona struct {
	email string
	b     *browser
	csrf  string
}

// The personas of the matrix, by short name.
var personaEmails = map[string]string{
	"tm":          "tm-admin@classics.example",
	"implementer": "implementer@classics.example",
	"support":     "support@classics.example",
	"lspAdmin":    "partner-admin@lsp.example",
	"lspSupport":  "partner-support@lsp.example",
	"acmeAdmin":   "partner-admin@acme.example",
	"parisAdmin":  "tenant-admin@paris.lsp.example",
	"parisSuper":  "supervisor@paris.lsp.example",
	"parisAgent":  "agent@paris.lsp.example",
	"londonAdmin": "tenant-admin@london.lsp.example",
	"anonymous":   "",
}

// tenantAppReads and tenantAppWrites restate product.md's role table for the tenant app:
// which collections each Paris persona may read and change. Nobody else gets in at all.
var tenantAppReads = map[string][]string{
	"parisAdmin": {"employees", "roles", "business-units", "skills", "branding", "contacts"},
	"parisSuper": {"employees", "roles", "business-units", "skills", "branding", "contacts"},
	"parisAgent": {"business-units", "skills", "branding", "contacts"},
}

var tenantAppWrites = map[string][]string{
	"parisAdmin": {"employees", "roles", "business-units", "skills", "branding", "contacts"},
	"parisSuper": {"contacts"},
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestAuthorizationMatrix walks every route of the API for every seeded role, inside and
// outside the caller's reach, and checks the answer. Refused calls must change nothing:
// mutating calls use bodies that an allowed caller would get a 400 or 409 for, and the
// DELETEs aimed at real records are made only by callers who must be refused.
func TestAuthorizationMatrix(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			people := map[string]*persona{}
			for name, email := range personaEmails {
				p := &persona{email: email, b: newBrowser()}
				if email != "" {
					me := e.signIn(p.b, email)
					p.csrf = me["csrfToken"].(string)
				}
				people[name] = p
			}
			ids := e.fixtures(people["parisAdmin"], people["tm"])

			type cell struct {
				method, path, body string
				want               map[string]int // persona -> status; others get def
				def                int
			}
			var cells []cell
			all := func(status int, except map[string]int) map[string]int {
				m := map[string]int{}
				for name := range personaEmails {
					m[name] = status
				}
				for k, v := range except {
					m[k] = v
				}
				m["anonymous"] = 401
				return m
			}

			// The console.
			cells = append(cells,
				cell{"GET", "/api/me", "", all(200, nil), 0},
				cell{"GET", "/api/tenants", "", all(403, map[string]int{"tm": 200, "implementer": 200, "support": 200, "lspAdmin": 200, "lspSupport": 200, "acmeAdmin": 200}), 0},
				cell{"GET", "/api/tenants/" + ids["paris"], "", all(404, map[string]int{"tm": 200, "implementer": 200, "support": 200, "lspAdmin": 200, "lspSupport": 200}), 0},
				cell{"GET", "/api/tenants/" + ids["platform"], "", all(404, nil), 0},
				cell{"GET", "/api/tenants/" + ids["lsp"], "", all(404, map[string]int{"tm": 200, "implementer": 200, "support": 200}), 0},
				cell{"POST", "/api/tenants", `{}`, all(403, map[string]int{"tm": 400, "implementer": 400, "lspAdmin": 400, "acmeAdmin": 400}), 0},
				cell{"PATCH", "/api/tenants/" + ids["paris"], `{"version": 999, "name": "x"}`, all(404, map[string]int{"tm": 409, "implementer": 409, "support": 403, "lspAdmin": 409, "lspSupport": 403}), 0},
				cell{"PATCH", "/api/tenants/" + ids["acmeRetail"], `{"version": 999}`, all(404, map[string]int{"tm": 409, "implementer": 409, "support": 403, "acmeAdmin": 409}), 0},
				cell{"GET", "/api/users", "", all(403, map[string]int{"tm": 200, "lspAdmin": 200, "acmeAdmin": 200}), 0},
				cell{"GET", "/api/users/" + ids["lspSupportUser"], "", all(404, map[string]int{"tm": 200, "lspAdmin": 200}), 0},
				cell{"GET", "/api/users/" + ids["hiddenParis"], "", all(404, nil), 0},
				cell{"POST", "/api/users", `{}`, all(403, map[string]int{"tm": 400, "lspAdmin": 400, "acmeAdmin": 400}), 0},
				cell{"PATCH", "/api/users/" + ids["lspSupportUser"], `{"version": 999}`, all(404, map[string]int{"tm": 409, "lspAdmin": 409}), 0},
				cell{"PATCH", "/api/users/" + ids["hiddenParis"], `{"version": 1, "name": "x"}`, all(404, nil), 0},
				cell{"GET", "/api/permissions", "", all(200, nil), 0},
				cell{"GET", "/api/roles", "", all(403, map[string]int{"tm": 200, "lspAdmin": 200, "acmeAdmin": 200}), 0},
			)

			// The tenant app, in Paris (some personas' home) and in London (nobody's here but
			// londonAdmin, who must not reach Paris either).
			for _, coll := range []string{"employees", "roles", "business-units", "skills", "branding", "contacts"} {
				read := map[string]int{}
				write := map[string]int{}
				patch := map[string]int{}
				del := map[string]int{}
				for name := range personaEmails {
					read[name], write[name], patch[name], del[name] = 404, 404, 404, 404
					if _, member := tenantAppReads[name]; member {
						read[name], write[name], patch[name], del[name] = 403, 403, 403, 403
						if has(tenantAppReads[name], coll) {
							read[name] = 200
						}
						if has(tenantAppWrites[name], coll) {
							write[name], patch[name] = 400, 409
							delete(del, name) // allowed: not attempted against the fixture
						}
					}
				}
				read["anonymous"], write["anonymous"], patch["anonymous"], del["anonymous"] = 401, 401, 401, 401
				base := "/api/tenants/" + ids["paris"] + "/" + coll
				item := base + "/" + ids[coll]
				itemRead := map[string]int{}
				for k, v := range read {
					itemRead[k] = v
				}
				cells = append(cells,
					cell{"GET", base, "", read, 0},
					cell{"GET", item, "", itemRead, 0},
					cell{"POST", base, `{}`, write, 0},
					cell{"PATCH", item, `{"version": 999}`, patch, 0},
					cell{"DELETE", item, "", del, 0},
				)
				// London's collections: only londonAdmin gets in, and Paris people get 404.
				london := "/api/tenants/" + ids["london"] + "/" + coll
				cells = append(cells, cell{"GET", london, "", all(404, map[string]int{"londonAdmin": 200}), 0})
				// Paris's item addressed through London's URL: not found even for London's admin.
				cells = append(cells, cell{"GET", london + "/" + ids[coll], "", all(404, nil), 0})
			}
			cells = append(cells,
				cell{"GET", "/api/tenants/" + ids["paris"] + "/contacts/export?format=csv", "", all(404, map[string]int{"parisAdmin": 200, "parisSuper": 403, "parisAgent": 403}), 0},
				cell{"GET", "/api/tenants/" + ids["london"] + "/contacts/export?format=csv", "", all(404, map[string]int{"londonAdmin": 200}), 0},
			)

			// Impersonation, its policy, the audit trail and the Access Log. Nobody is
			// impersonating here (impersonation_test.go covers the session itself); a
			// missing session id is 404 to everyone, a stale version 409 to whoever may write.
			paris, london, missing := ids["paris"], ids["london"], "01a20000-0000-7000-8000-000000000001"
			tenantAdmins := func(tenant string, allowed int) map[string]int {
				if tenant == paris {
					return all(404, map[string]int{"parisAdmin": allowed, "parisSuper": 403, "parisAgent": 403})
				}
				return all(404, map[string]int{"londonAdmin": allowed})
			}
			cells = append(cells,
				cell{"GET", "/api/impersonations", "", all(200, nil), 0},
				cell{"GET", "/api/impersonations/" + missing, "", all(404, nil), 0},
				cell{"POST", "/api/impersonations/" + missing + "/revoke", "", all(404, nil), 0},
				cell{"POST", "/api/impersonations/revoke-all?tenantId=" + london, "", all(403, map[string]int{"tm": 200}), 0},
				cell{"POST", "/api/tenants/" + paris + "/impersonations", `{}`, all(404, map[string]int{"tm": 400, "implementer": 400, "support": 400, "lspAdmin": 400, "lspSupport": 400}), 0},
				cell{"POST", "/api/tenants/" + ids["platform"] + "/impersonations", `{"mode": "support", "reason": "matrix"}`, all(404, nil), 0},
				cell{"DELETE", "/api/impersonation", "", all(409, nil), 0},
				cell{"GET", "/api/settings/impersonation", "", all(403, map[string]int{"tm": 200}), 0},
				cell{"PUT", "/api/settings/impersonation", `{"version": 999, "supportEnabled": true}`, all(403, map[string]int{"tm": 409}), 0},
				cell{"GET", "/api/tenants/" + paris + "/settings/impersonation", "", all(404, map[string]int{"tm": 200, "lspAdmin": 200, "implementer": 403, "support": 403, "lspSupport": 403}), 0},
				cell{"PUT", "/api/tenants/" + paris + "/settings/impersonation", `{"version": 999, "supportEnabled": true}`, all(404, map[string]int{"tm": 409, "lspAdmin": 409, "implementer": 403, "support": 403, "lspSupport": 403}), 0},
				cell{"GET", "/api/audit", "", all(403, map[string]int{"tm": 200, "lspAdmin": 200, "acmeAdmin": 200}), 0},
				cell{"GET", "/api/audit/export?format=csv&tenantId=" + paris, "", all(403, map[string]int{"tm": 200}), 0},
				cell{"GET", "/api/tenants/" + paris + "/metrics", "", all(404, map[string]int{"tm": 200, "implementer": 200, "support": 200, "lspAdmin": 200, "lspSupport": 200, "parisAdmin": 200}), 0},
				cell{"GET", "/api/tenants/" + paris + "/access-log", "", tenantAdmins(paris, 200), 0},
				cell{"GET", "/api/tenants/" + paris + "/access-log/notice", "", tenantAdmins(paris, 200), 0},
				cell{"POST", "/api/tenants/" + paris + "/access-log/seen", "", tenantAdmins(paris, 204), 0},
				cell{"GET", "/api/tenants/" + paris + "/access-log/" + missing, "", all(404, nil), 0},
				cell{"GET", "/api/tenants/" + london + "/access-log", "", tenantAdmins(london, 200), 0},
				cell{"POST", "/api/tenants/" + london + "/access-log/seen", "", tenantAdmins(london, 204), 0},
			)

			for _, c := range cells {
				for name, p := range people {
					want, ok := c.want[name]
					if !ok {
						continue
					}
					headers := map[string]string{}
					if c.method != "GET" && p.csrf != "" {
						headers["X-CSRF-Token"] = p.csrf
					}
					status, doc := e.do(p.b, c.method, c.path, c.body, headers)
					if status != want {
						t.Errorf("%s %s as %s: got %d (%v), want %d", c.method, c.path, name, status, doc["code"], want)
					}
				}
			}

			// The hidden account and role, addressed by id anywhere, answer exactly as an id
			// that does not exist — for everyone, TM Admins and the tenant's own admin included.
			ghost := "01a20000-0000-7000-8000-000000000000"
			for _, probe := range []struct{ method, path, body string }{
				{"GET", "/api/tenants/" + ids["paris"] + "/employees/%s", ""},
				{"PATCH", "/api/tenants/" + ids["paris"] + "/employees/%s", `{"version": 1, "name": "x"}`},
				{"DELETE", "/api/tenants/" + ids["paris"] + "/employees/%s", ""},
				{"GET", "/api/users/%s", ""},
				{"PATCH", "/api/users/%s", `{"version": 1, "status": "deactivated"}`},
			} {
				for name, p := range people {
					h := map[string]string{"X-CSRF-Token": p.csrf}
					got, gdoc := e.do(p.b, probe.method, fmt.Sprintf(probe.path, ids["hiddenParis"]), probe.body, h)
					want, wdoc := e.do(p.b, probe.method, fmt.Sprintf(probe.path, ghost), probe.body, h)
					if got != want || gdoc["code"] != wdoc["code"] || got < 400 {
						t.Errorf("%s %s on the hidden account as %s: got %d %v, a missing id gets %d %v", probe.method, probe.path, name, got, gdoc["code"], want, wdoc["code"])
					}
				}
			}
			for _, probe := range []struct{ method, path, body string }{
				{"GET", "/api/tenants/" + ids["paris"] + "/roles/%s", ""},
				{"PATCH", "/api/tenants/" + ids["paris"] + "/roles/%s", `{"version": 1, "name": "Mine"}`},
				{"DELETE", "/api/tenants/" + ids["paris"] + "/roles/%s", ""},
			} {
				for name, p := range people {
					h := map[string]string{"X-CSRF-Token": p.csrf}
					got, gdoc := e.do(p.b, probe.method, fmt.Sprintf(probe.path, ids["hiddenParisRole"]), probe.body, h)
					want, wdoc := e.do(p.b, probe.method, fmt.Sprintf(probe.path, ghost), probe.body, h)
					if got != want || gdoc["code"] != wdoc["code"] || got < 400 {
						t.Errorf("%s %s on the hidden role as %s: got %d %v, a missing id gets %d %v", probe.method, probe.path, name, got, gdoc["code"], want, wdoc["code"])
					}
				}
			}

			// Nothing the refused calls aimed at changed.
			admin := people["parisAdmin"]
			for _, coll := range []string{"employees", "roles", "business-units", "skills", "branding", "contacts"} {
				status, doc := e.do(admin.b, "GET", "/api/tenants/"+ids["paris"]+"/"+coll+"/"+ids[coll], "", nil)
				if status != 200 || fmt.Sprint(doc["version"]) != "1" {
					t.Errorf("%s fixture after the matrix: %d %v", coll, status, doc)
				}
			}
		})
	}
}

// fixtures creates one record of each collection in Paris and returns the ids the matrix
// addresses.
func (e *env) fixtures(parisAdmin, tm *persona) map[string]string {
	e.t.Helper()
	ids := map[string]string{}
	for _, row := range []struct{ key, sql string }{
		{"platform", "SELECT id FROM tenants WHERE kind = 'platform'"},
		{"lsp", "SELECT id FROM tenants WHERE name = 'League of the Scarlet Pimpernel'"},
		{"paris", "SELECT id FROM tenants WHERE name = 'LSP Paris'"},
		{"london", "SELECT id FROM tenants WHERE name = 'LSP London'"},
		{"acmeRetail", "SELECT id FROM tenants WHERE name = 'Acme Retail'"},
		{"lspSupportUser", "SELECT id FROM users WHERE email = 'partner-support@lsp.example'"},
		{"hiddenParis", "SELECT u.id FROM users u JOIN tenants t ON t.id = u.home_tenant_id WHERE t.name = 'LSP Paris' AND u.hidden"},
		{"hiddenParisRole", "SELECT r.id FROM roles r JOIN tenants t ON t.id = r.tenant_id WHERE t.name = 'LSP Paris' AND r.hidden"},
	} {
		var id string
		if err := e.db.SQL().QueryRow(row.sql).Scan(&id); err != nil {
			e.t.Fatalf("fixture %s: %v", row.key, err)
		}
		ids[row.key] = id
	}
	h := map[string]string{"X-CSRF-Token": parisAdmin.csrf}
	for coll, body := range map[string]string{
		"employees":      `{"email": "fixture@paris.lsp.example", "name": "Fixture Person", "roles": []}`,
		"roles":          `{"name": "Fixture Role", "permissions": ["contacts:read"]}`,
		"business-units": `{"name": "Fixture BU", "timeZone": "Europe/Paris"}`,
		"skills":         `{"name": "Fixture Skill", "channel": "phone", "direction": "outbound"}`,
		"branding":       `{"name": "Fixture Brand", "productName": "Paris Desk", "primaryColor": "#1c7ed6"}`,
		"contacts":       `{"name": "Fixture Contact", "email": "c@example.fr", "phone": "+33 1 00 00 00 00"}`,
	} {
		status, doc := e.do(parisAdmin.b, "POST", "/api/tenants/"+ids["paris"]+"/"+coll, body, h)
		if status != 201 {
			e.t.Fatalf("fixture %s: %d %v", coll, status, doc)
		}
		ids[coll] = doc["id"].(string)
	}
	if strings.Contains(fmt.Sprint(ids), "map[]") {
		e.t.Fatal("missing fixture ids")
	}
	return ids
}
