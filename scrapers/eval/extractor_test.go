package eval

import (
	"os"
	"testing"

	"github.com/cyberkg/cyberkg/graph/reference"
	"github.com/cyberkg/cyberkg/scrapers/extract"
)

// floors are the scores the extractor reaches on each annotated set, less a little: a
// change that loses more than that is a regression. Raise them when the extractor gets
// better; never lower them to make a change pass.
type floors struct{ entity, relation, attributedTo, amount float64 }

// goldSets are the annotated sets the extractor is scored on: the development set that
// lives beside the repository (../shared/eval/dev) and the held-out-style set in
// testdata/gold. A set that is absent is skipped.
var goldSets = []struct {
	name, dir string
	floors    floors
}{
	{"dev", "../../../shared/eval/dev", floors{entity: 0.97, relation: 0.97, attributedTo: 0.98, amount: 0.99}},
	{"gold", "testdata/gold", floors{entity: 0.96, relation: 0.82, attributedTo: 0.85, amount: 0.99}},
}

// TestExtractorOnGoldSets scores the real extractor on each annotated set, as `cyberkg
// eval` does, and fails on any false attribution (an ATTRIBUTED_TO that is not gold or
// optional, or any prediction the gold lists as a negative) and on scores below the
// set's floors.
func TestExtractorOnGoldSets(t *testing.T) {
	x := extract.New(reference.MustLoad())
	for _, set := range goldSets {
		t.Run(set.name, func(t *testing.T) {
			if _, err := os.Stat(set.dir); err != nil {
				t.Skipf("no %s set at %s", set.name, set.dir)
			}
			golds, err := Load(set.dir)
			if err != nil {
				t.Fatal(err)
			}
			rep := Score(golds, func(g *Gold) *extract.Result {
				return x.Extract(extract.Document{Text: g.Text, Title: g.Title, URL: g.URL, Published: g.Date})
			})
			for _, n := range rep.NegativeHits {
				t.Errorf("negative hit in %s: %s\n  evidence: %q\n  gold says: %s", n.File, n, n.Evidence, n.Reason)
			}
			for _, fr := range rep.PerFile {
				for _, fp := range fr.FalsePositives {
					if fp.Type == "ATTRIBUTED_TO" && !fp.Negative {
						t.Errorf("false attribution in %s: %s\n  evidence: %q", fr.File, fp, fp.Evidence)
					}
				}
			}
			for _, c := range []struct {
				what  string
				got   Counts
				floor float64
			}{
				{"entity F1", rep.Entity, set.floors.entity},
				{"relation F1", rep.Relation, set.floors.relation},
				{"ATTRIBUTED_TO F1", rep.AttributedTo, set.floors.attributedTo},
				{"amount F1", rep.Amount, set.floors.amount},
			} {
				f, ok := c.got.F1()
				if !ok || f < c.floor {
					t.Errorf("%s on %s = %.3f (tp %d, fp %d, fn %d), below its floor %.2f", c.what, set.name, f, c.got.TP, c.got.FP, c.got.FN, c.floor)
				}
			}
			t.Logf("%s: %d files; entity F1 %.3f, relation F1 %.3f, ATTRIBUTED_TO F1 %.3f, amount F1 %.3f", set.name, rep.Files,
				f1(rep.Entity), f1(rep.Relation), f1(rep.AttributedTo), f1(rep.Amount))
		})
	}
}

func f1(c Counts) float64 {
	f, _ := c.F1()
	return f
}
