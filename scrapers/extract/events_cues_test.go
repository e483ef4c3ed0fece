package extract

import (
	"slices"
	"strings"
	"testing"
)

// eventTexts hold the wordings events.go reads, so that the cue tests below see every
// new cue match: the fixtures rarely use them.
var eventTexts = []string{
	"Officials said Sandworm launched the Industroyer malware against a substation in Kyiv.",
	"Prosecutors described the use of the homegrown Vortex ransomware against clinics in Ohio.",
	"Lawmakers demanded answers about the Iranian state-backed breach of water utilities last year.",
	"The report blamed Iran's attempts to meddle in the 2020 presidential election on a small team, and Russia's interference in the 2016 U.S. elections.",
	"Analysts believe Kimsuky worked with the Quartz ransomware gang in an intrusion last month.",
	"An Iranian state-backed hacking group teamed up with the Quartz ransomware gang on a cyberattack in January.",
	"The group, which Microsoft tracks as Mint Sandstorm and which is also known as APT35, has hit universities before.",
	"The Justice Department indicted three members of the group over the 2014 Sony Pictures hack.",
	"Prosecutors charged officers of the agency, which researchers call APT28, for their role in the hack of the Bundestag.",
	"Velora later thanked Silver Fox, the alias the attacker chose, for sending the funds back.",
	"The exploiter, who calls himself Ghost Rider, returned part of the $20 million taken from Kronos Swap.",
	"Lending platform Corvo Finance is still trying to recover its stolen funds after a $12 million exploit last month.",
	"The gang struck in February and again by March, then went quiet until late May.",
	"North Korea's theft of $41 million from Stake.com came days after a North Korea-based exchange was hit.",
	"According to TRM Labs, Lazarus Group has stolen about $300 million this year, including $90 million from Orbis Pay and $20 million from Kestrel.",
	"Investigators have linked Kimsuky to two more thefts, including $4 million from Orbis Pay.",
	"Officials said the Iranian government was responsible for the cyberattack on Aldena Water.",
	"Orbis Pay, a payments firm, says a North Korean threat actor was behind the roughly $9 million heist it suffered in May.",
	"The company later said the attackers were the Quartz ransomware gang.",
	"Elliptic said the hack of Orbis Pay bore the hallmarks of North Korean hackers.",
	"North Korean hackers from the Kimsuky group stole $3 million from Orbis Pay.",
	"Microsoft said Volt Typhoon, a state-sponsored hacking group based in China, breached ports.",
	"The attack was the work of UNC9999, a group Mandiant links to North Korea's Reconnaissance General Bureau.",
	"The intruders tried to steal $500 million from Nimbus Bank.",
	"Indian cryptocurrency exchange Zentra lost more than $230 million on Thursday.",
	"The White House named Russia's Foreign Intelligence Service, the SVR, as the perpetrator of the SolarWinds hack.",
	"Many of those actors work for the Reconnaissance General Bureau, North Korea's main military intelligence agency.",
	"The loss surpasses the roughly 48 billion yen that vanished in an earlier theft.",
	"It seized bitcoin from North Korean state-sponsored hackers who used a previously unknown ransomware strain called Maui against U.S. health care providers.",
	"Chinese government-backed hackers known as Salt Typhoon broke into eight U.S. telecommunications companies, in what one senator has called the worst telecom hack in the nation's history.",
	"The company paid a ransom after hackers crippled its Change Healthcare unit in February.",
	// Gaps that cues read whole.
	" in an ", "the breach of ", " of $81 million from ", ", a ", "they tried to steal ", ", ", "'s Foreign Intelligence Service, the ", " from the payments firm ",
}

// cuesAnswerAsTheirExpressions checks, on every window of texts, that each cue answers
// what its regexp answers and that its gates flag every match; it returns the cues that
// matched somewhere.
func cuesAnswerAsTheirExpressions(t *testing.T, texts []string) map[*cue]bool {
	t.Helper()
	matched := map[*cue]bool{}
	for _, text := range texts {
		for _, s := range windows(text) {
			sw := wordsOf(s)
			for _, c := range cues {
				want := c.re.FindAllStringSubmatchIndex(s, -1)
				if got := c.findAll(s, -1, sw); !slices.EqualFunc(got, want, slices.Equal) {
					t.Fatalf("%s\non %q: findAll %v, regexp says %v", c, s, got, want)
				}
				if got := c.match(s, sw); got != (want != nil) {
					t.Fatalf("%s\non %q: match %v, regexp says %v", c, s, got, want != nil)
				}
				for _, m := range want {
					matched[c] = true
					if c.starts != nil && !c.starts.at(s, m[0]) {
						t.Fatalf("%s\nmatches %q in %q, but no starting word is found there", c, s[m[0]:m[1]], s)
					}
					if c.needs != nil && !slices.ContainsFunc(c.needs.lits, func(w string) bool { return strings.Contains(asciiLower(s[m[0]:m[1]]), w) }) {
						t.Fatalf("%s\nmatches %q in %q, which holds no required word", c, s[m[0]:m[1]], s)
					}
				}
			}
		}
	}
	return matched
}

// TestEventCuesMatchAndAreGated: on the event wordings, every cue answers what its
// regexp answers, and its gates flag every match (see TestCuesMatchTheirExpressions and
// TestCueGatesFlagEveryMatch).
func TestEventCuesMatchAndAreGated(t *testing.T) {
	matched := cuesAnswerAsTheirExpressions(t, eventTexts)
	for _, c := range []*cue{malwareUseRE, againstRE, interferenceRE, sponsoredHackRE, hackObjectRE, possessiveDeedRE, deedObjectRE,
		indefiniteAttackRE, withRE, inAttackRE, chargedRE, chargedForRE, deedGapRE, groupAnaphorRE, describedGroupRE, theGroupRE,
		namingRE, aliasTailRE, hackerCalledRE, describedVictimRE, lostFundsRE, monthOnlyRE,
		victimGapRE, itSufferedRE, subjectLostRE, hallmarksRE, actorAppositionRE, hackersFromRE, sponsoredBasedRE, groupClauseRE,
		stateBodyRE, behindRE, attackersWereRE, activeLinkRE, linkToRE, includingRE, amountFromRE, attemptRE, deedsRE, fromGapRE, anotherTheftRE, takenRE, strainCalledRE, whatCalledRE, crippledRE, brokeIntoRE, attacksOnRE, possApposRE, commaGapRE, stateAgencyRE} {
		if !matched[c] {
			t.Errorf("no event text exercises %s", c)
		}
		if c.starts == nil && c.needs == nil {
			t.Errorf("%s has no gate", c)
		}
	}
}
