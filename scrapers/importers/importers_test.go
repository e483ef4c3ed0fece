package importers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/embedded"
	"github.com/cyberkg/cyberkg/graph/reference"
	"github.com/cyberkg/cyberkg/scrapers/importers"
)

// The fixtures in testdata are described, with where their facts come from, in
// testdata/README.md.

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var fetched = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

var (
	mispOrigin   = importers.Origin{URL: "https://raw.githubusercontent.com/MISP/misp-galaxy/main/clusters/threat-actor.json", Fetched: fetched}
	attackOrigin = importers.Origin{URL: "https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack.json", Fetched: fetched}
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func readMISP(t testing.TB) (*graph.Batch, importers.Report) {
	t.Helper()
	b, rep, err := importers.MISPGalaxy(bytes.NewReader(readFile(t, "misp-threat-actor.json")), mispOrigin)
	if err != nil {
		t.Fatal(err)
	}
	return b, rep
}

func readATTACK(t testing.TB) (*graph.Batch, importers.Report) {
	t.Helper()
	b, rep, err := importers.ATTACK(bytes.NewReader(readFile(t, "enterprise-attack.json")), attackOrigin)
	if err != nil {
		t.Fatal(err)
	}
	return b, rep
}

func readInlineMISP(t testing.TB, clusters string) *graph.Batch {
	t.Helper()
	doc := `{"type": "threat-actor", "name": "Threat Actor", "values": [` + clusters + `]}`
	b, _, err := importers.MISPGalaxy(strings.NewReader(doc), importers.Origin{URL: "https://example.org/inline-galaxy.json", Fetched: fetched})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func nodeByName(b *graph.Batch, name string) *graph.Node {
	for _, n := range b.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

func nodesOfKind(b *graph.Batch, kind graph.NodeKind) []*graph.Node {
	var out []*graph.Node
	for _, n := range b.Nodes {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

func names(nodes []*graph.Node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.Name)
	}
	return out
}

func TestMISPGalaxyReadsClusters(t *testing.T) {
	b, rep := readMISP(t)
	misp := func(uuid string) graph.ExternalID { return graph.ExternalID{System: "misp-galaxy", ID: uuid} }
	attack := func(id string) graph.ExternalID {
		return graph.ExternalID{System: "mitre-attack", ID: id, URL: "https://attack.mitre.org/groups/" + id + "/"}
	}
	tests := []struct {
		name    string
		aliases []string
		ids     []graph.ExternalID
	}{
		// Two ATT&CK IDs among the synonyms: the cluster lumps two ATT&CK groups, so it
		// gets neither; "Subgroup: Bluenoroff" names another group; "Lazarus group" is
		// the name again.
		{"Lazarus Group", []string{"Hidden Cobra", "ZINC", "Bluenoroff", "Andariel", "Diamond Sleet"},
			[]graph.ExternalID{misp("68391641-859f-4a9a-9a1e-3e5cf71ec376")}},
		{"APT38", []string{"BlueNoroff", "Stardust Chollima", "APT 38"},
			[]graph.ExternalID{misp("c6f0e1a3-2b3d-4c51-9d2e-0b6a8f1f2a01"), attack("G0082")}},
		{"Silent Chollima", []string{"Andariel", "Onyx Sleet", "PLUTONIUM"},
			[]graph.ExternalID{misp("d2a1c0b4-6e1f-4a8b-8f3c-1c2d3e4f5a02")}},
		{"Kimsuky", []string{"Velvet Chollima", "Emerald Sleet", "APT43"},
			[]graph.ExternalID{misp("bcaaad6f-0597-4b89-b69b-84a6be2b7bc3"), attack("G0094")}},
		{"APT28", []string{"Fancy Bear", "Sofacy", "STRONTIUM", "Forest Blizzard"},
			[]graph.ExternalID{misp("5b4ee3ea-eee3-4c8e-8323-85ae32658754"), attack("G0007")}},
		{"Nitro", []string{"Covert Grove"}, []graph.ExternalID{misp("0b06fb39-ed3d-4868-ac42-12fff6df2c80")}},
		{"Blue Termite", nil, []graph.ExternalID{misp("e3b2d1c5-7f20-4b9c-9a4d-2d3e4f5a6b03")}},
		{"Example Cluster", nil, []graph.ExternalID{misp("f4c3e2d6-8031-4cad-8b5e-3e4f5a6b7c04")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := nodeByName(b, tc.name)
			if n == nil {
				t.Fatalf("no node %q among %v", tc.name, names(b.Nodes))
			}
			if n.Kind != graph.KindActor || n.ActorKind != graph.ActorGroup || n.ID != n.DefaultID() {
				t.Errorf("kind %s/%s, ID %s: want a ThreatActor group under its default ID", n.Kind, n.ActorKind, n.ID)
			}
			if !slices.Equal(n.Aliases, tc.aliases) {
				t.Errorf("aliases %q, want %q", n.Aliases, tc.aliases)
			}
			if !reflect.DeepEqual(n.ExternalIDs, tc.ids) {
				t.Errorf("external IDs %+v, want %+v", n.ExternalIDs, tc.ids)
			}
			if n.Description == "" {
				t.Error("no description")
			}
		})
	}
	if got := names(nodesOfKind(b, graph.KindActor)); len(got) != len(tests) {
		t.Errorf("actors %q: want %d, the revoked cluster left out", got, len(tests))
	}
	want := importers.Report{Entries: 9, Skipped: 1, Actors: 8, SponsorEdges: 3, StatesSkipped: 1, UnknownStates: []string{"Freedonia"}}
	if !reflect.DeepEqual(rep, want) {
		t.Errorf("report %+v, want %+v", rep, want)
	}
}

func TestMISPGalaxySponsorIsHedgedAndNeverTakenFromCountry(t *testing.T) {
	b, _ := readMISP(t)
	type link struct{ from, to string }
	var got []link
	for _, e := range b.Edges {
		if e.Type != graph.SponsoredBy {
			t.Errorf("edge %s: the catalogue only says who sponsors whom", e.ID)
			continue
		}
		got = append(got, link{e.From, e.To})
		if len(e.Claims) != 1 {
			t.Fatalf("edge %s: %d claims, want 1", e.ID, len(e.Claims))
		}
		c := e.Claims[0]
		if c.Certainty != graph.Hedged || c.Confidence != graph.ClaimConfidence(graph.Hedged, importers.PublisherMISP) {
			t.Errorf("edge %s: %s at %v, want hedged: the field says suspected", e.ID, c.Certainty, c.Confidence)
		}
		if !strings.Contains(c.Quote, "suspected state sponsor") {
			t.Errorf("edge %s: quote %q does not say suspected", e.ID, c.Quote)
		}
	}
	// Nitro, APT38 and Silent Chollima have only a country; Blue Termite's sponsor is
	// "Unknown"; Example Cluster's is a state the table does not know.
	want := []link{
		{"actor:lazarus-group", "state:kp"},
		{"actor:kimsuky", "state:kp"},
		{"actor:apt28", "state:ru"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("sponsor edges %v, want %v", got, want)
	}
	states := nodesOfKind(b, graph.KindState)
	if len(states) != 2 {
		t.Fatalf("states %q: want North Korea and Russia only (a country is not a sponsor)", names(states))
	}
	kp, ru := states[0], states[1]
	if kp.ID != "state:kp" || kp.Code != "KP" || kp.Name != "North Korea" || !slices.Equal(kp.Aliases, []string{"Korea (Democratic People's Republic of)"}) {
		t.Errorf("North Korea = %+v", kp)
	}
	if ru.ID != "state:ru" || ru.Code != "RU" || ru.Name != "Russia" || !slices.Equal(ru.Aliases, []string{"Russian Federation"}) {
		t.Errorf("Russia = %+v", ru)
	}
	lazarus := nodeByName(b, "Lazarus Group")
	if lazarus.Claims[0].Quote != `MISP galaxy lists "Lazarus Group" as a threat actor.` {
		t.Errorf("first claim %q", lazarus.Claims[0].Quote)
	}
	if !slices.ContainsFunc(lazarus.Claims, func(c graph.Claim) bool {
		return c.Quote == `MISP galaxy lists "Hidden Cobra" as another name for Lazarus Group.`
	}) {
		t.Errorf("no claim for the alias Hidden Cobra among %+v", lazarus.Claims)
	}
}

func TestATTACKReadsIntrusionSets(t *testing.T) {
	b, rep := readATTACK(t)
	actors := nodesOfKind(b, graph.KindActor)
	if got, want := names(actors), []string{"Lazarus Group", "APT38", "Andariel", "Kimsuky", "APT28"}; !slices.Equal(got, want) {
		t.Fatalf("actors %q, want %q (revoked and deprecated sets left out)", got, want)
	}
	lazarus := actors[0]
	if want := []string{"Labyrinth Chollima", "HIDDEN COBRA", "Guardians of Peace", "ZINC", "NICKEL ACADEMY", "Diamond Sleet"}; !slices.Equal(lazarus.Aliases, want) {
		t.Errorf("aliases %q, want %q: the list without the name", lazarus.Aliases, want)
	}
	if want := []graph.ExternalID{{System: "mitre-attack", ID: "G0032", URL: "https://attack.mitre.org/groups/G0032"}}; !reflect.DeepEqual(lazarus.ExternalIDs, want) {
		t.Errorf("external IDs %+v, want %+v", lazarus.ExternalIDs, want)
	}
	if want := "Lazarus Group is a North Korean state-sponsored group tied to the Reconnaissance General Bureau. Some researchers file all North Korean activity under this name."; lazarus.Description != want {
		t.Errorf("description %q, want %q: links and citation markers made plain", lazarus.Description, want)
	}
	if c := lazarus.Claims[0]; c.Quote != `MITRE ATT&CK lists "Lazarus Group" as group G0032.` || !c.Reported.Equal(time.Date(2025, 4, 16, 20, 37, 0, 0, time.UTC)) {
		t.Errorf("first claim %q reported %v: want the group's own modified time", c.Quote, c.Reported)
	}
	for _, id := range map[string]string{"APT38": "G0082", "Andariel": "G0138", "Kimsuky": "G0094", "APT28": "G0007"} {
		if !slices.ContainsFunc(actors, func(n *graph.Node) bool { return len(n.ExternalIDs) == 1 && n.ExternalIDs[0].ID == id }) {
			t.Errorf("no actor with ATT&CK ID %s", id)
		}
	}
	// "state-sponsored" in a description is prose: no sponsor, no state.
	if len(b.Edges) != 0 || len(nodesOfKind(b, graph.KindState)) != 0 {
		t.Errorf("edges %d, states %d: ATT&CK has no sponsor field", len(b.Edges), len(nodesOfKind(b, graph.KindState)))
	}
	src := nodesOfKind(b, graph.KindSource)[0]
	if src.Title != "Enterprise ATT&CK" || src.Publisher != importers.PublisherATTACK || !src.Published.Equal(time.Date(2025, 10, 28, 14, 0, 0, 188e6, time.UTC)) {
		t.Errorf("source %+v: want the collection's name and date", src)
	}
	if want := (importers.Report{Entries: 7, Skipped: 2, Actors: 5}); !reflect.DeepEqual(rep, want) {
		t.Errorf("report %+v, want %+v", rep, want)
	}
}

func TestATTACKReadsTheBundleInAnyOrderAndPace(t *testing.T) {
	want, _ := readATTACK(t)
	data := readFile(t, "enterprise-attack.json")
	got, _, err := importers.ATTACK(iotest.OneByteReader(bytes.NewReader(data)), attackOrigin)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("a reader that returns one byte at a time gives another batch")
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	reordered := `{"objects": ` + string(doc["objects"]) + `, "spec_version": "2.1", "type": "bundle"}`
	got, _, err = importers.ATTACK(strings.NewReader(reordered), attackOrigin)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error(`"type" after "objects" gives another batch`)
	}
}

// TestATTACKStreamsTheBundle reads a 100 MB bundle and watches the heap while it does:
// decoding object by object keeps it far below the size of the input.
func TestATTACKStreamsTheBundle(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100 MB")
	}
	const size, limit = 100 << 20, 40 << 20
	pr, pw := io.Pipe()
	go func() {
		filler := strings.Repeat("x", 8<<10)
		io.WriteString(pw, `{"type": "bundle", "id": "bundle--big", "objects": [`)
		written := 0
		for i := 0; written < size; i++ {
			if i > 0 {
				io.WriteString(pw, ",")
			}
			obj := `{"type": "relationship", "relationship_type": "uses", "description": "` + filler + `"}`
			if i%1000 == 0 {
				obj = fmt.Sprintf(`{"type": "intrusion-set", "name": "Group %d", "aliases": ["Group %d", "Alias %d"], "description": "%s"}`, i, i, i, filler)
			}
			n, _ := io.WriteString(pw, obj)
			written += n
		}
		io.WriteString(pw, "]}")
		pw.Close()
	}()
	r := &heapWatcher{r: pr}
	b, rep, err := importers.ATTACK(r, attackOrigin)
	pr.Close()
	if err != nil {
		t.Fatal(err)
	}
	if rep.Actors < 10 || len(b.Nodes) != rep.Actors+1 {
		t.Errorf("report %+v with %d nodes", rep, len(b.Nodes))
	}
	if r.peak > limit {
		t.Errorf("heap reached %d MB reading %d MB: the bundle is held, not streamed", r.peak>>20, size>>20)
	}
}

// heapWatcher samples the live heap every few megabytes read.
type heapWatcher struct {
	r          io.Reader
	read, next int
	peak       uint64
}

func (h *heapWatcher) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if h.read += n; h.read >= h.next {
		h.next = h.read + 4<<20
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h.peak = max(h.peak, m.HeapAlloc)
	}
	return n, err
}

func TestEveryFactIsClaimedByTheCatalogue(t *testing.T) {
	for _, tc := range []struct {
		name      string
		read      func(testing.TB) (*graph.Batch, importers.Report)
		origin    importers.Origin
		publisher string
	}{
		{"misp-galaxy", readMISP, mispOrigin, importers.PublisherMISP},
		{"attack", readATTACK, attackOrigin, importers.PublisherATTACK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := tc.read(t)
			if err := b.Validate(); err != nil {
				t.Fatal(err)
			}
			sources := nodesOfKind(b, graph.KindSource)
			if len(sources) != 1 {
				t.Fatalf("%d sources, want 1", len(sources))
			}
			src := sources[0]
			if src.URL != tc.origin.URL || src.ID != graph.NodeID(graph.KindSource, tc.origin.URL) || src.Publisher != tc.publisher || !src.Fetched.Equal(fetched) {
				t.Errorf("source %+v", src)
			}
			check := func(what string, claims []graph.Claim) {
				if len(claims) == 0 {
					t.Errorf("%s: no claim", what)
				}
				for _, c := range claims {
					if c.SourceID != src.ID || c.Claimant != tc.publisher || c.Quote == "" ||
						c.Confidence != graph.ClaimConfidence(c.Certainty, tc.publisher) || c.Reported.IsZero() {
						t.Errorf("%s: claim %+v", what, c)
					}
				}
			}
			for _, n := range b.Nodes {
				if n.Kind == graph.KindSource {
					continue
				}
				check(n.Name, n.Claims)
				for _, a := range n.Aliases {
					quote := tc.publisher + ` lists "` + a + `" as another name for ` + n.Name + "."
					if n.Kind == graph.KindActor && !slices.ContainsFunc(n.Claims, func(c graph.Claim) bool { return c.Quote == quote }) {
						t.Errorf("%s: no claim for the alias %q", n.Name, a)
					}
				}
			}
			for _, e := range b.Edges {
				check(e.ID, e.Claims)
			}
		})
	}
}

func TestMISPGalaxySkipsBadClustersAndToleratesLooseMeta(t *testing.T) {
	doc := `{"type": "threat-actor", "values": [
		{"value": "Good Group", "meta": {"synonyms": "Only Alias", "cfr-suspected-state-sponsor": ["China", "People's Republic of China"]}},
		{"value": 42},
		{"value": "  "},
		{"value": "!!!"},
		{"value": "Odd Meta", "meta": {"synonyms": {"not": "a list"}, "country": ["CN"]}}
	]}`
	b, rep, err := importers.MISPGalaxy(strings.NewReader(doc), mispOrigin)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(nodesOfKind(b, graph.KindActor)); !slices.Equal(got, []string{"Good Group", "Odd Meta"}) {
		t.Errorf("actors %q", got)
	}
	good := nodeByName(b, "Good Group")
	if !slices.Equal(good.Aliases, []string{"Only Alias"}) {
		t.Errorf("aliases %q: a lone string is one synonym", good.Aliases)
	}
	cn := nodeByName(b, "China")
	if cn == nil || !slices.Equal(cn.Aliases, []string{"People's Republic of China"}) || len(cn.Claims) != 2 {
		t.Fatalf("China = %+v: want one state, both spellings claimed", cn)
	}
	if len(b.Edges) != 1 {
		t.Errorf("%d edges: two spellings of one sponsor are one edge", len(b.Edges))
	}
	if rep.Entries != 5 || rep.Skipped != 3 || rep.Actors != 2 || rep.SponsorEdges != 1 {
		t.Errorf("report %+v", rep)
	}
}

func TestBadInputIsInvalid(t *testing.T) {
	misp := readFile(t, "misp-threat-actor.json")
	attack := readFile(t, "enterprise-attack.json")
	const (
		mispPrefix   = `misp-galaxy: expected a threat-actor galaxy with "values", got `
		attackPrefix = `attack: expected a STIX bundle with "objects", got `
	)
	tests := []struct {
		name, parser, input, mention string
	}{
		{"misp: not JSON", "misp", "<html><body>Not Found</body></html>", "invalid JSON"},
		{"misp: nothing", "misp", "", "invalid JSON"},
		{"misp: an array", "misp", `[{"value": "Lazarus Group"}]`, "a JSON array"},
		{"misp: a string", "misp", `"threat-actor"`, "a JSON string"},
		{"misp: another galaxy", "misp", `{"type": "tool", "values": [{"value": "Mimikatz"}]}`, `type "tool"`},
		{"misp: a galaxy definition", "misp", `{"type": "threat-actor", "name": "Threat Actor", "namespace": "misp", "version": 3}`, `without "values"`},
		{"misp: no clusters", "misp", `{"type": "threat-actor", "values": []}`, "no clusters"},
		{"misp: values not a list", "misp", `{"type": "threat-actor", "values": {"value": "x"}}`, "do not fit"},
		{"misp: no type", "misp", `{"values": [{"value": "x"}]}`, `without "type"`},
		{"misp: two documents", "misp", `{"type": "threat-actor", "values": [{"value": "x"}]} {}`, "data after"},
		{"misp: truncated", "misp", string(misp[:len(misp)/2]), "invalid JSON"},
		{"misp: an ATT&CK bundle", "misp", string(attack), `type "bundle"`},
		{"attack: not JSON", "attack", "<html><body>Not Found</body></html>", "invalid JSON"},
		{"attack: nothing", "attack", "", "invalid JSON"},
		{"attack: an array", "attack", `[{"type": "intrusion-set", "name": "APT28"}]`, "a JSON array"},
		{"attack: a number", "attack", `42`, "a JSON number"},
		{"attack: an empty bundle", "attack", `{"type": "bundle", "id": "bundle--1", "objects": []}`, "no intrusion sets"},
		{"attack: no intrusion sets", "attack", `{"type": "bundle", "objects": [{"type": "malware", "name": "BADCALL"}]}`, "no intrusion sets"},
		{"attack: no objects", "attack", `{"type": "bundle", "id": "bundle--1"}`, `without "objects"`},
		{"attack: objects not a list", "attack", `{"type": "bundle", "objects": {"type": "intrusion-set"}}`, `"objects" is`},
		{"attack: another STIX type", "attack", `{"type": "report", "objects": [{"type": "intrusion-set", "name": "APT28"}]}`, `type "report"`},
		{"attack: an object that does not fit", "attack", `{"type": "bundle", "objects": [{"type": "intrusion-set", "name": "APT28", "aliases": "Fancy Bear"}]}`, "object 0 does not fit"},
		{"attack: truncated", "attack", string(attack[:len(attack)/2]), "invalid JSON"},
		{"attack: trailing data", "attack", string(attack) + "]", "data after"},
		{"attack: a MISP galaxy", "attack", string(misp), `type "threat-actor"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b *graph.Batch
			var err error
			prefix := mispPrefix
			if tc.parser == "misp" {
				b, _, err = importers.MISPGalaxy(strings.NewReader(tc.input), mispOrigin)
			} else {
				prefix = attackPrefix
				b, _, err = importers.ATTACK(strings.NewReader(tc.input), attackOrigin)
			}
			if graph.ErrorCode(err) != graph.EINVALID || b != nil {
				t.Fatalf("got %v, %v: want %s and no batch", b, err, graph.EINVALID)
			}
			msg := graph.ErrorMessage(err)
			if !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, tc.mention) {
				t.Errorf("message %q: want %q ... %q", msg, prefix, tc.mention)
			}
		})
	}
}

func TestAnOriginNeedsALocation(t *testing.T) {
	_, _, err := importers.MISPGalaxy(bytes.NewReader(readFile(t, "misp-threat-actor.json")), importers.Origin{})
	if graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("MISPGalaxy without a URL: %v, want %s", err, graph.EINVALID)
	}
	_, _, err = importers.ATTACK(bytes.NewReader(readFile(t, "enterprise-attack.json")), importers.Origin{})
	if graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("ATTACK without a URL: %v, want %s", err, graph.EINVALID)
	}
	o, err := importers.NewOrigin("https://example.org/threat-actor.json", "", fetched)
	if err != nil || o.URL != "https://example.org/threat-actor.json" || !o.Fetched.Equal(fetched) {
		t.Errorf("NewOrigin(URL) = %+v, %v", o, err)
	}
	o, err = importers.NewOrigin(filepath.Join("testdata", "enterprise-attack.json"), importers.PublisherATTACK, fetched)
	abs, _ := filepath.Abs(filepath.Join("testdata", "enterprise-attack.json"))
	if err != nil || o.URL != "file://"+filepath.ToSlash(abs) || o.Publisher != importers.PublisherATTACK {
		t.Errorf("NewOrigin(path) = %+v, %v: want a file:// URL of the absolute path", o, err)
	}
	if _, err := importers.NewOrigin("  ", "", fetched); graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("NewOrigin(blank) = %v, want %s", err, graph.EINVALID)
	}
}

// TestGolden pins the whole batch each parser makes from its fixture.
func TestGolden(t *testing.T) {
	for name, read := range map[string]func(testing.TB) (*graph.Batch, importers.Report){
		"misp-threat-actor": readMISP,
		"enterprise-attack": readATTACK,
	} {
		t.Run(name, func(t *testing.T) {
			b, _ := read(t)
			got, err := json.MarshalIndent(b, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("batch differs from %s; run with -update and review the diff", path)
			}
		})
	}
}

// openStore returns an empty embedded store, closed when the test ends.
func openStore(t *testing.T) graph.Store {
	t.Helper()
	s, err := embedded.Open(context.Background(), filepath.Join(t.TempDir(), "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// load prepares a batch and ingests it, failing the test on any error.
func load(ctx context.Context, t *testing.T, s graph.Store, b *graph.Batch) (importers.Report, graph.Summary) {
	t.Helper()
	prepared, rep, err := importers.Prepare(ctx, s, b)
	if err != nil {
		t.Fatalf("prepare: %v", err)
	}
	sum, err := graph.Ingest(ctx, s, prepared)
	if err != nil {
		t.Fatalf("ingest of a prepared batch: %v\nreport: %s", err, rep)
	}
	return rep, sum
}

func storedNode(ctx context.Context, t *testing.T, s graph.Store, id string) *graph.Node {
	t.Helper()
	n, err := s.Node(ctx, id)
	if err != nil {
		t.Fatalf("node %s: %v", id, err)
	}
	return n
}

func actorCount(ctx context.Context, t *testing.T, s graph.Store) int {
	t.Helper()
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return c.Nodes[graph.KindActor]
}

func hasName(n *graph.Node, name string) bool {
	return slices.ContainsFunc(n.Names(), func(s string) bool { return graph.Normalize(s) == graph.Normalize(name) })
}

func TestPrepareMergesMISPIntoATTACKActorsWithoutJoiningThem(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	attack, _ := readATTACK(t)
	rep, _ := load(ctx, t, s, attack)
	if rep.Nodes != 5 || rep.New != 5 || rep.Merged != 0 || rep.AliasesDropped != 0 {
		t.Errorf("ATT&CK into an empty store: %+v", rep)
	}

	misp, _ := readMISP(t)
	// Unprepared, MISP's Lazarus Group would take APT38's and Andariel's names.
	if _, err := graph.Ingest(ctx, s, misp); graph.ErrorCode(err) != graph.ECONFLICT {
		t.Fatalf("unprepared ingest: %v, want %s", err, graph.ECONFLICT)
	}
	rep, _ = load(ctx, t, s, misp)
	// Lazarus Group, APT38, Kimsuky and APT28 by name, Silent Chollima by name as an
	// alias of Andariel; Nitro, Blue Termite, Example Cluster, North Korea, Russia new.
	if rep.Nodes != 10 || rep.Merged != 5 || rep.New != 5 {
		t.Errorf("report %+v: want 10 nodes, 5 merged, 5 new", rep)
	}
	wantDropped := []importers.DroppedAlias{
		{Node: "Lazarus Group", Alias: "Bluenoroff", OwnerID: "actor:apt38", Stored: true},
		{Node: "Lazarus Group", Alias: "Andariel", OwnerID: "actor:andariel", Stored: true},
	}
	if rep.AliasesDropped != 2 || !reflect.DeepEqual(rep.DroppedAliases, wantDropped) {
		t.Errorf("dropped %d %+v, want %+v", rep.AliasesDropped, rep.DroppedAliases, wantDropped)
	}
	if got := actorCount(ctx, t, s); got != 8 {
		t.Errorf("%d actors, want the 5 of ATT&CK and 3 new", got)
	}

	lazarus := storedNode(ctx, t, s, "actor:lazarus-group")
	for _, name := range []string{"Hidden Cobra", "Diamond Sleet", "Labyrinth Chollima"} {
		if !hasName(lazarus, name) {
			t.Errorf("Lazarus Group %q: missing %q", lazarus.Aliases, name)
		}
	}
	for _, name := range []string{"Bluenoroff", "Andariel"} {
		if hasName(lazarus, name) {
			t.Errorf("Lazarus Group %q took %q from another actor", lazarus.Aliases, name)
		}
		if slices.ContainsFunc(lazarus.Claims, func(c graph.Claim) bool { return strings.Contains(c.Quote, `"`+name+`"`) }) {
			t.Errorf("Lazarus Group keeps the claim that listed the dropped alias %q", name)
		}
	}
	if !slices.ContainsFunc(lazarus.ExternalIDs, func(x graph.ExternalID) bool { return x.System == "misp-galaxy" }) ||
		!slices.ContainsFunc(lazarus.ExternalIDs, func(x graph.ExternalID) bool { return x.ID == "G0032" }) {
		t.Errorf("Lazarus Group external IDs %+v: want both catalogues", lazarus.ExternalIDs)
	}
	if apt38 := storedNode(ctx, t, s, "actor:apt38"); !hasName(apt38, "Bluenoroff") || !hasName(apt38, "APT 38") {
		t.Errorf("APT38 %q: want its own Bluenoroff and MISP's APT 38", apt38.Aliases)
	}
	if andariel := storedNode(ctx, t, s, "actor:andariel"); !hasName(andariel, "Silent Chollima") || len(andariel.Sources()) != 2 {
		t.Errorf("Andariel %q from %v: want MISP's Silent Chollima merged in", andariel.Aliases, andariel.Sources())
	}
	edges, err := s.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.SponsoredBy}})
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, e := range edges {
		links = append(links, e.From+">"+e.To)
		if e.Certainty() != graph.Hedged {
			t.Errorf("%s is %s, want hedged", e.ID, e.Certainty())
		}
	}
	if want := []string{"actor:apt28>state:ru", "actor:kimsuky>state:kp", "actor:lazarus-group>state:kp"}; !slices.Equal(links, want) {
		t.Errorf("sponsor edges %v, want %v", links, want)
	}
	if _, err := s.Node(ctx, "state:cn"); graph.ErrorCode(err) != graph.ENOTFOUND {
		t.Errorf("state:cn: %v; Nitro's country is not a sponsor", err)
	}
}

func TestPrepareKeepsEntriesOfOneCatalogueApart(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	misp, _ := readMISP(t)
	rep, _ := load(ctx, t, s, misp)
	// The first cluster to list a name keeps it: Lazarus Group lists Bluenoroff and
	// Andariel before APT38 and Silent Chollima do.
	want := []importers.DroppedAlias{
		{Node: "APT38", Alias: "BlueNoroff", OwnerID: "actor:lazarus-group"},
		{Node: "Silent Chollima", Alias: "Andariel", OwnerID: "actor:lazarus-group"},
	}
	if rep.AliasesDropped != 2 || !reflect.DeepEqual(rep.DroppedAliases, want) {
		t.Errorf("dropped %+v, want %+v", rep.DroppedAliases, want)
	}
	if rep.New != 10 || rep.Merged != 0 {
		t.Errorf("report %+v: want 10 new nodes", rep)
	}
	if got := actorCount(ctx, t, s); got != 8 {
		t.Errorf("%d actors, want 8: one per cluster", got)
	}
	if apt38 := storedNode(ctx, t, s, "actor:apt38"); hasName(apt38, "BlueNoroff") {
		t.Errorf("APT38 %q kept a name Lazarus Group holds", apt38.Aliases)
	}
	// The input batch is left as it was.
	if apt38 := nodeByName(misp, "APT38"); !hasName(apt38, "BlueNoroff") {
		t.Error("Prepare changed its input")
	}
}

func TestPrepareKeepsAClusterNamingTwoActorsSeparate(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	attack, _ := readATTACK(t)
	load(ctx, t, s, attack)
	before := actorCount(ctx, t, s)
	b := readInlineMISP(t, `{"value": "Ambiguous Cluster", "meta": {"synonyms": ["ZINC", "BlueNoroff", "Own Alias"]}}`)
	if _, err := graph.Ingest(ctx, s, b); graph.ErrorCode(err) != graph.ECONFLICT {
		t.Fatalf("unprepared ingest: %v, want %s", err, graph.ECONFLICT)
	}
	rep, _ := load(ctx, t, s, b)
	if rep.New != 1 || rep.Merged != 0 || rep.AliasesDropped != 2 {
		t.Errorf("report %+v: want one new node and ZINC and BlueNoroff dropped", rep)
	}
	n := storedNode(ctx, t, s, "actor:ambiguous-cluster")
	if !slices.Equal(n.Aliases, []string{"Own Alias"}) {
		t.Errorf("aliases %q, want only its own", n.Aliases)
	}
	if got := actorCount(ctx, t, s); got != before+1 {
		t.Errorf("%d actors, want %d", got, before+1)
	}
	if lazarus := storedNode(ctx, t, s, "actor:lazarus-group"); hasName(lazarus, "Own Alias") || hasName(lazarus, "Ambiguous Cluster") {
		t.Errorf("Lazarus Group %q was merged with the cluster", lazarus.Aliases)
	}
}

func TestPrepareMergesAClusterWhoseAliasesNameOneActor(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	attack, _ := readATTACK(t)
	load(ctx, t, s, attack)
	before := actorCount(ctx, t, s)
	b := readInlineMISP(t, `{"value": "Strontium Group", "meta": {"synonyms": ["Fancy Bear", "Pawn Storm", "Brand New Name"]}}`)
	rep, _ := load(ctx, t, s, b)
	if rep.Merged != 1 || rep.New != 0 || rep.AliasesDropped != 0 {
		t.Errorf("report %+v: want one merge", rep)
	}
	apt28 := storedNode(ctx, t, s, "actor:apt28")
	if apt28.Name != "APT28" || !hasName(apt28, "Strontium Group") || !hasName(apt28, "Brand New Name") {
		t.Errorf("APT28 = %q %q: want the stored name kept and the cluster's names added", apt28.Name, apt28.Aliases)
	}
	if got := actorCount(ctx, t, s); got != before {
		t.Errorf("%d actors, want %d", got, before)
	}
}

func TestPrepareRejectsAnExplicitIDWhoseNameIsTaken(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	attack, _ := readATTACK(t)
	load(ctx, t, s, attack)
	src := nodesOfKind(attack, graph.KindSource)[0]
	c := graph.Claim{SourceID: src.ID, Quote: "x", Certainty: graph.Asserted, Confidence: 0.7}
	b := &graph.Batch{Nodes: []*graph.Node{{ID: "actor:impostor", Kind: graph.KindActor, Name: "Lazarus Group", Claims: []graph.Claim{c}}}}
	if _, _, err := importers.Prepare(ctx, s, b); graph.ErrorCode(err) != graph.ECONFLICT {
		t.Errorf("prepare: %v, want %s", err, graph.ECONFLICT)
	}
	if _, _, err := importers.Prepare(ctx, s, &graph.Batch{Nodes: []*graph.Node{{Kind: graph.KindActor}}}); graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("prepare of a nameless node: %v, want %s", err, graph.EINVALID)
	}
}

func TestReimportingACatalogueChangesNothing(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	for _, read := range []func(testing.TB) (*graph.Batch, importers.Report){readATTACK, readMISP} {
		b, _ := read(t)
		load(ctx, t, s, b)
	}
	for _, read := range []func(testing.TB) (*graph.Batch, importers.Report){readATTACK, readMISP} {
		b, _ := read(t)
		if _, sum := load(ctx, t, s, b); sum.Changed() {
			t.Errorf("second import changed %s", sum)
		}
	}
}

// TestPrepareOnTopOfReferenceKnowledge imports both catalogues after cyberkg's own
// reference knowledge, as `cyberkg import` does on a fresh store.
func TestPrepareOnTopOfReferenceKnowledge(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if _, err := graph.Ingest(ctx, s, reference.MustLoad().Batch()); err != nil {
		t.Fatal(err)
	}
	importBoth(ctx, t, s, readFile(t, "enterprise-attack.json"), readFile(t, "misp-threat-actor.json"))
}

// TestRealCatalogues imports the real catalogues when given:
// CYBERKG_ATTACK_BUNDLE=enterprise-attack.json CYBERKG_MISP_GALAXY=threat-actor.json.
func TestRealCatalogues(t *testing.T) {
	attackPath, mispPath := os.Getenv("CYBERKG_ATTACK_BUNDLE"), os.Getenv("CYBERKG_MISP_GALAXY")
	if attackPath == "" || mispPath == "" {
		t.Skip("set CYBERKG_ATTACK_BUNDLE and CYBERKG_MISP_GALAXY to import the real catalogues")
	}
	attack, err := os.ReadFile(attackPath)
	if err != nil {
		t.Fatal(err)
	}
	misp, err := os.ReadFile(mispPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s := openStore(t)
	if _, err := graph.Ingest(ctx, s, reference.MustLoad().Batch()); err != nil {
		t.Fatal(err)
	}
	importBoth(ctx, t, s, attack, misp)
}

// importBoth imports an ATT&CK bundle, then a MISP galaxy: each prepared batch must
// ingest without error, and the store must grow by the nodes the report calls new.
func importBoth(ctx context.Context, t *testing.T, s graph.Store, attack, misp []byte) {
	t.Helper()
	for _, step := range []struct {
		name string
		data []byte
	}{{"attack", attack}, {"misp-galaxy", misp}} {
		var b *graph.Batch
		var parsed importers.Report
		var err error
		if step.name == "attack" {
			b, parsed, err = importers.ATTACK(bytes.NewReader(step.data), attackOrigin)
		} else {
			b, parsed, err = importers.MISPGalaxy(bytes.NewReader(step.data), mispOrigin)
		}
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		before, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rep, _ := load(ctx, t, s, b)
		t.Logf("%s:\n%s", step.name, parsed.Add(rep))
		after, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := after.Nodes[graph.KindActor]+after.Nodes[graph.KindState], before.Nodes[graph.KindActor]+before.Nodes[graph.KindState]+rep.New; got != want {
			t.Errorf("%s: %d actors and states, want %d before + %d new", step.name, got, before.Nodes[graph.KindActor]+before.Nodes[graph.KindState], rep.New)
		}
		if rep.Nodes != rep.New+rep.Merged {
			t.Errorf("%s: report %+v does not add up", step.name, rep)
		}
	}
}

func FuzzMISPGalaxy(f *testing.F) {
	f.Add(readFile(f, "misp-threat-actor.json"))
	f.Add(readFile(f, "enterprise-attack.json"))
	for _, s := range []string{
		``, `null`, `[]`, `{}`, `{"type": "threat-actor", "values": []}`,
		`{"type": "threat-actor", "values": [{"value": "X", "meta": {"synonyms": ["G0001", "Subgroup: Y", ""], "cfr-suspected-state-sponsor": "Korea"}}]}`,
		`{"type": "threat-actor", "values": [{"value": "\u00a0", "meta": null}, {"value": "A", "meta": {"synonyms": [1, 2]}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, _, err := importers.MISPGalaxy(bytes.NewReader(data), mispOrigin)
		checkParse(t, b, err)
	})
}

func FuzzATTACK(f *testing.F) {
	f.Add(readFile(f, "enterprise-attack.json"))
	f.Add(readFile(f, "misp-threat-actor.json"))
	for _, s := range []string{
		``, `null`, `[]`, `{}`, `{"type": "bundle", "objects": []}`, `{"objects": [{}], "objects": [[]]}`,
		`{"type": "bundle", "objects": [{"type": "intrusion-set", "name": "(Citation: x)", "aliases": ["", " "], "description": "[a](b) (Citation: c"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, _, err := importers.ATTACK(bytes.NewReader(data), attackOrigin)
		checkParse(t, b, err)
	})
}

// checkParse holds for any input: an error is EINVALID and comes without a batch; a
// batch is well formed and claims everything it says.
func checkParse(t *testing.T, b *graph.Batch, err error) {
	t.Helper()
	if err != nil {
		if graph.ErrorCode(err) != graph.EINVALID || b != nil {
			t.Fatalf("error %v with batch %v: want %s and no batch", err, b, graph.EINVALID)
		}
		return
	}
	if err := b.Validate(); err != nil {
		t.Fatalf("batch does not validate: %v", err)
	}
	for _, n := range b.Nodes {
		if n.Kind != graph.KindSource && (len(n.Claims) == 0 || n.ID != n.DefaultID()) {
			t.Fatalf("node %+v: unclaimed or off its default ID", n)
		}
	}
}
