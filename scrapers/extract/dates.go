package extract

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateMention is a date found in a sentence, as an ISO prefix.
type DateMention struct {
	Surface    string
	Value      string // "2024", "2022-06", "2022-06-24"
	Start, End int
	Inferred   bool // the year came from the publication date
}

var monthWordSet = newLitSet(monthWords)

// monthStartSet finds month words that start a word: the gate for dates without digits.
var monthStartSet = func() *litSet {
	l := newLitSet(monthWords)
	l.wordStart = true
	return l
}()

var monthWords = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

var months = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

const monthRE = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)`

var (
	isoDateRE   = newCue(`\b(20\d\d|19\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b`)
	mdyRE       = newCue(`\b` + monthRE + `\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+((?:19|20)\d\d))?\b`)
	dmyRE       = newCue(`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?` + monthRE + `(?:,?\s+((?:19|20)\d\d))?\b`)
	monthYearRE = newCue(`\b` + monthRE + `(?:\s+of)?,?\s+((?:19|20)\d\d)\b`)
	relativeRE  = newCue(`(?i)\b(last|this|next) (year|month|week)\b|\b(earlier this|later this) (year|month)\b`)
	// "in September", "By July": a month the context gives the year of.
	monthOnlyRE = newCue(`(?i)\b(?:in|by|since|during|until|through|from|early|late|mid-?)\s+(?-i:` + monthRE + `)\b`)
)

// FindDates returns the dates in a sentence. Dates without a year take it from
// published; relative dates ("last year") are resolved against it. A zero published
// time leaves such dates out rather than guessing.
func FindDates(s string, published time.Time) []DateMention { return findDates(s, published, nil) }

// findDates is FindDates; sw, if not nil, holds the word starts of s.
func findDates(s string, published time.Time, sw *sentenceWords) []DateMention {
	var out []DateMention
	taken := func(a, b int) bool {
		for _, d := range out {
			if a < d.End && d.Start < b {
				return true
			}
		}
		return false
	}
	add := func(d DateMention) {
		if !taken(d.Start, d.End) {
			out = append(out, d)
		}
	}
	lower := sw.lowerOf(s)
	hasMonth := monthWordSet.holds(sw, lower)
	for _, m := range isoDateRE.findAll(s, -1, sw) {
		add(DateMention{Surface: s[m[0]:m[1]], Value: s[m[0]:m[1]], Start: m[0], End: m[1]})
	}
	day := func(m []int, monthAt, dayAt, yearAt int) {
		mon := months[strings.ToLower(strings.TrimSuffix(s[m[monthAt]:m[monthAt+1]], "."))]
		d, _ := strconv.Atoi(s[m[dayAt]:m[dayAt+1]])
		if mon == 0 || d < 1 || d > 31 {
			return
		}
		year, inferred := 0, false
		if m[yearAt] >= 0 {
			year, _ = strconv.Atoi(s[m[yearAt]:m[yearAt+1]])
		} else if !published.IsZero() {
			year, inferred = published.Year(), true
			// "December 5" read in a January article is last December.
			if time.Month(mon) > published.Month() {
				year--
			}
		}
		if year == 0 {
			return
		}
		if t := time.Date(year, time.Month(mon), d, 0, 0, 0, 0, time.UTC); t.Day() != d {
			return // February 30
		}
		add(DateMention{Surface: s[m[0]:m[1]], Value: fmt.Sprintf("%04d-%02d-%02d", year, mon, d), Start: m[0], End: m[1], Inferred: inferred})
	}
	if hasMonth {
		for _, m := range mdyRE.findAll(s, -1, sw) {
			if strings.ToLower(s[m[2]:m[3]]) == "may" && m[6] < 0 {
				continue // "may 5" is too often the verb
			}
			day(m, 2, 4, 6)
		}
		for _, m := range dmyRE.findAll(s, -1, sw) {
			day(m, 4, 2, 6)
		}
		for _, m := range monthYearRE.findAll(s, -1, sw) {
			mon := months[strings.ToLower(strings.TrimSuffix(s[m[2]:m[3]], "."))]
			add(DateMention{Surface: s[m[0]:m[1]], Value: fmt.Sprintf("%s-%02d", s[m[4]:m[5]], mon), Start: m[0], End: m[1]})
		}
		if !published.IsZero() {
			for _, m := range monthOnlyRE.findAll(s, -1, sw) {
				name := s[m[2]:m[3]]
				mon := months[strings.ToLower(strings.TrimSuffix(name, "."))]
				if mon == 0 || name == "May" && !strings.HasSuffix(strings.ToLower(s[m[0]:m[2]]), "in ") || followedByNumber(s[m[1]:]) || strings.HasPrefix(s[m[1]:], " of ") {
					continue // "by May" is too often the verb; "in June 24" is a day; "in December of that year"
				}
				year := published.Year()
				if time.Month(mon) > published.Month() {
					year-- // "in December" read in a January article is last December
				}
				add(DateMention{Surface: s[m[0]:m[1]], Value: fmt.Sprintf("%04d-%02d", year, mon), Start: m[0], End: m[1], Inferred: true})
			}
		}
	}
	for _, m := range yearMatches(s) {
		g := 2
		if m[2] < 0 {
			g = 4
		}
		// A bare number is a year only if it is not part of an amount ("2024 BTC").
		if g == 4 && (amountNear(s, m[g+1]) || (m[g] > 0 && strings.ContainsAny(s[m[g]-1:m[g]], "$,."))) {
			continue
		}
		add(DateMention{Surface: s[m[g]:m[g+1]], Value: s[m[g]:m[g+1]], Start: m[g], End: m[g+1]})
	}
	if !published.IsZero() {
		for _, m := range relativeRE.findAll(s, -1, sw) {
			// "last year" fills the first two groups, "earlier this month" the other two.
			var word, unit string
			if m[2] >= 0 {
				word, unit = strings.ToLower(s[m[2]:m[3]]), strings.ToLower(s[m[4]:m[5]])
			} else {
				word, unit = strings.ToLower(s[m[6]:m[7]]), strings.ToLower(s[m[8]:m[9]])
			}
			t := published
			if word == "last" {
				t = t.AddDate(map[string]int{"year": -1}[unit], map[string]int{"month": -1}[unit], map[string]int{"week": -7}[unit])
			} else if word == "next" || unit == "week" {
				continue // the future is not an incident date
			}
			v := fmt.Sprintf("%04d", t.Year())
			if unit == "month" || unit == "week" { // a week is known to its month
				v = fmt.Sprintf("%04d-%02d", t.Year(), t.Month())
			}
			add(DateMention{Surface: s[m[0]:m[1]], Value: v, Start: m[0], End: m[1], Inferred: true})
		}
	}
	sortDates(out)
	return out
}

// followedByNumber reports whether s goes on with a number: "June 24", "June 2022".
func followedByNumber(s string) bool {
	s = strings.TrimLeft(s, " ")
	return s != "" && '0' <= s[0] && s[0] <= '9'
}

func amountNear(s string, end int) bool {
	rest := strings.TrimLeft(s[end:], " ")
	for _, u := range units {
		if len(rest) >= len(u.word) && strings.EqualFold(rest[:len(u.word)], u.word) {
			return true
		}
	}
	return false
}

func sortDates(d []DateMention) {
	for i := 1; i < len(d); i++ {
		for j := i; j > 0 && d[j].Start < d[j-1].Start; j-- {
			d[j], d[j-1] = d[j-1], d[j]
		}
	}
}

// firstYear returns the first year a text names as a date ("in May 2024"), or "".
func firstYear(text string) string {
	for _, m := range yearMatches(text) {
		g := 2
		if m[2] < 0 {
			g = 4
		}
		if g == 4 && (amountNear(text, m[g+1]) || (m[g] > 0 && strings.ContainsAny(text[m[g]-1:m[g]], "$,."))) {
			continue // "2024 BTC" is an amount, as in findDates
		}
		return text[m[g]:m[g+1]]
	}
	return ""
}

// hasYear reports whether s holds four digits that could be a year: 19xx or 20xx.
func hasYear(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		if (s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') && '0' <= s[i+2] && s[i+2] <= '9' && '0' <= s[i+3] && s[i+3] <= '9' {
			return true
		}
	}
	return false
}

// yearPreps are the words a year is read after: "in 2022", "mid- 2023".
var yearPreps = []string{"in", "since", "during", "of", "from", "by", "throughout", "early", "late", "mid-", "mid", "until", "through"}

// yearMatches returns the years s names as FindAllStringSubmatchIndex of
// \b(?:in|since|during|of|from|by|throughout|early|late|mid-?|until|through)\s+((?:19|20)\d\d)\b|\b((?:19|20)\d\d)\b
// would: a year after one of yearPreps and white space (the match starts at the word,
// the first group holds the year), else a year alone (the second group). The
// expression starts at every "in" and "of" and costs an anchored run for each; here
// the years are found first, and the word before each read back.
// TestYearMatchesIsYearRE pins it to the expression.
func yearMatches(s string) [][]int {
	var out [][]int
	from := 0 // where the search goes on: matches do not overlap
	for y := 0; y+4 <= len(s); y++ {
		if (s[y] != '1' && s[y] != '2') || !yearAt(s, y) || (y > 0 && asciiWord[s[y-1]]) {
			continue // both branches read a year that no word byte precedes
		}
		if p := prepBefore(s, y, from); p >= 0 {
			out = append(out, []int{p, y + 4, y, y + 4, -1, -1})
		} else {
			out = append(out, []int{y, y + 4, -1, -1, y, y + 4})
		}
		y += 3
		from = y + 1
	}
	return out
}

// prepBefore returns where one of yearPreps starts that white space separates from the
// year at y, at from or after and at a word boundary, or -1.
func prepBefore(s string, y, from int) int {
	e := y
	for e > from && reSpace(s[e-1]) {
		e--
	}
	if e == y {
		return -1
	}
	for _, w := range yearPreps {
		if b := e - len(w); b >= from && s[b:e] == w && (b == 0 || !asciiWord[s[b-1]]) {
			return b
		}
	}
	return -1
}

// yearAt reports whether a year of yearMatches stands at p: 19 or 20, two digits, then no
// word byte.
func yearAt(s string, p int) bool {
	if p+4 > len(s) || !(s[p] == '1' && s[p+1] == '9' || s[p] == '2' && s[p+1] == '0') {
		return false
	}
	return '0' <= s[p+2] && s[p+2] <= '9' && '0' <= s[p+3] && s[p+3] <= '9' && (p+4 == len(s) || !asciiWord[s[p+4]])
}
