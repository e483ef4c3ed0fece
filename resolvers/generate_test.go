package resolvers

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedCodeMatchesSchema is the drift check: it runs the generation step
// behind `go generate ./resolvers/` (gqlgen generate, then resolvers/internal/generate's
// own step) on a copy of what generation reads, and
// fails when the result differs from the code in the tree, that is when someone
// changed the schema, gqlgen.yml or the models without regenerating, or edited
// generated code by hand. It works on a copy so that it never rewrites the tree under
// the other tests, and needs no git.
func TestGeneratedCodeMatchesSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("runs gqlgen (about 15s); skipped in -short mode")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	// What generation reads: the module files, the config, the schema, the packages it
	// binds to (graph, resolvers/model), the resolvers whose bodies it keeps, and what
	// they import (the scrapers, for the curation mutations), since gqlgen compiles
	// the result.
	for _, f := range []string{"go.mod", "go.sum", "gqlgen.yml"} {
		copyFile(t, filepath.Join(root, f), filepath.Join(tmp, f))
	}
	for _, dir := range []string{"schema", "graph", "resolvers", "scrapers", "export"} {
		copyTree(t, root, tmp, dir)
	}

	cmd := exec.Command(goBin, "run", "./resolvers/internal/generate")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}

	want := sources(t, filepath.Join(tmp, "resolvers"))
	have := sources(t, filepath.Join(root, "resolvers"))
	for name, gen := range want {
		switch cur, ok := have[name]; {
		case !ok:
			t.Errorf("resolvers/%s is missing: run go generate ./resolvers/", name)
		case !bytes.Equal(cur, gen):
			t.Errorf("resolvers/%s differs from what gqlgen generates from the schema: run go generate ./resolvers/ (and never edit generated code by hand)", name)
		}
	}
}

// sources reads the non-test Go files under dir, keyed by path relative to dir.
func sources(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// copyTree copies dir, but for test files, from one root to another.
func copyTree(t *testing.T, from, to, dir string) {
	t.Helper()
	base := filepath.Join(from, dir)
	err := filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(from, path)
		copyFile(t, path, filepath.Join(to, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
