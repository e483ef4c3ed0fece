package graph

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SearchMatch says how well a node's names match a search; smaller is better. Search
// compares names and queries after Normalize, so case, spacing, dashes and a leading
// "the" never matter.
type SearchMatch int

const (
	NoMatch            SearchMatch = -1
	MatchName          SearchMatch = 0 // the query is the name
	MatchAlias         SearchMatch = 1 // the query is an alias, or a state's ISO code
	MatchNamePrefix    SearchMatch = 2 // the name starts with the query
	MatchAliasPrefix   SearchMatch = 3
	MatchNameContains  SearchMatch = 4 // the name contains the query
	MatchAliasContains SearchMatch = 5
	// MatchWords: each word of the query is a word of the name or of one alias, in any
	// order, with one typo at most in all ("lazarsu" finds Lazarus Group, "korea
	// north" North Korea).
	MatchWords SearchMatch = 6
	// MatchTypos: the same with more typos, up to Typos(word) in each word (never
	// in its digits).
	MatchTypos SearchMatch = 7
)

// KeyRole says what a key under which a node can be found is to it.
type KeyRole int

const (
	KeyName  KeyRole = iota // its name
	KeyAlias                // one of its aliases
	KeyCode                 // another key, such as a state's code: matched exactly only
)

// Typos is how many edits (a letter added, dropped, changed, or two swapped) a word of
// a query may be from a word of a name and still match it: none below four letters,
// where one edit makes another word ("apt" and "ant"), one up to seven, two beyond.
func Typos(word string) int {
	switch n := utf8.RuneCountInString(word); {
	case n < 4:
		return 0
	case n < 8:
		return 1
	}
	return 2
}

// SearchWords splits a normalised text into words: runs of letters and digits.
func SearchWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// KeyMatch returns how a normalised key of the given role matches a normalised query.
// This is the one definition of a search hit: stores may find candidates any way they
// like (a scan, a text index, a fuzzy full-text index) but keep only what KeyMatch
// accepts, ranked by it.
func KeyMatch(key string, role KeyRole, q string) SearchMatch {
	if key == "" || q == "" {
		return NoMatch
	}
	alias := SearchMatch(0)
	switch role {
	case KeyCode:
		if key == q {
			return MatchAlias
		}
		return NoMatch
	case KeyAlias:
		alias = 1
	}
	switch {
	case key == q:
		return MatchName + alias
	case strings.HasPrefix(key, q):
		return MatchNamePrefix + alias
	case strings.Contains(key, q):
		return MatchNameContains + alias
	}
	return wordsMatch(SearchWords(key), SearchWords(q))
}

// wordsMatch matches every query word to some key word within its Typos. A typo never
// touches a digit: "APT39" is another group than APT38, not a misspelling of it.
func wordsMatch(keyWords, qWords []string) SearchMatch {
	if len(qWords) == 0 || len(keyWords) == 0 {
		return NoMatch
	}
	total := 0
	for _, w := range qWords {
		bound := Typos(w)
		best := bound + 1
		for _, k := range keyWords {
			if bound > 0 && digits(w) != digits(k) {
				continue
			}
			if d := editDistance(w, k, bound); d < best {
				best = d
				if d == 0 {
					break
				}
			}
		}
		if best > bound {
			return NoMatch
		}
		total += best
	}
	if total <= 1 {
		return MatchWords
	}
	return MatchTypos
}

// digits returns the digits of a word, in order.
func digits(w string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return r
		}
		return -1
	}, w)
}

// editDistance returns the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and transpositions of adjacent letters, each
// one edit), or bound+1 as soon as it is known to exceed bound.
func editDistance(a, b string, bound int) int {
	if a == b {
		return 0
	}
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > bound || -d > bound {
		return bound + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		lowest := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			lowest = min(lowest, v)
		}
		if lowest > bound {
			return bound + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], bound+1)
}

// SearchRank returns how well a node matches a query: the best KeyMatch over its name,
// its aliases and (for a state) its code. text need not be normalised.
func SearchRank(n *Node, text string) SearchMatch {
	q := Normalize(text)
	best := NoMatch
	better := func(m SearchMatch) {
		if m != NoMatch && (best == NoMatch || m < best) {
			best = m
		}
	}
	for i, name := range n.Names() {
		role := KeyAlias
		if i == 0 {
			role = KeyName
		}
		better(KeyMatch(Normalize(name), role, q))
	}
	if n.Kind == KindState && n.Code != "" {
		better(KeyMatch(Normalize(n.Code), KeyCode, q))
	}
	return best
}

// SearchCursor returns the position of a hit in a search's order: by match, then by
// confidence (highest first), then name, then ID.
func SearchCursor(n *Node, m SearchMatch) Cursor {
	return Cursor{Rank: int(m), Num: n.Confidence, Text: n.Name, ID: n.ID}
}

// SearchOrder compares two positions in a search's order.
func SearchOrder(a, b Cursor) int {
	return cmp.Or(cmp.Compare(a.Rank, b.Rank), cmp.Compare(b.Num, a.Num), cmp.Compare(a.Text, b.Text), cmp.Compare(a.ID, b.ID))
}

// RankSearch keeps the nodes that match text and orders them as SearchOrder does, at
// most limit of them (<= 0: DefaultSearchLimit).
func RankSearch(nodes []*Node, text string, limit int) []*Node {
	hits := RankHits(nodes, text, nil)
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	out := make([]*Node, 0, min(limit, len(hits.Items)))
	for _, n := range hits.Items {
		if len(out) == limit {
			break
		}
		out = append(out, n)
	}
	return out
}

// RankHits keeps the nodes that match text and come after the cursor, ordered as
// SearchOrder does, each with its position. Total and HasNext are left for the caller.
func RankHits(nodes []*Node, text string, after *Cursor) *Results[*Node] {
	type hit struct {
		n *Node
		c Cursor
	}
	var hits []hit
	seen := map[string]bool{}
	for _, n := range nodes {
		if n == nil || seen[n.ID] {
			continue
		}
		seen[n.ID] = true
		m := SearchRank(n, text)
		if m == NoMatch {
			continue
		}
		c := SearchCursor(n, m)
		if after != nil && SearchOrder(c, *after) <= 0 {
			continue
		}
		hits = append(hits, hit{n, c})
	}
	slices.SortFunc(hits, func(a, b hit) int { return SearchOrder(a.c, b.c) })
	r := &Results[*Node]{Total: -1}
	for _, h := range hits {
		r.Items = append(r.Items, h.n)
		r.Cursors = append(r.Cursors, h.c)
	}
	return r
}

// SearchKinds returns the kinds a search covers: those asked for, or every entity kind
// (sources and amounts are evidence, found by URL and by incident). EINVALID for an
// unknown kind.
func SearchKinds(kinds []NodeKind) ([]NodeKind, error) {
	if len(kinds) == 0 {
		return []NodeKind{KindState, KindActor, KindIncident, KindOrganization, KindSector}, nil
	}
	var out []NodeKind
	for _, k := range kinds {
		if !k.Valid() {
			return nil, Errorf(EINVALID, "unknown kind %q", k)
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out, nil
}
