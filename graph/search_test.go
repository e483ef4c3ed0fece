package graph

import (
	"testing"
	"unicode/utf8"
)

func TestKeyMatch(t *testing.T) {
	for _, tc := range []struct {
		key  string
		role KeyRole
		q    string
		want SearchMatch
	}{
		{"lazarus group", KeyName, "lazarus group", MatchName},
		{"hidden cobra", KeyAlias, "hidden cobra", MatchAlias},
		{"kp", KeyCode, "kp", MatchAlias},
		{"kp", KeyCode, "k", NoMatch}, // codes match whole only
		{"lazarus group", KeyName, "laza", MatchNamePrefix},
		{"hidden cobra", KeyAlias, "cobra", MatchAliasContains},
		{"lazarus group", KeyName, "lazarsu", MatchWords},       // a transposition
		{"lazarus group", KeyName, "group lazarus", MatchWords}, // words in any order
		{"stardust chollima", KeyAlias, "stradust chollma", MatchTypos},
		{"apt38", KeyName, "apt39", NoMatch}, // a typo never touches a digit: another group
		{"apt38", KeyName, "atp38", MatchWords},
		{"ant", KeyName, "apt", NoMatch}, // short words take no typo
		{"lazarus group", KeyName, "", NoMatch},
	} {
		if got := KeyMatch(tc.key, tc.role, tc.q); got != tc.want {
			t.Errorf("KeyMatch(%q, %d, %q) = %d, want %d", tc.key, tc.role, tc.q, got, tc.want)
		}
	}
}

// The edit distance is a distance, and its bound only ever cuts it short.
func FuzzEditDistance(f *testing.F) {
	f.Add("lazarus", "lazarsu")
	f.Add("", "kimsuky")
	f.Add("ça", "ca")
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 64 || len(b) > 64 {
			return
		}
		KeyMatch(a, KeyName, b) // never panics, whatever the bytes
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			return // letters are runes: invalid bytes all read as U+FFFD
		}
		d := editDistance(a, b, 100)
		if d != editDistance(b, a, 100) || (d == 0) != (a == b) || d > max(len([]rune(a)), len([]rune(b))) {
			t.Fatalf("distance(%q, %q) = %d", a, b, d)
		}
		for bound := range 3 {
			if got := editDistance(a, b, bound); got != min(d, bound+1) {
				t.Fatalf("distance(%q, %q) bounded by %d = %d, unbounded %d", a, b, bound, got, d)
			}
		}
	})
}
