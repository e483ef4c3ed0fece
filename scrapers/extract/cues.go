package extract

import (
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// A cue is one of the package's regular expressions together with a cheap necessary
// condition read from the expression's own syntax: the literal words any match must
// start with, or failing that, contain. Most sentences hold none of a cue's words, and
// Go's regexp, which tries every position of a case-insensitive alternation, costs
// 10-25 µs a sentence; the word scan costs a fraction of a microsecond. Where a cue's
// starting words do occur, the expression runs anchored at those positions only.
//
// Because the condition is derived from the expression, editing an expression cannot
// make its gate skip a match. A few expressions start with no fixed word (capitalised
// names, "the June 24 heist"); for those a condition is written by hand (newCueAt).
// TestCuesMatchTheirExpressions and FuzzCues pin every method of every cue to what the
// plain regexp returns; TestCueGatesFlagEveryMatch pins the gates themselves. The
// gates compare ASCII letters case-insensitively, which covers what (?i) matches,
// except the Kelvin sign and the long s that Unicode folds onto k and s: inputs
// holding either skip the gates.
type cue struct {
	re    *regexp.Regexp
	at0   *regexp.Regexp // ^(?:re): the match starting at the input's first byte
	atN   *regexp.Regexp // ^(?s:.)(?:re): the match starting right after one rune of context
	begin bool           // every match starts at the input's first byte (^...)
	// ending matches the reverse of what re matches at the input's end, from the
	// start: see canEnd. Only for cues made with newCueEnding.
	ending *regexp.Regexp
	// starts finds where a match may start: the words every match starts with, or a
	// hand-written condition (newCueAt). needs lists words every match contains. Either
	// may be nil: the expression admits no such list.
	starts   starter
	needs    *litSet
	nullable bool
	// needsMore: the needed words say more than the starting words, so a search with
	// starting words checks them too.
	needsMore bool
	// needsFirst: the start condition is loose, look for a needed word before starts.
	needsFirst bool
	maxLen     int // an upper bound of a match's length in bytes; -1 unbounded
	// stops are the bytes no match holds, and spaces how many spaces a match holds at
	// most (-1 unbounded): an anchored run needs the input only up to the first stop, or
	// the first space past that many (see bound). Nil when no byte bounds a match.
	stops  *[256]bool
	spaces int
	// more lists further word sets every match holds one word of, each read from one
	// part of the expression ("malware" and "attack" in "X malware attack"): a text
	// must hold a word of each. Only long words, where one scan skips many texts.
	more []*litSet
	// run answers the expression without a regexp when it has wordRun's shape.
	run *wordRun
	// choice answers an anchored run without a regexp when the expression is one of a
	// few words (see wordChoice).
	choice *wordChoice
	// low, lowAt0 and lowAtN are re, at0 and atN for input whose ASCII letters are
	// lower-cased, with every case-folded ASCII literal spelled in lower case and matched
	// as written (see caseless): Go's regexp compares a folded rune through
	// unicode.SimpleFold, a plain one with a single comparison. Nil when the expression
	// tells the cases of an ASCII letter apart somewhere.
	low, lowAt0, lowAtN *regexp.Regexp
	// cut, when not nil, leaves out of an anchored run the branches of the first
	// choice that cannot start where it starts (see branchCut).
	cut *branchCut
}

// selective reports whether words are rare enough in prose to be worth finding first:
// none is a lone letter or space. Digits are rare enough.
func selective(words []string) bool {
	if words == nil {
		return false
	}
	for _, w := range words {
		if w == "" || (len(w) == 1 && (isWordByte(w[0]) && !('0' <= w[0] && w[0] <= '9') || w[0] <= ' ')) {
			return false
		}
	}
	return true
}

// minimal drops the words that hold another word of the set (as covers says): finding
// the shorter one already finds them.
func minimal(words []string, covers func(w, shorter string) bool) []string {
	if words == nil {
		return nil
	}
	out := []string{}
	for _, w := range words {
		if !slices.ContainsFunc(words, func(v string) bool { return v != w && covers(w, v) }) {
			out = append(out, w)
		}
	}
	return out
}

// compact cuts the words that share their first two bytes with many others ("ta00" ...
// "ta99" become "ta0" ... "ta9"), so that checking a position stays cheap.
func compact(words []string) []string {
	const most = 12
	for {
		groups := map[string][]int{}
		for i, w := range words {
			groups[w[:min(2, len(w))]] = append(groups[w[:min(2, len(w))]], i)
		}
		cut := false
		for _, g := range groups {
			if len(g) <= most {
				continue
			}
			longest := 0
			for _, i := range g {
				longest = max(longest, len(words[i]))
			}
			if longest <= 2 {
				continue
			}
			for _, i := range g {
				words[i] = words[i][:min(len(words[i]), longest-1)]
			}
			cut = true
		}
		if !cut {
			return words
		}
		words = union(words, nil)
	}
}

// cues lists every cue the package compiles, for the equivalence tests.
var cues []*cue

// newCue compiles expr (panicking on a bad expression, like regexp.MustCompile) and
// reads its necessary conditions.
func newCue(expr string) *cue {
	c := &cue{re: regexp.MustCompile(expr), maxLen: -1}
	tree, err := syntax.Parse(expr, syntax.Perl) // the flags regexp.Compile uses
	if err != nil {
		panic(err)
	}
	l := analyze(tree)
	l.pre = minimal(compact(l.pre), strings.HasPrefix)
	l.req = minimal(compact(l.req), strings.Contains)
	c.begin, c.nullable = startsWithBeginText(tree), l.nullable
	// A cue anchored at the start is tried at one position only: any word list helps.
	if selective(l.pre) || (c.begin && l.pre != nil && !slices.Contains(l.pre, "")) {
		words := newLitSet(l.pre)
		words.wordStart = leadsWithBoundary(tree) && !slices.ContainsFunc(l.pre, func(w string) bool { return !isASCIIWord(w[0]) })
		c.starts = words
	}
	if selective(l.req) {
		c.needs = newLitSet(l.req)
		c.needsMore = !slices.Equal(l.req, l.pre)
	}
	if c.begin && c.starts == nil {
		c.starts = skipThenWords(tree)
	}
	if runes := maxRunes(tree); runes >= 0 {
		c.maxLen = runes * utf8.UTFMax
	}
	c.stops, c.spaces = boundingBytes(tree)
	c.more = moreNeeds(tree, l.pre, l.req)
	c.run = wordRunOf(tree)
	c.choice = wordChoiceOf(tree)
	if c.starts != nil && !c.begin {
		c.at0 = regexp.MustCompile(`^(?:` + expr + `)`)
		c.atN = regexp.MustCompile(`^(?s:.)(?:` + expr + `)`)
	}
	if low, ok := caseless(tree); ok {
		c.low = regexp.MustCompile(low.String())
		c.compileLowAt()
	}
	if c.at0 != nil {
		c.cut = branchCutOf(tree, c.low != nil)
	}
	cues = append(cues, c)
	return c
}

// compileLowAt compiles lowAt0 and lowAtN from low, when the cue runs anchored.
func (c *cue) compileLowAt() {
	if c.low != nil && c.at0 != nil {
		c.lowAt0 = regexp.MustCompile(`^(?:` + c.low.String() + `)`)
		c.lowAtN = regexp.MustCompile(`^(?s:.)(?:` + c.low.String() + `)`)
	}
}

// caseless returns re rewritten for input whose ASCII letters are lower-cased: each
// case-folded literal of ASCII runes and runes without case spelled in lower case and
// no longer folded. On such input, trusted (holding neither the Kelvin sign nor the
// long s, which fold onto k and s), the rewritten expression matches where re matches
// the original input, with the same submatches: lower-casing ASCII letters keeps every
// rune within its case fold, so a folded atom reads either the same. ok is false when
// re has an atom that tells an ASCII letter's cases apart (a literal or class written
// for one case only), or nothing to rewrite.
func caseless(re *syntax.Regexp) (out *syntax.Regexp, ok bool) {
	changed := false
	var walk func(re *syntax.Regexp) (*syntax.Regexp, bool)
	walk = func(re *syntax.Regexp) (*syntax.Regexp, bool) {
		n := *re
		n.Sub = nil
		for _, sub := range re.Sub {
			s, ok := walk(sub)
			if !ok {
				return nil, false
			}
			n.Sub = append(n.Sub, s)
		}
		switch re.Op {
		case syntax.OpLiteral:
			if re.Flags&syntax.FoldCase == 0 {
				if slices.ContainsFunc(re.Rune, isASCIILetter) {
					return nil, false
				}
				break
			}
			if slices.ContainsFunc(re.Rune, func(r rune) bool { return r >= utf8.RuneSelf && unicode.SimpleFold(r) != r }) {
				break // a rune with cases beyond ASCII: it stays folded, which still reads lower-cased input right
			}
			n.Rune = make([]rune, len(re.Rune))
			for i, r := range re.Rune {
				if r < utf8.RuneSelf {
					r = rune(lowerASCII(byte(r)))
				}
				n.Rune[i] = r
			}
			n.Flags &^= syntax.FoldCase
			changed = true
		case syntax.OpCharClass:
			for b := 'a'; b <= 'z'; b++ {
				if inClass(b, re.Rune) != inClass(b-'a'+'A', re.Rune) {
					return nil, false
				}
			}
		}
		return &n, true
	}
	out, ok = walk(re)
	return out, ok && changed
}

func isASCIILetter(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }

// lowBufs keeps the buffers cues lower-case their input into.
var lowBufs = sync.Pool{New: func() any { return new([]byte) }}

// lowered returns s with its ASCII letters lower-cased, in a buffer to give back to
// lowBufs.
func lowered(s string) *[]byte {
	b := lowBufs.Get().(*[]byte)
	if cap(*b) < len(s) {
		*b = make([]byte, len(s), 2*len(s))
	}
	*b = (*b)[:len(s)]
	for i := 0; i < len(s); i++ {
		(*b)[i] = lower[s[i]]
	}
	return b
}

// loweredOf returns s lower-cased as lowered does, or "" when sw, if not nil, holds
// that already: s is a start of its sentence, or of the sentence lower-cased.
func (sw *sentenceWords) loweredOf(s string) string {
	if sw == nil || !sw.lowerSame || len(s) > len(sw.text) || s != sw.text[:len(s)] && s != sw.lower[:len(s)] {
		return ""
	}
	return sw.lower[:len(s)]
}

// reMatch is c.re.MatchString(s), run on s lower-cased when trust (s is trusted) lets
// it; sw, if not nil, holds the words of the sentence s starts.
func (c *cue) reMatch(s string, trust bool, sw *sentenceWords) bool {
	if !trust || c.low == nil {
		return c.re.MatchString(s)
	}
	if low := sw.loweredOf(s); low != "" {
		return c.low.MatchString(low)
	}
	b := lowered(s)
	m := c.low.Match(*b)
	lowBufs.Put(b)
	return m
}

// reFindAll is c.re.FindAllStringSubmatchIndex(s, n), run as reMatch runs.
func (c *cue) reFindAll(s string, n int, trust bool, sw *sentenceWords) [][]int {
	if !trust || c.low == nil {
		return c.re.FindAllStringSubmatchIndex(s, n)
	}
	if low := sw.loweredOf(s); low != "" {
		return c.low.FindAllStringSubmatchIndex(low, n)
	}
	b := lowered(s)
	m := c.low.FindAllSubmatchIndex(*b, n)
	lowBufs.Put(b)
	return m
}

// newCueAt is newCue for an expression whose matches start with no listed word, where
// mayStart is a cheap condition that holds wherever a match starts. The tests that pin
// every cue to its regexp pin mayStart too.
func newCueAt(expr string, mayStart func(s string, p int) bool) *cue {
	c := newCue(expr)
	if c.nullable || c.begin {
		panic("extract: newCueAt needs an unanchored expression that never matches empty: " + expr)
	}
	c.starts = startFunc(mayStart)
	c.needsFirst = c.needs != nil
	c.at0 = regexp.MustCompile(`^(?:` + expr + `)`)
	c.atN = regexp.MustCompile(`^(?s:.)(?:` + expr + `)`)
	c.compileLowAt()
	tree, _ := syntax.Parse(expr, syntax.Perl) // newCue parsed it
	c.cut = branchCutOf(tree, c.low != nil)
	return c
}

// skipStart is the start of a cue anchored at the input's start that opens with a run
// of a character class (^\W*, ^\s+) and then one of a set of words, none of which
// starts with a character of the class: the words must stand right after the run.
type skipStart struct {
	class []rune // ranges, as syntax.Regexp.Rune holds them
	words *litSet
}

// skipThenWords reads a skipStart from an expression ^C*W... or ^C+W..., or returns nil.
func skipThenWords(tree *syntax.Regexp) starter {
	if tree.Op != syntax.OpConcat || len(tree.Sub) < 3 || tree.Sub[0].Op != syntax.OpBeginText {
		return nil
	}
	run := tree.Sub[1]
	if (run.Op != syntax.OpStar && run.Op != syntax.OpPlus) || run.Sub[0].Op != syntax.OpCharClass {
		return nil
	}
	class := run.Sub[0].Rune
	var rest []lits
	for _, s := range tree.Sub[2:] {
		rest = append(rest, analyze(s))
	}
	words := minimal(prefixes(rest), strings.HasPrefix)
	if words == nil {
		return nil
	}
	for _, w := range words {
		if w == "" || w[0] >= utf8.RuneSelf || inClass(rune(w[0]), class) || inClass(rune(upperASCII(w[0])), class) {
			return nil
		}
	}
	return &skipStart{class: class, words: newLitSet(words)}
}

func upperASCII(b byte) byte {
	if 'a' <= b && b <= 'z' {
		return b - 'a' + 'A'
	}
	return b
}

func inClass(r rune, ranges []rune) bool {
	for i := 0; i < len(ranges); i += 2 {
		if ranges[i] <= r && r <= ranges[i+1] {
			return true
		}
	}
	return false
}

func (k *skipStart) at(s string, p int) bool {
	if p != 0 {
		return false
	}
	for p < len(s) {
		r, w := utf8.DecodeRuneInString(s[p:])
		if !inClass(r, k.class) {
			break
		}
		p += w
	}
	return k.words.at(s, p)
}

func (k *skipStart) nextIn(_ *sentenceWords, s string, p int) int {
	if p == 0 && k.at(s, 0) {
		return 0
	}
	return -1
}

// newCueEnding is newCueAt for an expression whose callers only want matches that end
// where the input ends: canEnd tells them, reading backwards from the end once, whether
// one can.
func newCueEnding(expr string, mayStart func(s string, p int) bool) *cue {
	c := newCueAt(expr, mayStart)
	tree, err := syntax.Parse(`(?:`+expr+`)$`, syntax.Perl)
	if err != nil {
		panic(err)
	}
	c.ending = regexp.MustCompile(reversed(tree).String())
	return c
}

// canEnd reports whether some match of c ends where s ends: whether (?:re)$ matches s.
// Whether a match exists does not depend on the direction of reading, and read
// backwards the expression is anchored at the start: one attempt instead of one per
// possible start.
func (c *cue) canEnd(s string) bool {
	if !utf8.ValidString(s) { // reversed, the bytes of invalid runes could join into a valid one
		return true
	}
	b := reversedBufs.Get().(*[]byte)
	*b = appendReversed((*b)[:0], s)
	can := c.ending.Match(*b)
	reversedBufs.Put(b)
	return can
}

// reversedBufs keeps the buffers canEnd reverses its inputs into.
var reversedBufs = sync.Pool{New: func() any { return new([]byte) }}

// reversed returns an expression that matches the reverse of each string re matches:
// concatenations and literals read backwards, the text's start and end swap. Word
// boundaries look at both sides and stay.
func reversed(re *syntax.Regexp) *syntax.Regexp {
	out := *re
	out.Sub = nil
	for _, s := range re.Sub {
		out.Sub = append(out.Sub, reversed(s))
	}
	switch re.Op {
	case syntax.OpConcat:
		slices.Reverse(out.Sub)
	case syntax.OpLiteral:
		out.Rune = slices.Clone(re.Rune)
		slices.Reverse(out.Rune)
	case syntax.OpBeginText:
		out.Op = syntax.OpEndText
	case syntax.OpEndText:
		out.Op = syntax.OpBeginText
	case syntax.OpBeginLine:
		out.Op = syntax.OpEndLine
	case syntax.OpEndLine:
		out.Op = syntax.OpBeginLine
	}
	return &out
}

// appendReversed appends s with its runes in reverse order to b.
func appendReversed(b []byte, s string) []byte {
	n := len(b)
	b = append(b, s...)
	out := b[n:]
	for i := 0; i < len(s); {
		_, w := utf8.DecodeRuneInString(s[i:])
		copy(out[len(s)-i-w:], s[i:i+w])
		i += w
	}
	return b
}

// starter finds where matches may start.
type starter interface {
	at(s string, p int) bool // a match may start at p
	// nextIn returns the first such position at or after p, or -1; sw, if not nil,
	// holds the word starts of s.
	nextIn(sw *sentenceWords, s string, p int) int
}

type startFunc func(s string, p int) bool

func (f startFunc) at(s string, p int) bool { return p < len(s) && f(s, p) }

func (f startFunc) nextIn(_ *sentenceWords, s string, p int) int {
	for ; p < len(s); p++ {
		if f(s, p) {
			return p
		}
	}
	return -1
}

func (c *cue) String() string { return c.re.String() }

// lowerWords returns s lower-cased for looking for ASCII words in it: what
// strings.ToLower(s) gives, as far as ASCII words can tell. Only two runes lower-case
// into ASCII, the Kelvin sign and the dotted capital I (TestLowerWordsIsToLowerForWords);
// text holding either goes through strings.ToLower. The rest is much cheaper on text
// that is not all ASCII, which reporting rarely is (’, “, ”).
func lowerWords(s string) string {
	if !trusted(s) || strings.ContainsRune(s, '\u0130') {
		return strings.ToLower(s)
	}
	return asciiLower(s)
}

// trusted reports whether the ASCII-folding gates hold for s: it holds no Kelvin sign
// and no long s.
func trusted(s string) bool {
	return !holdsRune(s, "\u017f") && !holdsRune(s, "\u212a")
}

// holdsRune reports whether s holds r, a rune of two bytes or more written out: its
// first byte is looked for (the typographic quotes and dashes share the Kelvin sign's),
// then the rest. strings.ContainsRune encodes the rune anew at each call.
func holdsRune(s, r string) bool {
	for i := strings.IndexByte(s, r[0]); i >= 0; {
		if strings.HasPrefix(s[i:], r) {
			return true
		}
		j := strings.IndexByte(s[i+1:], r[0])
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// MatchString is regexp.MatchString.
func (c *cue) MatchString(s string) bool { return c.match(s, nil) }

// match is MatchString; sw, if not nil, holds the word starts of s.
func (c *cue) match(s string, sw *sentenceWords) bool {
	trust := sw.trust(s)
	switch {
	case !trust:
	case c.run != nil:
		if m, ok := c.run.match(s); ok {
			return m
		}
	case c.begin:
		if (c.starts != nil && !c.starts.at(s, 0)) || (c.needs != nil && c.needs.nextIn(sw, s, 0) < 0) || !c.holdsMore(sw, s) {
			return false
		}
	case c.starts != nil:
		need := -1
		if c.needsFirst || c.needs != nil && sw.answers(c.needs, s) {
			// A loose start condition costs more than the words, and the index tells at
			// once whether they occur: look for them first.
			if need = c.needs.nextIn(sw, s, 0); need < 0 || !c.holdsMore(sw, s) {
				return false
			}
		}
		p := c.starts.nextIn(sw, s, 0)
		if p >= 0 && !c.holdsMore(sw, s) {
			return false
		}
		for ; p >= 0 && c.needed(sw, s, p, &need); p = c.starts.nextIn(sw, s, p+1) {
			m, ok := c.matchAt(s, p, sw)
			if !ok {
				return c.reMatch(s, trust, sw)
			}
			if m {
				return true
			}
		}
		return false
	case c.needs != nil && c.needs.nextIn(sw, s, 0) < 0, !c.holdsMore(sw, s):
		return false
	}
	if c.begin {
		s = s[:c.bound(s, 0, len(s))]
	}
	return c.reMatch(s, trust, sw)
}

// FindStringIndex is regexp.FindStringIndex.
func (c *cue) FindStringIndex(s string) []int {
	if m := c.FindAllStringSubmatchIndex(s, 1); m != nil {
		return m[0][:2]
	}
	return nil
}

// FindStringSubmatchIndex is regexp.FindStringSubmatchIndex.
func (c *cue) FindStringSubmatchIndex(s string) []int {
	if m := c.FindAllStringSubmatchIndex(s, 1); m != nil {
		return m[0]
	}
	return nil
}

// FindString is regexp.FindString.
func (c *cue) FindString(s string) string {
	if m := c.FindStringIndex(s); m != nil {
		return s[m[0]:m[1]]
	}
	return ""
}

// FindStringSubmatch is regexp.FindStringSubmatch.
func (c *cue) FindStringSubmatch(s string) []string {
	m := c.FindStringSubmatchIndex(s)
	if m == nil {
		return nil
	}
	out := make([]string, len(m)/2)
	for i := range out {
		if m[2*i] >= 0 {
			out[i] = s[m[2*i]:m[2*i+1]]
		}
	}
	return out
}

// FindAllString is regexp.FindAllString.
func (c *cue) FindAllString(s string, n int) []string {
	var out []string
	for _, m := range c.FindAllStringIndex(s, n) {
		out = append(out, s[m[0]:m[1]])
	}
	return out
}

// FindAllStringIndex is regexp.FindAllStringIndex.
func (c *cue) FindAllStringIndex(s string, n int) [][]int {
	all := c.FindAllStringSubmatchIndex(s, n)
	for i, m := range all {
		all[i] = m[:2]
	}
	return all
}

// FindAllStringSubmatchIndex is regexp.FindAllStringSubmatchIndex.
func (c *cue) FindAllStringSubmatchIndex(s string, n int) [][]int { return c.findAll(s, n, nil) }

// findAll is FindAllStringSubmatchIndex; sw, if not nil, holds the word starts of s.
func (c *cue) findAll(s string, n int, sw *sentenceWords) [][]int {
	trust := sw.trust(s)
	switch {
	case !trust:
	case c.run != nil:
		if m, ok := c.run.match(s); ok && !m {
			return nil
		}
	case c.begin:
		if (c.starts != nil && !c.starts.at(s, 0)) || (c.needs != nil && c.needs.nextIn(sw, s, 0) < 0) || !c.holdsMore(sw, s) {
			return nil
		}
	case c.starts != nil:
		// Every match starts at a listed word, and none is empty: the leftmost match at
		// or after pos is the first that an anchored run finds from the words in order.
		var out [][]int
		need := -1
		if c.needsFirst || c.needs != nil && sw.answers(c.needs, s) {
			// A loose start condition costs more than the words, and the index tells at
			// once whether they occur: look for them first.
			if need = c.needs.nextIn(sw, s, 0); need < 0 || !c.holdsMore(sw, s) {
				return nil
			}
		}
		p := c.starts.nextIn(sw, s, 0)
		if p >= 0 && !c.holdsMore(sw, s) {
			return nil
		}
		for p >= 0 && c.needed(sw, s, p, &need) && (n < 0 || len(out) < n) {
			m, ok := c.submatchAt(s, p, sw)
			if !ok {
				return c.reFindAll(s, n, trust, sw)
			}
			if m == nil {
				p = c.starts.nextIn(sw, s, p+1)
				continue
			}
			out = append(out, m)
			p = c.starts.nextIn(sw, s, m[1])
		}
		return out
	case c.needs != nil && c.needs.nextIn(sw, s, 0) < 0, !c.holdsMore(sw, s):
		return nil
	}
	if c.begin {
		s = s[:c.bound(s, 0, len(s))]
	}
	return c.reFindAll(s, n, trust, sw)
}

// holdsMore reports whether s holds a word of each of c.more; sw, if not nil, holds
// the words of s.
func (c *cue) holdsMore(sw *sentenceWords, s string) bool {
	for _, l := range c.more {
		if l.nextIn(sw, s, 0) < 0 {
			return false
		}
	}
	return true
}

// needed reports whether a match could start at p: it holds one of the needed words,
// so one occurs at or after p. *at caches where the last search found one. sw, if not
// nil, holds the words of s.
func (c *cue) needed(sw *sentenceWords, s string, p int, at *int) bool {
	if c.needs == nil || !c.needsMore || p <= *at {
		return true
	}
	*at = c.needs.nextIn(sw, s, p)
	return *at >= 0
}

// window returns the part of s an anchored run from p needs: the longest match and
// one rune after it, for the assertions that look ahead.
func (c *cue) window(s string, p int) string {
	end := len(s)
	if c.maxLen >= 0 && p+c.maxLen+utf8.UTFMax < end {
		end = p + c.maxLen + utf8.UTFMax
	}
	return s[:c.bound(s, p, end)]
}

// bound returns where the input of a run from p may end, at most end: right after the
// first byte from p on that no match can hold (a stop, or a space past the most a match
// holds). Every match from p ends before that byte, and reads it at most, as the
// assertions after a match do; the run on s[:bound] finds what it finds on s, the
// backtracker's bitset sized by the shorter input.
func (c *cue) bound(s string, p, end int) int {
	if c.stops == nil {
		return end
	}
	stops, spaces := c.stops, c.spaces
	for q := p; q < end; q++ {
		switch b := s[q]; {
		case stops[b]:
			return q + 1
		case b == ' ' && spaces >= 0:
			if spaces == 0 {
				return q + 1
			}
			spaces--
		}
	}
	return end
}

// boundingBytes reads from an expression the ASCII bytes that no match holds, other
// than letters (which case folding reads in either case), and how many spaces a match
// holds at most, -1 if unbounded. stops is nil when neither bounds a match.
func boundingBytes(re *syntax.Regexp) (stops *[256]bool, spaces int) {
	var t [256]bool
	any := false
	for b := rune(0); b < utf8.RuneSelf; b++ {
		if !isASCIILetter(b) && maxCount(re, b) == 0 {
			t[b], any = true, true
		}
	}
	spaces = maxCount(re, ' ')
	if !any && spaces < 0 {
		return nil, -1
	}
	return &t, spaces
}

// anyRune asks maxCount for every rune: how long a match can be.
const anyRune = -1

// maxCount returns how many times the non-letter ASCII rune x, or with anyRune any
// rune, occurs at most in a match of re, or -1 when that has no bound.
func maxCount(re *syntax.Regexp, x rune) int {
	switch re.Op {
	case syntax.OpLiteral:
		if x == anyRune {
			return len(re.Rune)
		}
		n := 0
		for _, r := range re.Rune {
			if r == x {
				n++
			}
		}
		return n
	case syntax.OpCharClass:
		if x == anyRune || inClass(x, re.Rune) {
			return 1
		}
		return 0
	case syntax.OpAnyCharNotNL:
		if x == '\n' {
			return 0
		}
		return 1
	case syntax.OpAnyChar:
		return 1
	case syntax.OpCapture, syntax.OpQuest:
		return maxCount(re.Sub[0], x)
	case syntax.OpStar, syntax.OpPlus:
		if maxCount(re.Sub[0], x) == 0 {
			return 0
		}
		return -1
	case syntax.OpRepeat:
		n := maxCount(re.Sub[0], x)
		if n == 0 {
			return 0
		}
		if n < 0 || re.Max < 0 {
			return -1
		}
		return n * re.Max
	case syntax.OpConcat, syntax.OpAlternate:
		total := 0
		for _, s := range re.Sub {
			n := maxCount(s, x)
			if n < 0 {
				return -1
			}
			if re.Op == syntax.OpConcat {
				total += n
			} else {
				total = max(total, n)
			}
		}
		return total
	}
	return 0 // empty-width assertions, the empty match, no match
}

// matchAt reports whether a match starts at p. The anchored run keeps the rune before
// p, so \b and \B read the same context as a search over all of s. s is trusted; sw,
// if not nil, holds the words of the sentence s starts.
func (c *cue) matchAt(s string, p int, sw *sentenceWords) (matched, ok bool) {
	if c.choice != nil {
		return c.choice.at(s, p) >= 0, true
	}
	s = c.window(s, p)
	re, from, ok := c.anchored(s, p)
	if !ok || re == nil {
		return false, ok
	}
	if c.lowAt0 == nil {
		return re.MatchString(s[from:]), true
	}
	if low := sw.loweredOf(s); low != "" {
		return re.MatchString(low[from:]), true
	}
	b := lowered(s[from:])
	matched = re.Match(*b)
	lowBufs.Put(b)
	return matched, true
}

// submatchAt returns the match that starts at p with its submatches, or nil; ok is
// false when the anchored run cannot be set up and the caller must search all of s.
func (c *cue) submatchAt(s string, p int, sw *sentenceWords) (m []int, ok bool) {
	if c.choice != nil {
		e := c.choice.at(s, p)
		switch {
		case e < 0:
			return nil, true
		case c.choice.capture:
			return []int{p, e, p, e}, true
		}
		return []int{p, e}, true
	}
	w := c.window(s, p)
	re, from, ok := c.anchored(w, p)
	if !ok || re == nil {
		return nil, ok
	}
	if c.lowAt0 == nil {
		m = re.FindStringSubmatchIndex(w[from:])
	} else {
		if low := sw.loweredOf(w); low != "" {
			m = re.FindStringSubmatchIndex(low[from:])
		} else {
			b := lowered(w[from:])
			m = re.FindSubmatchIndex(*b)
			lowBufs.Put(b)
		}
	}
	if p == 0 || m == nil {
		return m, true
	}
	for i := range m {
		if m[i] >= 0 {
			m[i] += from
		}
	}
	m[0] = p
	return m, true
}

// anchored returns the expression a run from p of s uses (at0 or atN, lowAt0 or
// lowAtN for caseless cues), cut to the branches that may start at p, and where its
// input starts: the rune before p, for the context \b reads. re is nil when no branch
// may start at p; ok is false when the run cannot be set up.
func (c *cue) anchored(s string, p int) (re *regexp.Regexp, from int, ok bool) {
	kind := 0 // see branchCut.run
	if p > 0 {
		if kind, from = 1, leadStart(s, p); from < 0 {
			return nil, 0, false
		}
	}
	if c.lowAt0 != nil {
		kind += 2
	}
	whole := [4]*regexp.Regexp{c.at0, c.atN, c.lowAt0, c.lowAtN}[kind]
	if c.cut == nil {
		return whole, from, true
	}
	switch kept := c.cut.kept(s, p); kept {
	case 0:
		return nil, from, true
	case c.cut.all:
	default:
		if re := c.cut.run(kept, kind); re != nil {
			return re, from, true
		}
	}
	return whole, from, true
}

// leadStart returns where the rune before p starts, so that a run from there reads
// that one rune and then starts at p.
func leadStart(s string, p int) int {
	_, w := utf8.DecodeLastRuneInString(s[:p])
	if _, fw := utf8.DecodeRuneInString(s[p-w:]); fw != w {
		// Cannot happen: a literal starts at p, so p starts a rune, and the rune
		// before it decodes the same both ways.
		return -1
	}
	return p - w
}

// litSet finds where any of a set of words occurs, ASCII letters matched in either case.
type litSet struct {
	lits   []string    // lower-cased, as bytes
	first  [256]bool   // bytes, in either case, that start a word
	single [256]bool   // one-byte words
	pair   [64]uint64  // bit pairKey(a, b): some longer word starts with a, b
	byPair [4096]uint8 // longer words by pairKey of their first two bytes: 1 + index in buckets
	bucket [][]string
	// wordStart: only positions not preceded by an ASCII word byte count (the cue starts
	// with \b and every word with a word byte).
	wordStart bool
	idx       int // 1 + the set's number in the word index (see wordIndex); 0 none
}

func newLitSet(lits []string) *litSet {
	l := &litSet{lits: lits}
	for _, w := range lits {
		l.first[w[0]] = true
		l.first[upperASCII(w[0])] = true
		if len(w) == 1 {
			l.single[w[0]] = true
			continue
		}
		k := pairKey(w[0], w[1])
		l.pair[k>>6] |= 1 << (k & 63)
		if l.byPair[k] == 0 {
			if len(l.bucket) == 255 {
				panic("extract: too many word pairs in a cue")
			}
			l.bucket = append(l.bucket, nil)
			l.byPair[k] = uint8(len(l.bucket))
		}
		l.bucket[l.byPair[k]-1] = append(l.bucket[l.byPair[k]-1], w)
	}
	register(l)
	return l
}

var lower = func() (t [256]byte) {
	for b := range t {
		t[b] = lowerASCII(byte(b))
	}
	return t
}()

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// isASCIIWord is \w as regexp's \b reads it.
func isASCIIWord(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_'
}

var asciiWord = func() (t [256]bool) {
	for b := range t {
		t[b] = isASCIIWord(byte(b))
	}
	return t
}()

func pairKey(a, b byte) uint { return uint(a&63)<<6 | uint(b&63) }

// at reports whether a word occurs at p.
func (l *litSet) at(s string, p int) bool {
	if p >= len(s) || !l.first[s[p]] {
		return false
	}
	return l.rest(s, p)
}

// rest is at for a position whose first byte starts a word.
func (l *litSet) rest(s string, p int) bool {
	b := lower[s[p]]
	if l.single[b] {
		return true
	}
	if p+1 >= len(s) {
		return false
	}
	k := pairKey(b, lower[s[p+1]])
	if l.pair[k>>6]&(1<<(k&63)) == 0 {
		return false
	}
	for _, w := range l.bucket[l.byPair[k]-1] {
		if hasPrefixFold(s[p:], w) {
			return true
		}
	}
	return false
}

// nextIn is next; sw, if not nil, holds the words of a sentence. When s is that
// sentence, the answer is read from where its words occur (see wordIndex), or for a
// set of wordStart words, found among its word starts only.
func (l *litSet) nextIn(sw *sentenceWords, s string, p int) int {
	if sw.answers(l, s) {
		return sw.find(l, p)
	}
	if sw == nil || !l.wordStart || s != sw.text {
		return l.next(s, p)
	}
	lo, hi := 0, len(sw.starts) // sort.Search, without a call per step
	for lo < hi {
		if m := int(uint(lo+hi) >> 1); int(sw.starts[m]) < p {
			lo = m + 1
		} else {
			hi = m
		}
	}
	starts := sw.starts[lo:]
	for _, q := range starts {
		if l.first[s[q]] && l.rest(s, int(q)) {
			return int(q)
		}
	}
	return -1
}

// sentenceWords lists where the words of a sentence start (where \b holds before a
// word byte): the only positions the many cues that start with \b need to try, found
// once for all of them.
type sentenceWords struct {
	text    string
	starts  []int32
	trusted bool   // trusted(s), read once
	spaced  bool   // no white space of s but single spaces, read once
	lower   string // lowerWords(s)
	// lowerSame: lower is text with ASCII letters lower-cased, byte for byte, which the
	// word sets read the same as text.
	lowerSame bool
	// Where the words of every litSet occur in text (see wordIndex), and the sets that
	// occur, as a bitset over their numbers; ix is nil when not read.
	ix   *wordIndex
	occ  []wordAt
	sets []uint64
}

// lowerOf returns lowerWords(s), read once per sentence when sw holds its words.
func (sw *sentenceWords) lowerOf(s string) string {
	if sw == nil {
		return lowerWords(s)
	}
	return sw.lower
}

// trust is trusted(s), read once per sentence when sw holds its words.
func (sw *sentenceWords) trust(s string) bool {
	if sw == nil {
		return trusted(s)
	}
	return sw.trusted
}

// wordsOf reads the word starts of s, and in the same pass what trusted and lowerWords
// say of it: most sentences hold none of the three runes those look for.
func wordsOf(s string) *sentenceWords {
	sw := new(sentenceWords)
	sw.read(s, "", nil)
	return sw
}

// holds reports whether a word of l occurs in s; sw, if not nil, holds the words of a
// sentence, and s may be that sentence or its lowerOf.
func (l *litSet) holds(sw *sentenceWords, s string) bool { return l.nextIn(sw, s, 0) >= 0 }

// read is wordsOf into sw. low, if not empty, is s lower-cased through the ASCII table
// (a part of its document's, lower-cased once); room, if not nil, holds the buffers
// shared by the document's sentences that the word starts and occurrences go to.
func (sw *sentenceWords) read(s, low string, room *wordsRoom) {
	var starts []int32
	var occ []wordAt
	if room != nil {
		starts, occ = room.starts[len(room.starts):len(room.starts):cap(room.starts)], room.occ[len(room.occ):len(room.occ):cap(room.occ)]
	} else {
		starts = make([]int32, 0, len(s)/4)
	}
	var b strings.Builder
	if low == "" {
		b.Grow(len(s))
	}
	plain := true // s holds no Kelvin sign, long s or dotted capital I
	inWord := false
	spaced := true // no tab, line break, form feed or two spaces in a row
	for p := 0; p < len(s); p++ {
		c := s[p]
		if c <= ' ' && (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == ' ' && p > 0 && s[p-1] == ' ') {
			spaced = false
		}
		if w := asciiWord[c]; w != inWord {
			if w {
				starts = append(starts, int32(p))
			}
			inWord = w
		}
		if c >= 0xc4 && (c == 0xe2 || c == 0xc5 || c == 0xc4) && (strings.HasPrefix(s[p:], "\u212a") || strings.HasPrefix(s[p:], "\u017f") || strings.HasPrefix(s[p:], "\u0130")) {
			plain = false
		}
		if low == "" {
			b.WriteByte(lower[c])
		}
	}
	sw.text, sw.starts, sw.spaced = s, starts, spaced
	if plain {
		if low == "" {
			low = b.String()
		}
		sw.trusted, sw.lower, sw.lowerSame = true, low, true // what trusted and lowerWords return
	} else {
		sw.trusted, sw.lower = trusted(s), lowerWords(s)
	}
	ix := theWordIndex()
	sw.index(ix, s, occ, room.takeSets(ix.stride))
	if room != nil {
		// What fitted in the shared buffers stays there; the next sentence's follow.
		if len(room.starts)+len(sw.starts) <= cap(room.starts) {
			room.starts = room.starts[:len(room.starts)+len(sw.starts)]
		}
		if len(room.occ)+len(sw.occ) <= cap(room.occ) {
			room.occ = room.occ[:len(room.occ)+len(sw.occ)]
		}
	}
}

// next returns the first position at or after p where a word occurs, or -1. It is rest
// written out, so that most positions cost a few table reads and no call.
func (l *litSet) next(s string, p int) int {
	first, wordStart := &l.first, l.wordStart
	for ; p < len(s); p++ {
		c := s[p]
		if !first[c] || (wordStart && p > 0 && asciiWord[s[p-1]]) {
			continue
		}
		b := lower[c]
		if l.single[b] {
			return p
		}
		if p+1 == len(s) {
			continue
		}
		k := pairKey(b, lower[s[p+1]])
		if l.pair[k>>6]&(1<<(k&63)) == 0 {
			continue
		}
		for _, w := range l.bucket[l.byPair[k]-1] {
			if hasPrefixFold(s[p:], w) {
				return p
			}
		}
	}
	return -1
}

// hasPrefixFold reports whether s starts with the lower-case word w, ASCII letters in
// either case.
func hasPrefixFold(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if lower[s[i]] != w[i] {
			return false
		}
	}
	return true
}

// lits is what the syntax of an expression says about the words its matches hold.
// Nil means nothing is known.
type lits struct {
	exact    []string // every string the expression matches, when few
	pre      []string // every match starts with one of these
	req      []string // every match contains one of these
	opt      []string // every non-empty match starts with one of these
	nullable bool     // the expression may match the empty string
}

const maxLits = 256

// analyze reads lits from a parsed expression. It must never claim more than holds:
// a word in pre or req that a match could lack would make a gate skip that match.
func analyze(re *syntax.Regexp) lits {
	var l lits
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		l.exact = []string{""}
	case syntax.OpLiteral:
		if w, ok := literalWord(re.Rune, re.Flags&syntax.FoldCase != 0); ok {
			l.exact = []string{w}
		}
	case syntax.OpCharClass:
		l.exact = classWords(re.Rune)
	case syntax.OpCapture:
		return analyze(re.Sub[0])
	case syntax.OpStar, syntax.OpQuest:
		sub := analyze(re.Sub[0])
		l.nullable, l.opt = true, sub.opt
		if re.Op == syntax.OpQuest && sub.exact != nil {
			l.exact = union(sub.exact, []string{""})
		}
		return l
	case syntax.OpPlus:
		sub := analyze(re.Sub[0])
		return lits{pre: sub.pre, req: sub.req, opt: sub.opt, nullable: sub.nullable}
	case syntax.OpRepeat:
		sub := analyze(re.Sub[0])
		switch {
		case re.Min == 1 && re.Max == 1:
			return sub
		case re.Min == 0:
			l.nullable, l.opt = true, sub.opt
			if re.Max == 1 && sub.exact != nil {
				l.exact = union(sub.exact, []string{""})
			}
			return l
		}
		return lits{pre: sub.pre, req: sub.req, opt: sub.opt, nullable: sub.nullable}
	case syntax.OpAlternate:
		subs := make([]lits, len(re.Sub))
		for i, s := range re.Sub {
			subs[i] = analyze(s)
		}
		l = alternate(subs)
		return l
	case syntax.OpConcat:
		var subs []lits
		for _, s := range re.Sub {
			switch {
			case s.Op == syntax.OpPlus:
				// x+ is x x*: the words x starts with extend into what follows.
				subs = append(subs, analyze(s.Sub[0]), analyze(&syntax.Regexp{Op: syntax.OpStar, Flags: s.Flags, Sub: s.Sub}))
				continue
			case s.Op == syntax.OpRepeat && s.Min >= 1 && (s.Max > 1 || s.Max == -1):
				// x{n,m} is x x{n-1,m-1}.
				rest := &syntax.Regexp{Op: syntax.OpRepeat, Flags: s.Flags, Sub: s.Sub, Min: s.Min - 1, Max: s.Max}
				if s.Max > 0 {
					rest.Max = s.Max - 1
				}
				subs = append(subs, analyze(s.Sub[0]), analyze(rest))
				continue
			}
			subs = append(subs, analyze(s))
		}
		return concat(subs)
	default: // any character, no match
		return l
	}
	return fromExact(l.exact)
}

// fromExact fills in what an exact set implies.
func fromExact(exact []string) lits {
	l := lits{exact: exact}
	if exact == nil {
		return l
	}
	if slices.Contains(exact, "") {
		l.nullable = true
		l.opt = slices.DeleteFunc(slices.Clone(exact), func(s string) bool { return s == "" })
		if len(l.opt) == 0 {
			l.opt = nil
		}
		return l
	}
	l.pre, l.req, l.opt = exact, exact, exact
	return l
}

func alternate(subs []lits) lits {
	var l lits
	exact, pre, req, opt := []string{}, []string{}, []string{}, []string{}
	for _, s := range subs {
		l.nullable = l.nullable || s.nullable
		exact = unionOrNil(exact, s.exact)
		pre = shrink(unionAll(pre, s.pre))
		req = shrink(unionAll(req, s.req))
		opt = shrink(unionAll(opt, s.opt))
	}
	if exact != nil {
		return fromExact(exact)
	}
	l.opt = opt
	if !l.nullable {
		l.pre, l.req = pre, req
	}
	return l
}

func concat(subs []lits) lits {
	exact := []string{""}
	for _, s := range subs {
		exact = cross(exact, s.exact)
	}
	if exact != nil {
		return fromExact(exact)
	}
	var l lits
	l.nullable = true
	for _, s := range subs {
		l.nullable = l.nullable && s.nullable
	}
	if l.nullable {
		return l // no word is certain
	}
	l.pre = prefixes(subs)
	l.opt = l.pre
	// Any part's required words are the whole's; so are runs of exact parts, joined.
	cands := [][]string{l.pre}
	run := []string{""}
	for _, s := range subs {
		if s.exact != nil {
			if next := cross(run, s.exact); next != nil {
				run = next
				continue
			}
		}
		cands = append(cands, run, s.req)
		run = []string{""}
		if s.exact != nil {
			run = s.exact
		}
	}
	cands = append(cands, run)
	for _, c := range cands {
		if c != nil && !slices.Contains(c, "") && (l.req == nil || better(c, l.req)) {
			l.req = c
		}
	}
	return l
}

// prefixes returns the words every match of the concatenation subs starts with.
func prefixes(subs []lits) []string {
	if len(subs) == 0 {
		return []string{""}
	}
	s := subs[0]
	var out []string
	switch {
	case s.exact != nil:
		rest := prefixes(subs[1:])
		out = shrink(crossAll(s.exact, rest))
		if out == nil && !slices.Contains(s.exact, "") {
			out = shrink(s.exact)
		}
	case s.nullable:
		if s.opt == nil {
			return nil
		}
		out = shrink(unionAll(s.opt, prefixes(subs[1:])))
	default:
		out = s.pre
	}
	return out
}

// shrink cuts the words of a prefix or required set until few remain: a prefix of a
// word every match starts with is still one, and a part of a required word is still
// required. Nil when even one-byte words are too many.
func shrink(set []string) []string {
	if set == nil || len(set) <= maxLits {
		return set
	}
	longest := 0
	for _, w := range set {
		longest = max(longest, len(w))
	}
	for n := longest - 1; n >= 1; n-- {
		cut := make([]string, len(set))
		for i, w := range set {
			cut[i] = w[:min(n, len(w))]
		}
		if cut = union(cut, nil); len(cut) <= maxLits {
			return cut
		}
	}
	return nil
}

// crossAll is cross without the size limit, for sets that shrink will cut.
func crossAll(a, b []string) []string {
	if a == nil || b == nil || len(a)*len(b) > 64*maxLits {
		return nil
	}
	var out []string
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return union(out, nil)
}

func unionAll(a, b []string) []string {
	if a == nil || b == nil {
		return nil
	}
	return union(a, b)
}

// better prefers the set whose shortest word is longer, then the smaller set.
func better(a, b []string) bool {
	if ma, mb := minLen(a), minLen(b); ma != mb {
		return ma > mb
	}
	return len(a) < len(b)
}

func minLen(set []string) int {
	m := math.MaxInt
	for _, s := range set {
		m = min(m, len(s))
	}
	return m
}

// cross returns every a+b, or nil when either is unknown or the product is too large.
func cross(a, b []string) []string {
	if a == nil || b == nil || len(a)*len(b) > maxLits {
		return nil
	}
	var out []string
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return union(out, nil)
}

func union(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

func unionOrNil(a, b []string) []string {
	if a == nil || b == nil {
		return nil
	}
	out := union(a, b)
	if len(out) > maxLits {
		return nil
	}
	return out
}

// literalWord spells a literal as the gates compare it: ASCII letters in lower case.
// A case-insensitive non-ASCII letter has other spellings, so it makes the literal
// unknown; so does U+FFFD, which also matches invalid UTF-8.
func literalWord(runes []rune, fold bool) (string, bool) {
	var b strings.Builder
	for _, r := range runes {
		switch {
		case r == utf8.RuneError:
			return "", false
		case r < utf8.RuneSelf:
			b.WriteByte(lowerASCII(byte(r)))
		case fold && unicode.SimpleFold(r) != r:
			return "", false
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), true
}

// classWords lists a small character class as one-rune words.
func classWords(ranges []rune) []string {
	n := 0
	for i := 0; i < len(ranges); i += 2 {
		n += int(ranges[i+1]-ranges[i]) + 1
		if n > maxLits {
			return nil
		}
	}
	var out []string
	for i := 0; i < len(ranges); i += 2 {
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			if r == utf8.RuneError || r > unicode.MaxRune {
				return nil
			}
			w, _ := literalWord([]rune{r}, false)
			out = append(out, w)
		}
	}
	return union(out, nil)
}

// startsWithBeginText reports whether every match must start at the input's start.
func startsWithBeginText(re *syntax.Regexp) bool {
	for {
		switch re.Op {
		case syntax.OpBeginText:
			return true
		case syntax.OpCapture, syntax.OpConcat:
			if len(re.Sub) == 0 {
				return false
			}
			re = re.Sub[0]
		default:
			return false
		}
	}
}

// leadsWithBoundary reports whether every match starts with \b.
func leadsWithBoundary(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpWordBoundary:
		return true
	case syntax.OpCapture, syntax.OpConcat:
		return len(re.Sub) > 0 && leadsWithBoundary(re.Sub[0])
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if !leadsWithBoundary(s) {
				return false
			}
		}
		return true
	}
	return false
}

// maxRunes returns the most runes a match can hold, or -1 when unbounded.
func maxRunes(re *syntax.Regexp) int { return maxCount(re, anyRune) }

// affAdjWords are the words affAdjRE is made of, split at its spaces and hyphens, and
// the "s" of a possessive it may open with.
var affAdjWords = []string{"state", "government", "regime", "military", "intelligence", "sponsored", "backed", "linked",
	"affiliated", "aligned", "controlled", "run", "directed", "funded", "nexus", "notorious", "infamous", "prolific",
	"elite", "cyber", "hacking", "hacker", "threat", "apt", "advanced", "persistent", "espionage", "cyberespionage",
	"crypto", "stealing", "ransomware", "spy", "spying", "group", "groups", "unit", "units", "actor", "actors", "crew",
	"gang", "outfit", "team", "collective", "cluster", "hackers", "operators", "operatives", "known", "as", "dubbed",
	"called", "tracked", "named", "such", "including", "like", "the", "a", "an", "s"}

// affAdjMay reports whether affAdjRE may match gap. The expression must match all of
// the gap, and it is made of its words, white space, hyphens, commas and apostrophes
// only: a gap holding anything else (a digit, a full stop) or a run of letters that is
// not its words strung together ("cooperation") cannot match. affiliations asks once
// per actor, with the text since the mention before it, which can be most of a
// sentence; the regexp is too large for the backtracker on such gaps.
// TestAffAdjMayGatesAffAdj and FuzzHandWrittenGates pin this to the expression.
func affAdjMay(gap string) bool {
	if !trusted(gap) {
		return true
	}
	for i := 0; i < len(gap); {
		switch c := gap[i]; {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			j := i
			for j < len(gap) && ('a' <= gap[j] && gap[j] <= 'z' || 'A' <= gap[j] && gap[j] <= 'Z') {
				j++
			}
			if !madeOf(gap[i:j], affAdjWords) {
				return false
			}
			i = j
		case c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\'' || c == '-' || c == ',':
			i++
		case strings.HasPrefix(gap[i:], "’"):
			i += len("’")
		default:
			return false
		}
	}
	return true
}

// affAdjLeadOnly reports whether gap is made only of what affAdjRE may open with (white
// space, apostrophes, hyphens and the "s" of a possessive), all of which it matches:
// most actors stand right after the state that qualifies them ("North Korea's Lazarus").
// TestAffAdjMayGatesAffAdj pins this to the expression.
func affAdjLeadOnly(gap string) bool {
	for _, c := range gap {
		switch c {
		case ' ', '\t', '\n', '\f', '\r', '\'', '’', 's', 'S', '\u017f', '-':
		default:
			return false
		}
	}
	return true
}

// madeOf reports whether the letters w are words of the list, lower case, strung
// together, ASCII letters in either case.
func madeOf(w string, words []string) bool {
	if len(w) >= 64 {
		return true // too long to track; the regexp decides
	}
	reach := uint64(1) // bit i: w[:i] is made of the words
	for i := 0; i < len(w); i++ {
		if reach&(1<<i) == 0 {
			continue
		}
		for _, word := range words {
			if hasPrefixFold(w[i:], word) {
				reach |= 1 << (i + len(word))
			}
		}
	}
	return reach&(1<<len(w)) != 0
}

// victimVerbMay reports whether victimVerbRE may match s: after white space, its matches
// go on with a comma, or with "was", "were", "has", "had", "got", "is" or "are"
// (victimVerbs) and white space. capPhrases asks once per capitalised phrase, with the
// rest of the sentence, and most phrases go on otherwise ("and", "in", "with", "is a").
// TestVictimVerbMayGatesVictimVerb and FuzzHandWrittenGates pin this to the expression.
func victimVerbMay(s string) bool {
	i := 0
	for i < len(s) && reSpace(s[i]) {
		i++
	}
	if i < len(s) && s[i] == ',' {
		return true
	}
	j := i
	for j < len(s) && !reSpace(s[j]) {
		j++
	}
	if j == len(s) || i == j {
		return false
	}
	if strings.Contains(s[i:j], "\u017f") {
		return true // (?i) reads ſ as s: leave it to the regexp
	}
	return slices.ContainsFunc(victimVerbs, func(v string) bool { return len(v) == j-i && hasPrefixFold(s[i:j], v) })
}

// victimVerbs are the verbs victimVerbRE's matches start with, as single words.
var victimVerbs = []string{"was", "were", "has", "had", "got", "is", "are"}

// capPhraseLen returns the length of capPhraseRE's match at the start of s, or -1. The
// expression is a first word and up to four more, each after white space; nothing
// follows them, so the leftmost-first match takes, at each word, the first alternative
// that matches at all, each as long as it goes, and never goes back. capPhrases asks at
// every capitalised word, and the regexp's bookkeeping costs more than the phrase.
// TestCapPhraseLenIsCapPhrase and FuzzHandWrittenGates pin this to the expression.
func capPhraseLen(s string) int {
	n := capWordLen(s, false)
	if n < 0 {
		return -1
	}
	for range 4 {
		sp := n
		for sp < len(s) && (s[sp] == ' ' || s[sp] == '\t' || s[sp] == '\n' || s[sp] == '\f' || s[sp] == '\r') {
			sp++
		}
		if sp == n {
			break
		}
		w := capWordLen(s[sp:], true)
		if w < 0 {
			break
		}
		n = sp + w
	}
	return n
}

// capPhraseFollowers are the lower-case words capPhraseRE allows after its first word,
// in the expression's order; it does not require that they end a word.
var capPhraseFollowers = []string{"bridge", "network", "exchange", "protocol", "finance", "Finance", "wallet", "DEX", "chain", "of", "de", "and"}

// capWordLen returns the length of the word capPhraseRE's alternatives match at the
// start of s, or -1: [A-Z][\w.&'’-]*, [a-z]+[A-Z][\w.&-]*, \d+[A-Za-z][\w.&-]*, and
// after the first word capPhraseFollowers too.
func capWordLen(s string, follower bool) int {
	isLower := func(b byte) bool { return 'a' <= b && b <= 'z' }
	isUpper := func(b byte) bool { return 'A' <= b && b <= 'Z' }
	isDigit := func(b byte) bool { return '0' <= b && b <= '9' }
	// rest returns where a run of [\w.&-] (and ' and ’ when quotes) from p ends.
	rest := func(p int, quotes bool) int {
		for p < len(s) {
			switch c := s[p]; {
			case asciiWord[c] || c == '.' || c == '&' || c == '-' || quotes && c == '\'':
				p++
			case quotes && strings.HasPrefix(s[p:], "’"):
				p += len("’")
			default:
				return p
			}
		}
		return p
	}
	if len(s) == 0 {
		return -1
	}
	switch c := s[0]; {
	case isUpper(c):
		return rest(1, true)
	case isLower(c):
		i := 1
		for i < len(s) && isLower(s[i]) {
			i++
		}
		if i < len(s) && isUpper(s[i]) {
			return rest(i+1, false)
		}
	case isDigit(c):
		i := 1
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i < len(s) && (isUpper(s[i]) || isLower(s[i])) {
			return rest(i+1, false)
		}
	}
	if follower {
		for _, w := range capPhraseFollowers {
			if strings.HasPrefix(s, w) {
				return len(w)
			}
		}
	}
	return -1
}

// moreNeeds returns the word sets the parts of a concatenation require beyond the
// starting and required words newCue read (pre, req): a match holds what each of its
// parts matches. Only sets of words of four bytes or more, which prose holds rarely
// enough to pay for a scan, and none that a word of pre or req already holds, nor
// longer spellings of the starting words, which the search for those reads anyway.
func moreNeeds(tree *syntax.Regexp, pre, req []string) []*litSet {
	for tree.Op == syntax.OpCapture {
		tree = tree.Sub[0]
	}
	if tree.Op != syntax.OpConcat {
		return nil
	}
	var out []*litSet
	seen := [][]string{pre, req}
	for _, sub := range tree.Sub {
		words := analyze(sub).req
		if !selective(words) || minLen(words) < 4 {
			continue
		}
		words = minimal(compact(words), strings.Contains)
		if selective(pre) && implies(words, pre) || slices.ContainsFunc(seen, func(known []string) bool { return implies(known, words) }) {
			continue
		}
		seen = append(seen, words)
		out = append(out, newLitSet(words))
	}
	return out
}

// implies reports whether a text holding a word of known holds one of words: each
// known word holds one of them.
func implies(known, words []string) bool {
	return selective(known) && !slices.ContainsFunc(known, func(k string) bool {
		return !slices.ContainsFunc(words, func(w string) bool { return strings.Contains(k, w) })
	})
}

// A wordRun is an expression that matches all of its input: a run of one character
// class, then words of a small set, each followed by a run of another class,
// ^L*(?:(?:W)S*)*$ (affAdjRE). Whether it matches is whether the words can tile the
// input, which one pass over the input's positions answers; the regexp's backtracker
// tries every alternative at every position of its large program instead. The words
// compare ASCII letters in either case, which is what (?i) matches on trusted text.
type wordRun struct {
	lead, sep []rune        // character classes, as syntax.Regexp.Rune holds them
	words     [256][]string // the words, lower-cased, by first byte
}

// wordRunOf reads a wordRun from an expression, or returns nil.
func wordRunOf(tree *syntax.Regexp) *wordRun {
	if tree.Op != syntax.OpConcat || len(tree.Sub) != 4 || tree.Sub[0].Op != syntax.OpBeginText || tree.Sub[3].Op != syntax.OpEndText {
		return nil
	}
	lead, loop := tree.Sub[1], tree.Sub[2]
	if lead.Op != syntax.OpStar || lead.Sub[0].Op != syntax.OpCharClass || loop.Op != syntax.OpStar {
		return nil
	}
	body := loop.Sub[0]
	for body.Op == syntax.OpCapture {
		body = body.Sub[0]
	}
	if body.Op != syntax.OpConcat || len(body.Sub) < 2 {
		return nil
	}
	sep := body.Sub[len(body.Sub)-1]
	if sep.Op != syntax.OpStar || sep.Sub[0].Op != syntax.OpCharClass {
		return nil
	}
	words, ok := foldWords(&syntax.Regexp{Op: syntax.OpConcat, Sub: body.Sub[:len(body.Sub)-1]})
	if !ok || slices.Contains(words, "") {
		return nil
	}
	w := &wordRun{lead: lead.Sub[0].Rune, sep: sep.Sub[0].Rune}
	for _, word := range words {
		w.words[word[0]] = append(w.words[word[0]], word)
	}
	return w
}

// foldWords lists every string re matches, lower-cased, when they are few and their
// ASCII letters match in either case. On trusted text (see trusted) a string matches
// re exactly when it equals one of them, ASCII letters compared in either case. ok is
// false for any other expression.
func foldWords(re *syntax.Regexp) (words []string, ok bool) {
	const most = 1024
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpLiteral:
		fold := re.Flags&syntax.FoldCase != 0
		for _, r := range re.Rune {
			if !fold && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
				return nil, false // matches one case only
			}
		}
		w, ok := literalWord(re.Rune, fold)
		return []string{w}, ok
	case syntax.OpCharClass:
		var out []string
		for i := 0; i < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] >= most {
				return nil, false
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				switch {
				case r == '\u212a' || r == '\u017f':
					// Trusted text holds neither.
				case 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z':
					if !inClass(r^0x20, re.Rune) {
						return nil, false // one case only
					}
					out = append(out, string(rune(lowerASCII(byte(r)))))
				case r == utf8.RuneError || unicode.SimpleFold(r) != r:
					return nil, false
				default:
					out = append(out, string(r))
				}
			}
		}
		return union(out, nil), len(out) > 0
	case syntax.OpCapture:
		return foldWords(re.Sub[0])
	case syntax.OpQuest:
		sub, ok := foldWords(re.Sub[0])
		return union(sub, []string{""}), ok
	case syntax.OpConcat, syntax.OpAlternate:
		out := []string{""}
		if re.Op == syntax.OpAlternate {
			out = nil
		}
		for _, s := range re.Sub {
			sub, ok := foldWords(s)
			if !ok {
				return nil, false
			}
			if re.Op == syntax.OpAlternate {
				out = union(out, sub)
			} else if out = crossAll(out, sub); out == nil {
				return nil, false
			}
			if len(out) > most {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// match reports whether the expression matches all of s; ok is false when s is too
// long to track, or not trusted.
func (w *wordRun) match(s string) (matched, ok bool) {
	var reach [8]uint64 // bit p: s[:p] is the lead and whole words, each with its run
	if len(s) >= 64*len(reach) || !trusted(s) {
		return false, false
	}
	set := func(p int) { reach[p>>6] |= 1 << (p & 63) }
	skip := func(p int, class []rune) {
		set(p)
		for p < len(s) {
			r, n := utf8.DecodeRuneInString(s[p:])
			if !inClass(r, class) {
				return
			}
			p += n
			set(p)
		}
	}
	skip(0, w.lead)
	for p := 0; p < len(s); p++ {
		if reach[p>>6]&(1<<(p&63)) == 0 {
			continue
		}
		for _, word := range w.words[lower[s[p]]] {
			if hasPrefixFold(s[p:], word) {
				skip(p+len(word), w.sep)
			}
		}
	}
	return reach[len(s)>>6]&(1<<(len(s)&63)) != 0, true
}

// A wordChoice is an expression that matches one of a few words, with or without \b
// before and after them, the words captured as a whole or not:
// (?i)\b(hack|heist|...)\b. Where a match may start, the regexp's answer is the first
// word, in the expression's order of preference, that is there with its boundaries;
// finding it is a few byte comparisons, the regexp's anchored run a microsecond.
// Only consulted on trusted text (see trusted).
type wordChoice struct {
	words      []string // in the order the expression prefers them; lower-cased if fold
	fold       bool     // ASCII letters match in either case
	begin, end bool     // \b before, after the word
	capture    bool     // the word is group 1
}

// wordChoiceOf reads a wordChoice from an expression, or returns nil.
func wordChoiceOf(tree *syntax.Regexp) *wordChoice {
	w := &wordChoice{}
	subs := []*syntax.Regexp{tree}
	if tree.Op == syntax.OpConcat {
		subs = tree.Sub
	}
	if len(subs) > 0 && subs[0].Op == syntax.OpWordBoundary {
		w.begin, subs = true, subs[1:]
	}
	if len(subs) > 0 && subs[len(subs)-1].Op == syntax.OpWordBoundary {
		w.end, subs = true, subs[:len(subs)-1]
	}
	if len(subs) == 0 {
		return nil
	}
	body := subs[0]
	if len(subs) > 1 {
		body = &syntax.Regexp{Op: syntax.OpConcat, Sub: subs}
	}
	if body.Op == syntax.OpCapture {
		if body.Cap != 1 {
			return nil
		}
		w.capture, body = true, body.Sub[0]
	}
	mode := 0 // 1: letters fold; -1: letters match as written
	words, ok := orderedWords(body, &mode)
	if !ok || len(words) == 0 || slices.Contains(words, "") {
		return nil
	}
	w.words, w.fold = words, mode > 0
	return w
}

// orderedWords lists the strings re matches in the order leftmost-first matching
// prefers them, when they are few. *mode records whether letters fold (1) or not (-1):
// an expression that mixes both is not listed.
func orderedWords(re *syntax.Regexp, mode *int) ([]string, bool) {
	const most = 256
	setMode := func(fold bool) bool {
		m := -1
		if fold {
			m = 1
		}
		if *mode != 0 && *mode != m {
			return false
		}
		*mode = m
		return true
	}
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpLiteral:
		letters := slices.ContainsFunc(re.Rune, func(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' })
		fold := re.Flags&syntax.FoldCase != 0
		if letters && !setMode(fold) {
			return nil, false
		}
		if !fold {
			if slices.Contains(re.Rune, utf8.RuneError) {
				return nil, false
			}
			return []string{string(re.Rune)}, true
		}
		w, ok := literalWord(re.Rune, true)
		return []string{w}, ok
	case syntax.OpCharClass:
		var out []string
		for i := 0; i < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] >= most {
				return nil, false
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				switch {
				case r == '\u212a' || r == '\u017f':
					// Trusted text holds neither.
				case 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z':
					both := inClass(r^0x20, re.Rune)
					if !setMode(both) {
						return nil, false
					}
					if !both || r >= 'a' {
						out = append(out, string(r))
					}
				case r == utf8.RuneError:
					return nil, false
				default:
					out = append(out, string(r))
				}
			}
		}
		return out, len(out) > 0 && len(out) <= most
	case syntax.OpQuest:
		sub, ok := orderedWords(re.Sub[0], mode)
		if re.Flags&syntax.NonGreedy != 0 {
			return append([]string{""}, sub...), ok
		}
		return append(sub, ""), ok
	case syntax.OpConcat, syntax.OpAlternate:
		out := []string{""}
		if re.Op == syntax.OpAlternate {
			out = nil
		}
		for _, s := range re.Sub {
			sub, ok := orderedWords(s, mode)
			if !ok {
				return nil, false
			}
			if re.Op == syntax.OpAlternate {
				out = append(out, sub...)
			} else {
				var next []string
				for _, x := range out {
					for _, y := range sub {
						next = append(next, x+y)
					}
				}
				out = next
			}
			if len(out) > most {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// at returns where the match starting at p ends, or -1.
func (w *wordChoice) at(s string, p int) int {
	if w.begin && !wordBoundary(s, p) {
		return -1
	}
	for _, word := range w.words {
		if w.fold && hasPrefixFold(s[p:], word) || !w.fold && strings.HasPrefix(s[p:], word) {
			if !w.end || wordBoundary(s, p+len(word)) {
				return p + len(word)
			}
		}
	}
	return -1
}

// wordBoundary is \b at i: an ASCII word byte on one side only.
func wordBoundary(s string, i int) bool {
	return (i > 0 && asciiWord[s[i-1]]) != (i < len(s) && asciiWord[s[i]])
}
