package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
)

// post sends a GraphQL request to a served API, with a token when given.
func post(t *testing.T, url, token, query string) (int, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("not JSON: %s", b)
	}
	return res.StatusCode, out
}

func errorCode(out map[string]any) string {
	errs, _ := out["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	ext, _ := errs[0].(map[string]any)["extensions"].(map[string]any)
	code, _ := ext["code"].(string)
	return code
}

// serve reads its tokens from CYBERKG_TOKENS and a tokens file, may require them to
// read, and lets an editor curate, end to end.
func TestServeWithTokens(t *testing.T) {
	dir := t.TempDir()
	digest := sha256.Sum256([]byte("reader-secret-0123456789"))
	tokensFile := filepath.Join(dir, "tokens")
	if err := os.WriteFile(tokensFile, []byte("# readers\nreader:rita:sha256:"+hex.EncodeToString(digest[:])+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"CYBERKG_STORE":       filepath.Join(dir, "graph.db"),
		"CYBERKG_TOKENS":      "editor:ed:editor-secret-0123456789",
		"CYBERKG_TOKENS_FILE": tokensFile,
		"CYBERKG_PUBLIC_READ": "false",
	}
	url := serve(t, env)

	if status, out := post(t, url, "", `{ state(code: "KP") { name } }`); status != http.StatusUnauthorized || errorCode(out) != "UNAUTHENTICATED" {
		t.Errorf("anonymous read on a token-only server: %d %v", status, out)
	}
	status, out := post(t, url, "reader-secret-0123456789", `{ viewer { name role } state(code: "KP") { name } }`)
	if status != http.StatusOK || out["data"].(map[string]any)["viewer"].(map[string]any)["role"] != "READER" {
		t.Errorf("a reader: %d %v", status, out)
	}
	ingest := `mutation { ingestText(text: "Lazarus Group stole $100 million from Harmony in June 2022, the FBI said.", why: "A test.") { outcome audit { who action } } }`
	if status, out := post(t, url, "reader-secret-0123456789", ingest); status != http.StatusForbidden || errorCode(out) != "FORBIDDEN" {
		t.Errorf("a reader ingests: %d %v", status, out)
	}
	status, out = post(t, url, "editor-secret-0123456789", ingest)
	if status != http.StatusOK || errorCode(out) != "" {
		t.Fatalf("an editor ingests: %d %v", status, out)
	}
	if a := out["data"].(map[string]any)["ingestText"].(map[string]any)["audit"].(map[string]any); a["who"] != "ed" || a["action"] != "INGEST_TEXT" {
		t.Errorf("audit %v", a)
	}

	// GraphiQL, from the binary, and the health check.
	req, _ := http.NewRequest(http.MethodGet, url+"/graphql", nil)
	req.Header.Set("Accept", "text/html")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GraphiQL: %v %v", res, err)
	}
	res.Body.Close()
	if res, err := http.Get(url + "/graphql/graphiql/graphiql.min.js"); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("GraphiQL's script: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	if res, err := http.Get(url + "/healthz"); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("healthz: %v %v", res, err)
	} else {
		res.Body.Close()
	}
}

func TestServeRefusesABadConfiguration(t *testing.T) {
	dir := t.TempDir()
	for name, env := range map[string]map[string]string{
		"token-only without tokens": {"CYBERKG_PUBLIC_READ": "false"},
		"a malformed token":         {"CYBERKG_TOKENS": "editor:ed"},
		"a missing tokens file":     {"CYBERKG_TOKENS_FILE": filepath.Join(dir, "nope")},
	} {
		env["CYBERKG_STORE"] = filepath.Join(dir, name+".db")
		m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
			Getenv: func(k string) string { return env[k] }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: tick}
		err := m.Run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"})
		if graph.ErrorCode(err) != graph.EINVALID {
			t.Errorf("%s: %v, want %s", name, err, graph.EINVALID)
		}
		m.Close()
	}
}
