package web_test

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/cyberkg/cyberkg/web"
)

// The embedded build is whole: index.html exists and every file it references is
// embedded too (a stale or half-committed web/dist fails here; npm run check-dist
// compares it with a fresh build).
func TestDistReferencesOnlyEmbeddedFiles(t *testing.T) {
	files := web.Files()
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		t.Fatalf("dist/index.html: %v", err)
	}
	// The files the page loads: scripts and linked stylesheets (not the navigation links).
	refs := regexp.MustCompile(`<(?:script|link)\b[^>]*\b(?:src|href)="(/[^"]*)"`).FindAllStringSubmatch(string(index), -1)
	if len(refs) < 2 {
		t.Fatalf("index.html references %d files, want the script and the stylesheet:\n%s", len(refs), index)
	}
	sawScript := false
	for _, m := range refs {
		p := strings.TrimPrefix(m[1], "/")
		if strings.HasPrefix(m[1], "//") || p == "" || strings.HasPrefix(p, "src/") {
			t.Errorf("index.html references %q: a development path, not a built file", m[1])
			continue
		}
		if _, err := fs.Stat(files, p); err != nil {
			t.Errorf("index.html references %s, which dist does not hold", m[1])
		}
		sawScript = sawScript || strings.HasSuffix(p, ".js")
	}
	if !sawScript {
		t.Error("index.html loads no script")
	}
	if strings.Contains(string(index), "<script>") || regexp.MustCompile(`<script(?:\s+type="module")?\s*>`).Match(index) {
		t.Error("index.html has an inline script, which the Content-Security-Policy forbids")
	}
}

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(web.Handler())
	defer srv.Close()
	get := func(p string) (*http.Response, string) {
		t.Helper()
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	index, _ := fs.ReadFile(web.Files(), "index.html")
	asset := regexp.MustCompile(`src="(/assets/[^"]+\.js)"`).FindStringSubmatch(string(index))
	if asset == nil {
		t.Fatal("no script in index.html")
	}
	for _, tc := range []struct {
		path, cache, body string
		status            int
	}{
		{"/", "no-cache", string(index), 200},
		{"/entity/actor:lazarus-group", "no-cache", string(index), 200},
		{"/graph?seed=state%3Akp&depth=2", "no-cache", string(index), 200},
		{asset[1], "public, max-age=31536000, immutable", "", 200},
		{"/assets/nope-123.js", "", "", 404},
		{"/../../etc/passwd", "no-cache", string(index), 200},
	} {
		res, body := get(tc.path)
		if res.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.path, res.StatusCode, tc.status)
			continue
		}
		if got := res.Header.Get("Content-Security-Policy"); !strings.Contains(got, "script-src 'self'") || !strings.Contains(got, "object-src 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", tc.path, got)
		}
		if tc.status != 200 {
			continue
		}
		if got := res.Header.Get("Cache-Control"); got != tc.cache {
			t.Errorf("%s: Cache-Control %q, want %q", tc.path, got, tc.cache)
		}
		if tc.body != "" && body != tc.body {
			t.Errorf("%s: not index.html", tc.path)
		}
	}
	res, err := http.Post(srv.URL+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d, want 405", res.StatusCode)
	}
}
