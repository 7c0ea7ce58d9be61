// Package web serves the single-page app built from frontend/ and embedded in the binary.
//
// Deep links fall back to index.html so that bookmarked console URLs work; index.html is
// never cached (a deploy takes effect on the next load), while Vite's content-hashed files
// under /assets/ are cached for a year as immutable.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// notBuilt is served when the binary was built without the UI (plain `go build`).
const notBuilt = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Regent</title></head>
<body><main><h1>Regent</h1><p>The web UI is not part of this build. Run <code>make build</code>.</p></main></body></html>`

// Handler returns the SPA handler. It answers GET and HEAD only.
func Handler() http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return handler(sub)
}

func handler(files fs.FS) http.Handler {
	index, _ := fs.ReadFile(files, "index.html")
	fileServer := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := path.Clean("/" + r.URL.Path)
		name := strings.TrimPrefix(p, "/")
		if name != "" && name != "index.html" {
			if st, err := fs.Stat(files, name); err == nil && !st.IsDir() {
				if strings.HasPrefix(p, "/assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				} else {
					w.Header().Set("Cache-Control", "no-cache")
				}
				fileServer.ServeHTTP(w, r)
				return
			}
			// A missing asset is a real 404: falling back to HTML would hand a script tag
			// an HTML page and hide the broken deploy.
			if strings.HasPrefix(p, "/assets/") || path.Ext(p) != "" {
				http.NotFound(w, r)
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		if index == nil {
			w.Write([]byte(notBuilt))
			return
		}
		w.Write(index)
	})
}
