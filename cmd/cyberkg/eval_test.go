package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
)

const evalGold = "../../scrapers/eval/testdata"

// TestEvalPrintsHeadline scores the real extractor on the scorer's own gold files: the
// figures depend on the extractor, the lines do not.
func TestEvalPrintsHeadline(t *testing.T) {
	r := runMain(t, nil, "", "eval", evalGold)
	if r.err != nil {
		t.Fatalf("eval: %v\n%s", r.err, r.stderr)
	}
	for _, line := range []string{"scored 2 gold files", "\nentity F1 ", "\nrelation F1 ", "\nATTRIBUTED_TO F1 ", "\namount F1 ", "\nnegative hits "} {
		if !strings.Contains(r.stdout, line) {
			t.Errorf("output lacks %q:\n%s", line, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "== 01-harbor-bridge.json") {
		t.Errorf("per-file breakdown without --verbose:\n%s", r.stdout)
	}

	r = runMain(t, nil, "", "eval", evalGold, "--verbose")
	if r.err != nil || !strings.Contains(r.stdout, "== 01-harbor-bridge.json") || !strings.Contains(r.stdout, "== 02-glenmoor-hospital.json") {
		t.Errorf("eval --verbose: %v\n%s", r.err, r.stdout)
	}
}

func TestEvalJSON(t *testing.T) {
	for _, verbose := range []bool{false, true} {
		args := []string{"eval", "--json", evalGold}
		if verbose {
			args = []string{"eval", "--json", "--verbose", evalGold}
		}
		r := runMain(t, nil, "", args...)
		if r.err != nil {
			t.Fatalf("%v: %v", args, r.err)
		}
		var got struct {
			Files        int             `json:"files"`
			Entity       map[string]any  `json:"entity"`
			Relation     map[string]any  `json:"relation"`
			AttributedTo map[string]any  `json:"attributed_to"`
			Amount       map[string]any  `json:"amount"`
			NegativeHits []any           `json:"negative_hits"`
			PerFile      json.RawMessage `json:"per_file"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("%v: not JSON: %v\n%s", args, err, r.stdout)
		}
		if got.Files != 2 || got.NegativeHits == nil {
			t.Errorf("%v: files %d, negative hits %v", args, got.Files, got.NegativeHits)
		}
		for name, s := range map[string]map[string]any{"entity": got.Entity, "relation": got.Relation, "attributed_to": got.AttributedTo, "amount": got.Amount} {
			if _, ok := s["f1"]; !ok {
				t.Errorf("%v: %s has no f1: %v", args, name, s)
			}
		}
		if (got.PerFile != nil) != verbose {
			t.Errorf("%v: per_file present = %v", args, got.PerFile != nil)
		}
	}
}

func TestEvalBadInput(t *testing.T) {
	empty := t.TempDir()
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "broken.json"), []byte(`{"text": `), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"eval"}, "one DIR"},
		{[]string{"eval", evalGold, evalGold}, "one DIR"},
		{[]string{"eval", empty}, "no gold *.json files"},
		{[]string{"eval", broken}, "broken.json"},
		{[]string{"eval", filepath.Join(empty, "missing")}, "missing"},
	} {
		r := runMain(t, nil, "", tc.args...)
		if graph.ErrorCode(r.err) != graph.EINVALID || !strings.Contains(r.err.Error(), tc.want) {
			t.Errorf("%v: %v, want EINVALID mentioning %q", tc.args, r.err, tc.want)
		}
	}
}
