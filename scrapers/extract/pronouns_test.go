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

// TestDeedReferences: "the activity", "the intrusions" and "the campaign" are the one
// incident the document tells of, where the sentence says whose it was.
func TestDeedReferences(t *testing.T) {
	for _, tc := range []struct{ text, key, certainty string }{
		{"Thieves drained the Kroner exchange on Monday. Investigators said the activity was the work of Lazarus Group.", "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group", "asserted"},
		{"Thieves drained the Kroner exchange on Monday. Police say the intrusions were carried out by Lazarus Group.", "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group", "asserted"},
		{"Thieves drained the Kroner exchange on Monday. The agencies said the activity belongs to TraderTraitor.", "ATTRIBUTED_TO Kroner exchange hack -> TraderTraitor", "asserted"},
		{"Thieves drained the Kroner exchange on Monday. The agencies said the activity may belong to TraderTraitor.", "ATTRIBUTED_TO Kroner exchange hack -> TraderTraitor", "hedged"},
		{"Hackers breached the Kroner exchange in March. The company disclosed the intrusions in April, blaming a group it calls Hafnium.", "ATTRIBUTED_TO Kroner exchange hack -> Silk Typhoon", "asserted"},
		{"Thieves drained the Kroner exchange on Monday. A joint advisory described the activity as the work of a Chinese state-sponsored cyber actor.", "ATTRIBUTED_TO Kroner exchange hack -> China", "asserted"},
	} {
		wantRelation(t, tc.text, tc.key, tc.certainty)
	}
	for _, text := range []string{
		// Of two incidents, "the activity" is neither for sure.
		"Thieves drained the Kroner exchange and later the Aarhus Clinic was hacked. Investigators said the activity was the work of Lazarus Group.",
		"Thieves drained the Kroner exchange on Monday. Investigators said the activity was not the work of Lazarus Group.",
		// A deed with its own target, aim or clause is another deed.
		"Thieves drained the Kroner exchange on Monday. Researchers linked the campaign against Taiwanese chipmakers to APT41.",
		"Thieves drained the Kroner exchange on Monday. The activity that investigators linked to Lazarus Group last year was unrelated.",
		"Thieves drained the Kroner exchange on Monday. The campaign to fund North Korea's weapons programme is run by the Reconnaissance General Bureau.",
		// A Chinese hacker is a person of a nationality, not the state.
		"Thieves drained the Kroner exchange on Monday. Investigators said the activity was the work of a Chinese hacker.",
	} {
		wantNoRelation(t, text, "ATTRIBUTED_TO")
	}
	// What a clause about the group says it is tied to is not whose the deed is.
	text := "Thieves drained the Kroner exchange on Monday. The agencies said the activity belongs to TraderTraitor, which is also tracked as UNC4899, and which Japan's police describe as linked to Lazarus Group."
	wantRelation(t, text, "ATTRIBUTED_TO Kroner exchange hack -> TraderTraitor", "asserted")
	for k := range relationKeys(extractAt(text, published)) {
		if k == "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group" {
			t.Errorf("%q:\n  gave %s", text, k)
		}
	}
}

// TestAccusedPronoun: "Washington blamed it for the hack" names as agent the actor or
// state that opens the sentence, when no other stands between them.
func TestAccusedPronoun(t *testing.T) {
	wantRelation(t, "North Korea rejected the report, as it did when Washington blamed it for last year's hack of the Kroner exchange.", "ATTRIBUTED_TO Kroner exchange hack -> North Korea", "asserted")
	for _, text := range []string{
		"North Korea rejected the report. Washington blamed it for last year's hack of the Kroner exchange.",
		"North Korea, which Seoul says runs Lazarus Group, denied the theft, and Russia blamed it for the hack of the Kroner exchange.",
		"North Korea rejected the report, as it did when Washington blamed it for past thefts, not for the hack of the Kroner exchange.",
		"North Korean nationals rejected the report, and Washington blamed it for the hack of the Kroner exchange.",
	} {
		wantNoRelation(t, text, "ATTRIBUTED_TO")
	}
}
