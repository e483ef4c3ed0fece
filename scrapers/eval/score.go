package eval

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/cyberkg/cyberkg/scrapers/extract"
)

// EntityTypes are the entity types reported, in order; HeadlineEntityTypes are those
// the headline entity score is micro-averaged over (organizations are annotated only as
// victims and attributors, so their precision means little).
var (
	EntityTypes         = []string{"actor", "state", "incident", "organization", "sector", "amount", "date"}
	HeadlineEntityTypes = []string{"actor", "state", "incident", "amount"}
	RelationTypes       = []string{"ATTRIBUTED_TO", "AFFILIATED_WITH", "COLLABORATES_WITH", "TARGETED", "STOLE"}
)

// Tolerance is how far, relative to the gold value, a predicted amount may be off.
const Tolerance = 0.01

// Score runs predict on each gold document and scores what it returns. A nil result
// counts as a prediction of nothing.
func Score(golds []*Gold, predict func(*Gold) *extract.Result) *Report {
	t := newTally()
	for _, g := range golds {
		if g == nil {
			continue
		}
		var res *extract.Result
		if predict != nil {
			res = predict(g)
		}
		if res == nil {
			res = &extract.Result{}
		}
		t.file(newDoc(g, res))
	}
	return t.report()
}

// norm is how names compare: lower case, white space collapsed, punctuation and a
// leading "the" trimmed ("The Lazarus Group." = "lazarus group"). Curly apostrophes
// are read as straight ones, so "Russia’s" = "Russia's".
func norm(s string) string {
	s = strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, "’", "'"))), " ")
	for {
		t := strings.TrimFunc(s, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
		t = strings.TrimPrefix(t, "the ")
		if t == s {
			return s
		}
		s = t
	}
}

// relType maps the graph's SPONSORED_BY and PART_OF onto AFFILIATED_WITH.
func relType(t string) string {
	t = strings.ToUpper(strings.TrimSpace(t))
	switch t {
	case "SPONSORED_BY", "PART_OF":
		return "AFFILIATED_WITH"
	}
	return t
}

func entType(t string) string { return strings.ToLower(strings.TrimSpace(t)) }

// end is an entity as something to match: its type ("" when unknown) and every
// normalised name it goes by.
type end struct {
	typ  string
	keys map[string]bool
}

func newEnd(typ string, names ...[]string) end {
	e := end{typ: typ, keys: map[string]bool{}}
	for _, ns := range names {
		for _, n := range ns {
			if k := norm(n); k != "" {
				e.keys[k] = true
			}
		}
	}
	return e
}

func (a end) matches(b end) bool {
	if a.typ != "" && b.typ != "" && a.typ != b.typ {
		return false
	}
	for k := range a.keys {
		if b.keys[k] {
			return true
		}
	}
	return false
}

func anyMatch(as, bs []end) bool {
	for _, a := range as {
		for _, b := range bs {
			if a.matches(b) {
				return true
			}
		}
	}
	return false
}

// doc is one gold document with its prediction, indexed for matching.
type doc struct {
	gold     *Gold
	res      *extract.Result
	goldEnds map[string][]end // by normalised canonical name
	predEnds map[string][]end // by normalised predicted name
	amounts  map[string]*extract.AmountMention
	rels     []*extract.Relation
	ents     []*extract.Entity
	preds    []*extract.AmountMention // one per distinct surface
}

func newDoc(g *Gold, res *extract.Result) *doc {
	d := &doc{gold: g, res: res, goldEnds: map[string][]end{}, predEnds: map[string][]end{}, amounts: map[string]*extract.AmountMention{}}
	// same_as is read both ways: "A same_as B" lets B's relations be met by A's names.
	same := map[string][]string{}
	for _, e := range g.Entities {
		for _, s := range e.SameAs {
			same[norm(e.Name)] = append(same[norm(e.Name)], s)
			same[norm(s)] = append(same[norm(s)], e.Name)
		}
	}
	for _, e := range g.Entities {
		k := norm(e.Name)
		d.goldEnds[k] = append(d.goldEnds[k], newEnd(entType(e.Type), []string{e.Name}, e.Mentions, same[k]))
	}
	for _, e := range res.Entities {
		if e == nil {
			continue
		}
		d.ents = append(d.ents, e)
		k := norm(e.Name)
		d.predEnds[k] = append(d.predEnds[k], newEnd(entType(e.Type), []string{e.Name}, e.Mentions))
	}
	for _, r := range res.Relations {
		if r != nil {
			d.rels = append(d.rels, r)
		}
	}
	// The extractor lists an amount each time the text gives it; the gold lists each
	// surface once. The same surface predicted twice is one prediction.
	for _, a := range res.Amounts {
		if a == nil {
			continue
		}
		if k := norm(a.Surface); d.amounts[k] == nil {
			d.amounts[k] = a
			d.preds = append(d.preds, a)
		}
	}
	return d
}

// goldEnd is the gold entity a relation names; a name no entity has stands for itself.
func (d *doc) goldEnd(name string) []end {
	if es := d.goldEnds[norm(name)]; len(es) > 0 {
		return es
	}
	return []end{newEnd("", []string{name})}
}

// predEnd is the predicted entity a predicted relation names, with its mentions.
func (d *doc) predEnd(name string) []end {
	if es := d.predEnds[norm(name)]; len(es) > 0 {
		return es
	}
	return []end{newEnd("", []string{name})}
}

// relMatches says whether predicted relation p states gold (or optional, or negative)
// relation g.
func (d *doc) relMatches(p *extract.Relation, g Relation) bool {
	t := relType(p.Type)
	switch {
	case t != relType(g.Type):
		return false
	case t == "STOLE":
		return anyMatch(d.predEnd(p.From), d.goldEnd(g.From)) && d.stoleMatches(p, g.To)
	case anyMatch(d.predEnd(p.From), d.goldEnd(g.From)) && anyMatch(d.predEnd(p.To), d.goldEnd(g.To)):
		return true
	}
	return t == "COLLABORATES_WITH" && anyMatch(d.predEnd(p.From), d.goldEnd(g.To)) && anyMatch(d.predEnd(p.To), d.goldEnd(g.From))
}

// stoleMatches compares a predicted STOLE's amount with the gold amount whose surface
// is surface: on value and currency when both are known, else on the surface.
func (d *doc) stoleMatches(p *extract.Relation, surface string) bool {
	var (
		v   float64
		cur string
		ok  bool
	)
	if p.Value != nil && p.Currency != nil {
		v, cur, ok = *p.Value, *p.Currency, true
	} else if a := d.amounts[norm(p.To)]; a != nil {
		v, cur, ok = a.Value, a.Currency, true
	}
	if ga, found := d.gold.amount(surface); found && ga.numeric() && ok {
		return ga.matches(v, cur)
	}
	return norm(p.To) == norm(surface)
}

func (a Amount) numeric() bool {
	return a.Value != nil || a.ValueUSD != nil || len(a.ValueUSDRange) == 2
}

// matches says whether a predicted value and currency are this amount: the native
// value and currency within Tolerance; or, for a surface in dollars ("$25.5 million
// USDC"), its dollar value in USD; or, for a range, any USD value within the range
// widened by Tolerance.
func (a Amount) matches(v float64, cur string) bool {
	cur = strings.ToUpper(strings.TrimSpace(cur))
	if a.Value != nil && cur == strings.ToUpper(strings.TrimSpace(a.Currency)) && within(v, *a.Value) {
		return true
	}
	if a.ValueUSD != nil && cur == "USD" && within(v, *a.ValueUSD) {
		return true
	}
	if a.Value == nil && a.ValueUSD == nil && len(a.ValueUSDRange) == 2 && cur == "USD" {
		lo, hi := a.ValueUSDRange[0], a.ValueUSDRange[1]
		return v >= lo-Tolerance*math.Abs(lo) && v <= hi+Tolerance*math.Abs(hi)
	}
	return false
}

func within(v, gold float64) bool { return math.Abs(v-gold) <= Tolerance*math.Abs(gold) }

// amountMatches compares a predicted amount with a gold one: on value and currency,
// or on the surface when the gold gives no value.
func amountMatches(p *extract.AmountMention, g Amount) bool {
	if g.numeric() {
		return g.matches(p.Value, p.Currency)
	}
	return norm(p.Surface) == norm(g.Surface)
}

// match pairs predictions with gold items so that as many as possible are paired,
// each at most once (a maximum bipartite matching, by augmenting paths; the lists
// are small). It returns, for each prediction, its gold item or -1. Unlike a greedy
// pass, it does not depend on the order predictions come in: a prediction that could
// take either of two gold items leaves the one another prediction needs.
func match(np, ng int, ok func(p, g int) bool) []int {
	adj := make([][]int, np)
	for p := range np {
		for g := range ng {
			if ok(p, g) {
				adj[p] = append(adj[p], g)
			}
		}
	}
	owner := slices.Repeat([]int{-1}, ng)
	var seen []bool
	var try func(p int) bool
	try = func(p int) bool {
		for _, g := range adj[p] {
			if seen[g] {
				continue
			}
			seen[g] = true
			if owner[g] < 0 || try(owner[g]) {
				owner[g] = p
				return true
			}
		}
		return false
	}
	for p := range np {
		seen = make([]bool, ng)
		try(p)
	}
	out := slices.Repeat([]int{-1}, np)
	for g, p := range owner {
		if p >= 0 {
			out[p] = g
		}
	}
	return out
}
