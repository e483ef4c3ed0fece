package extract

import (
	"maps"
	"regexp"
	"regexp/syntax"
	"slices"
	"sync"
	"sync/atomic"
)

// Cutting the branches that cannot start where an anchored run starts.
//
// Many cues open with a choice between branches led by words of their own ("hack",
// "heist", "stole" ...; the parser has already grouped the words by their first
// letters). An anchored run from a cue's starting word tries every branch in turn, and
// each costs the backtracker a few steps and its visited bitset room for every
// instruction. At p, a branch none of whose leading words stands at p cannot match
// there: the run can leave it out, and a smaller expression does the same work. The
// smaller expressions are compiled on first use, one per set of branches kept.
// TestCuesMatchTheirExpressions and FuzzCues pin the runs to the plain expression.

// branchCut is the first choice on a cue's leading path and the words each branch
// starts with.
type branchCut struct {
	tree *syntax.Regexp // the cue's expression, parsed
	path []int          // the subexpressions from the root to the choice
	// words[i] are the words every match of branch i starts with (lower-cased, matched
	// as the gates match them); nil when the branch may start with anything.
	words [][]string
	// first maps a byte to the branches that may start with it: those with a word
	// that starts with it, in either case, and those that may start with anything.
	first [256]uint64
	all   uint64 // every branch
	low   bool   // the cue runs on lower-cased input too (caseless)
	// cuts maps a set of kept branches to its expressions. It is replaced, never
	// changed, so that runs read it without a lock; mu orders the replacements.
	cuts atomic.Pointer[map[uint64]*branchRuns]
	mu   sync.Mutex
}

// maxCuts bounds the expressions compiled for one cue: past it, runs use the whole one.
const maxCuts = 64

// branchRuns are the anchored expressions of one cut, compiled on first use: at0,
// atN, lowAt0 and lowAtN (see cue).
type branchRuns struct {
	tree *syntax.Regexp
	low  *syntax.Regexp
	once [4]sync.Once
	re   [4]*regexp.Regexp
}

// branchCutOf returns the cut of tree's first choice, or nil when it has none worth
// cutting: one that zero-width assertions alone lead to, of 2 to 64 branches, of which
// some start with known words.
func branchCutOf(tree *syntax.Regexp, low bool) *branchCut {
	var path []int
	re := tree
	for re.Op != syntax.OpAlternate {
		switch re.Op {
		case syntax.OpCapture:
			path, re = append(path, 0), re.Sub[0]
			continue
		case syntax.OpConcat:
			i := slices.IndexFunc(re.Sub, func(s *syntax.Regexp) bool { return !zeroWidth(s) })
			if i < 0 {
				return nil
			}
			path, re = append(path, i), re.Sub[i]
			continue
		}
		return nil
	}
	if len(re.Sub) < 2 || len(re.Sub) > 64 {
		return nil
	}
	k := &branchCut{tree: tree, path: path, words: make([][]string, len(re.Sub)), all: 1<<len(re.Sub) - 1, low: low}
	known := false
	for i, b := range re.Sub {
		l := analyze(b)
		if l.pre = minimal(compact(l.pre), stringsHasPrefix); l.pre != nil && !slices.Contains(l.pre, "") {
			k.words[i], known = l.pre, true
		}
	}
	if !known {
		return nil
	}
	for i, words := range k.words {
		for b := range k.first {
			if words == nil || slices.ContainsFunc(words, func(w string) bool { return lower[b] == lower[w[0]] }) {
				k.first[b] |= 1 << i
			}
		}
	}
	return k
}

func stringsHasPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && s[:len(prefix)] == prefix
}

// zeroWidth reports whether re matches only the empty string: an assertion.
func zeroWidth(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	return false
}

// noMatchWithGroups returns an expression that matches nothing and holds re's capturing
// groups, in order, each empty.
func noMatchWithGroups(re *syntax.Regexp) *syntax.Regexp {
	out := &syntax.Regexp{Op: syntax.OpConcat, Sub: []*syntax.Regexp{{Op: syntax.OpNoMatch}}}
	var groups func(re *syntax.Regexp)
	groups = func(re *syntax.Regexp) {
		if re.Op == syntax.OpCapture {
			out.Sub = append(out.Sub, &syntax.Regexp{Op: syntax.OpCapture, Cap: re.Cap, Name: re.Name, Sub: []*syntax.Regexp{{Op: syntax.OpEmptyMatch}}})
		}
		for _, s := range re.Sub {
			groups(s)
		}
	}
	groups(re)
	return out
}

// hasCapture reports whether re holds a capturing group.
func hasCapture(re *syntax.Regexp) bool {
	return re.Op == syntax.OpCapture || slices.ContainsFunc(re.Sub, hasCapture)
}

// kept returns the branches that may start at p of s: those with a word that starts
// with its byte there. (A branch whose whole word is not there fails at once.)
func (k *branchCut) kept(s string, p int) uint64 {
	if p >= len(s) {
		return k.all
	}
	return k.first[s[p]]
}

// run returns the anchored expression of the given kind (0 at0, 1 atN, 2 lowAt0,
// 3 lowAtN) for the branches kept, or nil when the whole one must run.
func (k *branchCut) run(kept uint64, kind int) *regexp.Regexp {
	var r *branchRuns
	if m := k.cuts.Load(); m != nil {
		r = (*m)[kept]
	}
	if r == nil {
		if r = k.add(kept); r == nil {
			return nil
		}
	}
	r.once[kind].Do(func() {
		t := r.tree
		if kind >= 2 {
			if t = r.low; t == nil {
				return // cannot happen: the whole expression is caseless, so is a part
			}
		}
		lead := `^`
		if kind%2 == 1 {
			lead = `^(?s:.)`
		}
		r.re[kind] = regexp.MustCompile(lead + `(?:` + t.String() + `)`)
	})
	return r.re[kind]
}

// add makes the expressions of a cut, or returns nil when the cue has too many.
func (k *branchCut) add(kept uint64) *branchRuns {
	k.mu.Lock()
	defer k.mu.Unlock()
	old := map[uint64]*branchRuns{}
	if m := k.cuts.Load(); m != nil {
		old = *m
	}
	if r, ok := old[kept]; ok {
		return r
	}
	if len(old) >= maxCuts {
		return nil
	}
	r := &branchRuns{tree: k.cut(kept)}
	if k.low {
		r.low, _ = caseless(r.tree)
	}
	m := maps.Clone(old)
	m[kept] = r
	k.cuts.Store(&m)
	return r
}

// cut returns a copy of the tree with only the kept branches in its first choice.
func (k *branchCut) cut(kept uint64) *syntax.Regexp {
	var copyPath func(re *syntax.Regexp, path []int) *syntax.Regexp
	copyPath = func(re *syntax.Regexp, path []int) *syntax.Regexp {
		out := *re
		if len(path) == 0 { // the choice
			out.Sub = nil
			for i, b := range re.Sub {
				switch {
				case kept&(1<<i) != 0:
					out.Sub = append(out.Sub, b)
				case hasCapture(b):
					// A branch left out keeps its groups, matching nothing, so that
					// the groups after it keep their numbers.
					out.Sub = append(out.Sub, noMatchWithGroups(b))
				}
			}
			if len(out.Sub) == 1 {
				return out.Sub[0]
			}
			return &out
		}
		out.Sub = slices.Clone(re.Sub)
		out.Sub[path[0]] = copyPath(re.Sub[path[0]], path[1:])
		return &out
	}
	return copyPath(k.tree, k.path)
}
