package extract

import (
	"cmp"
	"slices"
	"strings"

	"github.com/cyberkg/cyberkg/graph"
)

// Who did it, as legal and corporate reporting says it: the person charged, indicted,
// convicted or sentenced over an incident ("charged Jane Roe, a 30-year-old national,
// over the hack of X"); the person who pleaded guilty and admitted being the hacker; the
// gang a victim names as its attackers ("the attackers were the X ransomware gang"); the
// name the attackers gave themselves.
//
// A person is read only from such a frame, never from a bare capitalised phrase: a name
// right after "charged", before "was indicted" or "pleaded guilty". The document then
// knows the person, and a later mention of the surname alone is the same person. A
// person who is charged with something else (laundering the proceeds, other attacks) is
// still a person in the document, but not the one behind the incident. Nationality never
// makes a state act: only persons and groups are attributed here.
var (
	// "charged", "was indicted": the person after (or, passive, before) is a defendant.
	legalVerbRE = newCue(`\b(?:charged|indicted|convicted|sentenced|arrested|extradited|prosecuted|(?:indictment|charges|complaint)\s+against)\b`)
	// Before a legal verb: the auxiliary that makes the subject the defendant.
	passiveAuxRE = newCue(`\s(?:was|were|is|has been|had been|have been)\s+(?:(?:formally|also|later|since|now|then)\s+)?$`)
	// "Jane Roe, a 24-year-old from Leeds, was arrested": the apposition before the verb.
	subjectApposRE = newCue(`,\s+(?:a|an|the)\s+[^,;]{1,80},\s*$`)
	// "carried out by Jane Roe, a 17-year-old": a person named after a deed's "by", whom
	// the apposition shows to be a person.
	deedByRE      = newCue(`\b(?:carried out|conducted|perpetrated|orchestrated|committed|masterminded|staged) by\s+`)
	personApposRE = newCue(`^,\s+(?:a|an)\s+(?:\d+-year-old\b|(?:[\w-]+\s+){0,2}?(?:national|citizen|hacker|programmer|developer|man|woman|resident|teenager|student)\b)`)
	// "Jane Roe, a Russian national accused of ...": the name before the comma is the
	// defendant.
	apposDefendantRE = newCue(`,\s+(?:a|an)\s+(?:[\w-]+\s+){0,6}?(?:accused|charged|indicted|convicted|wanted|sentenced)\b`)
	// Before a name: what the person is ("Russian national", "a 24-year-old hacker").
	roleLeadRE = newCue(`^(?:(?:a|an|the)\s+)?(?:\d+-year-old\s+)?(?:(?-i:[A-Z][\w.]*)\s+){0,2}?(?:national|citizen|hacker|programmer|developer|man|woman|resident|suspect|teenager)\s+`)
	// The subject's own admission: "pleaded guilty", "admitted".
	pleaRE = newCue(`\b(?:pleaded|pled)\s+guilty\b|\b(?:admitted|confessed)\b`)
	// What a charge or a plea is over: group 0 ends where the deed begins.
	chargeOverRE = newCue(`(?i)^\s*(?:(?:on|last|this|in)\s+[A-Z]\w+\s+)?(?:to\s+(?:[\w.-]+\s+){0,5}?(?:charges?|counts?|prison|jail|years?|months?)\s+|of\s+(?:[\w-]+\s+){1,5}?)?(?:over|for|in connection with|in relation to|with (?:deploying|launching|carrying out|conducting|staging|using))\s+`)
	// What in a deed says the charge is not for doing the incident: laundering its
	// proceeds, other attacks, a charge dropped.
	notDeedRE = newCue(`(?i)\b(?:launder\w*|proceeds|other|another|separate|unrelated|acquit\w*|dismissed|dropped|cleared)\b`)
	// "admitted that he was the hacker who broke into": the incident follows.
	admittedHackerRE = newCue(`(?i)\b(?:admitted|confessed|acknowledged)\s+(?:(?:that\s+)?(?:he|she|they)\s+(?:was|were|had been)\s+(?:the|one of the|an?)\s+(?:hackers?|attackers?|thie(?:f|ves)|perpetrators?|culprits?)\s+(?:who|behind|responsible for)|(?:to\s+)?(?:carrying out|conducting|launching|orchestrating|staging|taking part in|(?:his|her|their)\s+(?:part|role)\s+in))\b`)
	// "who broke into the cryptocurrency exchange ": the victim follows.
	admittedBrokeIntoRE = newCue(`^\s*(?:who\s+|that\s+)?(?:broke|had broken)\s+into\s+(?:the\s+|a\s+|an\s+)?(?-i:[a-z][\w-]*\s+){0,4}`)
	// " in 2016", after a victim: when its incident happened.
	inYearRE = newCue(`^\s+in\s+(?:19|20)\d\d\b`)
	// "the attackers were the ALPHV ransomware gang": the group follows.
	theAttackersWereRE = newCue(`(?i)\bthe\s+(?:attackers|hackers|perpetrators|culprits|intruders)\s+(?:were|was)\s+(?:the\s+)?`)
	// "The attackers, who called themselves the Guardians of Peace": the name follows.
	calledThemselvesRE = newCue(`(?i)\b(?:attackers|hackers|perpetrators|culprits|intruders)\s*,?\s+(?:who\s+)?(?:called|call|calling)\s+(?:themselves|itself)\s+(?:the\s+)?`)
	// "he was an affiliate of REvil", "Jane Roe, a member of the group": the group follows.
	memberOfRE = newCue(`(?i)\b(?:was|is|were|are|as|,)\s+(?:an?|one of the)\s+(?:affiliates?|members?|operators?|administrators?|developers?|leaders?)\s+of\s+(?:the\s+)?`)
	// "built the WannaCry ransomware": making the malware an incident is named by.
	builtRE = newCue(`(?i)\b(?:built|developed|created|wrote|authored|designed|coded)\s+(?:the\s+)?`)
	// What was built is the malware itself: "WannaCry ransomware", "WannaCry 2.0 worm".
	malwareAfterRE = newCue(`^[\w.-]+(?:\s+[\w.-]+){0,2}?\s+(?:ransomware|malware|worm|wiper|virus|trojan|backdoor)\b`)
	// A charge that ended without a conviction.
	acquittedRE = newCue(`(?i)\b(?:acquit\w*|exonerat\w*|charges? (?:were|was|have been|had been) (?:dropped|dismissed))`)
	// Between a person and a group: "Rim and other Andariel members".
	otherMembersRE = newCue(`^\s+and\s+(?:other|fellow)\s+$`)
	// After a ransomware group deployed in a charged deed: "deploying REvil ransomware in".
	deployedInRE = newCue(`^\s+ransomware\s+(?:in|against|on)\b`)
)

// legalGroups are the words without which legal has nothing to read, by the rules they
// wake: legal verbs and pleas, the attackers, membership, making malware. A sentence is
// scanned for them once.
var legalGroups = [...][]string{
	{"charged", "indicted", "convicted", "sentenced", "arrested", "extradited", "prosecuted", "accused", "wanted", "guilty",
		"admitted", "confessed", "acknowledged", "indictment against", "charges against", "complaint against"},
	{"attackers", "hackers", "perpetrators", "culprits", "intruders"},
	{"affiliate", "member", "operator", "administrator", "developer", "leader"},
	{"built", "developed", "created", "wrote", "authored", "designed", "coded"},
	{"carried out by", "conducted by", "perpetrated by", "orchestrated by", "committed by", "masterminded by", "staged by"},
}

const (
	legalVerbs = iota
	attackerWords
	memberWords
	madeWords
	deedByWords
)

var legalWordSet = newLitSet(slices.Concat(legalGroups[:]...))

// legalWordsIn reports which of legalGroups occur in s; sw, if not nil, holds the
// words of the sentence s.
func legalWordsIn(s string, sw *sentenceWords) (in [len(legalGroups)]bool, any bool) {
	if !trusted(s) {
		for i := range in {
			in[i] = true
		}
		return in, true
	}
	for p := legalWordSet.nextIn(sw, s, 0); p >= 0; p = legalWordSet.nextIn(sw, s, p+1) {
		for i, words := range legalGroups {
			for _, w := range words {
				if hasPrefixFold(s[p:], w) {
					in[i], any = true, true
				}
			}
		}
	}
	return in, any
}

// notPersonWord lists capitalised words that start or hold names of bodies, places and
// titles rather than of people.
var notPersonWord = map[string]bool{
	"justice": true, "department": true, "court": true, "judge": true, "attorney": true, "general": true, "prosecutors": true,
	"prosecutor": true, "police": true, "federal": true, "state": true, "states": true, "united": true, "bureau": true,
	"agency": true, "office": true, "inc": true, "ltd": true, "corp": true, "group": true, "bank": true, "exchange": true,
	"company": true, "ministry": true, "treasury": true, "authorities": true, "officials": true, "investigators": true,
	"jury": true, "grand": true, "interpol": true, "europol": true, "district": true, "county": true, "city": true,
	"university": true, "council": true,
	"commission": true, "government": true, "house": true, "senate": true, "congress": true, "mr": true, "ms": true,
	"mrs": true, "dr": true, "president": true, "minister": true, "chief": true, "spokesman": true, "spokeswoman": true,
	"spokesperson": true, "news": true, "reuters": true, "ransomware": true, "hackers": true, "members": true, "network": true,
	"protocol": true, "finance": true, "labs": true, "capital": true, "markets": true, "pipeline": true, "healthcare": true,
	"global": true, "holdings": true, "technologies": true, "technology": true, "systems": true, "solutions": true,
	"networks": true, "partners": true, "ventures": true, "international": true, "corporation": true, "limited": true,
	"llc": true, "plc": true, "gmbh": true, "foundation": true, "dao": true, "trust": true, "fund": true, "securities": true,
	"financial": true, "services": true, "software": true, "energy": true, "health": true, "media": true,
	"entertainment": true, "pictures": true, "studios": true, "bridge": true, "wallet": true, "swap": true,
}

// legal reads the persons legal reporting names and what they are said to have done, and
// the gangs corporate reporting names as the attackers.
func (r *run) legal(st *sentenceState) {
	text := st.text
	in, any := legalWordsIn(text, st.index())
	if !any {
		return
	}
	var defendants []defendant
	if in[legalVerbs] {
		defendants = r.defendants(st)
	}
	if in[deedByWords] {
		r.doersBy(st) // the attribution rules that read "by" then see the person
	}
	if st.negated() || len(defendants) > 0 && st.has(acquittedRE) {
		return // "denied involvement", "was acquitted": a person, but no deed
	}
	for _, d := range defendants {
		loc := chargeOverRE.FindStringIndex(text[d.deed:])
		if loc == nil {
			continue
		}
		r.chargedDeed(st, d.name, d.deed, d.deed+loc[1])
	}
	if in[legalVerbs] {
		r.admissions(st, defendants)
	}
	if in[attackerWords] {
		r.gangsNamedAsAttackers(st)
	}
	if in[memberWords] {
		r.members(st)
	}
	if in[madeWords] {
		r.makers(st)
	}
}

// defendant is a person a legal frame names, and where what the charge or plea is over
// may start.
type defendant struct {
	name string
	deed int
}

// defendants reads the persons charged, indicted, convicted, sentenced, arrested,
// extradited or accused, and those who plead guilty or admit.
func (r *run) defendants(st *sentenceState) []defendant {
	text := st.text
	var defendants []defendant
	for _, c := range matches(st, legalVerbRE) {
		// "charged Park Jin Hyok, a programmer, over ...": the object, then its apposition.
		p := c[1]
		for p < len(text) && text[p] == ' ' {
			p++
		}
		if lead := roleLeadRE.FindStringIndex(text[p:]); lead != nil {
			p += lead[1] // "charged Russian national Jane Roe"
		}
		if name, end := r.personStartingAt(st, p); name != "" {
			names := []string{name}
			// "charged Jane Roe and John Doe over ...": one charge, several persons.
			for strings.HasPrefix(text[end:], " and ") {
				next, e := r.personStartingAt(st, end+len(" and "))
				if next == "" {
					break
				}
				names, end = append(names, next), e
			}
			deed := end
			if loc := appositive(text[end:]); loc != nil {
				deed = end + loc[1]
			}
			for _, n := range names {
				defendants = append(defendants, defendant{n, deed})
			}
			continue
		}
		// "Jane Roe was indicted on Monday over ...": the subject of a passive.
		if aux := passiveAuxRE.FindStringIndex(text[:c[0]]); aux != nil {
			// "Jane Roe, who was charged over ...": the relative pronoun stands for her.
			subj := strings.TrimSuffix(text[:aux[0]], ", who")
			if loc := subjectApposRE.FindStringIndex(subj); loc != nil {
				subj = subj[:loc[0]] // "Jane Roe, a 24-year-old from Leeds,"
			}
			if name := r.personBefore(st, len(subj)); name != "" {
				defendants = append(defendants, defendant{name, c[1]})
			}
		}
	}
	for _, c := range matches(st, apposDefendantRE) {
		start := capitalsBefore(text, c[0])
		if start < 0 || c[0]-start > 60 {
			continue
		}
		if name, _ := r.nameAt(st, start, c[0]); name != "" {
			defendants = append(defendants, defendant{name, c[1]})
		}
	}
	for _, c := range matches(st, pleaRE) {
		before := strings.TrimSuffix(strings.TrimRight(text[:c[0]], " "), " has")
		if name := r.personBefore(st, len(before)); name != "" {
			defendants = append(defendants, defendant{name, c[1]})
		}
	}
	return defendants
}

// doersBy makes known the persons a deed's "by" names: "carried out by Jane Roe, a
// 17-year-old from Leeds". The rules that read "carried out by" attribute the deed.
func (r *run) doersBy(st *sentenceState) {
	for _, c := range matches(st, deedByRE) {
		if end := personEnd(st.text, c[1]); end > 0 && personApposRE.MatchString(st.text[end:]) {
			r.nameAt(st, c[1], end)
		}
	}
}

// personEnd returns where the run of name words that starts at p ends, or 0.
func personEnd(text string, p int) int {
	end := 0
	for q := p; q < len(text); q = end + 1 {
		n := nameWordLen(text[q:])
		if n == 0 {
			break
		}
		end = q + n
		if end >= len(text) || text[end] != ' ' {
			break
		}
	}
	return end
}

// admissions ties to its incident the person who admits being its hacker: "admitted that
// he was the hacker who broke into X".
func (r *run) admissions(st *sentenceState, defendants []defendant) {
	text := st.text
	for _, c := range matches(st, admittedHackerRE) {
		var who string
		for _, d := range defendants {
			if last, _ := r.personMentionBefore(st, c[0]); strings.Contains(text[:c[0]], d.name) || last == d.name {
				who = d.name
			}
		}
		if who == "" {
			who, _ = r.personMentionBefore(st, c[0])
		}
		var inc *Entity
		if ref := incidentNear(st, c[1], 120); ref != nil {
			if notDeedRE.MatchString(text[c[1]:ref.start]) {
				continue // "admitted to her role in laundering the proceeds of the hack"
			}
			inc = ref.ent
		} else {
			inc = r.brokenInto(st, c[1])
		}
		if inc != nil && who != "" {
			r.relate("ATTRIBUTED_TO", inc, r.ents["actor|"+graph.Normalize(who)], st, text)
		}
	}
}

// gangsNamedAsAttackers reads "the attackers were the ALPHV ransomware gang", "the attackers,
// who called themselves the Guardians of Peace": the group is who did the incident the
// text speaks of.
func (r *run) gangsNamedAsAttackers(st *sentenceState) {
	text := st.text
	called := matches(st, calledThemselvesRE)
	for _, c := range slices.Concat(matches(st, theAttackersWereRE), called) {
		m := firstMentionAt(st, c[1], 0)
		if m == nil && slices.ContainsFunc(called, func(d []int) bool { return d[0] == c[0] }) {
			m = r.selfName(st, c[1])
		}
		if m == nil || m.Kind != graph.KindActor {
			continue
		}
		inc := r.current
		if len(st.incidents) > 0 {
			inc = st.incidents[0].ent
		}
		if inc != nil {
			r.relate("ATTRIBUTED_TO", inc, r.ents[mentionKey(m)], st, text)
		}
	}
}

// members reads who is one of a group: "he was an affiliate of REvil", "Rim and other
// Andariel members".
func (r *run) members(st *sentenceState) {
	text := st.text
	for _, c := range matches(st, memberOfRE) {
		g := firstMentionAt(st, c[1], 0)
		if g == nil || g.Kind != graph.KindActor || isPerson(g) {
			continue
		}
		who, end := r.personMentionBefore(st, c[0])
		if who == "" || c[0]-end > 40 {
			who = r.onlyPerson(text[:c[0]])
		}
		if who != "" {
			r.relate("AFFILIATED_WITH", r.ents["actor|"+graph.Normalize(who)], r.ents[mentionKey(g)], st, text)
		}
	}
	// "Rim and other Andariel members": the person is one of the group.
	for i := range st.mentions {
		p := &st.mentions[i]
		if !isPerson(p) || i+1 >= len(st.mentions) {
			continue
		}
		g := &st.mentions[i+1]
		if g.Start >= p.End && g.Kind == graph.KindActor && !isPerson(g) && otherMembersRE.MatchString(text[p.End:g.Start]) && strings.HasPrefix(text[g.End:], " members") {
			r.relate("AFFILIATED_WITH", r.ents[mentionKey(p)], r.ents[mentionKey(g)], st, text)
		}
	}
}

// makers reads "Lazarus hackers ... built the WannaCry ransomware": the makers of the
// malware an incident is named by did it.
func (r *run) makers(st *sentenceState) {
	text := st.text
	for _, c := range matches(st, builtRE) {
		ref := incidentNear(st, c[1], 0)
		subj := subjectBefore(st, c[0])
		if subj == nil {
			subj = coordinatedSubject(st, c[0])
		}
		if ref == nil || subj == nil || subj.Kind != graph.KindActor || !sameSubject(text[subj.End:c[0]]) || !malwareAfterRE.MatchString(text[ref.start:]) {
			continue // "built the WannaCry kill switch" is not making the malware
		}
		r.relate("ATTRIBUTED_TO", ref.ent, r.ents[mentionKey(subj)], st, text)
	}
}

// coordinatedSubject returns the agent that opens the sentence when the verb at pos
// is the last of its verbs ("The Lazarus hackers also attacked Sony Pictures in 2014,
// after ..., and built the WannaCry ransomware"): "and" right before the verb, and no
// other agent between them.
func coordinatedSubject(st *sentenceState, pos int) *Mention {
	if len(st.mentions) == 0 || !strings.HasSuffix(strings.TrimRight(st.text[:pos], " "), " and") {
		return nil
	}
	m := &st.mentions[0]
	if !isAgent(st, m) || m.Kind != graph.KindActor || !blank(st.text[:m.Start]) || m.End > pos || pos-m.End > 200 {
		return nil
	}
	for i := 1; i < len(st.mentions) && st.mentions[i].Start < pos; i++ {
		if k := st.mentions[i].Kind; k == graph.KindActor || k == graph.KindState {
			return nil
		}
	}
	return m
}

// sameSubject reports whether the words between a subject and its verb leave the verb
// the subject's: no other clause starts between them ("while a student team built",
// "; students built", "and a group of students later built"). An "and" must stand right
// before the verb, or before an adverb that does.
func sameSubject(gap string) bool {
	if strings.ContainsAny(gap, ";:") || wordSetIn(gap, "who", "which", "that", "but", "while", "whereas", "although", "though") {
		return false
	}
	words := strings.Fields(gap)
	for i := len(words) - 1; i >= 0; i-- {
		if !strings.EqualFold(words[i], "and") {
			continue
		}
		for _, w := range words[i+1:] {
			if !strings.HasSuffix(w, "ly") && !wordSetIn(w, "also", "later", "then", "soon", "again") {
				return false
			}
		}
		break
	}
	return true
}

// wordSetIn reports whether s holds one of words as a whole word, in any case.
func wordSetIn(s string, words ...string) bool {
	for _, f := range strings.Fields(s) {
		f = strings.Trim(f, ",.()\"“”'’")
		for _, w := range words {
			if strings.EqualFold(f, w) {
				return true
			}
		}
	}
	return false
}

// selfName reads a name the attackers gave themselves that no one else uses: the
// capitalised words at pos ("the Cyber Caliphate"), a group of the document's own.
func (r *run) selfName(st *sentenceState, pos int) *Mention {
	n := capPhraseRE.FindStringIndex(st.text[pos:])
	if n == nil || n[0] != 0 {
		return nil
	}
	name := strings.TrimRight(st.text[pos:pos+n[1]], ".,;:")
	words := strings.Fields(name)
	if len(words) == 0 || len(words) > 4 || notVictim[strings.ToLower(words[0])] || r.isKnownNonVictim(name, st) {
		return nil
	}
	k := &Known{Kind: graph.KindActor, Name: name, ActorKind: graph.ActorGroup, Names: []string{name}}
	if !slices.ContainsFunc(r.dynamic, func(d *Known) bool { return d.Name == name }) {
		r.dynamic = append(r.dynamic, k)
	}
	r.entity("actor", name, name, st.text).ActorKind = graph.ActorGroup
	m := Mention{Kind: graph.KindActor, Name: name, Surface: name, Start: pos, End: pos + len(name), known: k}
	i, _ := slices.BinarySearchFunc(st.mentions, m, func(a, b Mention) int { return a.Start - b.Start })
	st.mentions = slices.Insert(st.mentions, i, m)
	return &st.mentions[i]
}

// chargedDeed ties the incidents a charge is over, from pos on, to the person charged:
// the first incident named within a few words, and those listed after it ("the 2014 hack
// of X, the 2016 theft from Y and the Z outbreak"). A ransomware group the deed says the
// person deployed in the incident did it too.
func (r *run) chargedDeed(st *sentenceState, person string, charge, pos int) {
	text := st.text
	end := len(text)
	if i := strings.IndexByte(text[pos:], ';'); i >= 0 {
		end = pos + i
	}
	var refs []incidentRef
	for _, ref := range st.incidents {
		if ref.start >= pos && ref.start < end {
			refs = append(refs, ref)
		}
	}
	slices.SortFunc(refs, func(a, b incidentRef) int { return a.start - b.start })
	if len(refs) == 0 || refs[0].start-pos > 100 || notDeedRE.MatchString(text[charge:refs[0].start]) {
		return
	}
	actor := r.ents["actor|"+graph.Normalize(person)]
	incs := []*Entity{refs[0].ent}
	for i := 1; i < len(refs); i++ {
		if refs[i].start > refs[i-1].end && !listGap(text[refs[i-1].end:refs[i].start]) {
			break
		}
		incs = append(incs, refs[i].ent)
	}
	for _, inc := range incs {
		r.relate("ATTRIBUTED_TO", inc, actor, st, text)
	}
	// "with deploying REvil ransomware in the attack on X".
	for i := range st.mentions {
		m := &st.mentions[i]
		if m.Start >= pos && m.End <= refs[0].start && m.Kind == graph.KindActor && !isPerson(m) && deployedInRE.MatchString(text[m.End:]) {
			r.relate("ATTRIBUTED_TO", refs[0].ent, r.ents[mentionKey(m)], st, text)
		}
	}
}

// brokenInto reads the incident "who broke into X" at pos names, when nothing else did:
// X's hack, X its victim.
func (r *run) brokenInto(st *sentenceState, pos int) *Entity {
	text := st.text
	loc := admittedBrokeIntoRE.FindStringIndex(text[pos:])
	if loc == nil {
		return nil
	}
	p := pos + loc[1]
	n := capPhraseRE.FindStringIndex(text[p:])
	if n == nil || n[0] != 0 {
		return nil
	}
	raw := strings.TrimRight(text[p:p+n[1]], ".,;:")
	victim := r.victimName(raw, st)
	if victim == "" {
		return nil
	}
	surface := raw
	if y := inYearRE.FindString(text[p+len(raw):]); y != "" {
		surface += y // "Bitfinex in 2016"
	}
	inc := r.entity("incident", victim+" hack", surface, text)
	inc.IncidentKind = cmp.Or(inc.IncidentKind, graph.IncidentOther)
	org := r.entity("organization", victim, victim, text)
	org.Role = "victim"
	r.relate("TARGETED", inc, org, st, text)
	r.victims[graph.Normalize(victim)] = inc
	r.current = inc
	for _, d := range st.dates {
		if d.Start >= p && len(d.Value) > len(inc.Date) {
			inc.Date = d.Value
		}
	}
	return inc
}

// listGap reports whether s only joins two items of a list: "and", commas, and the
// words that open the next item ("the 2016 theft of $81 million from", "the").
func listGap(s string) bool {
	if len(s) > 48 {
		return false
	}
	for _, w := range strings.Fields(strings.ReplaceAll(s, ",", " ")) {
		if !listWords[w] && !theftNounRE.MatchString(w) && strings.Trim(w, "$0123456789.") != "" {
			return false
		}
	}
	return true
}

var listWords = map[string]bool{"and": true, "the": true, "a": true, "an": true, "of": true, "on": true, "against": true, "from": true,
	"million": true, "billion": true}

// incidentNear returns the first incident reference from pos on, within n bytes and the
// same clause.
func incidentNear(st *sentenceState, pos, n int) *incidentRef {
	var best *incidentRef
	for i := range st.incidents {
		ref := &st.incidents[i]
		if ref.start >= pos && ref.start-pos <= n && (best == nil || ref.start < best.start) {
			best = ref
		}
	}
	if best == nil || strings.ContainsAny(st.text[pos:best.start], ";") {
		return nil
	}
	return best
}

// matches returns a cue's matches over the sentence, without keeping them: most
// sentences that pass legalWordSet hold none, and st.all would note each empty answer.
func matches(st *sentenceState, c *cue) [][]int {
	if !st.has(c) {
		return nil
	}
	return st.all(c)
}

// onlyPerson returns the person "he" or "she" at the end of before refers to, when the
// document knows exactly one.
func (r *run) onlyPerson(before string) string {
	f := strings.Fields(before)
	if len(f) == 0 || (f[len(f)-1] != "he" && f[len(f)-1] != "she") {
		return ""
	}
	name := ""
	for _, k := range r.dynamic {
		if k.ActorKind == graph.ActorIndividual {
			if name != "" {
				return ""
			}
			name = k.Name
		}
	}
	return name
}

func isPerson(m *Mention) bool {
	return m.Kind == graph.KindActor && m.known != nil && m.known.ActorKind == graph.ActorIndividual
}

// personStartingAt reads the name of a person that starts at p: one the document already knows,
// or two to four capitalised words that name no known entity, body or title. It returns
// the person's canonical name and where the name ends, and makes the person known.
func (r *run) personStartingAt(st *sentenceState, p int) (string, int) {
	for i := range st.mentions {
		if m := &st.mentions[i]; m.Start == p && isPerson(m) {
			return m.Name, m.End
		}
	}
	end := personEnd(st.text, p)
	if end == 0 {
		return "", 0
	}
	return r.nameAt(st, p, end)
}

// personBefore reads the name of a person that ends at end: one the document knows, or
// two to four capitalised words that open the sentence or follow a comma.
func (r *run) personBefore(st *sentenceState, end int) string {
	end = len(strings.TrimRight(st.text[:end], " ,"))
	for i := range st.mentions {
		if m := &st.mentions[i]; m.End == end && isPerson(m) {
			return m.Name
		}
	}
	start := capitalsBefore(st.text, end)
	if start < 0 {
		return ""
	}
	if start > 0 && !strings.HasSuffix(st.text[:start], ", ") && !roleBefore(st.text[:start]) {
		return "" // "Judge Jane Roe", "Prosecutors say Jane Roe": not the sentence's subject
	}
	name, _ := r.nameAt(st, start, end)
	return name
}

// nameAt makes text[start:end] a person when it is two to four name words.
func (r *run) nameAt(st *sentenceState, start, end int) (string, int) {
	words := strings.Fields(st.text[start:end])
	if len(words) < 2 || len(words) > 4 {
		return "", 0
	}
	for _, w := range words {
		if nameWordLen(w) != len(w) {
			return "", 0
		}
	}
	return r.knowPerson(st, start, end)
}

// roleBefore reports whether s ends with what a person is ("Russian national ", "hacker
// "): the name that follows is the one it describes.
func roleBefore(s string) bool {
	f := strings.Fields(s)
	return len(f) > 0 && strings.HasSuffix(s, " ") && roleWords[f[len(f)-1]]
}

var roleWords = map[string]bool{"national": true, "citizen": true, "hacker": true, "programmer": true, "developer": true,
	"man": true, "woman": true, "resident": true, "suspect": true, "teenager": true}

// personMentionBefore returns the name of the last person named before pos, and where
// that mention ends.
func (r *run) personMentionBefore(st *sentenceState, pos int) (string, int) {
	name, end := "", 0
	for i := range st.mentions {
		if m := &st.mentions[i]; m.End <= pos && isPerson(m) {
			name, end = m.Name, m.End
		}
	}
	return name, end
}

// nameWordLen returns the length of the capitalised name word s starts with ("Park",
// "O'Neil", "Bankman-Fried"), or 0.
func nameWordLen(s string) int {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return 0
	}
	n := 1
	lowers := 0
	for n < len(s) && (asciiWord[s[n]] || (s[n] == '-' || s[n] == '\'') && n+1 < len(s) && 'A' <= s[n+1] && s[n+1] <= 'Z') {
		if 'a' <= s[n] && s[n] <= 'z' {
			lowers++
		} else if '0' <= s[n] && s[n] <= '9' || s[n] == '_' {
			return 0
		}
		n++
	}
	if lowers == 0 || notPersonWord[strings.ToLower(s[:n])] || notVictim[strings.ToLower(s[:n])] {
		return 0 // "FBI", "ALPHV", "The", "Monday"
	}
	return n
}

// knowPerson makes the name in text[start:end] a person of the document, unless a known
// entity's name overlaps it, and returns its name and end.
func (r *run) knowPerson(st *sentenceState, start, end int) (string, int) {
	for _, m := range st.mentions {
		if m.Start < end && start < m.End {
			return "", 0
		}
	}
	name := st.text[start:end]
	if len(r.x.gaz.Find(name)) > 0 || r.victims[graph.Normalize(name)] != nil || r.ents["organization|"+graph.Normalize(name)] != nil {
		return "", 0 // a known name, or a victim: "accused Acme Bank of negligence"
	}
	k := &Known{Kind: graph.KindActor, Name: name, ActorKind: graph.ActorIndividual, Names: []string{name}}
	words := strings.Fields(name)
	short := []string{words[len(words)-1]}
	if len(words) == 3 {
		short = append(short, words[0]) // "Park Jin Hyok" is "Park"
	}
	for _, s := range short {
		taken := len(s) < 3 || len(r.x.gaz.Find(s)) > 0
		for _, d := range r.dynamic {
			taken = taken || slices.Contains(d.Names, s)
		}
		if !taken {
			k.Names = append(k.Names, s)
		}
	}
	if !slices.ContainsFunc(r.dynamic, func(d *Known) bool { return d.Name == name }) {
		r.dynamic = append(r.dynamic, k)
	}
	e := r.entity("actor", name, name, st.text)
	e.ActorKind = graph.ActorIndividual
	if st.has(acquittedRE) {
		return name, end // a person, but not one the sentence's other rules may make a doer
	}
	m := Mention{Kind: graph.KindActor, Name: name, Surface: name, Start: start, End: end, known: k}
	i, _ := slices.BinarySearchFunc(st.mentions, m, func(a, b Mention) int { return a.Start - b.Start })
	st.mentions = slices.Insert(st.mentions, i, m)
	return name, end
}
