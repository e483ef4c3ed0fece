// Package graphiql serves GraphiQL, the in-browser GraphQL IDE, from files embedded in
// the binary: GraphiQL 3.8.3 and React 18.3.1 (their UMD builds from npm, gzipped; see
// assets/LICENSES.txt, and update.sh to refresh them). Nothing is loaded from a CDN,
// so the page works offline and under a strict Content-Security-Policy.
//
// It must never serve anything but these files and the page that loads them.
package graphiql

import (
	"bytes"
	"compress/gzip"
	"embed"
	"html/template"
	"io"
	"net/http"
	"path"
	"strings"
)

//go:embed assets
var assets embed.FS

// Prefix is the path, under the GraphQL endpoint, that the page loads its files from.
const Prefix = "/graphiql/"

// csp lets the page run only its own files. GraphiQL styles itself inline, and its
// fonts are data: URLs.
const csp = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src data:; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

var page = template.Must(template.New("graphiql").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cyberkg · GraphiQL</title>
<link rel="stylesheet" href="{{.}}graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="{{.}}react.production.min.js"></script>
<script src="{{.}}react-dom.production.min.js"></script>
<script src="{{.}}graphiql.min.js"></script>
<script src="{{.}}init.js"></script>
</body>
</html>
`))

// WantsPage reports whether a request is a browser asking for a page: a GET that
// accepts HTML and carries no GraphQL query.
func WantsPage(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.Query().Get("query") == "" && r.URL.Query().Get("extensions") == "" &&
		strings.Contains(r.Header.Get("Accept"), "text/html")
}

// ServePage writes the page for the endpoint at r.URL.Path.
func ServePage(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	page.Execute(w, strings.TrimSuffix(r.URL.Path, "/")+Prefix)
}

// IsAsset reports whether the request is for one of the page's files.
func IsAsset(r *http.Request) bool { return strings.Contains(r.URL.Path, Prefix) }

// ServeAsset writes one of the page's files, gzipped when the client takes gzip.
func ServeAsset(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	data, err := assets.ReadFile("assets/" + name + ".gz")
	gzipped := err == nil
	if !gzipped {
		data, err = assets.ReadFile("assets/" + name)
	}
	if err != nil || !(strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".css")) {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("Vary", "Accept-Encoding")
	if strings.HasSuffix(name, ".css") {
		h.Set("Content-Type", "text/css; charset=utf-8")
	} else {
		h.Set("Content-Type", "text/javascript; charset=utf-8")
	}
	if gzipped && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		w.Write(data)
		return
	}
	if gzipped {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			http.Error(w, "broken asset", http.StatusInternalServerError)
			return
		}
		io.Copy(w, zr)
		return
	}
	w.Write(data)
}
