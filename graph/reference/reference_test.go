package reference_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/reference"
)

func TestBuiltInKnowledge(t *testing.T) {
	k, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Actors) < 60 {
		t.Errorf("%d actors, want at least 60 state-linked threat actors", len(k.Actors))
	}
	sponsors := map[string]int{}
	for _, a := range k.Actors {
		sponsors[a.Sponsor]++
		for _, u := range a.Sources {
			if !strings.HasPrefix(u, "https://") {
				t.Errorf("actor %s: citation %q is not an https URL", a.Name, u)
			}
		}
	}
	for _, code := range []string{"KP", "RU", "CN", "IR"} {
		if sponsors[code] < 5 {
			t.Errorf("%d actors sponsored by %s, want several", sponsors[code], code)
		}
	}
	// One name, one entity: an alias shared by two entities would merge them.
	owner := map[string]string{}
	check := func(kind, name string, names []string) {
		for _, n := range append([]string{name}, names...) {
			key := graph.Normalize(n)
			if prev, ok := owner[key]; ok && prev != kind+":"+name {
				t.Errorf("%q names both %s and %s:%s", n, prev, kind, name)
			}
			owner[key] = kind + ":" + name
		}
	}
	for _, s := range k.States {
		check("state", s.Name, s.Aliases)
	}
	for _, a := range k.Actors {
		check("actor", a.Name, a.Aliases)
	}
	for _, s := range k.Sectors {
		check("sector", s.Name, s.Aliases)
	}
	for _, o := range k.Organizations {
		check("organization", o.Name, o.Aliases)
	}
	// The metonyms the issue names resolve to North Korea.
	for _, alias := range []string{"DPRK", "North Korean", "Pyongyang"} {
		if owner[graph.Normalize(alias)] != "state:North Korea" {
			t.Errorf("%q -> %q, want North Korea", alias, owner[graph.Normalize(alias)])
		}
	}
	if owner["hidden cobra"] != "actor:Lazarus Group" {
		t.Errorf("Hidden Cobra -> %q, want Lazarus Group", owner["hidden cobra"])
	}
}

func TestBatchIsValidAndCited(t *testing.T) {
	k := reference.MustLoad()
	b := k.Batch()
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	sources := map[string]bool{}
	for _, n := range b.Nodes {
		if n.Kind == graph.KindSource {
			sources[n.ID] = true
		}
	}
	for _, n := range b.Nodes {
		if n.Kind != graph.KindSource && len(n.Claims) == 0 {
			t.Errorf("%s %s has no citation", n.Kind, n.Name)
		}
		for _, c := range n.Claims {
			if !sources[c.SourceID] {
				t.Errorf("%s cites a source not in the batch", n.Name)
			}
		}
	}
	var sponsored, partOf int
	for _, e := range b.Edges {
		switch e.Type {
		case graph.SponsoredBy:
			sponsored++
		case graph.PartOf:
			partOf++
		}
		if len(e.Claims) == 0 {
			t.Errorf("edge %s %s-%s has no citation", e.Type, e.From, e.To)
		}
	}
	if sponsored < 60 || partOf < 20 {
		t.Errorf("%d SPONSORED_BY and %d PART_OF edges", sponsored, partOf)
	}
}

func TestParseRejectsBrokenKnowledge(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field":   "states:\n  - code: KP\n    name: North Korea\n    capital: Pyongyang\n",
		"bad code":        "states:\n  - code: PRK\n    name: North Korea\n",
		"uncited actor":   "actors:\n  - name: X\n    kind: group\n",
		"unknown sponsor": "actors:\n  - name: X\n    kind: group\n    sponsor: ZZ\n    sources: [https://example.org]\n",
		"unknown parent":  "actors:\n  - name: X\n    kind: group\n    part_of: Y\n    sources: [https://example.org]\n",
		"bad kind":        "actors:\n  - name: X\n    kind: army\n    sources: [https://example.org]\n",
		"not yaml":        "{{{",
	} {
		if _, err := reference.Parse([]byte(doc)); graph.ErrorCode(err) != graph.EINVALID {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
}

// TestCriminalGroupsHaveNoSponsor: ransomware and extortion gangs are in the reference
// so that extraction knows their names, but where they operate from is not a state
// acting: none has a sponsor or a parent, and the name the Sony attackers gave themselves
// is its own entry, not an alias of the group a government later blamed.
func TestCriminalGroupsHaveNoSponsor(t *testing.T) {
	k, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]reference.Actor{}
	for _, a := range k.Actors {
		byName[a.Name] = a
	}
	for _, name := range []string{"REvil", "ALPHV", "DarkSide", "Conti", "LockBit", "Cl0p", "Scattered Spider", "Guardians of Peace",
		"RansomHub", "Black Basta", "Rhysida", "BlackMatter", "LAPSUS$"} {
		a, ok := byName[name]
		switch {
		case !ok:
			t.Errorf("%s is missing", name)
		case a.Sponsor != "" || a.PartOf != "":
			t.Errorf("%s: sponsor %q, part_of %q, want neither", name, a.Sponsor, a.PartOf)
		case len(a.Sources) == 0:
			t.Errorf("%s has no citation", name)
		}
	}
	if slices.Contains(byName["Lazarus Group"].Aliases, "Guardians of Peace") {
		t.Error("Guardians of Peace is still an alias of Lazarus Group")
	}
}
