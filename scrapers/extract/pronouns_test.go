package extract_test

import "testing"

// TestReferredDeeds: "X was responsible" and "X was behind it" take the one incident
// the sentence, or else the sentence before, names; never one of several, never across
// a sentence about something else, never where "it" has another word to refer to.
func TestReferredDeeds(t *testing.T) {
	for _, tc := range []struct{ text, key, certainty string }{
		{"Hackers stole $1.5 billion from Bybit; the FBI later said North Korea was responsible.", "ATTRIBUTED_TO Bybit hack -> North Korea", "asserted"},
		{"Thieves drained the Kroner exchange on Monday. Police believe Lazarus Group was behind it.", "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group", "hedged"},
		{"Thieves drained the Kroner exchange on Monday. Lazarus Group carried it out, according to Elliptic.", "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group", "asserted"},
	} {
		wantRelation(t, tc.text, tc.key, tc.certainty)
	}
	for _, text := range []string{
		"Thieves drained the Kroner exchange on Monday. It is unclear whether Lazarus Group was responsible.",
		"Thieves drained the Kroner exchange on Monday. Lazarus Group was not responsible, police said.",
		"Thieves drained the Kroner exchange on Monday. A new wallet app was released. Lazarus Group was behind it.",
		"Hackers hit the Kroner exchange and the Aarhus Clinic. Lazarus Group was responsible.",
		"Thieves drained the Kroner exchange on Monday. Researchers said the loader was novel and Lazarus Group was behind it.",
		"Thieves drained the Kroner exchange on Monday. Asked who was behind it, officials said Lazarus Group was responsible for past attacks.",
	} {
		wantNoRelation(t, text, "ATTRIBUTED_TO")
	}
}
