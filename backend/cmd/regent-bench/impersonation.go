package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"sync"
)

// The impersonation scenarios run against either database: they pick their requests through
// the API, not by reading the database.
func init() {
	scenarios["impersonated-employees"] = scenario{user: "support@classics.example",
		setup: setupImpersonatedEmployees, prepare: prepareImpersonation}
	scenarios["impersonation-start"] = scenario{user: "support@classics.example", setup: setupImpersonationStart}
}

// benchReason is the reason every benchmark impersonation gives.
const benchReason = `{"mode": "support", "reason": "regent-bench: load measurement, see docs/performance.md"}`

// minEmployees is how many people the impersonated tenant needs for full 25-row pages over
// several pages; setupImpersonatedEmployees invites the missing ones.
const minEmployees = 100

// tenantByName finds a tenant in the caller's reach by its exact name.
func tenantByName(ctx context.Context, s *loadSetup, name string) (string, error) {
	status, body, err := s.get(ctx, "/api/tenants?pageSize=100&q="+url.QueryEscape(name))
	if err != nil {
		return "", err
	} else if status != http.StatusOK {
		return "", fmt.Errorf("GET /api/tenants: status %d: %.200s", status, body)
	}
	var doc struct{ Items []struct{ ID, Name string } }
	if err := json.Unmarshal(body, &doc); err != nil {
		return "", err
	}
	for _, t := range doc.Items {
		if t.Name == name {
			return t.ID, nil
		}
	}
	return "", fmt.Errorf("tenant %q not found: seed the demo data first", name)
}

// impersonatedTenant is the tenant the impersonated-employees clients step into.
var impersonatedTenant struct {
	sync.Mutex
	id string
}

// setupImpersonatedEmployees finds LSP Paris and makes sure it has at least minEmployees
// people, inviting the missing ones as its own tenant admin through the API (the demo data has
// three; the generated PostgreSQL data has 20,003). Each client then pages through its
// employees as Impersonated Admin (Impersonate & Support).
func setupImpersonatedEmployees(ctx context.Context, s *loadSetup) (nextRequest, error) {
	id, err := tenantByName(ctx, s, bigDemoTenant)
	if err != nil {
		return nil, err
	}
	base := "/api/tenants/" + id + "/employees?pageSize=25"
	admin := loadSetup{client: s.client, base: s.base}
	if admin.token, err = openSession(ctx, s.db, s.base, "tenant-admin@paris.lsp.example"); err != nil {
		return nil, err
	}
	defer admin.do(context.Background(), request{method: http.MethodPost, path: "/auth/logout"})
	if err := admin.readCSRF(ctx); err != nil {
		return nil, err
	}
	total, err := admin.total(ctx, base)
	if err != nil {
		return nil, err
	}
	for i := total; i < minEmployees; i++ {
		body := fmt.Sprintf(`{"name": "Bench Person %03d", "email": "bench-%03d@paris.lsp.example", "roles": []}`, i, i)
		status, answer, err := admin.do(ctx, request{method: http.MethodPost, path: "/api/tenants/" + id + "/employees", body: body})
		if err != nil {
			return nil, err
		} else if status != http.StatusCreated {
			return nil, fmt.Errorf("invite bench employee: status %d: %.200s", status, answer)
		}
	}
	impersonatedTenant.Lock()
	impersonatedTenant.id = id
	impersonatedTenant.Unlock()
	last := pages(max(total, minEmployees))
	return func(r *rand.Rand) request {
		return request{path: base + "&page=" + strconv.Itoa(1+r.IntN(last)), kind: "page"}
	}, nil
}

// prepareImpersonation starts an Impersonate & Support session for one client; the answer's
// cookie (a new one: the old dies at the start) becomes the client's.
func prepareImpersonation(ctx context.Context, s *loadSetup) error {
	impersonatedTenant.Lock()
	id := impersonatedTenant.id
	impersonatedTenant.Unlock()
	status, body, err := s.do(ctx, request{method: http.MethodPost, path: "/api/tenants/" + id + "/impersonations", body: benchReason})
	if err != nil {
		return err
	} else if status != http.StatusCreated {
		return fmt.Errorf("start impersonation: status %d: %.200s", status, body)
	}
	return nil
}

// setupImpersonationStart has each client start an Impersonate & Support session on one of
// up to 100 customer tenants and stop it again, over and over: "start" and "stop" are
// reported apart. Every start and stop is the real thing: the checks, the session row, its
// audit event in the tenant's chain, and a new cookie.
func setupImpersonationStart(ctx context.Context, s *loadSetup) (nextRequest, error) {
	status, body, err := s.get(ctx, "/api/tenants?kind=customer&status=active&pageSize=100")
	if err != nil {
		return nil, err
	} else if status != http.StatusOK {
		return nil, fmt.Errorf("GET /api/tenants: status %d: %.200s", status, body)
	}
	var doc struct {
		Items []struct {
			ID             string
			CanImpersonate struct{ Support bool }
		}
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	var ids []string
	for _, t := range doc.Items {
		if t.CanImpersonate.Support {
			ids = append(ids, t.ID)
		}
	}
	if len(ids) == 0 {
		return nil, errors.New("no customer tenant to impersonate: seed the demo data first")
	}
	// Each client alternates start and stop. A client's requests come one after another, and
	// its random source is its own, so that source tells the clients apart.
	var started sync.Map // *rand.Rand -> bool: the client's session is running
	return func(r *rand.Rand) request {
		running, _ := started.Load(r)
		started.Store(r, running != true)
		if running == true {
			return request{method: http.MethodDelete, path: "/api/impersonation", kind: "stop"}
		}
		return request{method: http.MethodPost, path: "/api/tenants/" + ids[r.IntN(len(ids))] + "/impersonations",
			body: benchReason, kind: "start"}
	}, nil
}
