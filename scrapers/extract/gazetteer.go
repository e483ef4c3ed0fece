package extract

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/reference"
)

// Known is an entity the gazetteer recognises by its names.
type Known struct {
	Kind      graph.NodeKind
	Name      string // canonical
	Code      string // states
	ActorKind graph.ActorKind
	Names     []string // name and aliases, matched case-insensitively
	Exact     []string // aliases matched only in this exact case ("ZINC", "US")
}

// Mention is a stretch of a sentence that names an entity.
type Mention struct {
	Kind       graph.NodeKind
	Name       string // canonical
	Surface    string
	Start, End int
	known      *Known
}

// Gazetteer finds known names in text with one Aho-Corasick automaton over every name
// and alias. It takes every match, keeps the whole words, and then the leftmost-longest
// among overlapping ones, so "North Korean" wins over "North Korea" and "Lazarus Group"
// over "Lazarus", and a longer name that is not a whole word never hides a shorter one
// that is.
type Gazetteer struct {
	ac       ahocorasick.AhoCorasick
	patterns []gazPattern
}

type gazPattern struct {
	known *Known
	text  string
	exact bool
}

// NewGazetteer builds the automaton. Short all-capital aliases ("GRU", "MSS", "RGB") are
// matched in their exact case: in lower case they are ordinary words or noise.
func NewGazetteer(known []*Known) *Gazetteer {
	g := &Gazetteer{}
	seen := map[string]bool{}
	add := func(k *Known, s string, exact bool) {
		s = strings.TrimSpace(s)
		key := s
		if !exact {
			key = strings.ToLower(s)
		}
		if s == "" || seen[key] {
			return
		}
		seen[key] = true
		g.patterns = append(g.patterns, gazPattern{known: k, text: s, exact: exact})
		if strings.ContainsRune(s, '\'') { // reporting prints typographic apostrophes
			g.patterns = append(g.patterns, gazPattern{known: k, text: strings.ReplaceAll(s, "'", "\u2019"), exact: exact})
		}
	}
	for _, k := range known {
		for _, s := range k.Exact {
			add(k, s, true)
		}
	}
	for _, k := range known {
		for _, s := range k.Names {
			add(k, s, shortCaps(s) || slices.Contains(k.Exact, s))
		}
	}
	texts := make([]string, len(g.patterns))
	for i, p := range g.patterns {
		texts[i] = p.text
	}
	b := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{
		AsciiCaseInsensitive: true,
		MatchKind:            ahocorasick.StandardMatch, // needed for overlapping iteration
		DFA:                  true,
	})
	g.ac = b.Build(texts)
	return g
}

func shortCaps(s string) bool {
	if len(s) > 5 {
		return false
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters > 0
}

// Find returns the known names in s, left to right, whole words only, never overlapping.
func (g *Gazetteer) Find(s string) []Mention {
	var all []Mention
	it := g.ac.IterOverlapping(s)
	for m := it.Next(); m != nil; m = it.Next() {
		p := g.patterns[m.Pattern()]
		start, end := m.Start(), m.End()
		if p.exact && s[start:end] != p.text {
			continue
		}
		if !boundary(s, start, end) {
			continue
		}
		all = append(all, Mention{Kind: p.known.Kind, Name: p.known.Name, Surface: s[start:end], Start: start, End: end, known: p.known})
	}
	slices.SortFunc(all, func(a, b Mention) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End)) })
	var out []Mention
	for _, m := range all {
		if len(out) == 0 || m.Start >= out[len(out)-1].End {
			out = append(out, m)
		}
	}
	return out
}

// boundary reports whether s[start:end] is a whole word: not inside a longer word.
func boundary(s string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if end < len(s) {
		r, _ := utf8.DecodeRuneInString(s[end:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// KnownFromReference lists what the reference knowledge names.
func KnownFromReference(k *reference.Knowledge) []*Known {
	var out []*Known
	for _, s := range k.States {
		out = append(out, &Known{Kind: graph.KindState, Name: s.Name, Code: strings.ToUpper(s.Code),
			Names: append([]string{s.Name}, s.Aliases...), Exact: s.CaseSensitive})
	}
	for _, a := range k.Actors {
		out = append(out, &Known{Kind: graph.KindActor, Name: a.Name, ActorKind: graph.ActorKind(a.Kind),
			Names: append([]string{a.Name}, a.Aliases...), Exact: a.CaseSensitive})
	}
	for _, s := range k.Sectors {
		out = append(out, &Known{Kind: graph.KindSector, Name: s.Name, Names: append([]string{s.Name}, s.Aliases...)})
	}
	for _, o := range k.Organizations {
		out = append(out, &Known{Kind: graph.KindOrganization, Name: o.Name, Names: append([]string{o.Name}, o.Aliases...), Exact: o.CaseSensitive})
	}
	return out
}
