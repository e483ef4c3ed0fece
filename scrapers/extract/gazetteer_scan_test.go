package extract

import (
	"cmp"
	"slices"
	"testing"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/reference"
)

// automaton is how Gazetteer.Find read text before it looked names up by their first
// two bytes: one Aho-Corasick automaton over every name, every overlapping match.
func automaton(g *Gazetteer) func(s string) []Mention {
	texts := make([]string, len(g.patterns))
	for i, p := range g.patterns {
		texts[i] = p.text
	}
	b := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{AsciiCaseInsensitive: true, MatchKind: ahocorasick.StandardMatch, DFA: true})
	ac := b.Build(texts)
	return func(s string) []Mention { return automatonFind(g, ac, s) }
}

func automatonFind(g *Gazetteer, ac ahocorasick.AhoCorasick, s string) []Mention {
	var all []Mention
	it := ac.IterOverlapping(s)
	for m := it.Next(); m != nil; m = it.Next() {
		p := g.patterns[m.Pattern()]
		start, end := m.Start(), m.End()
		if (p.exact && s[start:end] != p.text) || !boundary(s, start, end) {
			continue
		}
		all = append(all, Mention{Kind: p.known.Kind, Name: p.known.Name, Surface: s[start:end], Start: start, End: end, known: p.known})
	}
	slices.SortStableFunc(all, func(a, b Mention) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End)) })
	var out []Mention
	for _, m := range all {
		if len(out) == 0 || m.Start >= out[len(out)-1].End {
			out = append(out, m)
		}
	}
	return out
}

// TestGazetteerScanFindsWhatTheAutomatonFinds: the reference gazetteer finds the same
// names in every fixture sentence and window of one as the automaton did.
func TestGazetteerScanFindsWhatTheAutomatonFinds(t *testing.T) {
	g := NewGazetteer(KnownFromReference(reference.MustLoad()))
	find := automaton(g)
	texts := append(cueTexts(t), "north korea’s LAZARUS group and the_Lazarus Group, APT 38; Kim_Jong Un (Pyongyang)", "éLazarus Lazarusé 1Lazarus")
	for _, text := range texts {
		for _, w := range windows(text) {
			if got, want := g.Find(w), find(w); !slices.Equal(got, want) {
				t.Fatalf("%q:\n got %+v\nwant %+v", w, got, want)
			}
		}
	}
}

func FuzzGazetteerScan(f *testing.F) {
	g := NewGazetteer(KnownFromReference(reference.MustLoad()))
	find := automaton(g)
	for _, s := range cueTexts(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := g.Find(s), find(s); !slices.Equal(got, want) {
			t.Fatalf("%q:\n got %+v\nwant %+v", s, got, want)
		}
	})
}

// normalizeCases are names written to test normalize's edges.
var normalizeCases = []string{"", "Lazarus Group", "lazarus group", "APT38", "APT-38", "APT 38", "The Lazarus Group", "the",
	"Theft Ring", "THE  GROUP", " Lazarus", "Lazarus ", "Lazarus.", "(Lazarus)", "Kim Jong\tUn", "Park\u00a0Jin", "Bybit’s",
	"Bybit's", "O'Neil Co", "U.S. Treasury", "A", "a b", "Çağ Group", "Ke\u212a", "x\x00y", "Dep\x7ft", "Group\n"}

// TestNormalizeIsGraphNormalize: normalize is graph.Normalize on the names of the
// fixtures' entities and on names written to test its edges.
func TestNormalizeIsGraphNormalize(t *testing.T) {
	names := slices.Clone(normalizeCases)
	for _, k := range KnownFromReference(reference.MustLoad()) {
		names = append(names, k.Names...)
	}
	for _, n := range names {
		if got, want := normalize(n), graph.Normalize(n); got != want {
			t.Errorf("normalize(%q) = %q, graph.Normalize says %q", n, got, want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, n := range normalizeCases {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n string) {
		if got, want := normalize(n), graph.Normalize(n); got != want {
			t.Fatalf("normalize(%q) = %q, graph.Normalize says %q", n, got, want)
		}
	})
}
