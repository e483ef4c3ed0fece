package extract_test

import (
	"slices"
	"strings"
	"testing"
)

// TestAttributionWordingsFromReporting: more of the ways reporting says who did it, each
// in sentences written for the test.
func TestAttributionWordingsFromReporting(t *testing.T) {
	for _, tc := range []struct {
		text, key, certainty string
	}{
		// A list of thefts shares its culprit.
		{"According to TRM Labs, Lazarus Group has stolen about $300 million this year, including $90 million from Orbis Pay, $45 million from Velora Finance and $20 million from Kestrel.",
			"ATTRIBUTED_TO Velora Finance hack -> Lazarus Group", "asserted"},
		{"According to TRM Labs, Lazarus Group has stolen about $300 million this year, including $90 million from Orbis Pay, $45 million from Velora Finance and $20 million from Kestrel.",
			"ATTRIBUTED_TO Kestrel hack -> Lazarus Group", "asserted"},
		{"Investigators have linked Kimsuky to two more thefts, including $4 million from Orbis Pay and $2 million from Kestrel.",
			"ATTRIBUTED_TO Kestrel hack -> Kimsuky", "asserted"},
		// A government, or a group its state describes, was behind it.
		{"Officials said the Iranian government was responsible for the cyberattack on Aldena Water.",
			"ATTRIBUTED_TO Aldena Water hack -> Iran", "asserted"},
		{"Orbis Pay, a payments firm, says a North Korean threat actor was behind the roughly $9 million heist it suffered in May.",
			"ATTRIBUTED_TO Orbis Pay hack -> North Korea", "asserted"},
		// Who the attackers were.
		{"Hackers breached Orbis Pay last month. The company later said the attackers were the Quartz ransomware gang.",
			"ATTRIBUTED_TO Orbis Pay hack -> Quartz ransomware group", "asserted"},
		// An incident known by its own name, named again.
		{"The NightHarbor ransomware attack hit ports in May. Analysts later said NightHarbor was likely linked to Lazarus Group.",
			"ATTRIBUTED_TO NightHarbor -> Lazarus Group", "hedged"},
		// The state's possessive qualifies the actor; the actor did it.
		{"Elliptic said the theft from Orbis Pay was the work of North Korea's Lazarus Group.",
			"ATTRIBUTED_TO Orbis Pay hack -> Lazarus Group", "asserted"},
		{"Elliptic said the hack of Orbis Pay bore the hallmarks of North Korean hackers.",
			"ATTRIBUTED_TO Orbis Pay hack -> North Korea", "hedged"},
		{"Investigators said the theft from Orbis Pay showed signs of North Korea's Lazarus Group.",
			"ATTRIBUTED_TO Orbis Pay hack -> Lazarus Group", "hedged"},
		// Hackers of a state, from a named group: both did it.
		{"North Korean hackers from the Kimsuky group stole $3 million from Orbis Pay, the FBI said.",
			"ATTRIBUTED_TO Orbis Pay hack -> North Korea", "asserted"},
	} {
		wantRelation(t, tc.text, tc.key, tc.certainty)
	}
}

// TestAffiliationWordingsFromReporting: a group named after its state's description, or
// the home of a state's hackers, is tied to the state; a unit of a state's agency to
// the agency.
func TestAffiliationWordingsFromReporting(t *testing.T) {
	for _, tc := range []struct{ text, key string }{
		{"The bureau said a North Korean group it tracks as TraderTraitor carried out the hack of Orbis Pay.", "AFFILIATED_WITH TraderTraitor -> North Korea"},
		{"He belonged to a Russian government-sponsored hacking team that researchers call Sandworm.", "AFFILIATED_WITH Sandworm -> Russia"},
		{"North Korean hackers from the Kimsuky group stole $3 million from Orbis Pay, the FBI said.", "AFFILIATED_WITH Kimsuky -> North Korea"},
		{"Kimsuky, a North Korean cyber espionage unit, targets think tanks.", "AFFILIATED_WITH Kimsuky -> North Korea"},
		{"Microsoft said Volt Typhoon, a state-sponsored hacking group based in China, breached ports.", "AFFILIATED_WITH Volt Typhoon -> China"},
		{"Andariel is a unit of North Korea's Reconnaissance General Bureau.", "AFFILIATED_WITH Andariel -> Reconnaissance General Bureau"},
	} {
		wantRelation(t, tc.text, tc.key, "")
	}
	// Chained, not stated: the unit belongs to the state through its agency.
	if rels := relationKeys(extractAt("Andariel is a unit of North Korea's Reconnaissance General Bureau.", published)); rels["AFFILIATED_WITH Andariel -> North Korea"] != nil {
		t.Errorf("a unit of a state's agency tied to the state directly")
	}
}

// TestVictimsAndAmountsFromReporting: victims named without what locates them, listed
// thefts each with its amount, the total of a list and an attempt stolen by no one.
func TestVictimsAndAmountsFromReporting(t *testing.T) {
	for _, tc := range []struct{ text, key string }{
		{"Hackers stole $12 million from Dubai-based crypto exchange Zentra on Friday.", "TARGETED Zentra hack -> Zentra"},
		{"Hackers drained $3 million from Japan's Kestrel Bank.", "TARGETED Kestrel Bank hack -> Kestrel Bank"},
		{"Thieves took 800 BTC from Japanese exchange Kestrel Bank.", "TARGETED Kestrel Bank hack -> Kestrel Bank"},
		{"The theft topped last August's Orbis Pay hack, in which $61 million was taken.", "TARGETED Orbis Pay hack -> Orbis Pay"},
		{"According to TRM Labs, Lazarus Group has stolen about $300 million this year, including $90 million from Orbis Pay, $45 million from Velora Finance and $20 million from Kestrel.", "STOLE Velora Finance hack -> $45 million"},
		{"The intruders tried to steal $500 million from Nimbus Bank but got away with $20 million.", "STOLE Nimbus Bank hack -> $20 million"},
	} {
		wantRelation(t, tc.text, tc.key, "")
	}
	for _, tc := range []struct{ text, not string }{
		{"Hackers stole $12 million from Dubai-based crypto exchange Zentra on Friday.", "Dubai"},
		{"Hackers drained $3 million from Japan's Kestrel Bank.", "Japan's"},
		{"The campaign included attacks on South Korean broadcasters in March.", "Korean hack"},
		{"According to TRM Labs, Lazarus Group has stolen about $300 million this year, including $90 million from Orbis Pay, $45 million from Velora Finance and $20 million from Kestrel.", "$300 million"},
		{"According to TRM Labs, Lazarus Group has stolen about $300 million this year, including $90 million from Orbis Pay, $45 million from Velora Finance and $20 million from Kestrel.", "Orbis Pay hack -> $45 million"},
		{"The intruders tried to steal $500 million from Nimbus Bank but got away with $20 million.", "$500 million"},
		{"Indian police said the cooperative bank's funds were moved to a bank in Hong Kong.", "COLLABORATES_WITH"},
		{"The United States and its allies accused Russia of the hack of Orbis Pay.", "COLLABORATES_WITH"},
	} {
		for k := range relationKeys(extractAt(tc.text, published)) {
			if strings.Contains(k, tc.not) && (strings.HasPrefix(k, "STOLE") || strings.HasPrefix(k, "TARGETED") || strings.HasPrefix(k, "COLLAB") || strings.Contains(tc.not, "->")) {
				t.Errorf("%q:\n  gave %s", tc.text, k)
			}
		}
	}
}

// TestMoreNegatives: the new wordings where the text scopes away, relates a group to its
// sponsor rather than to the deed, or names no culprit.
func TestMoreNegatives(t *testing.T) {
	for _, text := range []string{
		"Researchers said the crew, which they link to North Korea's Reconnaissance General Bureau, was not involved in the hack of Orbis Pay.",
		"The attack on Orbis Pay was the work of UNC9999, a group Mandiant links to North Korea's Reconnaissance General Bureau.",
		"The report lists thefts this year, including $90 million from Orbis Pay and $20 million from Kestrel.",
		"Officials said the Iranian government was not responsible for the cyberattack on Aldena Water.",
		"The company said the attackers were not the Quartz ransomware gang.",
		"Elliptic said the hack of Orbis Pay bore none of the hallmarks of North Korean hackers.",
	} {
		for k := range relationKeys(extractAt(text, published)) {
			if strings.HasPrefix(k, "ATTRIBUTED_TO") && !strings.HasSuffix(k, "-> UNC9999") {
				t.Errorf("%q:\n  gave %s", text, k)
			}
		}
	}
}

// TestRestatedAgentsAndLinks: the agent the cue's first "on" hides, an agency restated
// by its name, a group tied to its parent, a state punished for its interference.
func TestRestatedAgentsAndLinks(t *testing.T) {
	for _, tc := range []struct{ text, key string }{
		{"The FBI attributed the attack on Orbis Pay to Quartzite, a criminal gang.", "ATTRIBUTED_TO Orbis Pay hack -> Quartzite"},
		{"The White House named Russia's Foreign Intelligence Service, the SVR, as the perpetrator of the Orbis Pay supply-chain hack.", "ATTRIBUTED_TO Orbis Pay hack -> SVR"},
		{"The White House named Russia's Foreign Intelligence Service, the SVR, as the perpetrator of the Orbis Pay supply-chain hack.", "AFFILIATED_WITH SVR -> Russia"},
		{"Many of these crews work for the Reconnaissance General Bureau, North Korea's main military intelligence agency.", "AFFILIATED_WITH Reconnaissance General Bureau -> North Korea"},
		{"Officials have long tied Kimsuky to North Korea's Reconnaissance General Bureau.", "AFFILIATED_WITH Kimsuky -> Reconnaissance General Bureau"},
		{"The sanctions punished Iran for interfering in the 2022 U.S. midterm elections.", "ATTRIBUTED_TO 2022 U.S. midterm election interference -> Iran"},
	} {
		wantRelation(t, tc.text, tc.key, "")
	}
	for _, text := range []string{
		"The hack of Orbis Pay was blamed on sloppy security, according to Kestrel.",
		"The FBI attributed the attack on Orbis Pay to an insider; Lazarus Group was not involved.",
		"The sanctions punished Iran for its nuclear program, not for interfering in the 2022 U.S. midterm elections.",
	} {
		wantNoRelation(t, text, "ATTRIBUTED_TO")
	}
}

// TestChargedPeople: a person the reference cannot know, charged or convicted over an
// incident or a list of them, is its culprit; the list shares the charge.
func TestChargedPeople(t *testing.T) {
	text := "Prosecutors on Monday charged Ivan Sokolov, a Russian programmer, over a series of cyberattacks that included the 2019 hack of Orbis Pay, the 2020 theft of $9 million from Kestrel Bank and the NightHarbor 3.1 ransomware outbreak."
	rels := relationKeys(extractAt(text, published))
	for _, want := range []string{
		"ATTRIBUTED_TO Orbis Pay hack -> Ivan Sokolov",
		"ATTRIBUTED_TO Kestrel Bank hack -> Ivan Sokolov",
		"ATTRIBUTED_TO NightHarbor 3.1 -> Ivan Sokolov",
		"STOLE Kestrel Bank hack -> $9 million",
	} {
		if rels[want] == nil {
			t.Errorf("no %s; got %v", want, keys(rels))
		}
	}
	text = "A jury convicted Marta Jensen of fraud over her 2022 raid on Velora Finance."
	if rels := relationKeys(extractAt(text, published)); rels["ATTRIBUTED_TO Velora Finance hack -> Marta Jensen"] == nil {
		t.Errorf("%q: no attribution to Marta Jensen; got %v", text, keys(rels))
	}
	for _, text := range []string{
		"Prosecutors charged Ivan Sokolov with laundering money from the Orbis Pay hack.",
		"Police arrested Kestrel Bank staff over the theft of $2 million from Orbis Pay.",
		"Prosecutors did not charge Ivan Sokolov over the 2019 hack of Orbis Pay.",
		"Prosecutors charged Ivan Sokolov, a Russian programmer, over tax fraud; separately, hackers breached Orbis Pay.",
	} {
		wantNoRelation(t, text, "ATTRIBUTED_TO")
	}
}

// TestWhatWasTakenInTheCurrentIncident: a sentence that names no incident but says what
// was taken speaks of the incident the article is about; a bounty, a failed withdrawal
// or another, earlier theft does not.
func TestWhatWasTakenInTheCurrentIncident(t *testing.T) {
	text := "Hackers breached Orbis Pay on May 3, 2024. The stolen bitcoin was worth 4.1 billion yen at the time."
	res := extractAt(text, published)
	rels := relationKeys(res)
	if rels["STOLE Orbis Pay hack -> 4.1 billion yen"] == nil {
		t.Errorf("%q: no STOLE of 4.1 billion yen; got %v", text, keys(rels))
	}
	if entityNamed(res, "incident", "Orbis Pay hack (May 2024)") == nil {
		t.Errorf("%q: the incident lacks its dated name; got %v", text, names(res, "incident"))
	}
	for _, text := range []string{
		"Hackers breached Orbis Pay on Friday. The company promised the hacker a $500,000 bounty.",
		"Hackers breached Orbis Pay on Friday. A user then reported being unable to withdraw 5,000 ETH.",
		"Hackers breached Orbis Pay on Friday. The loss surpasses the 48 billion yen lost in an earlier theft.",
	} {
		wantNoRelation(t, text, "STOLE")
	}
	// Moved out of the victim's wallets, or to the thief's, is taken; so is a ransom
	// paid, and the value given of what was taken, at the time.
	for text, want := range map[string][]string{
		"Hackers breached Orbis Pay on Friday. Orbis Pay's chief executive said the attackers moved more than 9,000 ETH out of one of the exchange's cold wallets.": {"STOLE Orbis Pay hack -> 9,000 ETH"},
		"Prosecutors charged Nora Blix over the 2019 hack of Orbis Pay. Prosecutors said Blix moved 1,200 bitcoin to a wallet she controlled.":                      {"STOLE Orbis Pay hack -> 1,200 bitcoin"},
		"The FBI recovered 10 bitcoin of the ransom Kestrel Pipeline paid. Kestrel paid 40 bitcoin, then worth roughly $2.1 million, after a ransomware attack.":    {"STOLE Kestrel Pipeline ransomware attack -> 40 bitcoin", "STOLE Kestrel Pipeline ransomware attack -> $2.1 million"},
		"Hackers hit the clinics with Pelican ransomware in May. After a week offline, the hospital paid roughly $90,000 in bitcoin.":                               {"STOLE Pelican -> $90,000"},
		"Crypto exchange Orbis Pay, which was hacked last week, now says about $7 million was taken from its hot wallets.":                                          {"STOLE Orbis Pay hack -> $7 million"},
	} {
		rels := relationKeys(extractAt(text, published))
		for _, k := range want {
			if rels[k] == nil {
				t.Errorf("%q: no %s; got %v", text, k, keys(rels))
			}
		}
	}
	for _, text := range []string{
		"Hackers breached Orbis Pay on Friday. Investigators said the attackers later moved 9,000 ETH through a mixer.",
		"Hackers hit the clinics with Pelican ransomware in May. The hospital later paid $4 million to consultants to rebuild its network.",
		"The FBI recovered 10 bitcoin of the ransom Kestrel Pipeline paid. Kestrel paid 40 bitcoin, now worth roughly $4 million, after a ransomware attack.",
	} {
		for k := range relationKeys(extractAt(text, published)) {
			if strings.HasPrefix(k, "STOLE") && (strings.HasSuffix(k, "9,000 ETH") || strings.HasSuffix(k, "$4 million")) {
				t.Errorf("%q:\n  gave %s", text, k)
			}
		}
	}
	// A date the text gives another incident is not this one's.
	res = extractAt("Hackers drained $3 million from Orbis Pay. Unlike last year's breach at a rival, this incident has not been attributed.", published)
	if e := entityNamed(res, "incident", "Orbis Pay hack (2024)"); e != nil {
		t.Errorf("the Orbis Pay hack took the date of another breach: %q", e.Mentions)
	}
}

// FuzzExtractEvents starts from the wordings the event rules read: whatever the text,
// extraction never panics and every relation keeps its evidence and ends.
func FuzzExtractEvents(f *testing.F) {
	for _, s := range []string{
		"Prosecutors on Monday charged Ivan Sokolov, a Russian programmer, over a series of cyberattacks that included the 2019 hack of Orbis Pay, the 2020 theft of $9 million from Kestrel Bank and the NightHarbor 3.1 ransomware outbreak.",
		"Velora later thanked Silver Fox, the alias the attacker chose, for sending the funds back.",
		"An Iranian state-backed hacking group teamed up with the Quartz ransomware gang on a cyberattack in January. The group, which Microsoft tracks as Mint Sandstorm, has hit universities before.",
		"According to TRM Labs, Lazarus Group has stolen about $300 million this year, including $90 million from Orbis Pay, $45 million from Velora Finance and $20 million from Kestrel.",
		"Lending platform Corvo Finance is still trying to recover its stolen funds after a $12 million exploit last month.",
		"The White House named Russia's Foreign Intelligence Service, the SVR, as the perpetrator of the Orbis Pay supply-chain hack.",
		"Hackers drained $3 million from Japan's Kestrel Bank. The stolen bitcoin was worth 4.1 billion yen, or Rs 13.92 crore.",
		"Mr. White Hat, the name the hacker uses, , the name the hacker uses",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		res := extractAt(s, published)
		for _, r := range res.Relations {
			if r.Evidence == "" || r.From == "" || r.To == "" {
				t.Fatalf("relation without evidence or ends: %+v", r)
			}
		}
	})
}

// TestIncidentsNamedInPassing: malware "called" something used against someone, a
// hack "in what a senator called the worst ... hack", a victim hackers crippled, and a
// group's state in a sentence that only compares.
func TestIncidentsNamedInPassing(t *testing.T) {
	for _, tc := range []struct{ text, key string }{
		{"Agents seized funds from Iranian state-backed hackers who used a little-known ransomware strain called Pelican against clinics in Ohio.", "ATTRIBUTED_TO Pelican -> Iran"},
		{"Chinese state-sponsored hackers known as Salt Typhoon broke into at least six European carriers, in what one minister called the biggest telecom hack in the region's history.", "ATTRIBUTED_TO biggest telecom hack -> Salt Typhoon"},
		{"Chinese state-sponsored hackers known as Salt Typhoon broke into at least six European carriers, in what one minister called the biggest telecom hack in the region's history.", "ATTRIBUTED_TO biggest telecom hack -> China"},
		{"The company paid a ransom after hackers crippled its Orbis Pay unit in March.", "TARGETED Orbis Pay hack -> Orbis Pay"},
		{"Unlike the Kestrel theft, which officials pinned on North Korea's Lazarus Group, the Orbis Pay exploit was the work of a lone trader.", "AFFILIATED_WITH Lazarus Group -> North Korea"},
	} {
		wantRelation(t, tc.text, tc.key, "")
	}
	for _, text := range []string{
		"Researchers used a little-known ransomware strain called Pelican to test their defences.",
		"Iranian state-backed hackers did not use the ransomware strain called Pelican against clinics, the FBI said.",
		"Unlike what one minister called the biggest telecom hack in the region's history, this breach was minor.",
		"Doctors said a storm crippled its Orbis Pay unit in March.",
	} {
		wantNoRelation(t, text, "ATTRIBUTED_TO", "TARGETED")
	}
}

// TestVictimsNotCulprits: a name followed by what describes a gang is the culprit, not
// a victim; a place describing what was hit is no victim; who paid a ransom is one.
func TestVictimsNotCulprits(t *testing.T) {
	for _, tc := range []struct{ text, key string }{
		{"Prosecutors recovered part of the ransom Orbis Pay paid to the hackers last month.", "TARGETED Orbis Pay ransomware attack -> Orbis Pay"}, // a ransom paid: a ransomware attack
		{"Hackers breached Orbis Pay in May. The FBI has blamed the attack on Quartzite, a ransomware-as-a-service gang.", "ATTRIBUTED_TO Orbis Pay hack -> Quartzite"},
	} {
		wantRelation(t, tc.text, tc.key, "")
	}
	for _, tc := range []struct{ text, not string }{
		{"Hackers breached Orbis Pay in May. The FBI has blamed the attack on Quartzite, a ransomware-as-a-service gang.", "-> Quartzite"},
		{"The hackers encrypted the Kansas hospital's servers in May.", "Kansas"},
	} {
		for k := range relationKeys(extractAt(tc.text, published)) {
			if strings.HasPrefix(k, "TARGETED") && strings.Contains(k, tc.not) {
				t.Errorf("%q:\n  gave %s", tc.text, k)
			}
		}
	}
}

// TestAttacksOnAStatesOrganisations: "the March 2013 attacks on South Korean banks and
// broadcasters", blamed on a state later in the sentence; attacks on people are not
// cyber incidents, and a denial attributes nothing.
func TestAttacksOnAStatesOrganisations(t *testing.T) {
	text := "Investigators saw links to the June 2019 attacks on Estonian banks and broadcasters, which Tallinn has blamed on Moscow."
	res := extractAt(text, published)
	if entityNamed(res, "incident", "the June 2019 attacks on Estonian banks and broadcasters") == nil {
		t.Errorf("%q: no incident for the attacks; got %v", text, names(res, "incident"))
	}
	if rels := relationKeys(res); rels["ATTRIBUTED_TO attacks on Estonian banks and broadcasters -> Russia"] == nil {
		t.Errorf("%q: no attribution to Russia; got %v", text, keys(rels))
	}
	for _, text := range []string{
		"Police reported attacks on Japanese tourists in the city.",
		"Moscow denied the attacks on Estonian banks, and no one has been charged.",
	} {
		res := extractAt(text, published)
		for k := range relationKeys(res) {
			if strings.HasPrefix(k, "ATTRIBUTED_TO") {
				t.Errorf("%q:\n  gave %s", text, k)
			}
		}
		if strings.Contains(text, "tourists") && len(names(res, "incident")) > 0 {
			t.Errorf("%q: gave incidents %v", text, names(res, "incident"))
		}
	}
}

// TestProductsAndThreatsAreNoVictims: what a product's users suffered has no victim
// organisation in the product's name, and its short name is the same incident; attacks
// only threatened make no incident.
func TestProductsAndThreatsAreNoVictims(t *testing.T) {
	res := extractAt("Western governments accused China's Ministry of State Security of being behind the hacking of Microsoft Exchange email servers. The attackers exploited flaws in on-premises Exchange servers to read email.", published)
	if inc := names(res, "incident"); len(inc) != 1 || inc[0] != "Microsoft Exchange hack" {
		t.Errorf("incidents %v, want the Microsoft Exchange hack only", inc)
	}
	for k := range relationKeys(res) {
		if strings.HasPrefix(k, "TARGETED") {
			t.Errorf("a product as victim: %s", k)
		}
	}
	res = extractAt("Hackers stole files from Sony Pictures in November. They later threatened attacks on cinemas showing The Interview.", published)
	if inc := names(res, "incident"); len(inc) != 1 {
		t.Errorf("incidents %v, want the Sony Pictures hack only", inc)
	}
}

// TestVictimsListedAmongThoseHit: "named A, B and C among the carriers that were
// breached" lists victims of the incident the document tells of.
func TestVictimsListedAmongThoseHit(t *testing.T) {
	text := "Hackers breached the Kroner exchange in March. Reporters later named Tessel Bank, Aurum Pay and Nordlys Energy among the companies that were breached."
	rels := relationKeys(extractAt(text, published))
	for _, v := range []string{"Tessel Bank", "Aurum Pay", "Nordlys Energy"} {
		if rels["TARGETED Kroner exchange hack -> "+v] == nil {
			t.Errorf("no TARGETED of %s; got %v", v, keys(rels))
		}
	}
	for _, text := range []string{
		"Hackers breached the Kroner exchange in March. Reporters named Tessel Bank and Aurum Pay among the companies that sponsored the inquiry.",
		"Hackers breached the Kroner exchange in March. Tessel Bank said it was not among the companies that were breached.",
		"Reporters named Tessel Bank and Aurum Pay among the companies that were breached.",
	} {
		for k := range relationKeys(extractAt(text, published)) {
			if strings.HasPrefix(k, "TARGETED") && (strings.Contains(k, "Tessel") || strings.Contains(k, "Aurum")) {
				t.Errorf("%q:\n  gave %s", text, k)
			}
		}
	}
}

// TestAttacksKnownByTheirRansomware: "hack clinics with Pelican ransomware" tells of the
// Pelican attacks, which a group's members then carried out; a group's own ransomware
// names the group, not an incident.
func TestAttacksKnownByTheirRansomware(t *testing.T) {
	text := "A grand jury indicted Ivan Roe on charges of conspiring to hack clinics with Pelican ransomware. Court papers say Roe and other Andariel members carried out the Pelican attacks."
	res := extractAt(text, published)
	if inc := entityNamed(res, "incident", "Pelican"); inc == nil || !slices.Contains(inc.Mentions, "Pelican ransomware") {
		t.Errorf("no Pelican incident mentioned as Pelican ransomware: %v", names(res, "incident"))
	}
	rels := relationKeys(res)
	for _, k := range []string{"ATTRIBUTED_TO Pelican -> Andariel", "ATTRIBUTED_TO Pelican -> Ivan Roe"} {
		if rels[k] == nil {
			t.Errorf("no %s; got %v", k, keys(rels))
		}
	}
	for _, text := range []string{
		"Hackers hit the clinics with LockBit ransomware in May.",
		"Investigators said the clinics were not hit with Pelican ransomware.",
	} {
		res := extractAt(text, published)
		if entityNamed(res, "incident", "Pelican") != nil || entityNamed(res, "incident", "LockBit") != nil {
			t.Errorf("%q: incidents %v", text, names(res, "incident"))
		}
	}
}

// TestClaimedAndSufferedAttacks: an organisation that says an attack hit its users was
// hit; a gang that claims the attack is its hedged culprit; "British" in "the British
// Library" is a name's word, not the United Kingdom.
func TestClaimedAndSufferedAttacks(t *testing.T) {
	text := "The British Museum said on Monday that a ransomware attack in May had exposed data of its staff. The Quartzite ransomware group has claimed responsibility."
	res := extractAt(text, published)
	rels := relationKeys(res)
	if rels["TARGETED British Museum ransomware attack -> British Museum"] == nil {
		t.Errorf("no TARGETED of the British Museum; got %v", keys(rels))
	}
	if r := rels["ATTRIBUTED_TO British Museum ransomware attack -> Quartzite ransomware group"]; r == nil || r.Certainty != "hedged" {
		t.Errorf("want the gang's claim, hedged; got %v", keys(rels))
	}
	if names(res, "state") != nil {
		t.Errorf("states %v in a text that names none", names(res, "state"))
	}
	// An attack on its customers is not one on the speaker.
	if inc := names(extractAt("Microsoft said a cyberattack on its customers was the work of Midnight Blizzard.", published), "incident"); inc != nil {
		t.Errorf("incidents %v: the speaker's customers were attacked, not the speaker", inc)
	}
	wantRelation(t, "Hackers breached the Kroner exchange in March. A group called Glass Heron claimed the attack, though researchers doubt it.",
		"ATTRIBUTED_TO Kroner exchange hack -> Glass Heron", "hedged")
	for _, text := range []string{
		"The British Museum said on Monday that a ransomware attack in May had exposed data of its staff. The Quartzite ransomware group has not claimed responsibility.",
		"The British Museum said on Monday that a ransomware attack in May had exposed data of its staff. Police said the Quartzite ransomware group falsely claimed responsibility.",
		"The British Museum said on Monday that a ransomware attack in May had exposed data of its staff. Police said the Quartzite ransomware group claimed responsibility for an attack on a school last year, not this one.",
	} {
		for k := range relationKeys(extractAt(text, published)) {
			if k == "ATTRIBUTED_TO British Museum ransomware attack -> Quartzite ransomware group" {
				t.Errorf("%q:\n  gave %s", text, k)
			}
		}
	}
}

// TestTheSpeakerOfItsWallets: "Phemex said hackers had drained $70 million from its hot
// wallets" is Phemex's loss, though another speaker follows and another incident came
// before.
func TestTheSpeakerOfItsWallets(t *testing.T) {
	text := "Elliptic said the theft of $230 million from Orbis Pay was likely the work of Lazarus Group. The same day, rival exchange Kestrel said hackers had drained about $70 million from its hot wallets; Elliptic said it was too early to say who was behind that attack."
	rels := relationKeys(extractAt(text, published))
	if rels["STOLE Kestrel hack -> $70 million"] == nil || rels["STOLE Orbis Pay hack -> $70 million"] != nil {
		t.Errorf("want the $70 million Kestrel's; got %v", keys(rels))
	}
	// With no speaker before it, "its" is still a name of the sentence's own.
	text = "Elliptic said the theft of $230 million from Orbis Pay was likely the work of Lazarus Group. Hours later, hackers drained about $70 million from its hot wallets, rival exchange Kestrel disclosed."
	if rels := relationKeys(extractAt(text, published)); rels["STOLE Orbis Pay hack -> $70 million"] != nil {
		t.Errorf("%q: gave the $70 million to Orbis Pay", text)
	}
}
