package extract

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"testing"
)

// TestBranchCutsKeepEveryBranchThatMatches: wherever a branch of a cue's first choice
// matches, on its own, from a position of a sentence, kept keeps it; and the run cut to
// the branches kept finds what the whole expression finds from there. Like the gates,
// the cuts serve text without the runes Unicode folds onto ASCII letters.
func TestBranchCutsKeepEveryBranchThatMatches(t *testing.T) {
	texts := append(cueTexts(t), "HACKERS STOLE $5M FROM THE EXCHANGE", "the Theft of 2,000 BTC", "stolen from", "x")
	cut, cutSome := 0, 0
	for _, c := range cues {
		if c.cut == nil {
			continue
		}
		cut++
		alt := c.cut.tree
		for _, i := range c.cut.path {
			alt = alt.Sub[i]
		}
		branches := make([]*regexp.Regexp, len(alt.Sub))
		for i, b := range alt.Sub {
			branches[i] = regexp.MustCompile(`^(?:` + b.String() + `)`)
		}
		for _, s := range texts {
			if !trusted(s) {
				continue // the gates, and so the cuts, serve trusted text only (see cue)
			}
			for p := 0; p <= len(s); p++ {
				kept := c.cut.kept(s, p)
				for i, b := range branches {
					if kept&(1<<i) == 0 && b.MatchString(s[p:]) {
						t.Fatalf("%s\nbranch %d (%s) matches %q at %d; kept leaves it out", c, i, alt.Sub[i], s, p)
					}
				}
				if kept == c.cut.all || kept == 0 {
					continue
				}
				cutSome++
				for kind, whole := range []*regexp.Regexp{c.at0, c.atN, c.lowAt0, c.lowAtN} {
					from := p
					if kind%2 == 1 {
						if p == 0 {
							continue
						}
						from = leadStart(s, p)
					}
					in := s[from:]
					if kind >= 2 {
						if whole == nil {
							continue
						}
						in = lowerWords(in)
					}
					re := c.cut.run(kept, kind)
					if re == nil {
						continue // past maxCuts: the whole one runs
					}
					if got, want := re.FindStringSubmatchIndex(in), whole.FindStringSubmatchIndex(in); !slices.Equal(got, want) {
						t.Fatalf("%s\nfrom %d of %q (run %d): the cut finds %v, the whole %v", c, p, s, kind, got, want)
					}
				}
			}
		}
	}
	if cut < 40 || cutSome < 1000 {
		t.Errorf("%d cues cut, %d cut runs checked: the test tests little", cut, cutSome)
	}
}

// TestBranchCutsAreBounded: a cue compiles at most maxCuts cut expressions; past that,
// runs use the whole expression.
func TestBranchCutsAreBounded(t *testing.T) {
	k := branchCutOf(mustParse(t, `(?i)\b(?:a1|b2|c3|d4|e5|f6|g7|h8)x`), true)
	if k == nil {
		t.Fatal("no cut for an expression led by a choice of words")
	}
	n := 0
	for kept := uint64(1); kept < k.all; kept++ {
		if k.run(kept, 0) != nil {
			n++
		}
	}
	if n != maxCuts {
		t.Errorf("%d cuts compiled, want %d", n, maxCuts)
	}
	if k.run(1, 2) == nil {
		t.Error("a cut compiled before the bound is not run")
	}
}

func mustParse(t *testing.T, expr string) *syntax.Regexp {
	t.Helper()
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}
