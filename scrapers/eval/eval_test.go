package eval

import (
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/scrapers/extract"
)

// The two gold files in testdata are invented for these tests:
//
//	01-harbor-bridge.json: 5 relations (ATTRIBUTED_TO, AFFILIATED_WITH, TARGETED, 2 STOLE),
//	  1 optional (ATTRIBUTED_TO -> North Korea), 2 negatives (STOLE $5 million,
//	  ATTRIBUTED_TO -> Blue Lantern), 3 amounts; headline entities: 2 actors, 1 state,
//	  1 incident, 3 amounts.
//	02-glenmoor-hospital.json: 5 relations (2 COLLABORATES_WITH, 2 ATTRIBUTED_TO,
//	  TARGETED), 1 negative (STOLE of a $2-3 million cost), 1 range amount; Cinder Group
//	  same_as Copper Kitten; headline entities: 3 actors, 2 states, 1 incident, 1 amount.

func loadGold(t *testing.T) (harbor, glenmoor *Gold) {
	t.Helper()
	golds, err := Load("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(golds) != 2 {
		t.Fatalf("Load(testdata) = %d files, want 2", len(golds))
	}
	return golds[0], golds[1]
}

func ent(typ, name string, mentions ...string) *extract.Entity {
	return &extract.Entity{Type: typ, Name: name, Mentions: mentions}
}

func rel(typ, from, to string) *extract.Relation {
	return &extract.Relation{Type: typ, From: from, To: to, Evidence: "evidence for " + from + " " + typ + " " + to}
}

func stole(from, surface string, v float64, cur string) *extract.Relation {
	r := rel("STOLE", from, surface)
	r.Value, r.Currency = &v, &cur
	return r
}

func amt(surface string, v float64, cur string) *extract.AmountMention {
	return &extract.AmountMention{Surface: surface, Value: v, Currency: cur}
}

// perfect predicts exactly what the gold says.
func perfect(g *Gold) *extract.Result {
	res := &extract.Result{}
	value := func(a Amount) (float64, string) {
		switch {
		case a.Value != nil:
			return *a.Value, a.Currency
		case a.ValueUSD != nil:
			return *a.ValueUSD, "USD"
		case len(a.ValueUSDRange) == 2:
			return (a.ValueUSDRange[0] + a.ValueUSDRange[1]) / 2, "USD"
		}
		return 0, a.Currency
	}
	for _, e := range g.Entities {
		res.Entities = append(res.Entities, ent(e.Type, e.Name, e.Mentions...))
	}
	for _, r := range g.Relations {
		if r.Type == "STOLE" {
			a, _ := g.amount(r.To)
			v, c := value(a)
			res.Relations = append(res.Relations, stole(r.From, r.To, v, c))
			continue
		}
		res.Relations = append(res.Relations, rel(r.Type, r.From, r.To))
	}
	for _, a := range g.Amounts {
		v, c := value(a)
		res.Amounts = append(res.Amounts, amt(a.Surface, v, c))
	}
	return res
}

func scoreOne(g *Gold, res *extract.Result) *Report {
	return Score([]*Gold{g}, func(*Gold) *extract.Result { return res })
}

// want checks counts and the precision, recall and F1 computed by hand from them; a
// negative figure means undefined.
func want(t *testing.T, what string, got Counts, tp, fp, fn int, p, r, f float64) {
	t.Helper()
	if got.TP != tp || got.FP != fp || got.FN != fn {
		t.Errorf("%s: tp/fp/fn = %d/%d/%d, want %d/%d/%d", what, got.TP, got.FP, got.FN, tp, fp, fn)
	}
	check := func(name string, v float64, ok bool, w float64) {
		switch {
		case w < 0 && ok:
			t.Errorf("%s: %s = %.4f, want undefined", what, name, v)
		case w >= 0 && (!ok || math.Abs(v-w) > 1e-9):
			t.Errorf("%s: %s = %.4f (defined %v), want %.4f", what, name, v, ok, w)
		}
	}
	pv, pok := got.Precision()
	check("precision", pv, pok, p)
	rv, rok := got.Recall()
	check("recall", rv, rok, r)
	fv, fok := got.F1()
	check("F1", fv, fok, f)
}

func typ(cs []Counts, name string) Counts {
	for _, c := range cs {
		if c.Type == name {
			return c
		}
	}
	return Counts{Type: name}
}

func TestPerfectPredictionScoresOne(t *testing.T) {
	harbor, glenmoor := loadGold(t)
	rep := Score([]*Gold{harbor, glenmoor}, perfect)
	want(t, "entity", rep.Entity, 14, 0, 0, 1, 1, 1)
	want(t, "relation", rep.Relation, 10, 0, 0, 1, 1, 1)
	want(t, "ATTRIBUTED_TO", rep.AttributedTo, 3, 0, 0, 1, 1, 1)
	want(t, "amount", rep.Amount, 4, 0, 0, 1, 1, 1)
	want(t, "organization", typ(rep.EntityTypes, "organization"), 4, 0, 0, 1, 1, 1)
	want(t, "date", typ(rep.EntityTypes, "date"), 2, 0, 0, 1, 1, 1)
	want(t, "sector", typ(rep.EntityTypes, "sector"), 0, 0, 0, -1, -1, -1)
	want(t, "COLLABORATES_WITH", typ(rep.RelationTypes, "COLLABORATES_WITH"), 2, 0, 0, 1, 1, 1)
	if len(rep.NegativeHits) != 0 {
		t.Errorf("negative hits = %v, want none", rep.NegativeHits)
	}
	if len(rep.EntityTypes) != len(EntityTypes) || len(rep.RelationTypes) != len(RelationTypes) {
		t.Errorf("types reported: %d entity, %d relation; want the %d and %d known", len(rep.EntityTypes), len(rep.RelationTypes), len(EntityTypes), len(RelationTypes))
	}
}

func TestMissingOneRelationLowersRecallOnly(t *testing.T) {
	harbor, _ := loadGold(t)
	res := perfect(harbor)
	var kept []*extract.Relation
	for _, r := range res.Relations {
		if r.Type != "TARGETED" {
			kept = append(kept, r)
		}
	}
	res.Relations = kept
	rep := scoreOne(harbor, res)
	want(t, "relation", rep.Relation, 4, 0, 1, 1, 0.8, 8.0/9)
	want(t, "TARGETED", typ(rep.RelationTypes, "TARGETED"), 0, 0, 1, -1, 0, 0)
	if fr := rep.PerFile[0]; len(fr.MissedRelations) != 1 || fr.MissedRelations[0].Evidence != harbor.Relations[2].Evidence {
		t.Errorf("missed = %+v, want the TARGETED relation with its gold evidence", fr.MissedRelations)
	}
}

func TestNegativeRelationIsFalsePositiveAndReported(t *testing.T) {
	harbor, _ := loadGold(t)
	res := &extract.Result{
		Entities: []*extract.Entity{ent("incident", "Harbor Bridge hack"), ent("actor", "Ferrite Spider"), ent("actor", "Blue Lantern"), ent("state", "North Korea")},
		Relations: []*extract.Relation{
			rel("ATTRIBUTED_TO", "Harbor Bridge hack", "Ferrite Spider"),
			rel("ATTRIBUTED_TO", "Harbor Bridge hack", "Blue Lantern"), // negative
			rel("ATTRIBUTED_TO", "Harbor Bridge hack", "North Korea"),  // optional
			stole("Harbor Bridge hack", "$5 million", 5e6, "USD"),      // negative: recovered
		},
	}
	rep := scoreOne(harbor, res)
	// 1 hit; 2 false positives (the negatives); the optional one is not counted; 4 gold missed.
	want(t, "relation", rep.Relation, 1, 2, 4, 1.0/3, 0.2, 0.25)
	want(t, "ATTRIBUTED_TO", rep.AttributedTo, 1, 1, 0, 0.5, 1, 2.0/3)
	want(t, "STOLE", typ(rep.RelationTypes, "STOLE"), 0, 1, 2, 0, 0, 0)
	if len(rep.NegativeHits) != 2 {
		t.Fatalf("negative hits = %+v, want 2", rep.NegativeHits)
	}
	for i, to := range []string{"Blue Lantern", "$5 million"} {
		h := rep.NegativeHits[i]
		if h.File != "01-harbor-bridge.json" || h.To != to || !h.Negative || h.Reason == "" || h.Evidence != res.Relations[map[int]int{0: 1, 1: 3}[i]].Evidence {
			t.Errorf("negative hit %d = %+v", i, h)
		}
	}
	if fr := rep.PerFile[0]; len(fr.OptionalHits) != 1 || fr.OptionalHits[0].To != "North Korea" {
		t.Errorf("optional hits = %+v, want the North Korea attribution", fr.OptionalHits)
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, line := range []string{
		"negative hits        2",
		"01-harbor-bridge.json: ATTRIBUTED_TO Harbor Bridge hack -> Blue Lantern",
		`evidence: "evidence for Harbor Bridge hack ATTRIBUTED_TO Blue Lantern"`,
		"01-harbor-bridge.json: STOLE Harbor Bridge hack -> $5 million",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("text output lacks %q:\n%s", line, out)
		}
	}
}

func TestOptionalRelationIsNeitherHitNorFalsePositive(t *testing.T) {
	harbor, _ := loadGold(t)
	rep := scoreOne(harbor, &extract.Result{Relations: []*extract.Relation{rel("ATTRIBUTED_TO", "Harbor Bridge hack", "North Korea")}})
	want(t, "relation", rep.Relation, 0, 0, 5, -1, 0, 0)
	want(t, "ATTRIBUTED_TO", rep.AttributedTo, 0, 0, 1, -1, 0, 0)
}

func TestCollaborationIsSymmetricAndOthersAreNot(t *testing.T) {
	_, glenmoor := loadGold(t)
	res := &extract.Result{
		Entities: []*extract.Entity{ent("state", "Russia"), ent("state", "North Korea"), ent("actor", "Ruby Owl group"), ent("actor", "Copper Kitten crew")},
		Relations: []*extract.Relation{
			rel("COLLABORATES_WITH", "Russia", "North Korea"),
			rel("COLLABORATES_WITH", "Ruby Owl group", "Copper Kitten crew"),
			rel("ATTRIBUTED_TO", "Copper Kitten crew", "Glenmoor Hospital ransomware attack (2023)"), // backwards
		},
	}
	rep := scoreOne(glenmoor, res)
	want(t, "COLLABORATES_WITH", typ(rep.RelationTypes, "COLLABORATES_WITH"), 2, 0, 0, 1, 1, 1)
	want(t, "ATTRIBUTED_TO", rep.AttributedTo, 0, 1, 2, 0, 0, 0)
	want(t, "relation", rep.Relation, 2, 1, 3, 2.0/3, 0.4, 0.5)
}

func TestMentionsMatchEntitiesAndRelationEndpoints(t *testing.T) {
	harbor, _ := loadGold(t)
	res := &extract.Result{
		Entities: []*extract.Entity{
			// Only a mention, "the heist", matches the gold ("The heist"); the name does not.
			ent("incident", "Harbor drain", "the heist"),
			// Case, a leading "the" and end punctuation are ignored.
			ent("actor", "THE Ferrite Spider group."),
			ent("state", "north korea"),
			ent("organization", "Harbor Bridge Protocol"),
		},
		Relations: []*extract.Relation{
			rel("ATTRIBUTED_TO", "Harbor drain", "THE Ferrite Spider group."),
			rel("TARGETED", "Harbor drain", "Harbor Bridge Protocol"),
			rel("SPONSORED_BY", "THE Ferrite Spider group.", "north korea"), // counts as AFFILIATED_WITH
		},
	}
	rep := scoreOne(harbor, res)
	want(t, "incident", typ(rep.EntityTypes, "incident"), 1, 0, 0, 1, 1, 1)
	want(t, "actor", typ(rep.EntityTypes, "actor"), 1, 0, 1, 1, 0.5, 2.0/3)
	want(t, "state", typ(rep.EntityTypes, "state"), 1, 0, 0, 1, 1, 1)
	want(t, "organization", typ(rep.EntityTypes, "organization"), 1, 0, 1, 1, 0.5, 2.0/3)
	want(t, "relation", rep.Relation, 3, 0, 2, 1, 0.6, 0.75)
	want(t, "AFFILIATED_WITH", typ(rep.RelationTypes, "AFFILIATED_WITH"), 1, 0, 0, 1, 1, 1)
}

func TestEachGoldItemMatchedAtMostOnce(t *testing.T) {
	harbor, glenmoor := loadGold(t)
	rep := scoreOne(harbor, &extract.Result{Entities: []*extract.Entity{
		ent("actor", "Ferrite Spider"), ent("actor", "Ferrite Spider group"), // one gold actor
		ent("state", "North Korea"), ent("state", "Russia"),
	}})
	want(t, "actor", typ(rep.EntityTypes, "actor"), 1, 1, 1, 0.5, 0.5, 0.5)
	want(t, "state", typ(rep.EntityTypes, "state"), 1, 1, 0, 0.5, 1, 2.0/3)

	// Cinder Group is same_as Copper Kitten, so either name meets the gold attribution
	// to Copper Kitten; but there is one such gold relation, so one of the two is a
	// false positive.
	inc := "Glenmoor Hospital ransomware attack (2023)"
	rep = scoreOne(glenmoor, &extract.Result{
		Entities:  []*extract.Entity{ent("incident", inc), ent("actor", "Cinder Group"), ent("actor", "Copper Kitten")},
		Relations: []*extract.Relation{rel("ATTRIBUTED_TO", inc, "Cinder Group"), rel("ATTRIBUTED_TO", inc, "Copper Kitten")},
	})
	want(t, "ATTRIBUTED_TO", rep.AttributedTo, 1, 1, 1, 0.5, 0.5, 0.5)
	rep = scoreOne(glenmoor, &extract.Result{
		Entities:  []*extract.Entity{ent("incident", inc), ent("actor", "Cinder Group")},
		Relations: []*extract.Relation{rel("ATTRIBUTED_TO", inc, "Cinder Group")},
	})
	want(t, "ATTRIBUTED_TO by same_as alone", rep.AttributedTo, 1, 0, 1, 1, 0.5, 2.0/3)
}

func TestAmountsMatchWithinOnePercentAndCurrency(t *testing.T) {
	harbor, glenmoor := loadGold(t)
	const inc = "Harbor Bridge hack"
	res := &extract.Result{
		Amounts: []*extract.AmountMention{
			amt("$42.3 million", 42.3e6, "USD"), // 0.71% off $42 million: a match
			amt("$42.3 million", 42.3e6, "USD"), // the same surface again: one prediction
			amt("1,213 ETH", 1213, "ETH"),       // 1.08% off 1,200 ETH: no match
			amt("1,195 ETH", 1195, "ETH"),       // 0.42% off: a match
			amt("€5 million", 5e6, "EUR"),       // right value, wrong currency
		},
		Relations: []*extract.Relation{
			stole(inc, "$41.7 million", 41.7e6, "USD"), // 0.71% off
			stole(inc, "1,213 ETH", 1213, "ETH"),       // 1.08% off: not gold, not negative
		},
	}
	rep := scoreOne(harbor, res)
	want(t, "amount", rep.Amount, 2, 2, 1, 0.5, 2.0/3, 4.0/7)
	want(t, "STOLE", typ(rep.RelationTypes, "STOLE"), 1, 1, 1, 0.5, 0.5, 0.5)
	if len(rep.NegativeHits) != 0 {
		t.Errorf("negative hits = %+v, want none", rep.NegativeHits)
	}

	// A range matches any dollar value inside it, widened by 1%.
	gi := "Glenmoor Hospital ransomware attack (2023)"
	rep = scoreOne(glenmoor, &extract.Result{
		Amounts:   []*extract.AmountMention{amt("$3.02 million", 3.02e6, "USD")},
		Relations: []*extract.Relation{stole(gi, "$2.5 million", 2.5e6, "USD")},
	})
	want(t, "range amount", rep.Amount, 1, 0, 0, 1, 1, 1)
	if len(rep.NegativeHits) != 1 || rep.NegativeHits[0].Type != "STOLE" {
		t.Errorf("negative hits = %+v, want the STOLE of the cost", rep.NegativeHits)
	}
	rep = scoreOne(glenmoor, &extract.Result{Amounts: []*extract.AmountMention{amt("$3.05 million", 3.05e6, "USD")}})
	want(t, "amount outside range", rep.Amount, 0, 1, 1, 0, 0, 0)
}

func TestNothingPredictedNeverPanics(t *testing.T) {
	harbor, glenmoor := loadGold(t)
	rep := Score([]*Gold{harbor, nil, glenmoor}, func(g *Gold) *extract.Result {
		if g == harbor {
			return nil
		}
		return &extract.Result{Entities: []*extract.Entity{nil}, Relations: []*extract.Relation{nil, {Type: "STOLE"}}, Amounts: []*extract.AmountMention{nil}}
	})
	want(t, "relation", rep.Relation, 0, 1, 10, 0, 0, 0)
	want(t, "entity", rep.Entity, 0, 0, 14, -1, 0, 0)
	if rep.Files != 2 {
		t.Errorf("files = %d, want 2", rep.Files)
	}
	if err := rep.WriteText(io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteFiles(io.Discard); err != nil {
		t.Fatal(err)
	}
	if rep := Score(nil, nil); rep.Files != 0 || rep.NegativeHits == nil {
		t.Errorf("Score(nil, nil) = %+v", rep)
	}
}

func TestLoadReadsGoldFiles(t *testing.T) {
	harbor, glenmoor := loadGold(t)
	if harbor.File != "01-harbor-bridge.json" || glenmoor.File != "02-glenmoor-hospital.json" {
		t.Errorf("files = %q, %q; want name order", harbor.File, glenmoor.File)
	}
	if !harbor.Date.Equal(time.Date(2024, 3, 14, 0, 0, 0, 0, time.UTC)) || !glenmoor.Date.IsZero() {
		t.Errorf("dates = %v, %v; want 2024-03-14 and none", harbor.Date, glenmoor.Date)
	}
	if s := glenmoor.Entities[3].SameAs; len(s) != 1 || s[0] != "Copper Kitten" {
		t.Errorf("same_as = %q", s)
	}
}

func TestLoadRejectsBadInput(t *testing.T) {
	good, err := os.ReadFile("testdata/01-harbor-bridge.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		files map[string]string // "" as a name makes dir a file
		want  string
	}{
		{"empty directory", nil, "no gold *.json files"},
		{"no json files", map[string]string{"README.md": "# gold"}, "no gold *.json files"},
		{"broken JSON", map[string]string{"a.json": string(good), "b.json": `{"text": "x",`}, "b.json"},
		{"not an object", map[string]string{"c.json": `[1, 2]`}, "c.json"},
		{"two values", map[string]string{"d.json": string(good) + "{}"}, "d.json"},
		{"no text", map[string]string{"e.json": `{"id": "e"}`}, "e.json: no text"},
		{"relation without to", map[string]string{"f.json": `{"text": "t", "relations": [{"type": "STOLE", "from": "x"}]}`}, "f.json: relations 0"},
		{"entity without name", map[string]string{"g.json": `{"text": "t", "entities": [{"type": "actor"}]}`}, "g.json: entity 0"},
		{"bad published", map[string]string{"h.json": `{"text": "t", "published": "last week"}`}, "h.json: published"},
		{"bad range", map[string]string{"i.json": `{"text": "t", "amounts": [{"surface": "$1m", "value_usd_range": [3]}]}`}, "i.json: amount"},
		{"bad same_as", map[string]string{"j.json": `{"text": "t", "entities": [{"type": "actor", "name": "A", "same_as": 7}]}`}, "j.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(dir)
			if graph.ErrorCode(err) != graph.EINVALID || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load = %v (%s), want EINVALID naming %q", err, graph.ErrorCode(err), tc.want)
			}
		})
	}
	for _, dir := range []string{filepath.Join(t.TempDir(), "missing"), "testdata/01-harbor-bridge.json"} {
		if _, err := Load(dir); graph.ErrorCode(err) != graph.EINVALID {
			t.Errorf("Load(%s) = %v, want EINVALID", dir, err)
		}
	}
}

func TestNorm(t *testing.T) {
	for in, want := range map[string]string{
		"The Lazarus Group.":   "lazarus group",
		"  the  THE heist ":    "heist",
		"Theft":                "theft",
		"“Mr. White Hat”":      "mr. white hat",
		"Russia’s":             "russia's",
		`"The Sandworm Team",`: "sandworm team",
		"...":                  "",
	} {
		if got := norm(in); got != want {
			t.Errorf("norm(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseAndScore(f *testing.F) {
	for _, p := range []string{"testdata/01-harbor-bridge.json", "testdata/02-glenmoor-hospital.json"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"text": "t", "relations": [{"type": "STOLE", "from": "a", "to": "b"}], "amounts": [{"surface": "b", "value_usd_range": [1, 2]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := Parse("fuzz.json", data)
		if err != nil {
			if graph.ErrorCode(err) != graph.EINVALID {
				t.Fatalf("Parse error %v is not EINVALID", err)
			}
			return
		}
		rep := Score([]*Gold{g, g}, perfect)
		if rep.Relation.FP != 0 && len(g.Relations) > 0 && rep.Relation.TP == 0 {
			t.Logf("perfect prediction scored no hit on %s", data)
		}
		_ = rep.WriteText(io.Discard)
		_ = rep.WriteFiles(io.Discard)
	})
}
