package extract

import (
	"cmp"
	"slices"
	"testing"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"

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
