package extract

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

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

// Gazetteer finds known names in text. It takes every occurrence of every name and alias
// (ASCII letters in either case, unless the alias is exact), keeps the whole words, and
// then the leftmost-longest among overlapping ones, so "North Korean" wins over "North
// Korea" and "Lazarus Group" over "Lazarus", and a longer name that is not a whole word
// never hides a shorter one that is. Names are looked up from the start of each word, in
// a trie of them all: a name starts a word, and most positions of a text do not.
type Gazetteer struct {
	patterns []gazPattern
	first    [256]bool // bytes, in either case, that start a name
	// The names, lower-cased, in a trie laid out as a double array (see doubleArray).
	class [256]int32
	nodes []gazNode
	ends  []int32 // the patterns by the slot their name ends in (see gazNode)
}

// gazNode is a slot of the gazetteer's double array: the patterns whose name ends there
// are ends[from:to], in pattern order.
type gazNode struct {
	base, check, from, to int32
}

type gazPattern struct {
	known *Known
	text  string
	lower string // text with ASCII letters lower-cased
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
	names := make([]string, len(g.patterns))
	for i := range g.patterns {
		p := &g.patterns[i]
		p.lower = asciiLower(p.text)
		g.first[p.lower[0]], g.first[upperASCII(p.lower[0])] = true, true
		names[i] = p.lower
	}
	var base, check, at []int32
	g.class, _, base, check, at = doubleArray(names)
	g.nodes = make([]gazNode, len(base))
	for n := range g.nodes {
		g.nodes[n] = gazNode{base: base[n], check: check[n]}
	}
	for _, n := range at {
		g.nodes[n].to++ // how many end there, for now
	}
	sum := int32(0)
	for n := range g.nodes {
		count := g.nodes[n].to
		g.nodes[n].from, g.nodes[n].to = sum, sum // to is filled up below
		sum += count
	}
	g.ends = make([]int32, len(at))
	for i, n := range at { // in pattern order, which Find keeps for ties
		g.ends[g.nodes[n].to] = int32(i)
		g.nodes[n].to++
	}
	return g
}

func asciiAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// asciiLower lower-cases the ASCII letters of s.
func asciiLower(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var chunk [256]byte // lower-cased through a buffer on the stack: WriteByte a byte at a time costs several times the table
	for len(s) > 0 {
		n := min(len(s), len(chunk))
		for i := range n {
			chunk[i] = lower[s[i]]
		}
		b.Write(chunk[:n])
		s = s[n:]
	}
	return b.String()
}

// appendASCIILower appends s with its ASCII letters lower-cased to dst.
func appendASCIILower(dst []byte, s string) []byte {
	dst = slices.Grow(dst, len(s))
	out := dst[len(dst) : len(dst)+len(s)]
	for i := range out {
		out[i] = lower[s[i]]
	}
	return dst[:len(dst)+len(s)]
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
	var room [8]Mention // most texts name fewer: one allocation, of the size found
	return slices.Clone(g.appendFind(room[:0], s))
}

// appendFind appends the names Find returns to dst, and returns them: dst[len(dst):]
// once appended, or nil when s names nothing (callers and tests tell no mentions by
// nil). Extract finds the names of a document's sentences in one buffer.
func (g *Gazetteer) appendFind(dst []Mention, s string) []Mention {
	all := dst[len(dst):]
	for start := 0; start < len(s); start++ {
		if !g.first[s[start]] || (start > 0 && asciiAlnum(s[start-1])) {
			continue // a letter or digit before: not a whole word (boundary checks the rest)
		}
		// Walk the trie: each name that ends on the way starts here, shortest first.
		for q, n := start, int32(0); q < len(s); q++ {
			c := g.class[s[q]]
			if c == 0 {
				break
			}
			next := g.nodes[n].base + c
			nd := &g.nodes[next]
			if nd.check != n {
				break
			}
			n = next
			for i := nd.from; i < nd.to; i++ {
				all = g.add(all, s, g.ends[i], start)
			}
		}
	}
	// Names found at one start come in the order of the patterns; the sort keeps it for
	// names of the same length, so the first pattern wins a tie.
	slices.SortStableFunc(all, func(a, b Mention) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End)) })
	out := all[:0] // kept in place: each is written at or before where it was read
	for _, m := range all {
		if len(out) == 0 || m.Start >= out[len(out)-1].End {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// add appends the i-th pattern found at start in s to all, if it is a whole word there.
func (g *Gazetteer) add(all []Mention, s string, i int32, start int) []Mention {
	p := &g.patterns[i]
	end := start + len(p.text)
	if (p.exact && s[start:end] != p.text) || !boundary(s, start, end) {
		return all
	}
	return append(all, Mention{Kind: p.known.Kind, Name: p.known.Name, Surface: s[start:end], Start: start, End: end, known: p.known})
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

// normalize is graph.Normalize, without its four allocations for the names most
// mentions spell: ASCII words, each after a single space, no dash, no leading "the",
// nothing Normalize trims at either end. Those it only lower-cases.
// TestNormalizeIsGraphNormalize and FuzzNormalize pin it to graph.Normalize.
func normalize(name string) string {
	switch plain, upper := lowerOnly(name); {
	case !plain:
		return graph.Normalize(name)
	case !upper:
		return name
	}
	return asciiLower(name)
}

// appendNormalized appends normalize(name) to dst, allocating nothing for the names
// normalize only lower-cases.
func appendNormalized(dst []byte, name string) []byte {
	switch plain, upper := lowerOnly(name); {
	case !plain:
		return append(dst, graph.Normalize(name)...)
	case !upper:
		return append(dst, name...)
	}
	for i := 0; i < len(name); i++ {
		dst = append(dst, lower[name[i]])
	}
	return dst
}

// normalizedKey is typ + "|" + normalize(name), made in one allocation.
func normalizedKey(typ, name string) string {
	var buf [64]byte
	return string(appendNormalized(append(append(buf[:0], typ...), '|'), name))
}

// lowerOnly reports whether graph.Normalize only lower-cases the ASCII letters of name
// (plain), and whether name has any upper-case one.
func lowerOnly(name string) (plain, upper bool) {
	if name == "" || strings.IndexByte(" .,;:!?\"'()[]", name[0]) >= 0 || strings.IndexByte(" .,;:!?\"'()[]", name[len(name)-1]) >= 0 {
		return false, false
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c >= utf8.RuneSelf, c == '-', c < ' ', c == ' ' && name[i-1] == ' ':
			return false, false // dashes, runs of space, runes Normalize folds
		case 'A' <= c && c <= 'Z':
			upper = true
		}
	}
	if len(name) >= 4 && hasPrefixFold(name, "the ") {
		return false, false
	}
	return true, upper
}
