package extract

import (
	"testing"
	"time"
)

func TestFindAmounts(t *testing.T) {
	for _, tc := range []struct {
		text     string
		surface  string
		value    float64
		currency string
		usd      bool
		approx   bool
	}{
		{"thieves took $1.3 billion", "$1.3 billion", 1.3e9, "USD", true, false},
		{"a $1.3bn theft", "$1.3bn", 1.3e9, "USD", true, false},
		{"drained US$625m from the bridge", "US$625m", 625e6, "USD", true, false},
		{"losses of USD 81 million", "USD 81 million", 81e6, "USD", true, false},
		{"48.2 billion yen was stolen", "48.2 billion yen", 48.2e9, "JPY", false, false},
		{"401,347 ETH left the wallet", "401,347 ETH", 401347, "ETH", false, false},
		{"4,502.9 BTC moved", "4,502.9 BTC", 4502.9, "BTC", false, false},
		{"more than $1.3 billion", "$1.3 billion", 1.3e9, "USD", true, true},
		{"nearly $100 million in crypto", "$100 million", 100e6, "USD", true, true},
		{"an estimated $1.5 billion", "$1.5 billion", 1.5e9, "USD", true, true},
		{"₩10 billion", "₩10 billion", 10e9, "KRW", false, false},
		{"$25.5 million USDC", "$25.5 million", 25.5e6, "USD", true, false},
		{"losses of about 94 crore rupees", "94 crore rupees", 94e7, "INR", false, true},
		{"Rs 13.92 crore was moved", "Rs 13.92 crore", 13.92e7, "INR", false, false},
		{"₹5 lakh was withdrawn", "₹5 lakh", 5e5, "INR", false, false},
		{"the theft of 523 million NEM coins", "523 million NEM", 523e6, "NEM", false, false},
	} {
		got := FindAmounts(tc.text)
		if len(got) != 1 {
			t.Errorf("%q: %d amounts %+v", tc.text, len(got), got)
			continue
		}
		a := got[0]
		if a.Surface != tc.surface || a.Value != tc.value || a.Currency != tc.currency || (a.ValueUSD != nil) != tc.usd || a.Approximate != tc.approx {
			t.Errorf("%q: got %+v (usd %v)", tc.text, a, a.ValueUSD)
		}
		if tc.text[a.Start:a.End] != a.Surface {
			t.Errorf("%q: offsets do not give the surface", tc.text)
		}
	}
	for _, none := range []string{"in 2024 hackers", "at 3 pm", "Unit 61398", "APT38 struck", "5 m long"} {
		if got := FindAmounts(none); len(got) != 0 {
			t.Errorf("%q: found %+v", none, got)
		}
	}
}

// TestNoAmountInsideWords: "Rs" is a prefix only as a word of its own, in its own case.
func TestNoAmountInsideWords(t *testing.T) {
	for _, text := range []string{"the users 5 million strong", "hackers 5 million times", "RS 232 ports"} {
		if got := FindAmounts(text); len(got) != 0 {
			t.Errorf("%q: found %+v", text, got)
		}
	}
}

func TestFindAmountsReadsRanges(t *testing.T) {
	got := FindAmounts("the company put the cost at $200 million to $300 million")
	if len(got) != 1 || got[0].Surface != "$200 million to $300 million" || got[0].Value != 200e6 || got[0].High != 300e6 || !got[0].Approximate {
		t.Errorf("range read as %+v", got)
	}
	if got := FindAmounts("$5 million and 300 ETH"); len(got) != 2 {
		t.Errorf("two amounts in different units joined: %+v", got)
	}
}

func TestStolenAmountReadsTheNearestCue(t *testing.T) {
	for text, want := range map[string]bool{
		"Hackers stole $100 million from the bridge.":                        true,
		"The attackers laundered $60 million through a mixer.":               false,
		"Investigators recovered $30 million of the stolen funds.":           false,
		"The exchange offered a $10 million bounty for information.":         false,
		"Authorities froze $5 million linked to the theft.":                  false,
		"The heist netted $625 million, making it one of the largest thefts": true,
	} {
		a := FindAmounts(text)[0]
		if got := stolenAmount(stolenCueRE.FindAllStringIndex(text, -1), notStolenCueRE.FindAllStringIndex(text, -1), a); got != want {
			t.Errorf("%q: stolen = %v, want %v", text, got, want)
		}
	}
}

func TestFindDates(t *testing.T) {
	pub := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	for text, want := range map[string]string{
		"on June 24, 2022 the bridge":  "2022-06-24",
		"in June 2022":                 "2022-06",
		"during 2024":                  "2024",
		"on 21 February 2025":          "2025-02-21",
		"on February 21":               "2025-02-21",
		"on December 5":                "2024-12-05",
		"last year":                    "2024",
		"earlier this month":           "2025-03", // once a panic: the first groups are empty
		"later this year":              "2025",
		"as of 2025-02-21 the company": "2025-02-21",
	} {
		got := FindDates(text, pub)
		if len(got) != 1 || got[0].Value != want {
			t.Errorf("%q: %+v, want %s", text, got, want)
		}
	}
	if got := FindDates("on February 30, 2024", pub); len(got) != 0 && got[0].Value == "2024-02-30" {
		t.Errorf("February 30 accepted: %+v", got)
	}
	if got := FindDates("it may 5 times", pub); len(got) != 0 {
		t.Errorf("the verb may read as a month: %+v", got)
	}
}

func FuzzFindAmounts(f *testing.F) {
	for _, s := range []string{"$1.3 billion", "US$625m", "401,347 ETH", "more than $", "$.5bn", "9999999999999999999999999 BTC"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, a := range FindAmounts(s) {
			if a.Start < 0 || a.End > len(s) || a.Start > a.End {
				t.Fatalf("bad offsets %+v in %q", a, s)
			}
		}
	})
}

func FuzzFindDates(f *testing.F) {
	for _, s := range []string{"June 24, 2022", "31 December 1999", "last month", "2024-02-29", "May 2024"} {
		f.Add(s)
	}
	pub := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		for _, d := range FindDates(s, pub) {
			if d.Start < 0 || d.End > len(s) || d.Start > d.End || len(d.Value) < 4 {
				t.Fatalf("bad date %+v in %q", d, s)
			}
		}
	})
}
