package resolvers

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// raw sends a request as given and returns the status, the headers and the body.
func raw(t *testing.T, method, u, contentType, accept, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

func deepQuery(levels int) string {
	q := "name"
	for range levels {
		q = "attributedIncidents(first: 1) { edges { node { attributions { attributedTo { ... on ThreatActor { " + q + " } } } } } }"
	}
	return `{ actor(name: "Lazarus Group") { ` + q + ` } }`
}

func TestErrorsCarryACodeAndStatus(t *testing.T) {
	e := newEnv(t, nil)
	nested := `{ states(first: 100) { edges { node { attributedIncidents(first: 100) { edges { node { name } } } } } } }`
	const graphqlJSON = "application/graphql-response+json"
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		accept      string
		code        string
		reason      string
		status      int
		data        bool // whether the response has a data entry
	}{
		{"bad enum in a variable", `query($by: TotalsGroup!) { stolenTotals(groupBy: $by) { key } }`, map[string]any{"by": "COUNTRY"}, "", "INVALID", "GRAPHQL_VALIDATION_FAILED", 200, false},
		{"bad enum, graphql-response", `query($by: TotalsGroup!) { stolenTotals(groupBy: $by) { key } }`, map[string]any{"by": "COUNTRY"}, graphqlJSON, "INVALID", "GRAPHQL_VALIDATION_FAILED", 400, false},
		{"actor with neither id nor name", `{ actor { name } }`, nil, "", "INVALID", "", 200, true},
		{"actor with both id and name", `{ actor(id: "actor:lazarus-group", name: "Lazarus") { name } }`, nil, graphqlJSON, "INVALID", "", 200, true},
		{"state code that is not a code", `{ state(code: "North Korea") { name } }`, nil, "", "INVALID", "", 200, true},
		{"search for nothing", `{ search(query: "  ") { totalCount } }`, nil, "", "INVALID", "", 200, true},
		{"a page too large", `{ search(query: "a", first: 101) { totalCount } }`, nil, "", "INVALID", "", 200, true},
		{"a negative page", `{ incidents(first: -1) { totalCount } }`, nil, "", "INVALID", "", 200, true},
		{"a bad cursor", `{ incidents(after: "not-a-cursor") { totalCount } }`, nil, "", "INVALID", "", 200, true},
		{"years backwards", `{ stolenTotals(groupBy: YEAR, from: 2025, to: 2020) { key } }`, nil, "", "INVALID", "", 200, true},
		{"a neighbourhood too deep", `{ neighborhood(id: "state:kp", depth: 9) { nodes { id } } }`, nil, "", "INVALID", "", 200, true},
		{"paths to a source", `{ paths(from: "state:kp", to: "source:1") { length } }`, nil, "", "INVALID", "", 200, true},
		{"paths to nowhere", `{ paths(from: "state:kp", to: "state:zz") { length } }`, nil, "", "NOT_FOUND", "", 200, true},
		{"syntax error", `{ state(code: "KP") { name }`, nil, "", "INVALID", "GRAPHQL_PARSE_FAILED", 200, false},
		{"syntax error, graphql-response", `{ state(code: "KP") { name }`, nil, graphqlJSON, "INVALID", "GRAPHQL_PARSE_FAILED", 400, false},
		{"unknown field", `{ state(code: "KP") { password } }`, nil, graphqlJSON, "INVALID", "GRAPHQL_VALIDATION_FAILED", 400, false},
		{"too deep", deepQuery(3), nil, "", "INVALID", "DEPTH_LIMIT_EXCEEDED", 200, false},
		{"too costly", nested, nil, graphqlJSON, "INVALID", "COMPLEXITY_LIMIT_EXCEEDED", 400, false},
		{"the audit trail without a token", `{ auditLog { totalCount } }`, nil, "", "UNAUTHENTICATED", "", 200, true},
		{"a mutation without a token", `mutation { merge(keep: "actor:a", drop: "actor:b", why: "x") { changes { nodesRemoved } } }`, nil, "", "UNAUTHENTICATED", "", 401, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{"query": tc.query, "variables": tc.vars})
			status, h, resp := raw(t, http.MethodPost, e.url, "application/json", tc.accept, string(body))
			if status != tc.status {
				t.Errorf("status = %d, want %d: %s", status, tc.status, resp)
			}
			wantType := "application/json"
			if tc.accept != "" {
				wantType = tc.accept
			}
			if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, wantType) {
				t.Errorf("content type %q, want %s", ct, wantType)
			}
			var r struct {
				Data   json.RawMessage `json:"data"`
				Errors []gqlError      `json:"errors"`
			}
			if err := json.Unmarshal([]byte(resp), &r); err != nil || len(r.Errors) == 0 {
				t.Fatalf("no error: %s", resp)
			}
			var m map[string]json.RawMessage
			json.Unmarshal([]byte(resp), &m)
			if _, has := m["data"]; has != tc.data {
				t.Errorf("data entry present: %v, want %v: %s", has, tc.data, resp)
			}
			got := r.Errors[0].Extensions
			if got["code"] != tc.code {
				t.Errorf("extensions = %v, want code %s", got, tc.code)
			}
			if tc.reason != "" && got["reason"] != tc.reason {
				t.Errorf("extensions = %v, want reason %s", got, tc.reason)
			}
		})
	}
}

// The transport answers what is not GraphQL over HTTP before any GraphQL runs.
func TestHTTPRequestsThatAreNotGraphQL(t *testing.T) {
	e := newEnv(t, nil)
	mutation := url.Values{"query": {`mutation { merge(keep: "a", drop: "b", why: "x") { changes { nodesRemoved } } }`}}
	for _, tc := range []struct {
		name, method, url, contentType, body string
		status                               int
	}{
		{"a mutation over GET", http.MethodGet, e.url + "?" + mutation.Encode(), "", "", http.StatusMethodNotAllowed},
		{"POST without a content type", http.MethodPost, e.url, "", `{"query": "{ __typename }"}`, http.StatusUnsupportedMediaType},
		{"POST as text", http.MethodPost, e.url, "text/plain", `{"query": "{ __typename }"}`, http.StatusUnsupportedMediaType},
		{"POST in Latin-1", http.MethodPost, e.url, "application/json; charset=latin1", `{"query": "{ __typename }"}`, http.StatusUnsupportedMediaType},
		{"an empty body", http.MethodPost, e.url, "application/json", ``, http.StatusBadRequest},
		{"a body that is not JSON", http.MethodPost, e.url, "application/json", `{ "not a JSON`, http.StatusBadRequest},
		{"a JSON array", http.MethodPost, e.url, "application/json", `[{"query": "{ __typename }"}]`, http.StatusBadRequest},
		{"no query", http.MethodPost, e.url, "application/json", `{"qeury": "{ __typename }"}`, http.StatusBadRequest},
		{"a query that is not a string", http.MethodPost, e.url, "application/json", `{"query": {"obj": "ect"}}`, http.StatusBadRequest},
		{"variables that are not an object", http.MethodPost, e.url, "application/json", `{"query": "{ __typename }", "variables": "x"}`, http.StatusBadRequest},
		{"extensions that are not an object", http.MethodPost, e.url, "application/json", `{"query": "{ __typename }", "extensions": [1]}`, http.StatusBadRequest},
		{"an operation name that is not a string", http.MethodPost, e.url, "application/json", `{"query": "{ __typename }", "operationName": 0}`, http.StatusBadRequest},
		{"GET with variables that are not JSON", http.MethodGet, e.url + "?query=%7B__typename%7D&variables=%7Bx", "", "", http.StatusBadRequest},
		{"PUT", http.MethodPut, e.url, "application/json", `{"query": "{ __typename }"}`, http.StatusMethodNotAllowed},
		{"null variables, operation name and extensions", http.MethodPost, e.url, "application/json", `{"query": "{ __typename }", "variables": null, "operationName": null, "extensions": null}`, http.StatusOK},
		{"UTF-8 in the query", http.MethodPost, e.url, "application/json; charset=utf-8", `{"query": "{ __type(name: \"Run🏃Swim🏊\") { name } }"}`, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, h, body := raw(t, tc.method, tc.url, tc.contentType, "", tc.body)
			if status != tc.status {
				t.Errorf("status %d, want %d: %s", status, tc.status, body)
			}
			if !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Errorf("content type %q", h.Get("Content-Type"))
			}
			if tc.status == http.StatusMethodNotAllowed && h.Get("Allow") == "" {
				t.Errorf("405 without Allow")
			}
		})
	}
}

func TestLimits(t *testing.T) {
	slow := func(s graph.Store) graph.Store { return slowStore{s} }
	e := newEnvOn(t, openEmbedded(t), setup{wrap: slow, opts: Options{Timeout: 200 * time.Millisecond, MaxBodyBytes: 4096}})
	t.Run("body size", func(t *testing.T) {
		big := `{"query": "{ __typename }", "variables": {"pad": "` + strings.Repeat("x", 5000) + `"}}`
		status, _, body := raw(t, http.MethodPost, e.url, "application/json", "", big)
		if status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "INVALID") {
			t.Errorf("status %d %s, want 413", status, body)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		start := time.Now()
		r := e.post(t, `{ search(query: "lazarus") { totalCount } }`, nil)
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("took %v despite a 200ms timeout", took)
		}
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != CodeTimeout {
			t.Errorf("errors %+v, want TIMEOUT", r.Errors)
		}
	})
	t.Run("page size", func(t *testing.T) {
		for _, q := range []string{`{ states(first: 101) { totalCount } }`, `{ incidents(first: 1000) { totalCount } }`, `{ neighborhood(id: "state:kp", limit: 501) { nodes { id } } }`} {
			r := e.post(t, q, nil)
			if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != CodeInvalid {
				t.Errorf("%s: %s, want INVALID", q, r.body)
			}
		}
	})
	t.Run("cost counts pages", func(t *testing.T) {
		// The same fields cost little on a small page and too much on large ones.
		small := `{ states(first: 2) { edges { node { attributedIncidents(first: 2) { edges { node { victims { name } } } } } } } }`
		if r := e.post(t, small, nil); len(r.Errors) > 0 && r.Errors[0].Extensions["reason"] == errCostLimit {
			t.Errorf("a small query refused: %s", r.body)
		}
		big := strings.ReplaceAll(small, "first: 2", "first: 100")
		if r := e.post(t, big, nil); len(r.Errors) == 0 || r.Errors[0].Extensions["reason"] != errCostLimit {
			t.Errorf("a costly query ran: %s", r.body)
		}
	})
	t.Run("depth", func(t *testing.T) {
		if r := e.post(t, deepQuery(2), nil); len(r.Errors) > 0 && r.Errors[0].Extensions["reason"] == errDepthLimit {
			t.Errorf("depth 11 refused")
		}
		if r := e.post(t, deepQuery(3), nil); len(r.Errors) == 0 || r.Errors[0].Extensions["reason"] != errDepthLimit {
			t.Errorf("depth 16 ran: %s", r.body)
		}
	})
}

// slowStore takes its time to search, so that requests run into their timeout.
type slowStore struct{ graph.Store }

func (s slowStore) SearchPage(ctx context.Context, q graph.SearchQuery) (*graph.Results[*graph.Node], error) {
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("search: %w", ctx.Err())
	case <-time.After(10 * time.Second):
		return s.Store.SearchPage(ctx, q)
	}
}

// Automatic persisted queries, as Apollo's clients send them: the hash alone, then
// the query with its hash when the server does not know it, then the hash alone again.
func TestAutomaticPersistedQueries(t *testing.T) {
	e := newEnv(t, nil)
	query := `{ state(code: "KP") { name } }`
	sum := sha256.Sum256([]byte(query))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	send := func(withQuery bool, get bool) *response {
		t.Helper()
		if get {
			v := url.Values{}
			b, _ := json.Marshal(ext)
			v.Set("extensions", string(b))
			if withQuery {
				v.Set("query", query)
			}
			req, _ := http.NewRequest(http.MethodGet, e.url+"?"+v.Encode(), nil)
			return e.do(t, req)
		}
		body := map[string]any{"extensions": ext}
		if withQuery {
			body["query"] = query
		}
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPost, e.url, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		return e.do(t, req)
	}
	r := send(false, false)
	if r.status != http.StatusOK || len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("unknown hash: %d %s, want PERSISTED_QUERY_NOT_FOUND", r.status, r.body)
	}
	var got struct{ State struct{ Name string } }
	send(true, false).data(t, &got)
	if got.State.Name != "North Korea" {
		t.Fatalf("query with its hash: %+v", got)
	}
	got.State.Name = ""
	send(false, false).data(t, &got)
	if got.State.Name != "North Korea" {
		t.Errorf("hash alone, after: %+v", got)
	}
	got.State.Name = ""
	send(false, true).data(t, &got)
	if got.State.Name != "North Korea" {
		t.Errorf("hash alone over GET: %+v", got)
	}
	// A hash that does not match its query is refused.
	ext["persistedQuery"].(map[string]any)["sha256Hash"] = strings.Repeat("0", 64)
	if r := send(true, false); len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != CodeInvalid {
		t.Errorf("mismatched hash: %s", r.body)
	}
}

func TestGraphiQLIsServedFromTheBinary(t *testing.T) {
	e := newEnv(t, nil)
	status, h, page := raw(t, http.MethodGet, e.url, "", "text/html,application/xhtml+xml", "")
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(page, "graphiql") {
		t.Fatalf("page: %d %s", status, h.Get("Content-Type"))
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	for _, cdn := range []string{"unpkg", "jsdelivr", "cdnjs", "esm.sh", "https://"} {
		if strings.Contains(page, cdn) {
			t.Errorf("the page loads from %s", cdn)
		}
	}
	for _, asset := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js", "init.js"} {
		if !strings.Contains(page, "/graphql/graphiql/"+asset) {
			t.Errorf("the page does not load %s", asset)
		}
		// Go's client asks for gzip and unpacks it; ask for identity too.
		req, _ := http.NewRequest(http.MethodGet, e.url+"/graphiql/"+asset, nil)
		req.Header.Set("Accept-Encoding", "identity")
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || len(b) < 100 || res.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: %d, %d bytes, encoding %q", asset, res.StatusCode, len(b), res.Header.Get("Content-Encoding"))
		}
		req.Header.Set("Accept-Encoding", "gzip")
		res, err = http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		if asset != "init.js" {
			zr, err := gzip.NewReader(res.Body)
			if err != nil || res.Header.Get("Content-Encoding") != "gzip" {
				t.Errorf("%s gzipped: %v %q", asset, err, res.Header.Get("Content-Encoding"))
			} else if unzipped, _ := io.ReadAll(zr); !bytes.Equal(unzipped, b) {
				t.Errorf("%s: gzipped and plain differ", asset)
			}
		}
		res.Body.Close()
	}
	if status, _, _ := raw(t, http.MethodGet, e.url+"/graphiql/../../etc/passwd", "", "", ""); status != http.StatusNotFound {
		t.Errorf("an unknown asset: %d", status)
	}
	// A query over GET from a browser still runs.
	var got struct{ State struct{ Name string } }
	q := url.Values{"query": {`{ state(code: "RU") { name } }`}}
	status, _, body := raw(t, http.MethodGet, e.url+"?"+q.Encode(), "", "text/html,*/*", "")
	if json.Unmarshal([]byte(body), &struct{ Data any }{&got}); status != http.StatusOK || got.State.Name != "Russia" {
		t.Errorf("GET query from a browser: %d %s", status, body)
	}
	off := newEnvOn(t, openEmbedded(t), setup{opts: Options{NoGraphiQL: true}})
	if status, h, _ := raw(t, http.MethodGet, off.url, "", "text/html", ""); status == http.StatusOK && strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Errorf("GraphiQL served when turned off")
	}
}
