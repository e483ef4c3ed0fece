package extract

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/reference"
)

// scratchDocs are documents of many sizes for the tests of the scratch Extract reuses:
// the fixtures, each upper-cased and with its sentences in reverse order, and all of
// them in one.
func scratchDocs(t *testing.T) []Document {
	t.Helper()
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	var docs []Document
	var all strings.Builder
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		all.WriteString(text + "\n")
		var reversed []string
		for _, s := range Sentences(text) {
			reversed = append(reversed, s.Text)
		}
		slices.Reverse(reversed)
		published := time.Time{}
		if i%2 == 0 {
			published = time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
		}
		docs = append(docs,
			Document{Text: text, Published: published},
			Document{Text: strings.ToUpper(text)},
			Document{Text: strings.Join(reversed, " "), Published: published})
	}
	docs = append(docs, Document{Text: all.String()}, Document{Text: ""}, Document{Text: "North Korea."})
	return docs
}

// dump writes out everything a Result holds, the fields JSON leaves out included, so
// that two results compare equal only when they are.
func dump(res *Result) string {
	var b strings.Builder
	str := func(p *string) string {
		if p == nil {
			return "<nil>"
		}
		return fmt.Sprintf("%q", *p)
	}
	num := func(p *float64) string {
		if p == nil {
			return "<nil>"
		}
		return fmt.Sprint(*p)
	}
	for _, e := range res.Entities {
		fmt.Fprintf(&b, "entity %q %q %q code=%q kind=%q incident=%q date=%q role=%q evidence=%q key=%q dated=%v\n",
			e.Type, e.Name, e.Mentions, e.Code, e.ActorKind, e.IncidentKind, e.Date, e.Role, e.Evidence, e.key, e.dated)
	}
	relations := func(what string, rels []*Relation) {
		for _, r := range rels {
			fmt.Fprintf(&b, "%s %q %q %q evidence=%q certainty=%q by=%s confidence=%v value=%s currency=%s from=%q to=%q",
				what, r.Type, r.From, r.To, r.Evidence, r.Certainty, str(r.AttributedBy), r.Confidence, num(r.Value), str(r.Currency), r.fromEnt.key, r.toEnt.key)
			if r.amount != nil {
				fmt.Fprintf(&b, " amount=%q", r.amount.Surface)
			}
			for _, s := range r.support {
				fmt.Fprintf(&b, " support(%q %q %q)", s.quote, s.claimant, s.certainty)
			}
			b.WriteByte('\n')
		}
	}
	relations("relation", res.Relations)
	relations("sector", res.SectorTargets)
	for _, a := range res.Amounts {
		fmt.Fprintf(&b, "amount %q %v %q usd=%s approximate=%v incident=%s stolen=%v\n",
			a.Surface, a.Value, a.Currency, num(a.ValueUSD), a.Approximate, str(a.Incident), a.Stolen)
	}
	return b.String()
}

// TestExtractKeepsNoScratch: a result stays what it was while the extractor reads
// other documents in the memory it read that one in, and once the lower-cased copy of
// the text is overwritten, so no result points into it.
func TestExtractKeepsNoScratch(t *testing.T) {
	x := New(reference.MustLoad())
	scribble := func() {
		sc := x.getScratch() // on one goroutine, the one the last Extract put back
		for i := range sc.lower[:cap(sc.lower)] {
			sc.lower[:cap(sc.lower)][i] = '#'
		}
		x.scratch.Put(sc)
	}
	docs := scratchDocs(t)
	results := make([]*Result, len(docs))
	want := make([]string, len(docs))
	for i, d := range docs {
		results[i] = x.Extract(d)
		want[i] = dump(results[i])
		scribble()
	}
	if !strings.Contains(strings.Join(want, ""), "relation ") {
		t.Fatal("the documents state no relation: the test compares nothing that matters")
	}
	for range 3 {
		for _, d := range slices.Backward(docs) {
			x.Extract(d)
			scribble()
		}
	}
	for i := range docs {
		if got := dump(results[i]); got != want[i] {
			t.Errorf("document %d changed after later extractions:\nwas:\n%s\nnow:\n%s", i, want[i], got)
		}
	}
}

// TestExtractConcurrently: one extractor read from many goroutines at once, as
// `cyberkg scrape` and `ingest` use it, finds what it finds read serially. Run it
// under -race too.
func TestExtractConcurrently(t *testing.T) {
	docs := scratchDocs(t)
	x := New(reference.MustLoad())
	serial := make([]string, len(docs))
	for i, d := range docs {
		serial[i] = dump(x.Extract(d))
	}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			for round := range 3 {
				for k := range docs {
					i := (k + 5*g + 3*round) % len(docs) // each goroutine from its own start
					if got := dump(x.Extract(docs[i])); got != serial[i] {
						t.Errorf("goroutine %d, document %d: concurrent extraction differs from serial:\nserial:\n%s\nconcurrent:\n%s", g, i, serial[i], got)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestAppendNormalizedIsGraphNormalize: the keys entity and mentionKey look up are
// the keys they made with graph.Normalize.
func TestAppendNormalizedIsGraphNormalize(t *testing.T) {
	names := slices.Clone(normalizeCases)
	for _, k := range KnownFromReference(reference.MustLoad()) {
		names = append(names, k.Names...)
	}
	buf := []byte("actor|")
	for _, n := range names {
		if got, want := string(appendNormalized(buf, n)), "actor|"+graph.Normalize(n); got != want {
			t.Errorf("appendNormalized(%q) = %q, want %q", n, got, want)
		}
		if got, want := normalizedKey("state", n), "state|"+graph.Normalize(n); got != want {
			t.Errorf("normalizedKey(%q) = %q, want %q", n, got, want)
		}
	}
}

func FuzzAppendNormalized(f *testing.F) {
	for _, n := range normalizeCases {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n string) {
		if got, want := string(appendNormalized([]byte("state|"), n)), "state|"+graph.Normalize(n); got != want {
			t.Fatalf("appendNormalized(%q) = %q, want %q", n, got, want)
		}
		if got, want := normalizedKey("actor", n), "actor|"+graph.Normalize(n); got != want {
			t.Fatalf("normalizedKey(%q) = %q, want %q", n, got, want)
		}
	})
}

// abbreviationByToLower is isAbbreviation as it read before it lower-cased on the
// stack: the reference it must agree with.
func abbreviationByToLower(before string) bool {
	before = strings.TrimRightFunc(before, unicode.IsSpace)
	if before == "" {
		return false
	}
	last := before
	if i := strings.LastIndexFunc(before, unicode.IsSpace); i >= 0 {
		_, size := utf8.DecodeRuneInString(before[i:])
		last = before[i+size:]
	}
	w := strings.ToLower(strings.TrimLeft(last, "(\"'"))
	if abbreviations[w] {
		return true
	}
	return utf8.RuneCountInString(w) == 1 && unicode.IsLetter([]rune(w)[0])
}

var abbreviationCases = []string{"", " ", "Mr", "the U.S", "said Dr", "(Inc", "\"Corp", "Kim J", "Kim \u00c9", "no", "No",
	"\u212ao", "Co\u212a", "e.g", "E.G", "APPROX", "approximately", "a", "1", "x\u017f", "\u017f", "Sept", "SEPT\t",
	"a verylongwordthatisnotanabbreviation", "Gen\u00a0", "\xff", "I"}

func TestIsAbbreviationIsToLower(t *testing.T) {
	cases := slices.Clone(abbreviationCases)
	for _, d := range scratchDocs(t) {
		for _, w := range strings.Fields(d.Text) {
			cases = append(cases, strings.TrimRight(w, ".!?"))
		}
	}
	for _, c := range cases {
		if got, want := isAbbreviation(c), abbreviationByToLower(c); got != want {
			t.Errorf("isAbbreviation(%q) = %v, strings.ToLower says %v", c, got, want)
		}
	}
}

func FuzzIsAbbreviation(f *testing.F) {
	for _, c := range abbreviationCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, c string) {
		if got, want := isAbbreviation(c), abbreviationByToLower(c); got != want {
			t.Fatalf("isAbbreviation(%q) = %v, strings.ToLower says %v", c, got, want)
		}
	})
}
