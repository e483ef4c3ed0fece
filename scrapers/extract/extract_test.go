package extract_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph/reference"
	"github.com/cyberkg/cyberkg/scrapers/extract"
)

var update = flag.Bool("update", false, "rewrite the golden files from the extractor's output")

var extractor = extract.New(reference.MustLoad())

// TestGolden extracts every testdata/*.txt and compares with its .golden.json.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			res := extractor.Extract(extract.Document{Text: string(text), Published: time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)})
			got, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(f, ".txt") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if strings.TrimSpace(string(want)) != strings.TrimSpace(string(got)) {
				t.Errorf("extraction of %s differs from %s; run go test -update and review the diff\ngot:\n%s", f, golden, got)
			}
		})
	}
}
