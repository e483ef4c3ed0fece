package extract

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Amount is a sum of money or crypto found in a sentence.
type Amount struct {
	Surface     string   // as written, without hedges: "$1.3 billion", "401,347 ETH"
	Value       float64  // in the native unit
	Currency    string   // "USD", "JPY", "ETH", ...
	ValueUSD    *float64 // only when the surface is itself in dollars
	Approximate bool     // "about", "more than", "nearly", "an estimated" ...
	High        float64  // the upper bound of a range ("$200 million to $300 million"); 0 otherwise
	Start, End  int      // byte offsets of Surface in the sentence
}

var (
	numberRE = `(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)`
	scaleRE  = `(?:\s?(trillion|billion|million|thousand|crore|lakh|bn|mn|mln|m|b|k)\b)?`
	// Prefix currencies: $1.3 billion, US$625m, USD 81 million, €5m, ¥48.2 billion, ₩100bn.
	prefixRE = newCue(`(?i)(US\$|USD\s?|\$|€|EUR\s?|£|GBP\s?|¥|JPY\s?|₩|KRW\s?|₹|INR\s?|\b(?-i:Rs)\.?\s?)\s?` + numberRE + scaleRE)
	// Suffix units: 48.2 billion yen, 401,347 ETH, 4,502.9 BTC, 100 million dollars.
	suffixRE = newCue(`(?i)\b` + numberRE + `(?:\s?(trillion|billion|million|thousand|crore|lakh|bn|mn|m)\b)?\s?(` + unitAlternatives() + `)\b`)
	hedgeRE  = newCue(`(?i)(?:about|around|approximately|approx\.|roughly|nearly|almost|over|more than|at least|some|an estimated|estimated|up to|close to|upwards of|just over|just under|less than|in excess of|north of|as much as|~)\s*$`)
)

var units = []struct{ word, code string }{
	{"dollars", "USD"}, {"usd", "USD"}, {"yen", "JPY"}, {"won", "KRW"}, {"euros", "EUR"}, {"euro", "EUR"},
	{"pounds", "GBP"}, {"yuan", "CNY"}, {"rupees", "INR"}, {"nem", "NEM"}, {"xem", "NEM"},
	{"eth", "ETH"}, {"ether", "ETH"}, {"btc", "BTC"}, {"bitcoins", "BTC"}, {"bitcoin", "BTC"},
	{"usdt", "USDT"}, {"usdc", "USDC"}, {"dai", "DAI"}, {"xrp", "XRP"}, {"trx", "TRX"}, {"sol", "SOL"},
	{"bnb", "BNB"}, {"matic", "MATIC"}, {"avax", "AVAX"}, {"ada", "ADA"}, {"xmr", "XMR"}, {"ltc", "LTC"},
	{"steth", "stETH"}, {"weth", "WETH"}, {"wbtc", "WBTC"}, {"busd", "BUSD"}, {"cmeth", "cmETH"}, {"meth", "mETH"},
}

func unitAlternatives() string {
	var alts []string
	for _, u := range units {
		alts = append(alts, regexp.QuoteMeta(u.word))
	}
	return strings.Join(alts, "|")
}

var prefixCurrency = map[string]string{"us$": "USD", "usd": "USD", "$": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "¥": "JPY", "jpy": "JPY", "₩": "KRW", "krw": "KRW",
	"₹": "INR", "inr": "INR", "rs": "INR", "rs.": "INR"}

var scales = map[string]float64{"trillion": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3,
	"crore": 1e7, "lakh": 1e5} // the Indian numbering of reports on Indian banks

// FindAmounts returns the amounts in a sentence, left to right, without overlaps.
func FindAmounts(s string) []Amount { return findAmounts(s, nil) }

// findAmounts is FindAmounts; sw, if not nil, holds the word starts of s.
func findAmounts(s string, sw *sentenceWords) []Amount {
	var out []Amount
	taken := func(a, b int) bool {
		for _, x := range out {
			if a < x.End && x.Start < b {
				return true
			}
		}
		return false
	}
	for _, m := range prefixRE.findAll(s, -1, sw) { // gated on the currency signs and codes
		cur := prefixCurrency[strings.ToLower(strings.TrimSpace(s[m[2]:m[3]]))]
		scale := ""
		if m[6] >= 0 {
			scale = strings.ToLower(s[m[6]:m[7]])
		}
		if a, ok := newAmount(s, m[0], m[1], s[m[4]:m[5]], scale, cur); ok && !taken(a.Start, a.End) {
			out = append(out, a)
		}
	}
	for _, m := range suffixRE.findAll(s, -1, sw) {
		scale := ""
		if m[4] >= 0 {
			scale = strings.ToLower(s[m[4]:m[5]])
		}
		unit := strings.ToLower(s[m[6]:m[7]])
		cur := ""
		for _, u := range units {
			if u.word == unit {
				cur = u.code
			}
		}
		if a, ok := newAmount(s, m[0], m[1], s[m[2]:m[3]], scale, cur); ok && !taken(a.Start, a.End) {
			out = append(out, a)
		}
	}
	sortAmounts(out)
	return joinRanges(s, out)
}

var rangeSepRE = newCue(`^\s*(?:to|-|–|and)\s*$`)

// joinRanges reads "$200 million to $300 million" as one amount: a range, valued at its
// lower bound, approximate, with the whole range as its surface.
func joinRanges(s string, in []Amount) []Amount {
	var out []Amount
	for i := 0; i < len(in); i++ {
		a := in[i]
		if i+1 < len(in) {
			b := in[i+1]
			if b.Currency == a.Currency && b.Value > a.Value && rangeSepRE.MatchString(s[a.End:b.Start]) {
				a.Surface, a.End, a.Approximate = s[a.Start:b.End], b.End, true
				a.High = b.Value
				i++
			}
		}
		out = append(out, a)
	}
	return out
}

func sortAmounts(a []Amount) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j].Start < a[j-1].Start; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func newAmount(s string, start, end int, num, scale, cur string) (Amount, bool) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", ""), 64)
	if err != nil || cur == "" || math.IsInf(v, 0) || math.IsNaN(v) {
		return Amount{}, false
	}
	// A bare "m", "b" or "k" only scales when glued to the number ("$625m", "$1.3bn").
	if len(scale) == 1 && strings.HasSuffix(strings.TrimRight(s[:end], " "), " "+scale) {
		end -= len(scale) + 1
		scale = ""
	}
	if scale != "" {
		v *= scales[scale]
	}
	v = math.Round(v*1e6) / 1e6
	a := Amount{Surface: strings.TrimSpace(s[start:end]), Value: v, Currency: cur, Start: start, End: end,
		Approximate: hedgeRE.MatchString(s[max(0, start-40):start])}
	if cur == "USD" {
		usd := v
		a.ValueUSD = &usd
	}
	return a, true
}
