package extract_test

import (
	"testing"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/scrapers/extract"
)

func TestGazetteerFindsWholeLongestNames(t *testing.T) {
	g := extract.NewGazetteer([]*extract.Known{
		{Kind: graph.KindState, Name: "North Korea", Code: "KP", Names: []string{"North Korea", "North Korean", "DPRK"}},
		{Kind: graph.KindActor, Name: "FSB Center 16", Names: []string{"FSB Center 16", "Center 16"}},
		{Kind: graph.KindActor, Name: "Lazarus Group", Names: []string{"Lazarus Group", "Lazarus", "ZINC"}, Exact: []string{"ZINC"}},
		{Kind: graph.KindState, Name: "United States", Code: "US", Names: []string{"United States", "US"}, Exact: []string{"US"}},
	})
	for _, tc := range []struct {
		text string
		want []string // surfaces, in order
	}{
		{"North Korean hackers and the DPRK", []string{"North Korean", "DPRK"}},
		{"the FSB Center 16 unit", []string{"FSB Center 16"}},
		{"Lazarus Group, or Lazarus, also ZINC", []string{"Lazarus Group", "Lazarus", "ZINC"}},
		{"zinc mines tell us nothing about the US", []string{"US"}},
		{"Lazaruses and NorthKorea", nil},
		{"North Korea-linked and North Koreans", []string{"North Korea"}},
		{"North Korea’s hackers", []string{"North Korea"}},
	} {
		var got []string
		for _, m := range g.Find(tc.text) {
			got = append(got, m.Surface)
			if tc.text[m.Start:m.End] != m.Surface {
				t.Errorf("%q: offsets %d-%d do not give %q", tc.text, m.Start, m.End, m.Surface)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q: found %q, want %q", tc.text, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q: found %q, want %q", tc.text, got, tc.want)
			}
		}
	}
}
