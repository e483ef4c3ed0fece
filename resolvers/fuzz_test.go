package resolvers

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cyberkg/cyberkg/graph"
)

// Cursors come back from clients: any text is either a cursor of the list or INVALID,
// and a cursor survives the round trip.
func FuzzCursor(f *testing.F) {
	f.Add("incidents:DATE", "2024-03", 1.5, 3, "incident:x", "")
	f.Add("search", "", 0.0, 0, "actor:y", "bm90IGEgY3Vyc29y")
	f.Fuzz(func(t *testing.T, list, text string, num float64, rank int, id, garbage string) {
		if id == "" || num != num { // NaN does not survive JSON; the stores never hand one out
			return
		}
		c := graph.Cursor{Rank: rank, Num: num, Text: text, ID: id}
		s := encodeCursor(list, c)
		got, err := decodeCursor(list, &s)
		valid := utf8.ValidString(text) && utf8.ValidString(id) && utf8.ValidString(list)
		if valid && (err != nil || *got != c) {
			t.Fatalf("round trip of %+v in %q: %+v, %v", c, list, got, err)
		}
		if _, err := decodeCursor(list, &garbage); err != nil && graph.ErrorCode(err) != graph.EINVALID {
			t.Fatalf("cursor %q: %v, want INVALID", garbage, err)
		}
	})
}

// Token files are written by people: nothing in one may panic, or pass for a token.
func FuzzParseTokens(f *testing.F) {
	f.Add("editor:ed:0123456789abcdef0")
	f.Add("reader:r:sha256:" + strings.Repeat("ab", 32) + ";admin:a:" + strings.Repeat("x", 20))
	f.Add("# comment\n\n:::")
	f.Fuzz(func(t *testing.T, text string) {
		toks, err := ParseTokens(text)
		if err != nil {
			return
		}
		if _, ok := toks.lookup(""); ok {
			t.Fatalf("the empty token is accepted by %q", text)
		}
	})
}

// Request bodies come from anyone: whatever the body, the answer is JSON with a
// status the spec allows, never a panic.
func FuzzRequestBody(f *testing.F) {
	for _, s := range []string{`{"query": "{ __typename }"}`, `{`, `[]`, `{"query": 1}`, `{"variables": "x"}`, `null`, "\x00", `{"query": "{ __typename }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "x"}}}`} {
		f.Add(s)
	}
	h := NewHandler(openEmbedded(f), nil)
	f.Cleanup(func() { h.Close() })
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest && w.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("body %q: status %d", body, w.Code)
		}
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") || !strings.HasPrefix(w.Body.String(), "{") {
			t.Fatalf("body %q: answer %q %q", body, w.Header().Get("Content-Type"), w.Body.String())
		}
	})
}
