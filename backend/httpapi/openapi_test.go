package httpapi

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/regent/regent/oidc"
)

// TestOpenAPICoversEveryRoute keeps the API description and the router in step: every route
// the server registers under /api, /auth and the probes is documented with its method, and
// every documented path exists.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	pu, _ := url.Parse("http://127.0.0.1:8080")
	s := NewServer(Config{PublicURL: pu, RP: oidc.New(oidc.Config{})})

	documented := map[string]bool{} // "METHOD /path"
	pathRe := regexp.MustCompile(`^  (/[^:]*):\s*$`)
	methodRe := regexp.MustCompile(`^    (get|post|put|patch|delete):`)
	current := ""
	for _, line := range strings.Split(string(openAPI), "\n") {
		if m := pathRe.FindStringSubmatch(line); m != nil {
			current = m[1]
		} else if m := methodRe.FindStringSubmatch(line); m != nil && current != "" {
			documented[strings.ToUpper(m[1])+" "+current] = true
		} else if strings.HasPrefix(line, "components:") {
			current = ""
		}
	}
	param := regexp.MustCompile(`:([A-Za-z]+)`)
	served := map[string]bool{}
	for _, r := range s.echo.Routes() {
		if strings.HasPrefix(r.Method, "echo_route_") || strings.HasSuffix(r.Path, "*") || r.Path == "/idp" {
			continue
		}
		if r.Method == "GET" && r.Path == "/auth/logout" {
			continue // only there to answer 405
		}
		key := r.Method + " " + param.ReplaceAllString(r.Path, "{$1}")
		served[key] = true
		if !documented[key] {
			t.Errorf("route %s is not in openapi.yaml", key)
		}
	}
	for key := range documented {
		if !served[key] {
			t.Errorf("openapi.yaml documents %s, which the server does not serve", key)
		}
	}
}
