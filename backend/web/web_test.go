package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestHandler(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{
		"index.html":        {Data: []byte("<html>app</html>")},
		"assets/app-abc.js": {Data: []byte("console.log(1)")},
		"favicon.svg":       {Data: []byte("<svg/>")},
	}
	h := handler(files)
	tests := []struct {
		name, method, path string
		wantStatus         int
		wantCache, wantIn  string
	}{
		{"root is index", "GET", "/", 200, "no-cache", "app"},
		{"deep link falls back to index", "GET", "/tenants/123?q=x", 200, "no-cache", "app"},
		{"hashed asset is immutable", "GET", "/assets/app-abc.js", 200, "public, max-age=31536000, immutable", "console.log"},
		{"other file is revalidated", "GET", "/favicon.svg", 200, "no-cache", "<svg/>"},
		{"missing asset is 404, not index", "GET", "/assets/gone.js", 404, "", ""},
		{"missing file with extension is 404", "GET", "/robots.txt", 404, "", ""},
		{"traversal is cleaned and stays inside", "GET", "/../../etc/passwd", 200, "no-cache", "app"},
		{"post refused", "POST", "/", 405, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.wantStatus {
				t.Fatalf("status: got %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := rec.Header().Get("Cache-Control"); tt.wantCache != "" && got != tt.wantCache {
				t.Errorf("Cache-Control: got %q, want %q", got, tt.wantCache)
			}
			if tt.wantIn != "" && !contains(rec.Body.String(), tt.wantIn) {
				t.Errorf("body: got %q, want it to contain %q", rec.Body.String(), tt.wantIn)
			}
		})
	}
	t.Run("without a build it explains itself", func(t *testing.T) {
		rec := httptest.NewRecorder()
		handler(fstest.MapFS{}).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if rec.Code != http.StatusOK || !contains(rec.Body.String(), "make build") {
			t.Errorf("got %d %q", rec.Code, rec.Body.String())
		}
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
