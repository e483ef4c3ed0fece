package export_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/cyberkg/cyberkg/export"
	"github.com/cyberkg/cyberkg/graph"
)

// python finds python3 with the given modules, or skips the test (fails it when
// CYBERKG_VALIDATORS_REQUIRED=1, as CI sets it after .ci/install-validators).
func python(t *testing.T, modules ...string) string {
	t.Helper()
	required := os.Getenv("CYBERKG_VALIDATORS_REQUIRED") == "1"
	skip := func(why string) {
		if required {
			t.Fatalf("CYBERKG_VALIDATORS_REQUIRED=1 forbids skipping: %s (run .ci/install-validators)", why)
		}
		t.Skip(why + ": run .ci/install-validators")
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		skip("no python3 on PATH")
	}
	for _, m := range modules {
		if out, err := exec.Command(py, "-c", "import "+m).CombinedOutput(); err != nil {
			skip("python3 cannot import " + m + ": " + string(bytes.TrimSpace(out)))
		}
	}
	return py
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// NetworkX reads the GraphML and the GEXF with every node and relation, typed.
func TestNetworkXReadsGraphMLAndGEXF(t *testing.T) {
	py := python(t, "networkx")
	st := openWorld(t)
	for _, f := range []export.Format{export.GraphML, export.GEXF} {
		t.Run(string(f), func(t *testing.T) {
			path := writeTemp(t, "world."+f.Extension(), exportWorld(t, st, f))
			out, err := exec.Command(py, "testdata/read_networkx.py", string(f), path).Output()
			if err != nil {
				t.Fatalf("networkx could not read the %s: %v\n%s", f, err, stderr(err))
			}
			var got struct {
				Nodes, Edges int
				NodeAttrs    map[string]map[string]any
				EdgeAttrs    map[string]map[string]any
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if got.Nodes != worldNodes || got.Edges != worldEdges {
				t.Fatalf("networkx read %d nodes and %d edges, want %d and %d", got.Nodes, got.Edges, worldNodes, worldEdges)
			}
			kp := got.NodeAttrs["state:kp"]
			if kp["name"] != "North Korea" || kp["confidence"] != 0.7 || kp["hops"] != 1.0 || kp["kind"] != string(graph.KindState) {
				t.Errorf("North Korea as networkx read it: %v", kp)
			}
			hedged := got.EdgeAttrs[hedgedEdge]
			if hedged["certainty"] != "hedged" || hedged["confidence"] != 0.45 {
				t.Errorf("the hedged attribution as networkx read it: %v (all: %v)", hedged, got.EdgeAttrs)
			}
		})
	}
}

// The OASIS validator accepts the STIX bundle with no error (warnings, such as for
// the deterministic UUIDv5 IDs and the x_cyberkg_ properties, are allowed).
func TestSTIXValidatorAcceptsTheBundle(t *testing.T) {
	py := python(t, "stix2validator")
	st := openWorld(t)
	path := writeTemp(t, "world.stix.json", exportWorld(t, st, export.STIX))
	out, err := exec.Command(py, "testdata/validate_stix.py", path).CombinedOutput()
	if err != nil {
		t.Fatalf("stix2-validator refused the bundle: %v\n%s", err, out)
	}
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	last := lines[len(lines)-1]
	var res struct {
		Valid  bool
		Errors int
	}
	if err := json.Unmarshal(last, &res); err != nil || !res.Valid || res.Errors != 0 {
		t.Fatalf("validator: %s (%v)\n%s", last, err, out)
	}
}

func stderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
