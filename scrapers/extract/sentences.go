package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is one sentence of a text, with its byte offset in the text.
type Sentence struct {
	Text  string
	Start int
}

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "sr": true, "jr": true, "st": true,
	"inc": true, "ltd": true, "corp": true, "co": true, "no": true, "vs": true, "etc": true, "e.g": true, "i.e": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true, "sept": true,
	"oct": true, "nov": true, "dec": true, "u.s": true, "u.k": true, "u.n": true, "gen": true, "col": true, "lt": true,
	"approx": true, "est": true, "fig": true, "dept": true, "gov": true, "n": true, "s": true,
}

// Sentences splits text into sentences. Line breaks end a sentence (reporting uses
// them for headlines and bullet points); a period ends one unless it closes an
// abbreviation, an initial or a number.
func Sentences(text string) []Sentence { return appendSentences(nil, text) }

// appendSentences appends the sentences of text to out: Extract reuses one slice for
// the sentences of every document it reads.
func appendSentences(out []Sentence, text string) []Sentence {
	start := 0
	emit := func(end int) {
		s := text[start:end]
		trimmed := strings.TrimSpace(s)
		if trimmed != "" {
			lead := strings.Index(s, trimmed)
			out = append(out, Sentence{Text: trimmed, Start: start + lead})
		}
		start = end
	}
	for i := 0; i < len(text); {
		// Only four ASCII bytes can end a sentence, and no byte of a longer rune is
		// ASCII: the others are stepped over a byte at a time.
		if !sentenceEnd[text[i]] {
			i++
			continue
		}
		r, next := rune(text[i]), i+1
		switch {
		case r == '\n':
			emit(next)
		case r == '.' || r == '!' || r == '?':
			// Take closing quotes and brackets with the sentence.
			j := next
			for j < len(text) && strings.ContainsRune("\"')]\u201d\u2019", rune(text[j])) {
				j++
			}
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if r2 != '\u201d' && r2 != '\u2019' {
					break
				}
				j += s2
			}
			if j < len(text) && !unicode.IsSpace(rune(text[j])) {
				break // "1.3", "U.S.", "example.com"
			}
			if r == '.' && isAbbreviation(text[start:i]) {
				break
			}
			if r == '.' && !startsSentence(text[j:]) {
				break
			}
			emit(j)
			next = j
		}
		i = next
	}
	emit(len(text))
	return out
}

var sentenceEnd = [256]bool{'\n': true, '.': true, '!': true, '?': true}

func isAbbreviation(before string) bool {
	// The last word: what follows the last space once trailing spaces are cut.
	before = strings.TrimRightFunc(before, unicode.IsSpace)
	if before == "" {
		return false
	}
	last := before
	if i := strings.LastIndexFunc(before, unicode.IsSpace); i >= 0 {
		_, size := utf8.DecodeRuneInString(before[i:])
		last = before[i+size:]
	}
	w := strings.TrimLeft(last, "(\"'")
	if len(w) <= 16 && isASCII(w) {
		// Lower-cased on the stack: strings.ToLower would allocate for every capital.
		var buf [16]byte
		for i := 0; i < len(w); i++ {
			buf[i] = lower[w[i]]
		}
		lw := buf[:len(w)]
		return abbreviations[string(lw)] || len(lw) == 1 && unicode.IsLetter(rune(lw[0]))
	}
	w = strings.ToLower(w)
	if abbreviations[w] {
		return true
	}
	// A single capital letter is an initial ("Kim J. Un").
	return utf8.RuneCountInString(w) == 1 && unicode.IsLetter([]rune(w)[0])
}

// startsSentence reports whether what follows a period looks like a new sentence.
func startsSentence(rest string) bool {
	rest = strings.TrimLeft(rest, " \t\r")
	if rest == "" || rest[0] == '\n' {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("\"'(\u201c\u2018-$€£¥", r)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
