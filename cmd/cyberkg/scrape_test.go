package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// newsSite serves a small news site: robots.txt, an RSS feed and the articles it lists,
// one of them behind a Disallow and one missing.
func newsSite(t *testing.T) *httptest.Server {
	t.Helper()
	page, err := os.ReadFile("testdata/bybit-fbi.html")
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title>
<item><title>FBI ties Bybit theft to North Korean hackers</title><link>%[1]s/news/bybit</link></item>
<item><title>The 2024 theft wave</title><link>%[1]s/news/wave.txt</link></item>
<item><title>Members only</title><link>%[1]s/private/secret</link></item>
<item><title>Gone</title><link>%[1]s/news/gone</link></item>
</channel></rss>`, srv.URL)
	})
	mux.HandleFunc("/news/bybit", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("/news/wave.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(text)
	})
	mux.HandleFunc("/private/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("robots.txt disallows %s, yet it was requested", r.URL.Path)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestScrapeFeedThenAgain(t *testing.T) {
	env := stores(t)[0].env
	srv := newsSite(t)
	first := runMain(t, env, "", "scrape", "--feed", srv.URL+"/feed.xml", "--allow-private")
	if first.err != nil {
		t.Fatalf("scrape: %v\n%s\n%s", first.err, first.stdout, first.stderr)
	}
	if !strings.Contains(first.stdout, "fetched 2, unchanged 0, skipped by robots.txt 1, failed 1") ||
		!strings.Contains(first.stdout, "404") || strings.Contains(first.stdout, "facts: nodes: 0 new") {
		t.Errorf("first run:\n%s", first.stdout)
	}
	// A second run reads nothing anew and writes nothing.
	again := runMain(t, env, "", "scrape", "--feed", srv.URL+"/feed.xml", "--allow-private")
	if again.err != nil || !strings.Contains(again.stdout, "fetched 0, unchanged 2, skipped by robots.txt 1, failed 1") ||
		!strings.Contains(again.stdout, "facts: nodes: 0 new, 0 updated; edges: 0 new, 0 updated") {
		t.Errorf("second run: %v\n%s", again.err, again.stdout)
	}
	url := serve(t, env)
	data := graphql(t, url, `{ incident(id: "incident:bybit-hack") { attributions { attributedTo { name } evidence { source { url } } } } }`)
	inc, _ := data["incident"].(map[string]any)
	if inc == nil || len(list(inc["attributions"])) == 0 {
		t.Fatalf("the scraped article's incident is missing: %v", data)
	}
	ev := list(list(inc["attributions"])[0]["evidence"])
	if got := ev[0]["source"].(map[string]any)["url"]; got != srv.URL+"/news/bybit" {
		t.Errorf("evidence source %v, want the article's URL", got)
	}
}

func TestScrapeGuardsPrivateAddresses(t *testing.T) {
	env := stores(t)[0].env
	srv := newsSite(t)
	r := runMain(t, env, "", "scrape", "--url", srv.URL+"/news/bybit")
	if r.err != nil || !strings.Contains(r.stdout, "failed 1") || !strings.Contains(r.stdout, "forbidden address") {
		t.Errorf("a loopback URL without --allow-private: %v\n%s", r.err, r.stdout)
	}
}

func TestScrapeNeedsOneSource(t *testing.T) {
	env := stores(t)[0].env
	for _, args := range [][]string{{"scrape"}, {"scrape", "--feed", "http://a.example/f", "--url", "http://a.example/p"}} {
		if r := runMain(t, env, "", args...); r.err == nil || !strings.Contains(r.err.Error(), "exactly one") {
			t.Errorf("%v: %v", args, r.err)
		}
	}
	if r := runMain(t, env, "", "scrape", "--config", "testdata/no-such.yaml"); r.err == nil {
		t.Error("a missing config file was accepted")
	}
}
