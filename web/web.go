// Package web is the explorer for journalists: a single-page application built from
// web/ui (Vite, TypeScript, Cytoscape.js) into web/dist, embedded into the binary and
// served by `cyberkg serve` at /. It reads the graph only through the GraphQL API at
// /graphql, and renders everything that came from scraped pages as text: it must never
// insert data as HTML, and its Content-Security-Policy allows no script but its own
// files.
//
// web/dist is committed: `go build` needs no Node.js. After changing web/ui, run
// `npm run build` there and commit web/dist; `npm run check-dist` proves they match.
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

// ContentSecurityPolicy is sent with every response of the explorer: scripts, styles
// and connections only from the server itself, images also from data: and blob: URLs
// (Cytoscape's PNG export), no plugins, no framing, no <base>.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// Files returns the built explorer.
func Files() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed directive guarantees dist exists
	}
	return sub
}

// Handler serves the explorer: the built files, with a long cache for the hashed
// assets, and index.html (never cached) for any other path without a file extension,
// so that every view's address (/entity/state:kp, /graph?seed=...) loads the
// application, which restores the view from it.
func Handler() http.Handler {
	files := Files()
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		panic("web: dist/index.html is missing: build web/ui (npm run build)")
	}
	server := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if p != "" && p != "index.html" {
			if st, err := fs.Stat(files, p); err == nil && !st.IsDir() {
				if strings.HasPrefix(p, "assets/") {
					h.Set("Cache-Control", "public, max-age=31536000, immutable")
				} else {
					h.Set("Cache-Control", "no-cache")
				}
				server.ServeHTTP(w, r)
				return
			}
			if path.Ext(p) != "" {
				http.NotFound(w, r)
				return
			}
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		w.Write(index)
	})
}
