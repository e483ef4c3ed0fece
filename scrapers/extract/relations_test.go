package extract_test

import (
	"fmt"
	"testing"

	"github.com/cyberkg/cyberkg/scrapers/extract"
)

func relations(text string) map[string]*extract.Relation {
	out := map[string]*extract.Relation{}
	for _, r := range extractor.Extract(extract.Document{Text: text}).Relations {
		out[fmt.Sprintf("%s %s -> %s", r.Type, r.From, r.To)] = r
	}
	return out
}

// TestNoFalseAttribution: sentences that name an actor near an incident without
// attributing it must give no attribution. A false attribution is the worst error.
func TestNoFalseAttribution(t *testing.T) {
	for _, text := range []string{
		"There is no evidence linking Lazarus Group to the Bybit hack.",
		"Investigators said it was too early to link the Bybit hack to North Korea.",
		"The Bybit hack has not been attributed to Lazarus Group.",
		"Unlike the April hack, the December Upbit hack was not attributed to North Korea.",
		"Bybit denied that Lazarus Group was behind the Bybit hack.",
		"The FBI did not say whether Lazarus Group carried out the Bybit hack.",
		"Lazarus Group is a North Korean hacking group. Separately, a hacker drained funds from Bybit.",
		"Analysts ruled out North Korea in the Bybit hack.",
		"It is not yet clear who was behind the WazirX breach, though some analysts pointed to North Korea.",
		"North Korea has denied involvement in the Bybit hack.",
		"Russian hackers were not involved in the Colonial Pipeline attack.",
		"Unlike the April hack of Bitrue, the December hack of Upbit was not attributed to anyone.",
		"A North Korea-based exchange, Bybit, suffered a hack.",
		"A transfer to a wallet tied to North Korea could mean the Euler Finance hack was carried out by the DPRK. However, the firm said this could also be a deliberate attempt to mislead investigators.",
		// Asked or supposed, not said.
		"Officials declined to say whether North Korea was responsible for the Kroner exchange hack.",
		"Investigators are looking into whether Lazarus Group was behind the Kroner exchange hack.",
		"If Lazarus Group was behind the Kroner exchange hack, it would be its biggest theft this year.",
		// Given up, or rejected by others.
		"The Kroner exchange hack was initially blamed on Lazarus Group, but investigators later traced it to a former employee.",
		"Some on social media blamed North Korea for the Kroner exchange hack, a claim investigators rejected.",
		// The negation sits in the incident's clause; the agent's clause says something else.
		"Lazarus Group has stolen billions in the past, but investigators have not linked it to the Kroner exchange hack.",
		"Russia has been accused by Ukraine of many attacks, though not of the Kroner exchange hack.",
		// The agent acted on another victim than the incident named before it.
		"The Kroner exchange hack happened the same week that Lazarus Group hit Stake.com.",
		// A name the cue points to, or a suspect, of something else.
		"Analysts pointed to North Korea's growing skills after the Kroner exchange hack.",
		"Officials pointed to Lazarus Group's earlier thefts when discussing the Kroner exchange hack.",
		"Lazarus Group, the prime suspect in earlier thefts, was cleared of the Kroner exchange hack.",
		// A tie that was is not the agent; a report taken back says nothing.
		"Officials said the Kroner exchange hack was carried out by criminals who once worked for Russia's GRU.",
		"The Kroner exchange hack was the work of Lazarus Group, according to a report that its publisher later retracted.",
	} {
		for k := range relations(text) {
			if len(k) > 13 && k[:13] == "ATTRIBUTED_TO" {
				t.Errorf("%q\n  gave %s", text, k)
			}
		}
	}
}

func TestAttributionCertaintyAndClaimant(t *testing.T) {
	for _, tc := range []struct {
		text, key, certainty, claimant string
	}{
		{"The FBI said Lazarus Group was behind the Bybit hack.", "ATTRIBUTED_TO Bybit hack -> Lazarus Group", "asserted", "FBI"},
		{"Researchers suspect Lazarus Group was behind the Bybit hack.", "ATTRIBUTED_TO Bybit hack -> Lazarus Group", "hedged", ""},
		{"The Bybit hack was attributed to North Korea.", "ATTRIBUTED_TO Bybit hack -> North Korea", "asserted", ""},
		{"The Bybit hack is likely the work of TraderTraitor, according to Elliptic.", "ATTRIBUTED_TO Bybit hack -> TraderTraitor", "hedged", "Elliptic"},
		{"North Korean hackers stole $1.5 billion from Bybit.", "ATTRIBUTED_TO Bybit hack -> North Korea", "asserted", ""},
		{"Lazarus Group has been blamed for the Bybit hack.", "ATTRIBUTED_TO Bybit hack -> Lazarus Group", "asserted", ""},
		{"Russian hackers were not involved in the Colonial Pipeline attack, which the FBI attributed to DarkSide, a criminal ransomware gang.", "ATTRIBUTED_TO Colonial Pipeline ransomware attack -> DarkSide", "asserted", "FBI"},
		{"Hackers stole $20 million from CoinEx in September; a week later, Lazarus Group attacked Stake.com.", "ATTRIBUTED_TO Stake.com hack -> Lazarus Group", "asserted", ""},
		{"Security firm SlowMist said the attackers behind the $50 million exploit of Radiant Capital were likely North Korean.", "ATTRIBUTED_TO Radiant Capital hack -> North Korea", "hedged", "SlowMist"},
		{"Japanese police said TraderTraitor stole 48.2 billion yen from DMM Bitcoin in May 2024.", "ATTRIBUTED_TO DMM Bitcoin hack -> TraderTraitor", "asserted", "Japan"},
		{"The hack of Upbit in November 2019 was attributed to Lazarus Group and Andariel by South Korean police.", "ATTRIBUTED_TO Upbit hack -> Andariel", "asserted", ""},
		{"The Ronin bridge was drained of $625 million in March 2022; the US Treasury later tied the theft to Lazarus Group.", "ATTRIBUTED_TO Ronin bridge hack -> Lazarus Group", "asserted", "US Department of the Treasury"},
		{"A transfer to a wallet tied to North Korea could mean the Euler Finance hack was carried out by the DPRK.", "ATTRIBUTED_TO Euler Finance hack -> North Korea", "hedged", ""},
		// What takes an attribution back (see disputes.go) leaves these standing.
		{"North Korea denied it, but the FBI blamed Lazarus Group for the Kroner exchange hack.", "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group", "asserted", "FBI"},
		{"Police confirmed that Lazarus Group was behind the Kroner exchange hack, which the company had initially described as a glitch.", "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group", "asserted", ""},
		{"During the Kroner exchange hack, Lazarus Group drained Kroner's hot wallet.", "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group", "asserted", ""},
		{"Lazarus Group, which was not previously known to target Denmark, carried out the Kroner exchange hack, the FBI said.", "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group", "asserted", "FBI"},
		// Pointing to a suspect is a hedged attribution; "tentatively" hedges.
		{"Early indications point to Lazarus Group in the Kroner exchange hack.", "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group", "hedged", ""},
		{"A blockchain investigator pointed to Lazarus Group as the likely culprit behind the Kroner exchange hack.", "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group", "hedged", ""},
		{"Lazarus Group is the prime suspect in the Kroner exchange hack.", "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group", "hedged", ""},
		{"The Kroner exchange hack has been tentatively attributed to Lazarus Group.", "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group", "hedged", ""},
		// The namer of a group is not its agent.
		{"The Kroner exchange hack was attributed to a group that Mandiant tracks as UNC4736.", "ATTRIBUTED_TO Kroner exchange hack -> Citrine Sleet", "asserted", ""},
		{"The Kroner exchange hack was carried out by a group which researchers call APT38.", "ATTRIBUTED_TO Kroner exchange hack -> APT38", "asserted", ""},
		// A state's service with a short name of its own speaks for the state.
		{"Ukraine's SBU security service said Sandworm was behind the Kroner exchange hack.", "ATTRIBUTED_TO Kroner exchange hack -> Sandworm", "asserted", "Ukraine"},
		// A day is when a claim was made, never who made it.
		{"South Korea on Tuesday blamed North Korea for the Kroner exchange hack.", "ATTRIBUTED_TO Kroner exchange hack -> North Korea", "asserted", "South Korea"},
		{"On Tuesday, police said Lazarus Group was behind the Kroner exchange hack.", "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group", "asserted", ""},
		// Who has not confirmed a thing is not its claimant.
		{"The Kroner exchange hack was attributed to Lazarus Group by some commentators, though the FBI has not confirmed it.", "ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group", "hedged", ""},
	} {
		rels := relations(tc.text)
		r := rels[tc.key]
		if r == nil {
			t.Errorf("%q: no %s; got %v", tc.text, tc.key, keys(rels))
			continue
		}
		claimant := ""
		if r.AttributedBy != nil {
			claimant = *r.AttributedBy
		}
		if r.Certainty != tc.certainty || claimant != tc.claimant {
			t.Errorf("%q: %s by %q, want %s by %q", tc.text, r.Certainty, claimant, tc.certainty, tc.claimant)
		}
	}
}

func TestAffiliationAndCollaboration(t *testing.T) {
	for text, want := range map[string]string{
		"North Korea's Lazarus Group struck again.":                                "AFFILIATED_WITH Lazarus Group -> North Korea",
		"APT38, a North Korean state-sponsored group, targets banks.":              "AFFILIATED_WITH APT38 -> North Korea",
		"TraderTraitor, a subgroup of Lazarus Group, is active.":                   "AFFILIATED_WITH TraderTraitor -> Lazarus Group",
		"Unit 26165 of the Russian GRU ran the operation.":                         "AFFILIATED_WITH APT28 -> GRU",
		"Unit 74455 of the General Staff's Main Intelligence Directorate did it.":  "AFFILIATED_WITH Sandworm -> GRU",
		"APT28, also known as Fancy Bear, is a unit of Russia's GRU.":              "AFFILIATED_WITH APT28 -> GRU",
		"North Korean hacking groups such as Kimsuky target think tanks.":          "AFFILIATED_WITH Kimsuky -> North Korea",
		"Chinese state-sponsored hackers known as Salt Typhoon breached telecoms.": "AFFILIATED_WITH Salt Typhoon -> China",
		"the North Korean hacking group Lazarus Group struck.":                     "AFFILIATED_WITH Lazarus Group -> North Korea",
		"North Korea's cooperation with Russia has deepened.":                      "COLLABORATES_WITH North Korea -> Russia",
		"Sandworm, a hacking unit of Russia's GRU, was behind the Kyiv blackout.":  "AFFILIATED_WITH Sandworm -> GRU",
		"Kimsuky is a North Korean espionage unit.":                                "AFFILIATED_WITH Kimsuky -> North Korea",
		"Officials fear an alliance between Russia and North Korea in cyberspace.": "COLLABORATES_WITH North Korea -> Russia",
	} {
		if rels := relations(text); rels[want] == nil {
			t.Errorf("%q: no %s; got %v", text, want, keys(rels))
		}
	}
	for _, text := range []string{
		"A Russian-based ransomware group hit the hospital.",
		"The US and South Korea jointly attributed the hack to North Korea.",
		// A unit's "of" reads on through names only, never into what it is accused of.
		"Britain accused the GRU of being behind the hack of the Danish energy regulator.",
		"London accused the GRU of hacking a Swedish utility.",
		"Lazarus Group is not part of the Reconnaissance General Bureau, according to one defector.",
		"Lazarus Group is a North Korean target of Western sanctions.",
		"Lazarus Group is not a North Korean hacking group, a defector claimed.",
		// A side taken is not the state.
		"A pro-Russian group called Solntsepek claimed the attack on the Kroner exchange.",
		"Anti-Israel hackers calling themselves Cyber Toufan defaced the site.",
	} {
		for k := range relations(text) {
			if k[:17] == "COLLABORATES_WITH" || k[:15] == "AFFILIATED_WITH" {
				t.Errorf("%q gave %s", text, k)
			}
		}
	}
}

func keys(m map[string]*extract.Relation) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"The FBI said Lazarus Group stole $1.5 billion from Bybit on February 21, 2025.",
		"North Korea's cooperation with Russia.",
		"", "$", "the the hack hack", "APT 38 dubbed \"X\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		res := extractor.Extract(extract.Document{Text: s})
		for _, r := range res.Relations {
			if r.Evidence == "" || r.From == "" || r.To == "" {
				t.Fatalf("relation without evidence or ends: %+v", r)
			}
		}
	})
}

// TestStateAgencyActsForItsState: "China's Ministry of State Security" did it, so China
// did; "North Korea's Lazarus Group" did it, which says whom the group serves, not that
// the state did it.
func TestStateAgencyActsForItsState(t *testing.T) {
	rels := relations("Western governments accused China's Ministry of State Security of being behind the hacking of the Kroner exchange.")
	for _, k := range []string{"ATTRIBUTED_TO Kroner exchange hack -> Ministry of State Security", "ATTRIBUTED_TO Kroner exchange hack -> China"} {
		if rels[k] == nil {
			t.Errorf("no %s; got %v", k, keys(rels))
		}
	}
	rels = relations("Western governments accused North Korea's Lazarus Group of being behind the hacking of the Kroner exchange.")
	if rels["ATTRIBUTED_TO Kroner exchange hack -> Lazarus Group"] == nil || rels["ATTRIBUTED_TO Kroner exchange hack -> North Korea"] != nil {
		t.Errorf("want Lazarus Group only; got %v", keys(rels))
	}
}

// TestOperatorIsNoAgent: who runs the victim is not who attacked it, and what the
// victim's clause names is neither.
func TestOperatorIsNoAgent(t *testing.T) {
	text := "The United Kingdom blamed Russia for a cyberattack on the satellite network Norsat, run by Kestrel Ltd, that cut internet access across Ukraine."
	rels := relations(text)
	if rels["ATTRIBUTED_TO Norsat hack -> Russia"] == nil || rels["ATTRIBUTED_TO Norsat hack -> Ukraine"] != nil {
		t.Errorf("%q: want Russia only; got %v", text, keys(rels))
	}
}

// TestAppositionIsNotTheAgent: "Sandworm, a unit of Russia's GRU, was behind" says
// Sandworm was; that the GRU and Russia were is a chain the reader may draw.
func TestAppositionIsNotTheAgent(t *testing.T) {
	rels := relations("Sandworm, a hacking unit of Russia's GRU, was behind the attack on the Kroner exchange.")
	if rels["ATTRIBUTED_TO Kroner exchange hack -> Sandworm"] == nil || rels["ATTRIBUTED_TO Kroner exchange hack -> GRU"] != nil || rels["ATTRIBUTED_TO Kroner exchange hack -> Russia"] != nil {
		t.Errorf("want Sandworm only; got %v", keys(rels))
	}
}

// TestBothGroups: "both groups" are the two groups the sentence before named, and only
// when it named two.
func TestBothGroups(t *testing.T) {
	rels := relations("Police said Lazarus Group and Andariel stole funds from the Kroner exchange. They said both groups operate under North Korea's Reconnaissance General Bureau.")
	for _, k := range []string{"AFFILIATED_WITH Lazarus Group -> Reconnaissance General Bureau", "AFFILIATED_WITH Andariel -> Reconnaissance General Bureau"} {
		if rels[k] == nil {
			t.Errorf("no %s; got %v", k, keys(rels))
		}
	}
	for _, text := range []string{
		"Police said Lazarus Group, Andariel and APT38 stole funds from the Kroner exchange. They said both groups operate under North Korea's Reconnaissance General Bureau.",
		"Police said Lazarus Group and Andariel stole funds from the Kroner exchange. They said neither of the two groups operates under the Reconnaissance General Bureau, and both groups deny it.",
	} {
		for k := range relations(text) {
			if k == "AFFILIATED_WITH Andariel -> Reconnaissance General Bureau" {
				t.Errorf("%q gave %s", text, k)
			}
		}
	}
}
