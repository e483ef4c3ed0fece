package extract

import (
	"os"
	"path/filepath"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// cueTexts returns sentences to test the cues on: every sentence of the golden
// fixtures and some written here that hold many cue words, odd spacing and runes.
func cueTexts(t testing.TB) []string {
	var out []string
	for _, text := range fixtureTexts(t) {
		for _, s := range Sentences(text) {
			out = append(out, s.Text)
		}
	}
	return append(out,
		"Investigators have not yet formally attributed the raid, and the firm said it was too early to blame anyone.",
		"The crew, which is backed by Russia's military intelligence, reportedly drained 1,200 ETH and $4.5m from the exchange's hot wallet on 3 March 2024.",
		"Officials said the money was laundered, then partly frozen; about US$12 million was recovered and returned to users.",
		"A North Korea-based exchange was hacked in June, according to the Bank of Korea, which blamed APT 38 and a group dubbed “Jade Sleet”.",
		"Lazarus\tGroup\u00a0carried out   the  attack; the operatives behind it were likely North Korean, working with Russian partners.",
		"THE HACKERS STOLE $1.5 BILLION FROM BYBIT, SAID THE FBI, WHICH TIED THE THEFT TO LAZARUS.",
		"The hac\u212a of the exchange was carried out by the Lazarus Group, which stole 40 ETH.",
		"Thieves \u017ftole ether worth $3 million in a hack attributed to North Korea.",
		"Bad bytes \xff\xfe stole \xe2\x80 $5 million \x80from the bridge; attackers were linked to the DPRK.",
		"hackers linked to North Korea stole across 47 incidents a total of $1.3 billion last year.",
	)
}

// words returns every suffix and prefix of s that starts or ends at a word edge: the
// windows the extractor hands its cues.
func windows(s string) []string {
	out := []string{s}
	for i := 1; i < len(s); i++ {
		if isWordByte(s[i]) != isWordByte(s[i-1]) {
			out = append(out, s[i:], s[:i])
		}
	}
	return out
}

// TestCuesMatchTheirExpressions: a cue answers exactly what its regexp answers, on every
// fixture sentence and window of one.
func TestCuesMatchTheirExpressions(t *testing.T) {
	if len(cues) < 50 {
		t.Fatalf("only %d cues registered", len(cues))
	}
	for _, text := range cueTexts(t) {
		for _, s := range windows(text) {
			for _, c := range cues {
				if got, want := c.MatchString(s), c.re.MatchString(s); got != want {
					t.Fatalf("%s\non %q: MatchString %v, regexp says %v", c, s, got, want)
				}
				if got, want := c.FindAllStringSubmatchIndex(s, -1), c.re.FindAllStringSubmatchIndex(s, -1); !slices.EqualFunc(got, want, slices.Equal) {
					t.Fatalf("%s\non %q: FindAllStringSubmatchIndex %v, regexp says %v", c, s, got, want)
				}
				if got, want := c.FindStringSubmatch(s), c.re.FindStringSubmatch(s); !slices.Equal(got, want) {
					t.Fatalf("%s\non %q: FindStringSubmatch %q, regexp says %q", c, s, got, want)
				}
				// As the extractor asks about whole sentences: with their word starts.
				sw := wordsOf(s)
				if got, want := c.match(s, sw), c.re.MatchString(s); got != want {
					t.Fatalf("%s\non %q with word starts: match %v, regexp says %v", c, s, got, want)
				}
				if got, want := c.findAll(s, -1, sw), c.re.FindAllStringSubmatchIndex(s, -1); !slices.EqualFunc(got, want, slices.Equal) {
					t.Fatalf("%s\non %q with word starts: findAll %v, regexp says %v", c, s, got, want)
				}
			}
		}
	}
}

// TestCueGatesFlagEveryMatch pins the gates themselves: wherever a cue's regexp matches
// a fixture sentence, the word scan finds a starting word at the match's start and a
// required word inside it. An edit to an expression that a gate missed would fail here
// before it could make the extractor skip a match.
func TestCueGatesFlagEveryMatch(t *testing.T) {
	gated := 0
	for _, c := range cues {
		if c.starts != nil || c.needs != nil {
			gated++
		}
	}
	if gated < len(cues)*3/4 {
		t.Errorf("only %d of %d cues have a gate", gated, len(cues))
	}
	for _, text := range cueTexts(t) {
		if !trusted(text) {
			continue // the gates are not consulted on such text
		}
		for _, s := range windows(text) {
			for _, c := range cues {
				for _, m := range c.re.FindAllStringIndex(s, -1) {
					if c.starts != nil && !c.starts.at(s, m[0]) {
						t.Fatalf("%s\nmatches %q in %q, but no starting word is found there", c, s[m[0]:m[1]], s)
					}
					for _, needs := range append([]*litSet{c.needs}, c.more...) {
						if needs != nil && !slices.ContainsFunc(needs.lits, func(w string) bool {
							return strings.Contains(strings.ToLower(s[m[0]:m[1]]), w) || strings.Contains(asciiLower(s[m[0]:m[1]]), w)
						}) {
							t.Fatalf("%s\nmatches %q in %q, which holds none of the required words %q", c, s[m[0]:m[1]], s, needs.lits)
						}
					}
				}
			}
		}
	}
}

// checkCaseless fails unless each caseless expression of c, run on s lower-cased,
// finds what the expression it stands for finds on s.
func checkCaseless(t testing.TB, c *cue, s string) {
	if c.low == nil || !trusted(s) {
		return
	}
	low := []byte(asciiLower(s))
	pairs := [][2]*regexp.Regexp{{c.re, c.low}}
	if c.lowAt0 != nil {
		pairs = append(pairs, [2]*regexp.Regexp{c.at0, c.lowAt0}, [2]*regexp.Regexp{c.atN, c.lowAtN})
	}
	for _, p := range pairs {
		if got, want := p[1].FindAllSubmatchIndex(low, -1), p[0].FindAllStringSubmatchIndex(s, -1); !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("%s\non %q: on its lower-cased copy %s finds %v, the expression %v", p[0], s, p[1], got, want)
		}
	}
}

// TestCaselessIsItsExpression: a cue's caseless expressions find on each fixture
// sentence and window lower-cased, in every case, what its expressions find on it;
// most of the case-insensitive cues have them.
func TestCaselessIsItsExpression(t *testing.T) {
	folded, rewritten := 0, 0
	for _, c := range cues {
		if strings.Contains(c.re.String(), "(?i)") {
			folded++
			if c.low != nil {
				rewritten++
			}
		}
	}
	if rewritten < folded*2/3 {
		t.Errorf("only %d of %d case-insensitive cues have a caseless expression", rewritten, folded)
	}
	for _, expr := range []string{`(?i)hack(?-i:[A-Z])`, `(?i)hack(?-i:X)`, `hack`} {
		tree, err := syntax.Parse(expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if c, ok := caseless(tree); ok {
			t.Errorf("%s was made caseless: %s", expr, c)
		}
	}
	for _, text := range cueTexts(t) {
		for _, s := range append(windows(text), strings.ToUpper(text), strings.ToLower(text)) {
			for _, c := range cues {
				checkCaseless(t, c, s)
			}
		}
	}
}

// checkBound fails unless c's runs on the part of s that bound leaves them find what
// they find on all of s: the run from p, and for a cue anchored at the start, its
// expression.
func checkBound(t testing.TB, c *cue, s string, p int) {
	if c.stops == nil || p > len(s) {
		return
	}
	if c.begin {
		if got, want := c.re.FindAllStringSubmatchIndex(s[:c.bound(s, 0, len(s))], -1), c.re.FindAllStringSubmatchIndex(s, -1); !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("%s\non %q bounded at %d: %v, on all of it %v", c, s, c.bound(s, 0, len(s)), got, want)
		}
		return
	}
	if c.at0 == nil || p == len(s) || p > 0 && !utf8.RuneStart(s[p]) {
		return
	}
	re, from := c.at0, 0
	if p > 0 {
		re, from = c.atN, leadStart(s, p)
	}
	end := c.bound(s, p, len(s))
	if got, want := re.FindStringSubmatchIndex(s[from:end]), re.FindStringSubmatchIndex(s[from:]); !slices.Equal(got, want) {
		t.Fatalf("%s\nfrom %d of %q bounded at %d: %v, on all of it %v", c, p, s, end, got, want)
	}
}

// TestBoundedRunsAreTheRegexp: a run on the input its bound leaves finds what it finds
// on the whole input, from every position of every fixture sentence and window of one;
// the bounds read from the syntax are those the expressions have.
func TestBoundedRunsAreTheRegexp(t *testing.T) {
	for _, tc := range []struct {
		expr string
		x    rune
		want int
	}{
		{`a b`, ' ', 1}, {`a\s?b\s?c`, ' ', 2}, {`(?:a |b ){0,3}`, ' ', 3}, {`a\s+b`, ' ', -1}, {`a.b`, ',', 1},
		{`\w+`, ',', 0}, {`(?i)[^.;]{0,80}`, '.', 0}, {`(?:x|,,)`, ',', 2}, {`^\W*`, '.', -1}, {`(?:a,)*`, ',', -1},
	} {
		tree, err := syntax.Parse(tc.expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := maxCount(tree, tc.x); got != tc.want {
			t.Errorf("%s holds %q at most %d times, not %d", tc.expr, tc.x, tc.want, got)
		}
	}
	bounded := 0
	for _, c := range cues {
		if c.stops != nil {
			bounded++
		}
	}
	if bounded < len(cues)/2 {
		t.Errorf("only %d of %d cues have a bound", bounded, len(cues))
	}
	for _, text := range cueTexts(t) {
		for _, s := range append(windows(text), strings.ToUpper(text)) {
			for _, c := range cues {
				if c.begin {
					checkBound(t, c, s, 0)
					continue
				}
				if c.at0 == nil || c.stops == nil {
					continue
				}
				for p := range len(s) {
					checkBound(t, c, s, p)
				}
			}
		}
	}
}

// wordRuns returns the cues answered by a wordRun.
func wordRuns() []*cue {
	var out []*cue
	for _, c := range cues {
		if c.run != nil {
			out = append(out, c)
		}
	}
	return out
}

// TestWordRunIsItsExpression: a word run answers what its regexp answers on every gap of
// the fixtures, and on qualifiers and near misses written to test its edges: case,
// hyphens, possessives, runes (?i) folds onto ASCII letters, bytes that are not UTF-8.
func TestWordRunIsItsExpression(t *testing.T) {
	if affAdjRE.run == nil {
		t.Fatal("affAdjRE is not answered by a word run")
	}
	texts := append(cueTexts(t), "'s state-sponsored hacking group ", "’s STATE SPONSORED", " -backed ", "-nexus threat actor tracked as ",
		"’S, A RANSOMWARE GANG SUCH AS ", "s elite military intelligence unit called ", "ANADVANCED PERSISTENT THREAT",
		"advanced  persistent threat", "known  as", "state--sponsored", "statesponsored", " groups. The ", " statesman ",
		"'s hac\u212aing group", "\u017ftate-backed", "ſ", "\u00a0backed\u00a0", "’", "\xe2\x80", "\xe2\x80 group", "the\xffgroup",
		"cyber-espionage", "cyber—espionage", "crypto-stealing", "crypto stealing", ",,,", "a an the", "sponsored-", "-")
	for _, text := range texts {
		for _, gap := range append(spans(text, 80), text) {
			for _, c := range wordRuns() {
				if got, ok := c.run.match(gap); ok && got != c.re.MatchString(gap) {
					t.Errorf("%s\non %q: the word run says %v, regexp says %v", c, gap, got, !got)
				}
			}
		}
	}
	if _, ok := affAdjRE.run.match("state-backed hac\u212aing group"); ok {
		t.Error("the word run answered on text holding the Kelvin sign")
	}
}

// TestWordRunShape: only expressions of the shape ^L*(?:(?:W)S*)*$ whose words are few
// and match ASCII letters in either case or in none get a word run.
func TestWordRunShape(t *testing.T) {
	for expr, want := range map[string]bool{
		`(?i)^[\s-]*(?:(?:state|group)s?[\s-]*)*$`: true,
		`^[\s-]*(?:(?:state|group)[\s-]*)*$`:       false, // lower case only
		`^[\s-]*(?:(?:12|3,)[\s-]*)*$`:             true,  // no letters
		`(?i)^[\s-]*(?:(?:é|group)[\s-]*)*$`:       false, // é folds to É
		`(?i)^[\s-]*(?:(?:\w+|group)[\s-]*)*$`:     false, // too many words
		`(?i)^[\s-]*(?:(?:state|group)[\s-]*)*`:    false, // need not reach the end
		`(?i)^[\s-]*(?:(?:a?|group)[\s-]*)*$`:      false, // an empty word
	} {
		tree, err := syntax.Parse(expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := wordRunOf(tree) != nil; got != want {
			t.Errorf("%s: word run %v, want %v", expr, got, want)
		}
	}
}

// TestWordChoiceIsItsExpression: where a match may start, a word choice finds the match
// an anchored regexp run finds, on expressions written to test the order of preference
// (a shorter word first, an optional space, a lazy one), case, boundaries and groups.
func TestWordChoiceIsItsExpression(t *testing.T) {
	for _, c := range []*cue{theftNounRE, groupNounRE, unitWordRE, negationRE} {
		if c.choice == nil {
			t.Errorf("%s is not answered by a word choice", c)
		}
	}
	texts := append(cueTexts(t), "cyber heist cyberheist cyber  heist Cyber-Attack cyber_attack hackS hack's x-hack", "UNIT unit Unit1 Unit_ Unit-",
		"the cyber attack, the cyberattack; a cyber ?attack", "don't do not DOESN'T doesn’t")
	for _, expr := range []string{
		`(?i)\b(cyber|cyber heist|cyber ?attack)\b`, `(?i)\b(?:cyber ?heist|cyber)`, `(?i)(cyber ??attack|cyber)\b`,
		`\b(?:Unit|UNIT|Army)\b`, `(?i)(?:don't|doesn['’]t|do not)`, `(?i)\bhacks?`, `(?i)-hack\b`,
	} {
		tree, err := syntax.Parse(expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if wordChoiceOf(tree) == nil {
			t.Errorf("%s: no word choice", expr)
		}
	}
	for _, expr := range []string{`(?i)\b(cyber|cyber heist|cyber ?attack)\b`, `(?i)\b(?:cyber ?heist|cyber)`, `(?i)(cyber ??attack|cyber)\b`,
		`\b(?:Unit|UNIT|Army)\b`, `(?i)(?:don't|doesn['’]t|do not)`, `(?i)\bhacks?`, `(?i)-hack\b`} {
		tree, _ := syntax.Parse(expr, syntax.Perl)
		choice := wordChoiceOf(tree)
		plain := &cue{re: regexp.MustCompile(expr), at0: regexp.MustCompile(`^(?:` + expr + `)`), atN: regexp.MustCompile(`^(?s:.)(?:` + expr + `)`), maxLen: -1}
		chosen := *plain
		chosen.choice = choice
		for _, text := range texts {
			if !trusted(text) {
				continue
			}
			for p := range len(text) {
				want, _ := plain.submatchAt(text, p, nil)
				if got, _ := chosen.submatchAt(text, p, nil); !slices.Equal(got, want) {
					t.Fatalf("%s at %d of %q: word choice %v, regexp %v", expr, p, text, got, want)
				}
			}
		}
	}
	for _, expr := range []string{`(?i)\b(?:hack|Heist)(?-i:s)`, `\b(\w+)\b`, `(hack)(s)`, `(?i)\bé`, `(?i)x*`, `(?i)\b(?:hacks|x?)`} {
		tree, _ := syntax.Parse(expr, syntax.Perl)
		if wordChoiceOf(tree) != nil {
			t.Errorf("%s: a word choice, want none", expr)
		}
	}
}

// TestCueWordsFromSyntax checks the analysis on expressions written for the test.
func TestCueWordsFromSyntax(t *testing.T) {
	for _, tc := range []struct {
		expr        string
		starts      []string // nil: none
		needsSubset []string // words the required set must include; nil: none
	}{
		{`(?i)\b(?:stole|theft)s?\b`, []string{"stole", "theft"}, nil},
		{`(?i)\b(?:the\s+)?heist`, []string{"heist", "the\t", "the\n", "the\f", "the\r", "the "}, nil},
		{`(?i)^\W*(?:\w+\W+){0,3}?(?:said|told)\b`, nil, []string{"said", "told"}},
		{`\s(?:was|were)\b`, []string{"\twas", "\twere", "\nwas", "\nwere", "\fwas", "\fwere", "\rwas", "\rwere", " was", " were"}, nil},
		{`(?i)[a-z]+ing`, nil, []string{"ing"}},
		{`(?i)\bx*`, nil, nil}, // may match empty: nothing is certain
		{`(?i)é+`, nil, nil},   // folds to É: not a byte string
		{`.{2}`, nil, nil},     // any character
		{`ab|\w`, nil, nil},    // one branch has no word
		{`\$\d+`, []string{"$0", "$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9"}, nil},
		{`[;$]|[,!]\s`, []string{"!\t", "!\n", "!\f", "!\r", "! ", "$", ",\t", ",\n", ",\f", ",\r", ", ", ";"}, nil}, // a rare byte may stand alone
	} {
		tree, err := syntax.Parse(tc.expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		l := analyze(tree)
		l.pre, l.req = minimal(l.pre, strings.HasPrefix), minimal(l.req, strings.Contains)
		var starts []string
		if selective(l.pre) {
			starts = l.pre
		}
		if !slices.Equal(starts, tc.starts) && !(tc.starts == nil && starts == nil) {
			if tc.starts == nil || !slices.Equal(starts, union(tc.starts, nil)) {
				t.Errorf("%s: starts %q, want %q", tc.expr, starts, tc.starts)
			}
		}
		for _, w := range tc.needsSubset {
			if !slices.Contains(l.req, w) {
				t.Errorf("%s: required words %q lack %q", tc.expr, l.req, w)
			}
		}
		if tc.needsSubset == nil && tc.starts == nil && selective(l.req) {
			t.Errorf("%s: claims required words %q", tc.expr, l.req)
		}
	}
}

// TestOnlyKelvinAndLongSFoldOntoASCII: the gates compare ASCII letters in either case and
// skip text holding the two non-ASCII runes that (?i) also matches for ASCII letters.
// A new Unicode version adding another would fail here.
func TestOnlyKelvinAndLongSFoldOntoASCII(t *testing.T) {
	for r := rune(0); r < utf8.RuneSelf; r++ {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f >= utf8.RuneSelf && f != '\u212a' && f != '\u017f' {
				t.Errorf("%q folds onto %q, which the cue gates do not know", r, f)
			}
		}
	}
}

func FuzzCues(f *testing.F) {
	for _, s := range cueTexts(f) {
		f.Add(s, uint(len(s)))
	}
	f.Fuzz(func(t *testing.T, s string, pick uint) {
		if sw := wordsOf(s); sw.trusted != trusted(s) || sw.lowerOf(s) != lowerWords(s) {
			t.Fatalf("%q: wordsOf reads trusted %v, lower %q; want %v, %q", s, sw.trusted, sw.lowerOf(s), trusted(s), lowerWords(s))
		}
		for _, c := range wordRuns() {
			if got, ok := c.run.match(s); ok && got != c.re.MatchString(s) {
				t.Fatalf("%s\non %q: the word run says %v, regexp says %v", c, s, got, !got)
			}
		}
		for i := range 4 {
			c := cues[(pick+uint(i)*17)%uint(len(cues))]
			checkCaseless(t, c, s)
			checkBound(t, c, s, int(pick%uint(len(s)+1)))
			if got, want := c.MatchString(s), c.re.MatchString(s); got != want {
				t.Fatalf("%s\non %q: MatchString %v, regexp says %v", c, s, got, want)
			}
			if got, want := c.FindAllStringSubmatchIndex(s, -1), c.re.FindAllStringSubmatchIndex(s, -1); !slices.EqualFunc(got, want, slices.Equal) {
				t.Fatalf("%s\non %q: FindAllStringSubmatchIndex %v, regexp says %v", c, s, got, want)
			}
			if got, want := c.findAll(s, -1, wordsOf(s)), c.re.FindAllStringSubmatchIndex(s, -1); !slices.EqualFunc(got, want, slices.Equal) {
				t.Fatalf("%s\non %q with word starts: findAll %v, regexp says %v", c, s, got, want)
			}
		}
	})
}

// TestCapWordAtGatesCapPhrase: wherever capPhraseRE matches, capWordAt agrees it may.
func TestCapWordAtGatesCapPhrase(t *testing.T) {
	for _, text := range append(cueTexts(t), "eBay and 1inch and 3Commas; iPhone maker", "ab", "1", "a1B", "9z") {
		for i := range len(text) + 1 {
			s := text[i:]
			if capPhraseRE.MatchString(s) && !capWordAt(text, i) {
				t.Errorf("capPhraseRE matches %q, capWordAt says it cannot", s)
			}
		}
	}
}

// TestAnaphorMayEndGatesAnaphor: wherever anaphorRE can end a text, anaphorMayEnd agrees
// it may, on every window of the fixtures and on phrases built from every modifier and
// noun the expression spells; and it does refuse most, or it would gate nothing.
func TestAnaphorMayEndGatesAnaphor(t *testing.T) {
	end := regexp.MustCompile(`(?:` + anaphorRE.re.String() + `)$`)
	// The modifiers and nouns the expression spells: the plain words of the groups around
	// ")\s+)*(?:".
	expr := anaphorRE.String()
	mid := strings.Index(expr, `)\s+)*(?:`)
	open := strings.LastIndex(expr[:mid], `\s+(?:(?:`)
	if mid < 0 || open < 0 {
		t.Fatal("anaphorRE has no \\s+(?:(?:MODIFIERS)\\s+)*(?:NOUNS) to test anaphorMayEnd with")
	}
	plain := regexp.MustCompile(`^[a-z' -]+$`)
	words := func(group string) (out []string) {
		for _, w := range strings.Split(group, "|") {
			if w = strings.ReplaceAll(w, " ?", " "); plain.MatchString(w) {
				out = append(out, w)
			}
		}
		return out
	}
	mods := words(expr[open+len(`\s+(?:(?:`) : mid])
	nouns := words(expr[mid+len(`)\s+)*(?:`) : strings.LastIndex(expr, `)\b`)])
	if len(mods) < 15 || len(nouns) < 10 {
		t.Fatalf("read %q and %q from anaphorRE: too few", mods, nouns)
	}
	texts := append(cueTexts(t), "the June 24 heist", "its $1.5 billion hack", "that $60m theft", "2022’s exploit", "THIS multi-million-dollar HACK",
		"the attack's initial breach", "(the hack", "the\u00a0hack", "the 2016 cyber heist", "the cyberheist", "June 24's raid", "Bybit hack")
	for _, mod := range mods {
		for _, noun := range nouns {
			texts = append(texts, "the "+mod+" "+noun, "ITS "+strings.ToUpper(mod)+"\t"+noun)
		}
	}
	matched, refused := 0, 0
	for _, text := range texts {
		for _, w := range windows(text) {
			if end.MatchString(w) {
				matched++
				if !anaphorMayEnd(w) {
					t.Errorf("anaphorRE can end %q, anaphorMayEnd says it cannot", w)
				}
			} else if !anaphorMayEnd(w) {
				refused++
			}
		}
	}
	if matched < 100 || refused < 100 {
		t.Errorf("anaphorRE ends %d windows, anaphorMayEnd refuses %d: the test tests little", matched, refused)
	}
}

// TestMalwareWithinGatesMalwareIncident: wherever malwareIncidentRE matches,
// malwareWithin agrees a match may start there, on every window of the fixtures and on
// phrases built from every malware word and noun the expression spells.
func TestMalwareWithinGatesMalwareIncident(t *testing.T) {
	words := regexp.MustCompile(`\\s\+\(((?:[a-z]+\|)+[a-z]+)\)\\s\+\(\?:((?:[a-z?-]+\|)+[a-z?-]+)\)\\b`).FindStringSubmatch(malwareIncidentRE.String())
	if words == nil {
		t.Fatal("malwareIncidentRE has no \\s+(WORDS)\\s+(?:NOUNS)\\b to test malwareWithin with")
	}
	texts := cueTexts(t)
	for _, w := range strings.Split(words[1], "|") {
		for _, n := range strings.Split(words[2], "|") {
			n = strings.ReplaceAll(n, "?", "")
			texts = append(texts, "the 2017 NotPetya "+w+" "+n+" hit", "Not Petya\t"+w+"\n\n"+n+"s", "2017  WannaCry "+w+" "+n+",",
				"NotPetya Two "+w+" "+n, "1999 Big Bad Wolf "+w+" "+n)
		}
	}
	matched := 0
	for _, text := range texts {
		for _, w := range windows(text) {
			for _, m := range malwareIncidentRE.re.FindAllStringIndex(w, -1) {
				matched++
				if !malwareIncidentRE.starts.at(w, m[0]) {
					t.Errorf("malwareIncidentRE matches %q in %q, malwareWithin says it cannot", w[m[0]:m[1]], w)
				}
			}
		}
	}
	if matched < 100 {
		t.Errorf("malwareIncidentRE matched only %d times: the test tests little", matched)
	}
}

// TestVictimNounAtGatesVictimNoun: wherever victimNounRE matches, victimNounAt agrees a
// match may start there, on every window of the fixtures and on names written to test
// its edges; and it does refuse most capitalised words, or it would gate nothing.
func TestVictimNounAtGatesVictimNoun(t *testing.T) {
	texts := append(cueTexts(t), "the Ronin bridge heist", "Bybit’s $1.5 billion hack", "eBay's hot-wallet hack", "1inch\tsmart contract exploit",
		"Alpha Beta Gamma Delta Epsilon hack", "Alpha Beta Gamma Delta Epsilon Zeta hack", "The FBI said Lazarus Group hit the Harmony Horizon bridge cyberattack",
		"Poly Network's cyber-attack", "AT&T Inc. breach", "X $5m raid", "Coin-Base exchange crypto security flash loan theft", "Mt. Gox  \n hack")
	refused := 0
	for _, text := range texts {
		for _, w := range windows(text) {
			for _, m := range victimNounRE.re.FindAllStringIndex(w, -1) {
				if !victimNounAt(w, m[0]) {
					t.Errorf("victimNounRE matches %q in %q, victimNounAt says it cannot", w[m[0]:m[1]], w)
				}
			}
		}
		for p := range len(text) {
			if capWordAt(text, p) && !victimNounAt(text, p) {
				refused++
			}
		}
	}
	if refused < 100 {
		t.Errorf("victimNounAt refused only %d capitalised words", refused)
	}
}

// TestVictimPrepTailGatesVictimPrep: wherever victimPrepRE matches, victimPrepTail agrees
// it may, on every window the fixtures give and on phrases written to test its edges.
func TestVictimPrepTailGatesVictimPrep(t *testing.T) {
	texts := append(cueTexts(t),
		"hackers stole funds (from the ", "the hack of ", "the hacks on a DeFi lending Web3 (DeFi) ", "drained\tthe\n",
		"took ether worth $1.5 billion, from an exploited protocol's ", "THE ATTACKS AGAINST the ", "stolen.from ")
	// Every noun and preposition of the expression's "hack of" cue, as it spells them.
	cue := regexp.MustCompile(`\(\?:\(\?:([a-z|]+)\)s\? \(\?:([a-z|]+)\)\|`).FindStringSubmatch(victimPrepRE.String())
	if cue == nil {
		t.Fatal("victimPrepRE has no (?:(?:NOUNS)s? (?:PREPOSITIONS)| cue to test victimPrepTail with")
	}
	for _, noun := range strings.Split(cue[1], "|") {
		for _, prep := range strings.Split(cue[2], "|") {
			texts = append(texts, "the "+noun+" "+prep+" the ", "("+strings.ToUpper(noun)+"s "+prep+" a DeFi lending ",
				"x-"+noun+" "+prep+"\t", "s"+noun+" "+prep+" ", noun+"  "+prep+" ", noun+"es "+prep+" ")
		}
	}
	matched := 0
	for _, text := range texts {
		for _, w := range windows(text) {
			if victimPrepRE.MatchString(w) {
				matched++
				if !victimPrepTail(w) {
					t.Errorf("victimPrepRE matches %q, victimPrepTail says it cannot", w)
				}
			}
		}
	}
	if matched < 100 {
		t.Errorf("victimPrepRE matches only %d windows: the test tests little", matched)
	}
}

// spans returns the pieces of s between two word boundaries, up to max bytes long: the
// gaps a step may find between two mentions.
func spans(s string, max int) []string {
	cuts := []int{0}
	for i := 1; i < len(s); i++ {
		if isWordByte(s[i]) != isWordByte(s[i-1]) {
			cuts = append(cuts, i)
		}
	}
	cuts = append(cuts, len(s))
	var out []string
	for a, i := range cuts {
		for _, j := range cuts[a+1:] {
			if j-i > max {
				break
			}
			out = append(out, s[i:j])
		}
	}
	return out
}

// TestAffAdjMayGatesAffAdj: wherever affAdjRE matches, affAdjMay agrees it may, on the
// gaps the fixtures give and on qualifiers written to test its edges; and it does
// refuse gaps that are not qualifiers, or it would gate nothing.
func TestAffAdjMayGatesAffAdj(t *testing.T) {
	qualifiers := []string{"'s state-sponsored hacking group ", "’s ", " -backed ", " state-backed cyber-espionage crew dubbed ",
		" Government-Linked APT known as ", " THE ", "theA", "-nexus threat actor tracked as ", "'s, a ransomware gang such as ",
		"s elite military intelligence unit called ", "\tintelligence-directed\n", "ANADVANCED PERSISTENT THREAT"}
	for _, q := range qualifiers {
		if !affAdjRE.MatchString(q) {
			t.Errorf("affAdjRE does not match the qualifier %q", q)
		}
	}
	refused := 0
	for _, text := range append(cueTexts(t), qualifiers...) {
		for _, gap := range spans(text, 60) {
			if affAdjRE.MatchString(gap) && !affAdjMay(gap) {
				t.Errorf("affAdjRE matches %q, affAdjMay says it cannot", gap)
			}
			if !affAdjMay(gap) {
				refused++
			}
			if affAdjLeadOnly(gap) && !affAdjRE.MatchString(gap) {
				t.Errorf("affAdjLeadOnly(%q), and affAdjRE does not match it", gap)
			}
		}
	}
	for _, gap := range []string{"", " ", "'s ", "’s\t", " - ", "S", "\u017f", "'s-'s "} {
		if !affAdjLeadOnly(gap) || !affAdjRE.MatchString(gap) {
			t.Errorf("affAdjLeadOnly(%q) = %v, affAdjRE matches: %v; want both", gap, affAdjLeadOnly(gap), affAdjRE.MatchString(gap))
		}
	}
	for _, gap := range []string{" cooperation with ", " said the ", "'s 2024 ", " groups. The ", " statesman "} {
		if affAdjMay(gap) {
			t.Errorf("affAdjMay(%q) = true, want false", gap)
		}
	}
	if refused == 0 {
		t.Error("affAdjMay refused no gap of the fixtures")
	}
}

// TestVictimVerbMayGatesVictimVerb: wherever victimVerbRE matches, victimVerbMay agrees
// it may, on every window of the fixtures and on phrases written to test its edges.
func TestVictimVerbMayGatesVictimVerb(t *testing.T) {
	phrases := []string{" was hacked", "\tWERE breached", " has been drained", " had been quietly robbed", " got hit",
		" is targeted", " Are attacked", ", the Seychelles-registered exchange, was hacked", ",x,\n\nwas hit"}
	for _, p := range phrases {
		if !victimVerbRE.MatchString(p) {
			t.Errorf("victimVerbRE does not match %q", p)
		}
	}
	// Every verb of the expression, as it spells them, in other cases and spacings.
	verbs := regexp.MustCompile(`\(\?:((?:[a-z ]+\|)+[a-z ]+)\)\\s\+`).FindStringSubmatch(victimVerbRE.String())
	if verbs == nil {
		t.Fatal("victimVerbRE has no (?:VERBS)\\s+ to test victimVerbMay with")
	}
	for _, v := range strings.Split(verbs[1], "|") {
		phrases = append(phrases, " "+v+" hacked", "\n"+strings.ToUpper(v)+"\tquietly robbed", strings.ReplaceAll(v, "s", "\u017f")+" hit",
			v+"\u00a0hit", " "+v+"n't hit", ", "+v+" hit", "  "+strings.ReplaceAll(v, " ", "\t")+" hit")
	}
	refused := 0
	for _, text := range append(cueTexts(t), phrases...) {
		for _, w := range windows(text) {
			if victimVerbRE.MatchString(w) && !victimVerbMay(w) {
				t.Errorf("victimVerbRE matches %q, victimVerbMay says it cannot", w)
			}
			if !victimVerbMay(w) {
				refused++
			}
		}
	}
	if refused == 0 {
		t.Error("victimVerbMay refused no window of the fixtures")
	}
}

// TestCapPhraseLenIsCapPhrase: capPhraseLen finds the phrase capPhraseRE finds, at every
// position of the fixtures and of phrases written to test its edges.
func TestCapPhraseLenIsCapPhrase(t *testing.T) {
	texts := append(cueTexts(t), "Ronin Network Bridge Exchange Protocol Wallet of X", "Bank of\tNew  York\nMellon Co",
		"Upbit’s Hot Wallet", "A B C D E F G", "eBay and 1inch, 3Commas", "Axie Infinity’s Ronin (RON) bridge",
		"Harmony decided", "Alpha android offered", "iPhone’s maker", "12 34abc 5Z", "X _y", "Curve Finance DEX chain de and of",
		"Bybit exchanges", "USD’s", "3commas’", "Q\u00e9bec Bank", "A\u00a0B", "A \xff")
	matched := 0
	for _, text := range texts {
		for i := range len(text) + 1 {
			s := text[i:]
			want := -1
			if loc := capPhraseRE.re.FindStringIndex(s); loc != nil {
				want = loc[1]
				matched++
			}
			if got := capPhraseLen(s); got != want {
				t.Errorf("capPhraseLen(%q) = %d, capPhraseRE says %d", s, got, want)
			}
		}
	}
	if matched == 0 {
		t.Error("capPhraseRE matched nowhere")
	}
}

// TestCanEndIsEndAnchoredMatch: canEnd answers what the expression followed by $ does
// (on invalid UTF-8, which it does not reverse, it says a match may end there).
func TestCanEndIsEndAnchoredMatch(t *testing.T) {
	texts := append(cueTexts(t), "the Ronin bridge's $625 million crypto hack", "THIS HACK", "the June 24 heist", "eBay hack", "the 2022 attack")
	for _, c := range []*cue{victimNounRE, anaphorRE} {
		endAnchored := regexp.MustCompile(`(?:` + c.re.String() + `)$`)
		for _, text := range texts {
			for _, w := range windows(text) {
				got, want := c.canEnd(w), endAnchored.MatchString(w)
				if !utf8.ValidString(w) {
					want = true // not read backwards: the caller searches
				}
				if got != want {
					t.Errorf("%s\ncanEnd(%q) = %v, (...)$ says %v", c, w, got, want)
				}
			}
		}
	}
}

// FuzzHandWrittenGates: the conditions written by hand for single expressions never
// refuse a text their expression matches.
func FuzzHandWrittenGates(f *testing.F) {
	for _, s := range cueTexts(f) {
		f.Add(s)
	}
	victimNounEnd := regexp.MustCompile(`(?:` + victimNounRE.re.String() + `)$`)
	anaphorEnd := regexp.MustCompile(`(?:` + anaphorRE.re.String() + `)$`)
	f.Fuzz(func(t *testing.T, s string) {
		if capPhraseRE.re.MatchString(s) && !capWordAt(s, 0) {
			t.Fatalf("capPhraseRE matches %q, capWordAt says it cannot", s)
		}
		if victimPrepRE.re.MatchString(s) && !victimPrepTail(s) {
			t.Fatalf("victimPrepRE matches %q, victimPrepTail says it cannot", s)
		}
		if victimPrepMatches(s) != victimPrepRE.re.MatchString(s) {
			t.Fatalf("victimPrepMatches(%q) is not what victimPrepRE says", s)
		}
		if got, want := yearMatches(s), yearRE.FindAllStringSubmatchIndex(s, -1); !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("yearMatches(%q) = %v, yearRE finds %v", s, got, want)
		}
		if got, want := appositive(s), appositiveRE.FindStringIndex(s); !slices.Equal(got, want) {
			t.Fatalf("appositive(%q) = %v, appositiveRE finds %v", s, got, want)
		}
		for _, n := range theftNounRE.re.FindAllStringIndex(s, -1) {
			if m := victimNounRE.re.FindAllStringIndex(s[:n[1]], -1); len(m) > 0 && m[len(m)-1][1] == n[1] && !victimNounBefore(s[:n[0]]) {
				t.Fatalf("victimNounRE matches %q up to its noun, victimNounBefore says it cannot", s[:n[1]])
			}
		}
		if trusted(s) && describedVictimRE.re.MatchString(s) && !describedNameMay(s, min(len(s), 80)) && describedWithin80(s) {
			t.Fatalf("describedVictimRE matches %q, describedNameMay says it cannot", s)
		}
		for _, m := range malwareIncidentRE.re.FindAllStringIndex(s, -1) {
			if !malwareIncidentRE.starts.at(s, m[0]) {
				t.Fatalf("malwareIncidentRE matches %q in %q, malwareWithin says it cannot", s[m[0]:m[1]], s)
			}
		}
		for _, m := range victimNounRE.re.FindAllStringIndex(s, -1) {
			if !victimNounAt(s, m[0]) {
				t.Fatalf("victimNounRE matches %q in %q, victimNounAt says it cannot", s[m[0]:m[1]], s)
			}
		}
		if victimNounEnd.MatchString(s) && !victimNounRE.canEnd(s) {
			t.Fatalf("victimNounRE can end %q, canEnd says it cannot", s)
		}
		if anaphorEnd.MatchString(s) && !anaphorMayEnd(s) {
			t.Fatalf("anaphorRE can end %q, anaphorMayEnd says it cannot", s)
		}
		if anaphorEnd.MatchString(s) && !anaphorRE.canEnd(s) {
			t.Fatalf("anaphorRE can end %q, canEnd says it cannot", s)
		}
		if affAdjRE.re.MatchString(s) && !affAdjMay(s) {
			t.Fatalf("affAdjRE matches %q, affAdjMay says it cannot", s)
		}
		if victimVerbRE.re.MatchString(s) && !victimVerbMay(s) {
			t.Fatalf("victimVerbRE matches %q, victimVerbMay says it cannot", s)
		}
		if affAdjLeadOnly(s) && !affAdjRE.re.MatchString(s) {
			t.Fatalf("affAdjLeadOnly(%q), and affAdjRE does not match it", s)
		}
		want := -1
		if loc := capPhraseRE.re.FindStringIndex(s); loc != nil {
			want = loc[1]
		}
		if got := capPhraseLen(s); got != want {
			t.Fatalf("capPhraseLen(%q) = %d, capPhraseRE says %d", s, got, want)
		}
	})
}

// TestWordsOfReadsTrustAndLowerCase: what wordsOf reads in its one pass is what trusted
// and lowerWords say, on text with and without the runes they look for.
func TestWordsOfReadsTrustAndLowerCase(t *testing.T) {
	for _, s := range append(cueTexts(t), "", "THİS", "hac\u212a", "\u017ftole", "’s “quoted” — \u00a0", "\xe2\x84", "\xc5", "ends with \xe2\x84\xaa") {
		sw := wordsOf(s)
		if sw.trusted != trusted(s) || sw.lowerOf(s) != lowerWords(s) {
			t.Errorf("%q: wordsOf reads trusted %v, lower %q; want %v, %q", s, sw.trusted, sw.lowerOf(s), trusted(s), lowerWords(s))
		}
	}
}

// TestLowerWordsIsToLowerForWords pins what lowerWords relies on: no rune outside ASCII
// lower-cases into ASCII but the Kelvin sign and the dotted capital I.
func TestLowerWordsIsToLowerForWords(t *testing.T) {
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		lower := strings.ToLower(string(r))
		if strings.IndexFunc(lower, func(c rune) bool { return c < utf8.RuneSelf }) < 0 {
			continue
		}
		if r != '\u212a' && r != '\u0130' {
			t.Errorf("%U lower-cases to %q", r, lower)
		}
	}
	for _, s := range append(cueTexts(t), "THİS ATTACK", "the hac\u212a", "LAST YEAR’S HEIST") {
		for _, w := range append(incidentWords, "ransomware", "last ", "this ") {
			if got, want := strings.Contains(lowerWords(s), w), strings.Contains(strings.ToLower(s), w); got != want {
				t.Errorf("%q holds %q: %v, strings.ToLower says %v", s, w, got, want)
			}
		}
	}
}

// indexedSets returns the word sets the word index answers for.
func indexedSets(t testing.TB) []*litSet {
	ix := theWordIndex()
	var out []*litSet
	for _, l := range cueWords.sets {
		if i := l.idx - 1; ix.indexed[i>>6]&(1<<(i&63)) != 0 {
			out = append(out, l)
		}
	}
	if len(out) < len(cueWords.sets)/2 {
		t.Fatalf("the word index answers for %d of %d word sets", len(out), len(cueWords.sets))
	}
	return out
}

// checkWordIndex fails unless every indexed set finds, from each position of s given
// (and of its lower-cased copy when the index answers for that), what its scan finds.
func checkWordIndex(t testing.TB, sets []*litSet, s string, positions []int) {
	sw := wordsOf(s)
	texts := []string{s}
	if sw.lowerSame {
		texts = append(texts, sw.lower)
	}
	for _, text := range texts {
		for _, l := range sets {
			if !sw.answers(l, text) {
				t.Fatalf("the index does not answer for %q on %q", l.lits, text)
			}
			for _, p := range positions {
				if got, want := l.nextIn(sw, text, p), l.next(text, p); got != want {
					t.Fatalf("%q in %q from %d: the index says %d, the scan %d", l.lits, text, p, got, want)
				}
			}
		}
	}
}

// TestWordIndexIsTheScan: every word set the index answers for finds what its own scan
// finds, from every position of every fixture sentence, in each case, and from the
// start of every window of one; the index answers for the sentence and for its copy
// lower-cased, and for no other string.
func TestWordIndexIsTheScan(t *testing.T) {
	sets := indexedSets(t)
	found := 0
	for _, text := range cueTexts(t) {
		for _, s := range []string{text, strings.ToUpper(text), strings.ToLower(text)} {
			all := make([]int, len(s)+2)
			for p := range all {
				all[p] = p
			}
			checkWordIndex(t, sets, s, all)
			found += len(wordsOf(s).occ)
		}
		for _, s := range windows(text) {
			checkWordIndex(t, sets, s, []int{0})
		}
		sw := wordsOf(text)
		if other := text + " "; sw.answers(sets[0], other) || len(text) > 1 && sw.answers(sets[0], text[1:]) {
			t.Fatalf("the index of %q answers for another string", text)
		}
	}
	if found == 0 {
		t.Fatal("the index found no word in the fixtures")
	}
}

func FuzzWordIndex(f *testing.F) {
	for _, s := range cueTexts(f) {
		f.Add(s, uint(len(s)/2))
	}
	sets := indexedSets(f)
	f.Fuzz(func(t *testing.T, s string, p uint) {
		checkWordIndex(t, sets, s, []int{0, int(p % uint(len(s)+1))})
	})
}

// TestASCIILowerLowersEachByte: asciiLower, which lower-cases through a buffer a chunk at
// a time, lower-cases every ASCII letter and only those, at every length around the
// chunk's.
func TestASCIILowerLowersEachByte(t *testing.T) {
	seed := "Lazarus Group STOLE $1.5bn from Bybit’s \xffWALLET; Ω ſ \u212a "
	for _, n := range []int{0, 1, 2, 255, 256, 257, 511, 512, 513, 2000} {
		s := strings.Repeat(seed, n/len(seed)+1)[:n]
		want := make([]byte, n)
		for i := range n {
			want[i] = s[i]
			if 'A' <= s[i] && s[i] <= 'Z' {
				want[i] += 'a' - 'A'
			}
		}
		if got := asciiLower(s); got != string(want) {
			t.Fatalf("asciiLower of %d bytes: %q, want %q", n, got, want)
		}
	}
}

// sentencesByRune is Sentences as it was written first, decoding every rune: the
// reference the byte-stepping loop is pinned to.
func sentencesByRune(text string) []Sentence {
	var out []Sentence
	start := 0
	emit := func(end int) {
		s := text[start:end]
		trimmed := strings.TrimSpace(s)
		if trimmed != "" {
			lead := strings.Index(s, trimmed)
			out = append(out, Sentence{Text: trimmed, Start: start + lead})
		}
		start = end
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		next := i + size
		switch {
		case r == '\n':
			emit(next)
		case r == '.' || r == '!' || r == '?':
			j := next
			for j < len(text) && strings.ContainsRune("\"')]\u201d\u2019", rune(text[j])) {
				j++
			}
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if r2 != '\u201d' && r2 != '\u2019' {
					break
				}
				j += s2
			}
			if j < len(text) && !unicode.IsSpace(rune(text[j])) {
				break
			}
			if r == '.' && isAbbreviation(text[start:i]) {
				break
			}
			if r == '.' && !startsSentence(text[j:]) {
				break
			}
			emit(j)
			next = j
		}
		i = next
	}
	emit(len(text))
	return out
}

// sentenceTexts returns whole fixture texts and variants of them with odd runes and
// bytes next to the sentence ends.
func sentenceTexts(t testing.TB) []string {
	var out []string
	for _, text := range fixtureTexts(t) {
		out = append(out, text,
			strings.ReplaceAll(text, ". ", ".\u201d \u00a0"),
			strings.ReplaceAll(text, ". ", "\xe2. \xff"),
			strings.ReplaceAll(text, " ", "\u2028"),
			strings.ReplaceAll(text, "a", "\u00e9."))
	}
	return out
}

// TestSentencesIsTheRuneScan: Sentences, which steps over the bytes that cannot end a
// sentence, splits every fixture and odd variant as the rune-by-rune scan does.
func TestSentencesIsTheRuneScan(t *testing.T) {
	for _, text := range sentenceTexts(t) {
		if got, want := Sentences(text), sentencesByRune(text); !slices.Equal(got, want) {
			t.Fatalf("Sentences(%q) = %+v, the rune scan says %+v", text, got, want)
		}
	}
}

func FuzzSentences(f *testing.F) {
	for _, s := range sentenceTexts(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := Sentences(text), sentencesByRune(text); !slices.Equal(got, want) {
			t.Fatalf("Sentences(%q) = %+v, the rune scan says %+v", text, got, want)
		}
	})
}

// fixtureTexts returns the texts of the golden fixtures.
func fixtureTexts(t testing.TB) []string {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// describedWithin80 reports whether describedVictimRE's noun, in its match on s, ends
// within the first 80 bytes: the part of a sentence subjectVictim looks at.
func describedWithin80(s string) bool {
	m := describedVictimRE.re.FindStringSubmatchIndex(s)
	return m != nil && strings.LastIndexFunc(s[:m[2]], func(r rune) bool { return r >= utf8.RuneSelf || !reSpace(byte(r)) }) < 80
}

// TestDescribedNameMayGatesDescribedVictim: wherever describedVictimRE matches with its
// noun in the first 80 bytes, describedNameMay agrees; and it refuses the sentences
// whose noun no name follows.
func TestDescribedNameMayGatesDescribedVictim(t *testing.T) {
	texts := append(cueTexts(t),
		"Singapore-based exchange Phemex lost $70 million.", "The crypto lender eBay-like Celsius froze withdrawals.",
		"Japanese exchange  DMM Bitcoin said", "The bridge\tNomad was drained.", "The exchange said it would pay users back.",
		"A Bank Of Valletta", "The exchanges Bybit and OKX", "exchange WazirX", "firm")
	matched := 0
	for _, text := range texts {
		for _, w := range windows(text) {
			if !trusted(w) || !describedVictimRE.re.MatchString(w) || !describedWithin80(w) {
				continue
			}
			matched++
			if !describedNameMay(w, min(len(w), 80)) {
				t.Errorf("describedVictimRE matches %q, describedNameMay says it cannot", w)
			}
		}
	}
	if matched < 10 {
		t.Errorf("describedVictimRE matches only %d windows: the test tests little", matched)
	}
	for _, s := range []string{"The exchange said it would pay users back.", "The exchanges Bybit and OKX", "Exchange Bybit", "The exchange-run wallet"} {
		if describedNameMay(s, min(len(s), 80)) {
			t.Errorf("describedNameMay(%q) = true: no noun of describedVictimRE is followed by a name there", s)
		}
	}
}

// TestByteLoopsAreTheStringsFunctions: containsDigit and singleSpaced answer what the
// strings functions they stand for answer.
func TestByteLoopsAreTheStringsFunctions(t *testing.T) {
	for _, s := range append(cueTexts(t), "", " ", "  ", "a  b", "a\tb", "a\r\nb", "\f", "x9", "٣ arabic digit", "a b c", "LAST year", "thİs time", "RansomKware", "this\tweek", "RANSOMWARE") {
		if got, want := containsDigit(s), strings.ContainsAny(s, "0123456789"); got != want {
			t.Errorf("containsDigit(%q) = %v, want %v", s, got, want)
		}
		if got, want := singleSpaced(s), !strings.Contains(s, "  ") && !strings.ContainsAny(s, "\t\n\r\f"); got != want {
			t.Errorf("singleSpaced(%q) = %v, want %v", s, got, want)
		}
		if got, want := wordsOf(s).spaced, singleSpaced(s); got != want {
			t.Errorf("the words of %q say spaced = %v, singleSpaced says %v", s, got, want)
		}
		sw := wordsOf(s)
		low := sw.lowerOf(s)
		if got, want := lastThisSet.holds(sw, low), strings.Contains(low, "last ") || strings.Contains(low, "this "); got != want {
			t.Errorf("lastThisSet holds in %q: %v, strings.Contains says %v", s, got, want)
		}
		if got, want := ransomwareSet.holds(sw, low), strings.Contains(low, "ransomware"); got != want {
			t.Errorf("ransomwareSet holds in %q: %v, strings.Contains says %v", s, got, want)
		}
	}
}

// TestVictimPrepMatchesIsTheExpression: victimPrepMatches, which reads the "stole ...
// from" branch by hand, answers what victimPrepRE answers, on every window of the
// fixture sentences and on texts made to probe the count, the full stops and the
// boundaries.
func TestVictimPrepMatchesIsTheExpression(t *testing.T) {
	long := strings.Repeat("x", 78) // with a space either side, 80 characters between the words: the most

	texts := append(cueTexts(t),
		"thieves stole 4.5 million dollars in ether and other tokens from the ",
		"hackers stole funds. Then from the ",
		"they stole it; from the ",
		"stole "+long+" from the ", "stole "+long+"y from the ", "stole "+long[:76]+"1.2 from the ", "stole "+long[:77]+"1.2 from the ",
		"stole "+long[:77]+"é from the ", "stole "+long+"é from the ",
		"STOLE $5M FROM THE CRYPTO ", "restole from the ", "stole from the ", "stolefrom the ", "stole x from\tthe DeFi ",
		"drained 1.5 ETH.. from the ", "heist from an ", "made off with $1m from Web3 ", "took ₿3 from the ",
		"the theft of the ", "Bybit was hacked by the ")
	matched, byHand := 0, 0
	for _, text := range texts {
		for _, w := range windows(text) {
			got, want := victimPrepMatches(w), victimPrepRE.re.MatchString(w)
			if got != want {
				t.Fatalf("victimPrepMatches(%q) = %v, victimPrepRE says %v", w, got, want)
			}
			if want {
				matched++
				if !victimPrepNearRE.re.MatchString(w) {
					byHand++
				}
			}
		}
	}
	if matched < 50 || byHand < 20 {
		t.Errorf("victimPrepRE matches %d windows, %d by its taking branch alone: the test tests little", matched, byHand)
	}
}

// TestYearMatchesIsYearRE: yearMatches finds what yearRE finds, groups and all.
func TestYearMatchesIsYearRE(t *testing.T) {
	texts := append(cueTexts(t), "in 2022", "In 2022", "in\t\n 1999.", "since 20245", "mid- 2023 and mid 2024 and mid-2025",
		"throughout 2020, through 2021, throughoutx 2022", "begin 2019", "x2019 2019x _2019 2019_", "of 2020of 2021", "by2020",
		"from 1899 to 2101", "2020", "in ", "late\f2017-2018", "early 20 2019", "in 2019\u00e9")
	found := 0
	for _, text := range texts {
		for _, w := range windows(text) {
			got, want := yearMatches(w), yearRE.FindAllStringSubmatchIndex(w, -1)
			if !slices.EqualFunc(got, want, slices.Equal) {
				t.Fatalf("yearMatches(%q) = %v, yearRE finds %v", w, got, want)
			}
			found += len(want)
		}
	}
	if found < 100 {
		t.Errorf("yearRE finds %d years: the test tests little", found)
	}
}

// TestVictimNounBeforeGatesVictimNoun: wherever a match of victimNounRE ends with a theft
// noun, victimNounBefore lets the text before the noun through.
func TestVictimNounBeforeGatesVictimNoun(t *testing.T) {
	texts := append(cueTexts(t), "Hackers hit the Ronin Network bridge hack", "the eBay Inc. data breach", "THE BYBIT HACK and the Bybit hack",
		"a 2024 Harmony Horizon bridge's $100 million crypto heist", "Mixin Network's cyber heist", "X, Y Z hack", "the 3CX supply chain attack",
		"the Poly Network hot-wallet theft", "the Ronin (Axie) hack", "Mt. Gox’s exchange hack", "the iPhone maker's email breach",
		"the Nomad $190m flash-loan exploit", "Bybit-hack", "the Kelvin \u212aorea hack", "the Bybit $5 m hack",
		"the Poly Network smart contract exploit", "the Ronin bridge’s hack", "the Ronin bridge' hack", "the Harmony supply chain attack",
		"the Euler flash loan exploit", "the Bybit\thack", "the Bybit  cyberattack", "the Bybit cyber-attack", "the 3CX hack", "the eBay hack", "00000000000 a000000a theft", "the x3CX hack", "the xBay hack")
	matched := 0
	for _, text := range texts {
		for _, n := range theftNounRE.re.FindAllStringIndex(text, -1) {
			for from := 0; from <= n[0]; from++ {
				for _, m := range victimNounRE.re.FindAllStringIndex(text[from:n[1]], -1) {
					if m[1] != n[1]-from {
						continue
					}
					matched++
					if !victimNounBefore(text[from:n[0]]) {
						t.Fatalf("victimNounRE matches %q, ending with the noun; victimNounBefore(%q) says it cannot", text[from+m[0]:n[1]], text[from:n[0]])
					}
				}
			}
		}
	}
	if matched < 200 {
		t.Errorf("victimNounRE ends with a theft noun %d times: the test tests little", matched)
	}
	for _, s := range []string{"the ", "a ", "(", "Bybit", ""} {
		if victimNounBefore(s) {
			t.Errorf("victimNounBefore(%q) = true: no match of victimNounRE reaches a noun after it", s)
		}
	}
}

// TestAppositiveIsAppositiveRE: appositive finds what appositiveRE finds.
func TestAppositiveIsAppositiveRE(t *testing.T) {
	hundred := strings.Repeat("é", 99)
	texts := append(cueTexts(t), ", a unit of the GRU, was", " ,x,", ",,", ", ;,", " \t, a; b,", ","+hundred+"x,", ","+hundred+"xy,",
		","+hundred+",", ", \xff\xfe,", "", ",", " , ", ", the group,", "Sandworm, a unit of Russia's GRU, was behind it",
		"Lazarus Group, the North Korean operation, is suspected", "APT38 ,  which Mandiant tracks , stole")
	matched := 0
	for _, text := range texts {
		for _, w := range windows(text) {
			got, want := appositive(w), appositiveRE.FindStringIndex(w)
			if !slices.Equal(got, want) {
				t.Fatalf("appositive(%q) = %v, appositiveRE finds %v", w, got, want)
			}
			if want != nil {
				matched++
			}
		}
	}
	if matched < 15 {
		t.Errorf("appositiveRE matches %d windows: the test tests little", matched)
	}
}

// TestTrustedIsNoFoldedRune: trusted says whether s holds neither rune that Unicode folds
// onto an ASCII letter.
func TestTrustedIsNoFoldedRune(t *testing.T) {
	for _, s := range append(cueTexts(t), "", "\u212a", "\u017f", "x\u212ay", "’’—\u212a", "ſ", "\xc5", "\xe2\x84", "\xc5\xc5\xbf", "—“”’") {
		if got, want := trusted(s), !strings.ContainsRune(s, '\u212a') && !strings.ContainsRune(s, '\u017f'); got != want {
			t.Errorf("trusted(%q) = %v, want %v", s, got, want)
		}
	}
}

// yearRE is the expression yearMatches reads by hand.
var yearRE = regexp.MustCompile(`\b(?:in|since|during|of|from|by|throughout|early|late|mid-?|until|through)\s+((?:19|20)\d\d)\b|\b((?:19|20)\d\d)\b`)

// appositiveRE is the expression appositive reads by hand.
var appositiveRE = regexp.MustCompile(`^\s*,[^,;]{1,100},`)

// singleSpaced, what sentenceWords.spaced notes, reports whether the white space of s
// is single spaces only: no two in a row, and no tab, line break or form feed.
func singleSpaced(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\t', '\n', '\r', '\f':
			return false
		case ' ':
			if i > 0 && s[i-1] == ' ' {
				return false
			}
		}
	}
	return true
}
