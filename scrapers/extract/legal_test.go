package extract

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/reference"
)

var legalExtractor = sync.OnceValue(func() *Extractor { return New(reference.MustLoad()) })

func legalRelations(text string) (map[string]*Relation, *Result) {
	res := legalExtractor().Extract(Document{Text: text})
	out := map[string]*Relation{}
	for _, r := range res.Relations {
		out[r.Type+" "+r.From+" -> "+r.To] = r
	}
	return out, res
}

func actorNamed(res *Result, name string) *Entity { return entityOfType(res, "actor", name) }

func entityOfType(res *Result, typ, name string) *Entity {
	for _, e := range res.Entities {
		if e.Type == typ && e.Name == name {
			return e
		}
	}
	return nil
}

// legalTexts hold the wordings legal.go reads. Names, victims and events are made up.
var legalTexts = []string{
	"Federal prosecutors indicted Marta Kowalczyk, a 31-year-old Polish citizen, over the 2022 breach of Halvorsen Bank.",
	"A court in Virginia convicted Tomas Reyes Ortega for his role in the hack of Brightline Exchange, the 2021 theft of $12 million from Kestrel Finance and the breach of Orwell Bank.",
	"Prosecutors charged Dmitri Volkonsky with deploying LockBit ransomware in the attack on Parnell Logistics.",
	"A jury convicted Ada Quist of wire fraud and computer intrusion over her 2023 raid on Pellucid Markets.",
	"Sven Lindqvist was sentenced on Tuesday for the 2020 hack of Norrland Power, Swedish prosecutors said.",
	"Aaron Pike pleaded guilty on Monday and admitted that he was the hacker who drained $3 million from Cobalt Swap.",
	"German police arrested Lena Hartmann in Berlin. Hartmann and other LockBit members carried out the attack on Vesper Hospital.",
	"A ransomware attack on Meridian Health shut its clinics for a week. Meridian Health said the attackers were the Conti ransomware gang.",
	"A breach of Caldwell Resorts disrupted check-in at its hotels. The hackers, who call themselves Scattered Spider, phoned the help desk for a password reset.",
	"Police in Spain charged Omar Haddad over the breach of Lindell Bank. Prosecutors say he was a member of Cl0p, a gang that steals data for extortion.",
	"The 2019 Vireo ransomware attack crippled hospitals. The Lazarus Group also built the Vireo ransomware.",
	"Jon Varga pleaded guilty to wire fraud and admitted that he was the hacker who broke into the lending platform Ardent Loans in 2019.",
	"Estonian national Kaarel Tamm was extradited last month to face charges over the 2021 breach of Solway Bank.",
	"A judge sentenced the British hacker Liam Archer to eight years in prison for the theft of $9 million from Quarry Swap.",
	"Police arrested Nils Berg and Ida Falk in connection with the hack of Tideway Exchange.",
	"Ida Falk, who was indicted over the breach of Solway Bank, remains in custody.",
	"Kaarel Tamm admitted to carrying out the 2021 breach of Solway Bank.",
	"A wiper attack on Halden Power blacked out the region. The attackers, who called themselves the Frost Wolves, posted a manifesto. Frost Wolves later leaked the plant's files.",
	"Police in Oslo arrested Kaarel Tamm over the breach of Solway Bank. Investigators say Tamm was an affiliate of Rhysida.",
	"Rosa Lind, a 19-year-old student from Malmo, was arrested over the breach of Solway Bank.",
	"Prosecutors unsealed an indictment against Omar Haddad in connection with the hack of Tideway Exchange.",
	"The theft of $2 million from Tideway Exchange was carried out by Rosa Lind, a 19-year-old student, police said.",
	"The Vireo 2.0 ransomware outbreak of 2019 crippled hospitals. The Lazarus hackers also attacked Halden Power in 2018, after the utility dropped a supplier, and built the Vireo ransomware that spread a year later.",
}

// TestLegalAndCorporateWordingsNameWhoDidIt: a person charged, convicted or sentenced
// over an incident, or who admits being its hacker, did it; so did a gang the person
// deployed in it, the gang a victim names as its attackers, and the name the attackers
// gave themselves.
func TestLegalAndCorporateWordingsNameWhoDidIt(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{legalTexts[0], []string{"ATTRIBUTED_TO Halvorsen Bank hack -> Marta Kowalczyk"}},
		{legalTexts[1], []string{"ATTRIBUTED_TO Brightline Exchange hack -> Tomas Reyes Ortega", "ATTRIBUTED_TO Kestrel Finance hack -> Tomas Reyes Ortega",
			"ATTRIBUTED_TO Orwell Bank hack -> Tomas Reyes Ortega"}},
		{legalTexts[2], []string{"ATTRIBUTED_TO Parnell Logistics ransomware attack -> Dmitri Volkonsky", "ATTRIBUTED_TO Parnell Logistics ransomware attack -> LockBit"}},
		{legalTexts[3], []string{"ATTRIBUTED_TO Pellucid Markets hack -> Ada Quist"}},
		{legalTexts[4], []string{"ATTRIBUTED_TO Norrland Power hack -> Sven Lindqvist"}},
		{legalTexts[5], []string{"ATTRIBUTED_TO Cobalt Swap hack -> Aaron Pike"}},
		{legalTexts[6], []string{"AFFILIATED_WITH Lena Hartmann -> LockBit", "ATTRIBUTED_TO Vesper Hospital hack -> LockBit", "ATTRIBUTED_TO Vesper Hospital hack -> Lena Hartmann"}},
		{legalTexts[7], []string{"ATTRIBUTED_TO Meridian Health ransomware attack -> Conti"}},
		{legalTexts[8], []string{"ATTRIBUTED_TO Caldwell Resorts hack -> Scattered Spider"}},
		{legalTexts[9], []string{"ATTRIBUTED_TO Lindell Bank hack -> Omar Haddad", "AFFILIATED_WITH Omar Haddad -> Cl0p"}},
		{legalTexts[10], []string{"ATTRIBUTED_TO Vireo -> Lazarus Group"}},
		{legalTexts[12], []string{"ATTRIBUTED_TO Solway Bank hack -> Kaarel Tamm"}},
		{legalTexts[13], []string{"ATTRIBUTED_TO Quarry Swap hack -> Liam Archer"}},
		{legalTexts[14], []string{"ATTRIBUTED_TO Tideway Exchange hack -> Nils Berg", "ATTRIBUTED_TO Tideway Exchange hack -> Ida Falk"}},
		{legalTexts[15], []string{"ATTRIBUTED_TO Solway Bank hack -> Ida Falk"}},
		{legalTexts[16], []string{"ATTRIBUTED_TO Solway Bank hack -> Kaarel Tamm"}},
		{legalTexts[17], []string{"ATTRIBUTED_TO Halden Power hack -> Frost Wolves"}},
		{legalTexts[18], []string{"ATTRIBUTED_TO Solway Bank hack -> Kaarel Tamm", "AFFILIATED_WITH Kaarel Tamm -> Rhysida"}},
		{legalTexts[19], []string{"ATTRIBUTED_TO Solway Bank hack -> Rosa Lind"}},
		{legalTexts[20], []string{"ATTRIBUTED_TO Tideway Exchange hack -> Omar Haddad"}},
		{legalTexts[21], []string{"ATTRIBUTED_TO Tideway Exchange hack -> Rosa Lind"}},
		{legalTexts[11], []string{"ATTRIBUTED_TO Ardent Loans hack -> Jon Varga", "TARGETED Ardent Loans hack -> Ardent Loans"}},
		// The makers open the sentence; "Vireo" is the "Vireo 2.0" named before.
		{legalTexts[22], []string{"ATTRIBUTED_TO Vireo 2.0 -> Lazarus Group", "ATTRIBUTED_TO Halden Power hack -> Lazarus Group"}},
		{"Last month the FBI attributed a ransomware attack on grain trader Olsen Farms to REvil, a separate gang.", []string{"ATTRIBUTED_TO Olsen Farms ransomware attack -> REvil"}},
	} {
		got, res := legalRelations(tc.text)
		for _, k := range tc.want {
			if got[k] == nil {
				t.Errorf("%q\n  want %s, got %v", tc.text, k, slices.Collect(mapKeys(got)))
			} else if strings.HasPrefix(k, "ATTRIBUTED_TO") && got[k].Certainty != "asserted" {
				t.Errorf("%q\n  %s is %s, want asserted", tc.text, k, got[k].Certainty)
			}
		}
		for k := range got {
			if strings.HasPrefix(k, "ATTRIBUTED_TO") && !slices.Contains(tc.want, k) {
				t.Errorf("%q\n  gave %s too", tc.text, k)
			}
		}
		for _, e := range res.Entities {
			if e.Type == "actor" && strings.Count(e.Name, " ") > 0 && e.ActorKind != graph.ActorIndividual && e.ActorKind != graph.ActorGroup {
				t.Errorf("%q\n  actor %s is %q", tc.text, e.Name, e.ActorKind)
			}
		}
	}
}

// TestPersonsAreReadOnlyFromLegalFrames: the persons a frame names are actors of the
// individual kind, referred to later by their surname; people named otherwise (a
// spokesman, a judge, a prosecutor, a victim) are not actors.
func TestPersonsAreReadOnlyFromLegalFrames(t *testing.T) {
	_, res := legalRelations(legalTexts[6])
	lena := actorNamed(res, "Lena Hartmann")
	if lena == nil || lena.ActorKind != graph.ActorIndividual || !slices.Contains(lena.Mentions, "Hartmann") {
		t.Fatalf("Lena Hartmann: %+v, want an individual mentioned as Hartmann", lena)
	}
	_, res = legalRelations(legalTexts[11])
	if inc := entityOfType(res, "incident", "Ardent Loans hack"); inc == nil || inc.Date != "2019" || !slices.Contains(inc.Mentions, "Ardent Loans in 2019") {
		t.Errorf("Ardent Loans hack: %+v, want dated 2019 and written as the text writes it", inc)
	}
	got, res := legalRelations("The breach of Tolan Bank was announced in May. The FBI later seized funds sent to Boris Kel, a Latvian national accused of other LockBit attacks.")
	if actorNamed(res, "Boris Kel") == nil {
		t.Error("Boris Kel, accused in an apposition, is no person")
	}
	for k := range got {
		if strings.HasPrefix(k, "ATTRIBUTED_TO") {
			t.Errorf("accused of other attacks: gave %s", k)
		}
	}
	_, res = legalRelations("Prosecutors charged Park Min Jae over the theft of $4 million from Tolan Bank. Park remains at large.")
	if park := actorNamed(res, "Park Min Jae"); park == nil || !slices.Contains(park.Mentions, "Park") {
		t.Errorf("Park Min Jae: %+v, want a person mentioned as Park", park)
	}
	for _, text := range []string{
		"The breach of Quill Bank was disclosed on Friday, said John Smith, a spokesman for the bank.",
		"Judge Alice Moreno sentenced the hacker behind the breach of Quill Bank to six years, U.S. Attorney Daniel Ruiz said.",
		"The hack of Quill Bank hurt customers such as Peter Lang, who lost his savings.",
		"The Justice Department charged the hacker behind the breach of Quill Bank on Friday.",
		"Investigators from Interpol arrested two suspects over the hack of Quill Bank.",
		"The breach of Tolan Bank exposed card data. Regulators charged Tolan Bank over its handling of the breach.",
		"Regulators charged Marlow Holdings over the breach of Tolan Bank.",
		"The breach of Tolan Bank was carried out by Marlow Holdings, a contractor, the bank said.",
		"The audit of Tolan Bank was conducted by Ernst Meyer, a partner at the firm.",
	} {
		_, res := legalRelations(text)
		for _, e := range res.Entities {
			if e.Type == "actor" {
				t.Errorf("%q\n  gave actor %s", text, e.Name)
			}
		}
	}
}

// TestLegalFramesStaySilentOnTemptingNegatives: laundering the proceeds is not doing the
// hack, a nationality is not a state acting, and a denial, an acquittal, a charge not
// brought or a charge over other attacks attributes nothing.
func TestLegalFramesStaySilentOnTemptingNegatives(t *testing.T) {
	for _, tc := range []struct{ text, not string }{
		{"Prosecutors charged Nora Blix with laundering the proceeds of the hack of Tern Exchange.", "Nora Blix"},
		{"Mia Chen pleaded guilty to laundering money stolen in the hack of Tern Exchange.", "Mia Chen"},
		{"Prosecutors charged Nora Blix over laundering the proceeds of the hack of Tern Exchange.", "Nora Blix"},
		{"Authorities charged Pavel Orlov, a 27-year-old Ukrainian national, over the breach of Quill Bank.", "Ukraine"},
		{"Authorities charged Pavel Orlov, a Russian citizen, with deploying ransomware in the breach of Quill Bank.", "Russia"},
		{"Marek Nowak denied involvement in the breach of Quill Bank and was not charged.", "Marek Nowak"},
		{"A jury acquitted Ruth Gale, who had been charged over the hack of Tern Exchange.", "Ruth Gale"},
		{"There is no evidence that prosecutors charged Ivan Petrov over the hack of Tern Exchange.", "Ivan Petrov"},
		{"Prosecutors also charged Yuri Sokolov over other ransomware attacks, unlike the breach of Quill Bank.", "Yuri Sokolov"},
		{"Prosecutors charged Yuri Sokolov over separate attacks; the breach of Quill Bank remains unsolved.", "Yuri Sokolov"},
		{"Ruth Gale was charged over the hack of Tern Exchange, but the charges were dropped in May.", "Ruth Gale"},
		{"The 2019 Vireo ransomware attack crippled hospitals. The Lazarus Group later built the Vireo decryptor for victims.", "Lazarus Group"},
		// Another subject, or another clause, builds the malware.
		{"The Vireo 2.0 ransomware outbreak of 2019 crippled hospitals. The Lazarus Group struck Halden Power in 2018, while a student team built the Vireo ransomware a year later.", "Lazarus Group"},
		{"The Vireo 2.0 ransomware outbreak of 2019 crippled hospitals. The Lazarus Group struck Halden Power in 2018; students in Oslo and Bergen built the Vireo ransomware a year later.", "Lazarus Group"},
		{"The Vireo 2.0 ransomware outbreak of 2019 crippled hospitals. The Lazarus Group struck Halden Power in 2018, and a group of students in Oslo later built the Vireo ransomware that spread a year later.", "Lazarus Group"},
		{"Ada Quist admitted to her role in laundering the proceeds of the hack of Tern Exchange.", "Ada Quist"},
		{"Estonian national Kaarel Tamm was extradited last month to face charges over the 2021 breach of Solway Bank.", "Estonia"},
		{"Jon Varga denied that he was the hacker who broke into the lending platform Ardent Loans.", "Jon Varga"},
		{"Jon Varga pleaded guilty and admitted that he was not the hacker who broke into Ardent Loans.", "Jon Varga"},
	} {
		got, _ := legalRelations(tc.text)
		for k := range got {
			if strings.HasPrefix(k, "ATTRIBUTED_TO") && strings.HasSuffix(k, "-> "+tc.not) {
				t.Errorf("%q\n  gave %s", tc.text, k)
			}
		}
	}
	// A nationality gives no state attribution at all.
	got, _ := legalRelations("Authorities charged Pavel Orlov, a 27-year-old Ukrainian national, over the breach of Quill Bank.")
	if got["ATTRIBUTED_TO Quill Bank hack -> Pavel Orlov"] == nil {
		t.Errorf("want the person attributed, got %v", slices.Collect(mapKeys(got)))
	}
	for k := range got {
		if strings.HasSuffix(k, "-> Ukraine") {
			t.Errorf("a nationality gave %s", k)
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestLegalCuesMatchAndAreGated: on the legal wordings, every cue answers what its
// regexp answers and its gates flag every match (see TestCuesMatchTheirExpressions).
func TestLegalCuesMatchAndAreGated(t *testing.T) {
	texts := slices.Concat(legalTexts, []string{
		"A jury acquitted Ruth Gale; the charges were dropped.",
		" and other ", " ransomware in the",
		"Nora Blix, who was charged over the hack",
		"Boris Kel, a Latvian national accused of other attacks",
		"Vireo 2.0 ransomware",
	})
	matched := cuesAnswerAsTheirExpressions(t, texts)
	for _, c := range []*cue{legalVerbRE, passiveAuxRE, pleaRE, chargeOverRE, notDeedRE, admittedHackerRE, theAttackersWereRE,
		calledThemselvesRE, memberOfRE, builtRE, acquittedRE, otherMembersRE, deployedInRE, admittedBrokeIntoRE, inYearRE, apposDefendantRE, malwareAfterRE, roleLeadRE, subjectApposRE, deedByRE, personApposRE} {
		if !matched[c] {
			t.Errorf("no legal text exercises %s", c)
		}
		if c.starts == nil && c.needs == nil {
			t.Errorf("%s has no gate", c)
		}
	}
	// Every match of a legal cue holds a word of the group that wakes its rule, or the
	// rule never runs.
	for c, group := range map[*cue]int{legalVerbRE: legalVerbs, apposDefendantRE: legalVerbs, pleaRE: legalVerbs,
		admittedHackerRE: legalVerbs, theAttackersWereRE: attackerWords, calledThemselvesRE: attackerWords,
		memberOfRE: memberWords, builtRE: madeWords, deedByRE: deedByWords} {
		for _, text := range append(texts, "Jane Roe acknowledged that she was one of the thieves behind it.") {
			for _, m := range c.re.FindAllStringIndex(text, -1) {
				if in, _ := legalWordsIn(text[m[0]:m[1]], nil); !in[group] {
					t.Errorf("%s matches %q, which wakes no rule of group %d", c, text[m[0]:m[1]], group)
				}
			}
		}
	}
}

// FuzzLegal: whatever the text, reading it never panics, and every attribution to a
// person rests on a sentence of the text.
func FuzzLegal(f *testing.F) {
	for _, text := range legalTexts {
		f.Add(text)
	}
	f.Add("Rim and other Andariel members, Rim and other, charged Park Jin Hyok and")
	f.Fuzz(func(t *testing.T, text string) {
		res := legalExtractor().Extract(Document{Text: text})
		for _, r := range res.Relations {
			if !strings.Contains(text, r.Evidence) {
				t.Fatalf("%s %s -> %s: evidence %q is not in the text", r.Type, r.From, r.To, r.Evidence)
			}
		}
	})
}
