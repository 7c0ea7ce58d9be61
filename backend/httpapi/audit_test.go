package httpapi_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/regent/regent/gormstore/storetest"
)

// actions returns the actions of the events written after seq, in order.
func (e *env) actionsAfter(seq int64) []string {
	e.t.Helper()
	rows, err := e.db.SQL().Query(fmt.Sprintf("SELECT action || ':' || outcome FROM audit_events WHERE seq > %d ORDER BY seq", seq))
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		rows.Scan(&a)
		out = append(out, a)
	}
	return out
}

func (e *env) lastSeq() int64 {
	var n int64
	e.db.SQL().QueryRow("SELECT coalesce(max(seq), 0) FROM audit_events").Scan(&n)
	return n
}

// TestEveryChangeWritesExactlyItsEvents sends each mutating route once, allowed and refused,
// and checks the trail got exactly the expected events: no change without its event, no
// success event for a refused or failed change.
func TestEveryChangeWritesExactlyItsEvents(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			tm := e.login("tm-admin@classics.example")
			lspAdmin := e.login("partner-admin@lsp.example")
			parisAdmin := e.login("tenant-admin@paris.lsp.example")
			agent := e.login("agent@paris.lsp.example")
			paris, lsp := e.tenantID("LSP Paris"), e.tenantID("League of the Scarlet Pimpernel")
			var agentRole string
			e.db.SQL().QueryRow("SELECT id FROM roles WHERE key = 'agent'").Scan(&agentRole)
			var partnerSupportRole string
			e.db.SQL().QueryRow("SELECT id FROM roles WHERE key = 'partner_support'").Scan(&partnerSupportRole)

			ids := map[string]string{}
			tp := func(path string) string { return "/api/tenants/" + paris + path }
			steps := []struct {
				name       string
				who        *actor
				method     string
				path       func() string
				body       func() string
				wantStatus int
				want       []string
				save       string
			}{
				{"create tenant", lspAdmin, "POST", func() string { return "/api/tenants" }, func() string { return `{"name": "LSP Nice", "kind": "customer"}` }, 201, []string{"tenant.create:success"}, "tenant"},
				{"duplicate tenant", lspAdmin, "POST", func() string { return "/api/tenants" }, func() string { return `{"name": "lsp nice", "kind": "customer"}` }, 409, nil, ""},
				{"invalid tenant", lspAdmin, "POST", func() string { return "/api/tenants" }, func() string { return `{"name": "", "kind": "moon"}` }, 400, nil, ""},
				{"suspend tenant", lspAdmin, "PATCH", func() string { return "/api/tenants/" + ids["tenant"] }, func() string { return `{"version": 1, "status": "suspended"}` }, 200, []string{"tenant.suspend:success"}, ""},
				{"stale tenant", lspAdmin, "PATCH", func() string { return "/api/tenants/" + ids["tenant"] }, func() string { return `{"version": 1, "status": "active"}` }, 409, nil, ""},
				{"invite console user", lspAdmin, "POST", func() string { return "/api/users" }, func() string {
					return `{"email": "helper@lsp.example", "name": "Helper", "homeId": "` + lsp + `", "roles": ["` + partnerSupportRole + `"]}`
				}, 201, []string{"user.invite:success"}, "user"},
				{"update console user", lspAdmin, "PATCH", func() string { return "/api/users/" + ids["user"] }, func() string { return `{"version": 1, "name": "Helper Two"}` }, 200, []string{"user.update:success"}, ""},
				{"deactivate console user", lspAdmin, "PATCH", func() string { return "/api/users/" + ids["user"] }, func() string { return `{"version": 2, "status": "deactivated"}` }, 200, []string{"user.deactivate:success"}, ""},
				{"invite employee", parisAdmin, "POST", func() string { return tp("/employees") }, func() string {
					return `{"email": "new@paris.lsp.example", "name": "New One", "roles": ["` + agentRole + `"]}`
				}, 201, []string{"employee.create:success"}, "employee"},
				{"agent cannot invite", agent, "POST", func() string { return tp("/employees") }, func() string { return `{"email": "x@paris.lsp.example", "name": "X"}` }, 403, nil, ""},
				{"update employee", parisAdmin, "PATCH", func() string { return tp("/employees/" + ids["employee"]) }, func() string { return `{"version": 1, "name": "New Two"}` }, 200, []string{"employee.update:success"}, ""},
				{"deactivate employee", parisAdmin, "DELETE", func() string { return tp("/employees/" + ids["employee"]) }, func() string { return "" }, 204, []string{"employee.deactivate:success"}, ""},
				{"create role", parisAdmin, "POST", func() string { return tp("/roles") }, func() string { return `{"name": "Readers", "permissions": ["contacts:read"]}` }, 201, []string{"role.create:success"}, "role"},
				{"update role", parisAdmin, "PATCH", func() string { return tp("/roles/" + ids["role"]) }, func() string { return `{"version": 1, "permissions": ["contacts:read", "skills:read"]}` }, 200, []string{"role.update:success"}, ""},
				{"delete role", parisAdmin, "DELETE", func() string { return tp("/roles/" + ids["role"]) }, func() string { return "" }, 204, []string{"role.delete:success"}, ""},
				{"create business unit", parisAdmin, "POST", func() string { return tp("/business-units") }, func() string { return `{"name": "Nantes", "timeZone": "Europe/Paris"}` }, 201, []string{"business_unit.create:success"}, "bu"},
				{"update business unit", parisAdmin, "PATCH", func() string { return tp("/business-units/" + ids["bu"]) }, func() string { return `{"version": 1, "status": "inactive"}` }, 200, []string{"business_unit.update:success"}, ""},
				{"delete business unit", parisAdmin, "DELETE", func() string { return tp("/business-units/" + ids["bu"]) }, func() string { return "" }, 204, []string{"business_unit.delete:success"}, ""},
				{"create skill", parisAdmin, "POST", func() string { return tp("/skills") }, func() string { return `{"name": "SMS", "channel": "sms", "direction": "inbound"}` }, 201, []string{"skill.create:success"}, "skill"},
				{"delete skill", parisAdmin, "DELETE", func() string { return tp("/skills/" + ids["skill"]) }, func() string { return "" }, 204, []string{"skill.delete:success"}, ""},
				{"create branding", parisAdmin, "POST", func() string { return tp("/branding") }, func() string { return `{"name": "Dark", "productName": "Desk", "primaryColor": "#000000"}` }, 201, []string{"branding_profile.create:success"}, "brand"},
				{"bad branding", parisAdmin, "PATCH", func() string { return tp("/branding/" + ids["brand"]) }, func() string { return `{"version": 1, "logoUrl": "javascript:alert(1)"}` }, 400, nil, ""},
				{"create contact", parisAdmin, "POST", func() string { return tp("/contacts") }, func() string { return `{"name": "Zoé", "email": "zoe@example.fr"}` }, 201, []string{"contact.create:success"}, "contact"},
				{"export contacts", parisAdmin, "GET", func() string { return tp("/contacts/export?format=csv") }, func() string { return "" }, 200, []string{"contact.export:success"}, ""},
				{"global policy", tm, "PUT", func() string { return "/api/settings/impersonation" }, func() string { return `{"idleTimeoutMinutes": 20}` }, 200, []string{"impersonation_policy.update:success"}, ""},
				{"tenant policy", lspAdmin, "PUT", func() string { return "/api/tenants/" + paris + "/settings/impersonation" }, func() string { return `{"maskPersonalData": true}` }, 200, []string{"impersonation_policy.update:success"}, ""},
				{"impersonation start", lspAdmin, "POST", func() string { return tp("/impersonations") }, func() string { return `{"mode": "configure", "reason": "` + goodReason + `"}` }, 201, []string{"impersonation.start:success"}, ""},
				{"change while impersonating", lspAdmin, "POST", func() string { return tp("/skills") }, func() string { return `{"name": "Helped", "channel": "chat", "direction": "inbound"}` }, 201, []string{"skill.create:success"}, ""},
				{"refused while impersonating", lspAdmin, "POST", func() string { return tp("/contacts") }, func() string { return `{"name": "Nope"}` }, 403, nil, ""},
				{"nested start refused", lspAdmin, "POST", func() string { return tp("/impersonations") }, func() string { return `{"mode": "support", "reason": "` + goodReason + `"}` }, 409, []string{"impersonation.start:denied"}, ""},
				{"impersonation stop", lspAdmin, "DELETE", func() string { return "/api/impersonation" }, func() string { return "" }, 204, []string{"impersonation.end:success"}, ""},
				{"stop when not impersonating", lspAdmin, "DELETE", func() string { return "/api/impersonation" }, func() string { return "" }, 409, nil, ""},
				{"start again to revoke", lspAdmin, "POST", func() string { return tp("/impersonations") }, func() string { return `{"mode": "support", "reason": "` + goodReason + `"}` }, 201, []string{"impersonation.start:success"}, "session"},
				{"revoke", tm, "POST", func() string { return "/api/impersonations/" + ids["session"] + "/revoke" }, func() string { return "" }, 204, []string{"impersonation.end:success"}, ""},
				{"revoke again is a no-op", tm, "POST", func() string { return "/api/impersonations/" + ids["session"] + "/revoke" }, func() string { return "" }, 204, nil, ""},
				{"revoke all when none run", tm, "POST", func() string { return "/api/impersonations/revoke-all" }, func() string { return "" }, 200, nil, ""},
				{"acknowledge access", parisAdmin, "POST", func() string { return tp("/access-log/seen") }, func() string { return "" }, 204, []string{"access_log.acknowledge:success"}, ""},
				{"rename tenant", tm, "PATCH", func() string { return "/api/tenants/" + ids["tenant"] }, func() string { return `{"version": 2, "name": "LSP Nice Côte"}` }, 200, []string{"tenant.update:success"}, ""},
				{"audit export", tm, "GET", func() string { return "/api/audit/export?format=jsonl&tenantId=" + paris }, func() string { return "" }, 200, []string{"audit.export:success"}, ""},
				{"sign-out", agent, "POST", func() string { return "/auth/logout" }, func() string { return "" }, 204, []string{"auth.logout:success"}, ""},
			}
			for _, st := range steps {
				seq := e.lastSeq()
				status, doc := e.call(st.who, st.method, st.path(), st.body())
				if status != st.wantStatus {
					t.Fatalf("%s: got %d %v, want %d", st.name, status, doc, st.wantStatus)
				}
				if st.save != "" {
					ids[st.save] = doc["id"].(string)
				}
				if got := e.actionsAfter(seq); strings.Join(got, ",") != strings.Join(st.want, ",") {
					t.Errorf("%s: events %v, want %v", st.name, got, st.want)
				}
			}
			// The change made while impersonating names both the actor and the principal.
			var actor, principal, session string
			e.db.SQL().QueryRow("SELECT actor_email, principal_name, coalesce(CAST(session_id AS TEXT), '') FROM audit_events WHERE action = 'skill.create' ORDER BY seq DESC LIMIT 1").Scan(&actor, &principal, &session)
			if actor != "partner-admin@lsp.example" || principal != "Impersonated Admin" || session == "" {
				t.Errorf("impersonated change: actor %q principal %q session %q", actor, principal, session)
			}
			rep, err := e.db.VerifyAudit(t.Context(), nil)
			if err != nil || len(rep.Breaks) != 0 {
				t.Errorf("verify after the run: %+v %v", rep, err)
			}
		})
	}
}

func TestAuditReadAndExport(t *testing.T) {
	e := newEnv(t, "sqlite")
	tm := e.login("tm-admin@classics.example")
	lspAdmin := e.login("partner-admin@lsp.example")
	acmeAdmin := e.login("partner-admin@acme.example")
	parisAdmin := e.login("tenant-admin@paris.lsp.example")
	sup := e.login("support@classics.example")
	paris, retail := e.tenantID("LSP Paris"), e.tenantID("Acme Retail")
	for i := 0; i < 7; i++ {
		e.call(parisAdmin, "POST", "/api/tenants/"+paris+"/skills", fmt.Sprintf(`{"name": "Skill %d", "channel": "chat", "direction": "inbound"}`, i))
	}

	t.Run("cursor paging walks every event once", func(t *testing.T) {
		seen := map[string]bool{}
		cursor := ""
		for page := 0; page < 10; page++ {
			_, doc := e.call(tm, "GET", "/api/audit?tenantId="+paris+"&limit=3&cursor="+cursor, "")
			for _, it := range doc["items"].([]any) {
				id := it.(map[string]any)["id"].(string)
				if seen[id] {
					t.Fatalf("event %s twice", id)
				}
				seen[id] = true
			}
			next, _ := doc["nextCursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		want := e.count("SELECT count(*) FROM audit_events WHERE tenant_id = '" + paris + "'")
		if len(seen) != want {
			t.Errorf("paged %d events, the tenant has %d", len(seen), want)
		}
	})
	t.Run("filters by action prefix and actor", func(t *testing.T) {
		_, doc := e.call(tm, "GET", "/api/audit?action=skill.&actorId="+parisAdmin.id, "")
		if n := len(doc["items"].([]any)); n != 7 {
			t.Errorf("got %d events", n)
		}
		if status, doc := e.call(tm, "GET", "/api/audit?cursor=garbage", ""); status != 400 || doc["errors"] == nil {
			t.Errorf("bad cursor: %d %v", status, doc)
		}
	})
	t.Run("partners read their own tenants' events only", func(t *testing.T) {
		_, doc := e.call(lspAdmin, "GET", "/api/audit?limit=100", "")
		for _, it := range doc["items"].([]any) {
			if tid, _ := it.(map[string]any)["tenantId"].(string); tid == retail {
				t.Error("lsp reads acme's events")
			}
		}
		_, doc = e.call(acmeAdmin, "GET", "/api/audit?tenantId="+paris, "")
		if n := len(doc["items"].([]any)); n != 0 {
			t.Errorf("acme reads %d of paris's events", n)
		}
		for who, a := range map[string]*actor{"tenant admin": parisAdmin, "support": sup} {
			if status, _ := e.call(a, "GET", "/api/audit", ""); status != 403 {
				t.Errorf("%s reads the trail: %d", who, status)
			}
		}
		if status, _ := e.call(lspAdmin, "GET", "/api/audit/export?format=csv", ""); status != 403 {
			t.Errorf("partner admin exports: %d", status)
		}
	})
	t.Run("exports stream CSV and JSON lines", func(t *testing.T) {
		for _, format := range []string{"csv", "jsonl"} {
			req, _ := http.NewRequest("GET", e.url+"/api/audit/export?format="+format+"&tenantId="+paris, nil)
			res, err := tm.b.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(res.Body)
			lines := 0
			for sc.Scan() {
				if format == "jsonl" {
					var v map[string]any
					if err := json.Unmarshal(sc.Bytes(), &v); err != nil || v["action"] == nil {
						t.Fatalf("jsonl line %q: %v", sc.Text(), err)
					}
				}
				lines++
			}
			res.Body.Close()
			want := e.count("SELECT count(*) FROM audit_events WHERE tenant_id = '" + paris + "'")
			if format == "csv" {
				want++ // the header
			}
			if res.StatusCode != 200 || lines < want-1 || lines > want {
				t.Errorf("%s: %d lines (status %d), want about %d", format, lines, res.StatusCode, want)
			}
		}
		if status, _ := e.call(tm, "GET", "/api/audit/export?format=xml", ""); status != 400 {
			t.Errorf("xml: %d", status)
		}
	})
	t.Run("a session's timeline: who may see it", func(t *testing.T) {
		if status, doc := e.start(sup, paris, "support", goodReason); status != 201 {
			t.Fatalf("start: %d %v", status, doc)
		}
		_, me := e.call(sup, "GET", "/api/me", "")
		sid := me["impersonation"].(map[string]any)["id"].(string)
		e.call(sup, "POST", "/api/tenants/"+paris+"/contacts", `{"name": "Helped Contact"}`)
		e.call(sup, "DELETE", "/api/impersonation", "")

		_, tl := e.call(tm, "GET", "/api/impersonations/"+sid, "")
		var actions []string
		for _, ev := range tl["events"].([]any) {
			actions = append(actions, ev.(map[string]any)["action"].(string))
		}
		if strings.Join(actions, ",") != "impersonation.start,contact.create,impersonation.end" {
			t.Errorf("timeline: %v", actions)
		}
		if tl["total"] != float64(3) || tl["truncated"] != false {
			t.Errorf("timeline: total %v, truncated %v; want 3, false", tl["total"], tl["truncated"])
		}
		if status, _ := e.call(sup, "GET", "/api/impersonations/"+sid, ""); status != 200 {
			t.Errorf("the actor reads their own session: %d", status)
		}
		if status, doc := e.call(parisAdmin, "GET", "/api/tenants/"+paris+"/access-log/"+sid, ""); status != 200 || len(doc["events"].([]any)) != 3 {
			t.Errorf("the tenant's admin reads what was done: %d", status)
		}
		londonAdmin := e.login("tenant-admin@london.lsp.example")
		london := e.tenantID("LSP London")
		for name, path := range map[string]string{"direct": "/api/impersonations/" + sid, "through london": "/api/tenants/" + london + "/access-log/" + sid} {
			if status, _ := e.call(londonAdmin, "GET", path, ""); status != 404 {
				t.Errorf("london admin, %s: %d", name, status)
			}
		}
		if status, _ := e.call(acmeAdmin, "GET", "/api/impersonations/"+sid, ""); status != 404 {
			t.Errorf("acme admin: %d", status)
		}
	})
	t.Run("metrics never count impersonated activity as the tenant's", func(t *testing.T) {
		_, m := e.call(parisAdmin, "GET", "/api/tenants/"+paris+"/metrics", "")
		if m["changesThisMonth"] != float64(7) || m["impersonatedChangesThisMonth"] != float64(1) || m["impersonationSessionsThisMonth"] != float64(1) {
			t.Errorf("metrics: %v", m)
		}
		if m["lastSignInAt"] == nil || m["activeUsers30d"] != float64(1) {
			t.Errorf("sign-ins: %v", m)
		}
		if status, _ := e.call(acmeAdmin, "GET", "/api/tenants/"+paris+"/metrics", ""); status != 404 {
			t.Errorf("acme reads paris's metrics: %d", status)
		}
	})
}
