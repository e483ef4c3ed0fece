package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/cyberkg/cyberkg/scrapers/extract"
)

// Counts are the true positives, false positives and false negatives of one score.
type Counts struct {
	Type string // entity or relation type; empty for a micro-average
	TP   int
	FP   int
	FN   int
}

func (c *Counts) add(o Counts) { c.TP, c.FP, c.FN = c.TP+o.TP, c.FP+o.FP, c.FN+o.FN }

// Precision is TP/(TP+FP); ok is false when nothing was predicted.
func (c Counts) Precision() (p float64, ok bool) { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN); ok is false when the gold has nothing.
func (c Counts) Recall() (r float64, ok bool) { return ratio(c.TP, c.TP+c.FN) }

// F1 is 2TP/(2TP+FP+FN), the harmonic mean of precision and recall, and 0 when either
// is 0 or undefined; ok is false only when there was nothing to find and nothing found.
func (c Counts) F1() (f float64, ok bool) { return ratio(2*c.TP, 2*c.TP+c.FP+c.FN) }

func ratio(a, b int) (float64, bool) {
	if b == 0 {
		return 0, false
	}
	return float64(a) / float64(b), true
}

// MarshalJSON adds precision, recall and F1, null where undefined.
func (c Counts) MarshalJSON() ([]byte, error) {
	opt := func(v float64, ok bool) *float64 {
		if !ok {
			return nil
		}
		return &v
	}
	return json.Marshal(struct {
		Type      string   `json:"type,omitempty"`
		TP        int      `json:"tp"`
		FP        int      `json:"fp"`
		FN        int      `json:"fn"`
		Precision *float64 `json:"precision"`
		Recall    *float64 `json:"recall"`
		F1        *float64 `json:"f1"`
	}{c.Type, c.TP, c.FP, c.FN, opt(c.Precision()), opt(c.Recall()), opt(c.F1())})
}

// Report is the scores over all gold files, with what went wrong file by file.
type Report struct {
	Files        int    `json:"files"`
	Entity       Counts `json:"entity"` // micro over HeadlineEntityTypes
	Relation     Counts `json:"relation"`
	AttributedTo Counts `json:"attributed_to"`
	Amount       Counts `json:"amount"` // the amounts lists

	EntityTypes   []Counts      `json:"entity_types"`
	RelationTypes []Counts      `json:"relation_types"`
	NegativeHits  []Fact        `json:"negative_hits"`
	PerFile       []*FileReport `json:"per_file,omitempty"`
}

// FileReport is one gold file's scores and the differences behind them.
type FileReport struct {
	File     string `json:"file"`
	Entity   Counts `json:"entity"` // micro over HeadlineEntityTypes
	Relation Counts `json:"relation"`
	Amount   Counts `json:"amount"`

	MissedRelations []Fact   `json:"missed_relations"` // gold, with the gold evidence
	FalsePositives  []Fact   `json:"false_positives"`  // predicted, with the extractor's evidence
	OptionalHits    []Fact   `json:"optional_hits"`    // predicted, neither hit nor false positive
	MissedEntities  []string `json:"missed_entities"`
	ExtraEntities   []string `json:"extra_entities"`
	MissedAmounts   []string `json:"missed_amounts"`
	ExtraAmounts    []string `json:"extra_amounts"`
}

// Fact is one relation in a report: a gold one missed, or a prediction that is not gold.
type Fact struct {
	File     string `json:"file,omitempty"`
	Type     string `json:"type"`
	From     string `json:"from"`
	To       string `json:"to"`
	Evidence string `json:"evidence"`
	Negative bool   `json:"negative,omitempty"` // matches a negative relation
	Reason   string `json:"reason,omitempty"`   // the gold's reason, for optional and negative
}

func (f Fact) String() string { return fmt.Sprintf("%s %s -> %s", f.Type, f.From, f.To) }

type tally struct {
	files     int
	entities  map[string]*Counts
	relations map[string]*Counts
	amount    Counts
	negatives []Fact
	perFile   []*FileReport
}

func newTally() *tally {
	return &tally{entities: map[string]*Counts{}, relations: map[string]*Counts{}}
}

func bump(m map[string]*Counts, typ string, c Counts) {
	if m[typ] == nil {
		m[typ] = &Counts{Type: typ}
	}
	m[typ].add(c)
}

func (t *tally) file(d *doc) {
	t.files++
	fr := &FileReport{File: d.gold.File}
	t.scoreEntities(d, fr)
	t.scoreRelations(d, fr)
	t.scoreAmounts(d, fr)
	t.perFile = append(t.perFile, fr)
}

func (t *tally) scoreEntities(d *doc, fr *FileReport) {
	var types []string
	for _, e := range d.gold.Entities {
		types = append(types, entType(e.Type))
	}
	for _, e := range d.ents {
		types = append(types, entType(e.Type))
	}
	slices.Sort(types)
	for _, typ := range slices.Compact(types) {
		var golds []Entity
		var gends []end
		for _, e := range d.gold.Entities {
			if entType(e.Type) == typ {
				golds = append(golds, e)
				gends = append(gends, newEnd(typ, []string{e.Name}, e.Mentions))
			}
		}
		var preds []*extract.Entity
		var pends []end
		for _, e := range d.ents {
			if entType(e.Type) == typ {
				preds = append(preds, e)
				pends = append(pends, newEnd(typ, []string{e.Name}, e.Mentions))
			}
		}
		m := match(len(preds), len(golds), func(p, g int) bool { return pends[p].matches(gends[g]) })
		c := Counts{}
		hit := make([]bool, len(golds))
		for p, g := range m {
			if g >= 0 {
				c.TP++
				hit[g] = true
			} else {
				c.FP++
				fr.ExtraEntities = append(fr.ExtraEntities, typ+" "+preds[p].Name)
			}
		}
		for g, ok := range hit {
			if !ok {
				c.FN++
				fr.MissedEntities = append(fr.MissedEntities, typ+" "+golds[g].Name)
			}
		}
		bump(t.entities, typ, c)
		if slices.Contains(HeadlineEntityTypes, typ) {
			fr.Entity.add(c)
		}
	}
}

func (t *tally) scoreRelations(d *doc, fr *FileReport) {
	golds := d.gold.Relations
	m := match(len(d.rels), len(golds), func(p, g int) bool { return d.relMatches(d.rels[p], golds[g]) })
	hit := make([]bool, len(golds))
	fact := func(r *extract.Relation) Fact {
		return Fact{Type: relType(r.Type), From: r.From, To: r.To, Evidence: r.Evidence}
	}
	for p, g := range m {
		r := d.rels[p]
		typ := relType(r.Type)
		if g >= 0 {
			hit[g] = true
			bump(t.relations, typ, Counts{TP: 1})
			fr.Relation.TP++
			continue
		}
		// A reading the gold calls wrong is reported as such even if another list
		// also calls it defensible.
		if i := slices.IndexFunc(d.gold.Negative, func(n Relation) bool { return d.relMatches(r, n) }); i >= 0 {
			f := fact(r)
			f.Negative, f.Reason = true, d.gold.Negative[i].Reason
			fr.FalsePositives = append(fr.FalsePositives, f)
			f.File = d.gold.File
			t.negatives = append(t.negatives, f)
		} else if i := slices.IndexFunc(d.gold.Optional, func(o Relation) bool { return d.relMatches(r, o) }); i >= 0 {
			f := fact(r)
			f.Reason = d.gold.Optional[i].Reason
			fr.OptionalHits = append(fr.OptionalHits, f)
			continue
		} else {
			fr.FalsePositives = append(fr.FalsePositives, fact(r))
		}
		bump(t.relations, typ, Counts{FP: 1})
		fr.Relation.FP++
	}
	for g, ok := range hit {
		if !ok {
			r := golds[g]
			bump(t.relations, relType(r.Type), Counts{FN: 1})
			fr.Relation.FN++
			fr.MissedRelations = append(fr.MissedRelations, Fact{Type: relType(r.Type), From: r.From, To: r.To, Evidence: r.Evidence})
		}
	}
}

func (t *tally) scoreAmounts(d *doc, fr *FileReport) {
	golds := d.gold.Amounts
	m := match(len(d.preds), len(golds), func(p, g int) bool { return amountMatches(d.preds[p], golds[g]) })
	hit := make([]bool, len(golds))
	for p, g := range m {
		if g >= 0 {
			hit[g] = true
			fr.Amount.TP++
			continue
		}
		a := d.preds[p]
		fr.Amount.FP++
		fr.ExtraAmounts = append(fr.ExtraAmounts, fmt.Sprintf("%s (%s %s)", a.Surface, num(a.Value), a.Currency))
	}
	for g, ok := range hit {
		if !ok {
			a := golds[g]
			fr.Amount.FN++
			fr.MissedAmounts = append(fr.MissedAmounts, fmt.Sprintf("%s (%s, %s)", a.Surface, a.valueString(), a.Kind))
		}
	}
	t.amount.add(fr.Amount)
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func (a Amount) valueString() string {
	switch {
	case a.Value != nil:
		return num(*a.Value) + " " + a.Currency
	case a.ValueUSD != nil:
		return num(*a.ValueUSD) + " USD"
	case len(a.ValueUSDRange) == 2:
		return num(a.ValueUSDRange[0]) + "-" + num(a.ValueUSDRange[1]) + " USD"
	}
	return "no value"
}

func (t *tally) report() *Report {
	r := &Report{Files: t.files, Amount: t.amount, NegativeHits: t.negatives, PerFile: t.perFile}
	r.EntityTypes = ordered(t.entities, EntityTypes)
	r.RelationTypes = ordered(t.relations, RelationTypes)
	for _, c := range r.EntityTypes {
		if slices.Contains(HeadlineEntityTypes, c.Type) {
			r.Entity.add(c)
		}
	}
	for _, c := range r.RelationTypes {
		r.Relation.add(c)
		if c.Type == "ATTRIBUTED_TO" {
			r.AttributedTo = c
			r.AttributedTo.Type = ""
		}
	}
	if r.NegativeHits == nil {
		r.NegativeHits = []Fact{}
	}
	return r
}

// ordered lists the counts of the known types in order, zero when unseen, then any
// other type seen, by name.
func ordered(m map[string]*Counts, known []string) []Counts {
	var out []Counts
	for _, typ := range known {
		c := Counts{Type: typ}
		if m[typ] != nil {
			c = *m[typ]
		}
		out = append(out, c)
	}
	var extra []string
	for typ := range m {
		if !slices.Contains(known, typ) {
			extra = append(extra, typ)
		}
	}
	slices.Sort(extra)
	for _, typ := range extra {
		out = append(out, *m[typ])
	}
	return out
}

func f3(v float64, ok bool) string {
	if !ok {
		return "    -"
	}
	return fmt.Sprintf("%.3f", v)
}

func (c Counts) line(label string) string {
	return fmt.Sprintf("%-20s %s  %s  %s  %4d %4d %4d", label, f3(c.F1()), f3(c.Precision()), f3(c.Recall()), c.TP, c.FP, c.FN)
}

// WriteText writes the headline figures, the scores per type and the negative hits.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "scored %d gold files\n\n", r.Files)
	fmt.Fprintf(&b, "%-20s %5s  %5s  %5s  %4s %4s %4s\n", "", "F1", "P", "R", "tp", "fp", "fn")
	fmt.Fprintln(&b, r.Entity.line("entity F1"))
	fmt.Fprintln(&b, r.Relation.line("relation F1"))
	fmt.Fprintln(&b, r.AttributedTo.line("ATTRIBUTED_TO F1"))
	fmt.Fprintln(&b, r.Amount.line("amount F1"))
	fmt.Fprintf(&b, "%-20s %d\n", "negative hits", len(r.NegativeHits))
	fmt.Fprintf(&b, "(entity F1 is micro-averaged over %s; amount F1 scores the amounts lists)\n", strings.Join(HeadlineEntityTypes, ", "))

	fmt.Fprintf(&b, "\n%-20s %5s  %5s  %5s  %4s %4s %4s\n", "entities", "F1", "P", "R", "tp", "fp", "fn")
	for _, c := range r.EntityTypes {
		fmt.Fprintln(&b, c.line("  "+c.Type))
	}
	fmt.Fprintln(&b, r.Entity.line("  micro (headline)"))
	fmt.Fprintf(&b, "\n%-20s %5s  %5s  %5s  %4s %4s %4s\n", "relations", "F1", "P", "R", "tp", "fp", "fn")
	for _, c := range r.RelationTypes {
		fmt.Fprintln(&b, c.line("  "+c.Type))
	}
	fmt.Fprintln(&b, r.Relation.line("  micro"))
	fmt.Fprintf(&b, "\n%-20s %5s  %5s  %5s  %4s %4s %4s\n", "amounts", "F1", "P", "R", "tp", "fp", "fn")
	fmt.Fprintln(&b, r.Amount.line("  amounts"))

	fmt.Fprintf(&b, "\nnegative hits: %d\n", len(r.NegativeHits))
	for _, f := range r.NegativeHits {
		fmt.Fprintf(&b, "  %s: %s\n      evidence: %q\n", f.File, f, f.Evidence)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteFiles writes, file by file, the gold relations missed and the predictions that
// are false positives, each with its evidence, then the entities and amounts missed
// and extra.
func (r *Report) WriteFiles(w io.Writer) error {
	var b strings.Builder
	for _, fr := range r.PerFile {
		fmt.Fprintf(&b, "\n== %s\n", fr.File)
		fmt.Fprintf(&b, "%-20s %5s  %5s  %5s  %4s %4s %4s\n", "", "F1", "P", "R", "tp", "fp", "fn")
		fmt.Fprintln(&b, fr.Entity.line("  entity"))
		fmt.Fprintln(&b, fr.Relation.line("  relation"))
		fmt.Fprintln(&b, fr.Amount.line("  amount"))
		for _, f := range fr.MissedRelations {
			fmt.Fprintf(&b, "  missed          %s\n      gold evidence: %q\n", f, f.Evidence)
		}
		for _, f := range fr.FalsePositives {
			label, why := "false positive", ""
			if f.Negative {
				label, why = "NEGATIVE HIT", " ("+f.Reason+")"
			}
			fmt.Fprintf(&b, "  %-15s %s%s\n      evidence: %q\n", label, f, why, f.Evidence)
		}
		for _, f := range fr.OptionalHits {
			fmt.Fprintf(&b, "  optional        %s (%s)\n", f, f.Reason)
		}
		list := func(label string, xs []string) {
			if len(xs) > 0 {
				fmt.Fprintf(&b, "  %-15s %s\n", label, strings.Join(xs, "; "))
			}
		}
		list("missed entities", fr.MissedEntities)
		list("extra entities", fr.ExtraEntities)
		list("missed amounts", fr.MissedAmounts)
		list("extra amounts", fr.ExtraAmounts)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
