package extract

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/cyberkg/cyberkg/graph"
)

// Incidents that are not named thefts, and the wordings that tie them to who did them:
// attacks known by the malware launched in them ("launched the Olympic Destroyer
// malware"), espionage hacks known by the sponsoring state ("the Chinese state-sponsored
// hack of email accounts"), interference campaigns ("Russia's efforts to interfere in the
// 2016 U.S. elections"), unnamed attacks an actor is said to have joined ("suspected of
// working with the Play ransomware gang in a cyberattack in September"), formal charges
// ("charged members of the unit ... for their part in ..."), the name a hacker goes by,
// and a group first described, then named ("a North Korean state-sponsored threat actor
// ... The group, which Unit 42 tracks as Jumpy Pisces").
//
// Each rule wants the words that make its reading unambiguous and is silent otherwise;
// every attribution it makes goes through the same negation and hedging as the others.
var (
	// "launched the Olympic Destroyer malware", "the use of the custom Maui ransomware
	// against": groups 1 the verb, 2 the modifiers, 3 the name, 4 the kind of malware.
	malwareUseRE = newCue(`(?i)\b(launched|deployed|released|unleashed|used|using|use of)\s+(?:the\s+|its\s+|their\s+|a\s+)?((?:(?-i:[a-z][\w-]*)\s+){0,2}?)((?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2}))\s+(malware|ransomware|wiper|worm|virus)\b`)
	// What follows malware that was used against someone, not merely used.
	againstRE = newCue(`^\s+(?:against|on|to (?:attack|hit|target|encrypt|cripple|extort))\s`)
	// "efforts to interfere in the 2016 U.S. elections", "interference in the 2020
	// presidential election": group 1 the election.
	interferenceRE = newCue(`(?i)\b(?:(?:efforts?|attempts?|campaigns?|operations?|bids?|plots?|schemes?)\s+to\s+(?:interfere|meddle)\s+(?:in|with)|(?:interference|interfering|meddling)\s+(?:in|with))\s+(?:the\s+)?((?:(?:19|20)\d\d\s+)?(?:(?-i:[A-Z][\w.]*)\s+){0,2}(?:(?:presidential|general|midterm|parliamentary|national|federal)\s+)?(?:elections?|votes?|referendums?))\b`)
	// After a state: "state-sponsored hack of", "-backed intrusions into". Group 1 the noun.
	sponsoredHackRE = newCue(`(?i)^(?:\s+(?:state|government|regime|military)[- ]|-)(?:sponsored|backed|linked|directed)\s+(?:(?:cyber|hacking|espionage|cyber-espionage|cyberespionage|email|phishing|ransomware|supply[- ]chain)\s+)*(hacks?|attacks?|breach(?:es)?|intrusions?|cyberattacks?|cyber-attacks?|campaigns?|operations?)\b`)
	// The object of a hack: "of email accounts", "on the parliament".
	hackObjectRE = newCue(`(?i)^\s+(?:of|on|against|into|targeting)\s+`)
	// After an actor or a state: "'s efforts to interfere", "'s hack of".
	earlierDeedRE    = newCue(`(?i)\b(?:earlier|previous|past|prior|other)\b`)
	deedNamesRE      = newCue(`(?i)^\s*(?:,\s*)?(?:(?:including|such\s+as|like|of|on|against|at|in)\s+)?(?:the\s+)?$`)
	possessiveDeedRE = newCue(`(?i)^['’]s?\s+(?:(?:alleged|attempted|covert|cyber|hacking|destructive|espionage|interference|influence|latest|earlier|previous)\s+)*(?:efforts?|attempts?|campaigns?|operations?|hacks?|attacks?|cyberattacks?|cyber-attacks?|intrusions?|breach(?:es)?|theft|thefts|heists?|interference|meddling)\b`)
	deedObjectRE     = newCue(`(?i)^\s+(?:of|on|against|into|targeting|to (?:interfere|meddle|hack|steal|attack|disrupt))\b`)
	// "a cyberattack", "an intrusion": an attack nobody has named yet. Group 1 the phrase.
	indefiniteAttackRE = newCueEnding(`(?i)\b(?:a|an)\s+((?:(?:ransomware|cyber|destructive|disruptive|damaging|major|large-scale|separate|recent|new|second|wiper|malware|espionage|phishing|supply[- ]chain)\s+)*(?:cyberattack|cyber-attack|cyber attack|attack|intrusion|hack|breach))\b`, articleAt)
	// "working with the Play ransomware gang", "teamed up with".
	withRE = newCue(`(?i)\b(?:work(?:s|ed|ing)?|team(?:s|ed|ing)? up|collaborat(?:es|ed|ing|e)|partner(?:s|ed|ing)?|cooperat(?:es|ed|ing|e)|collud(?:es|ed|ing|e)|join(?:s|ed|ing)? forces)\s+(?:together\s+)?with\s+(?:the\s+)?`)
	// What joins a partner to the attack: "in a cyberattack", "on the breach".
	inAttackRE = newCue(`(?i)^\s*(?:in|on|during|for|to (?:carry out|launch|conduct|stage))\s+(?:the\s+|a\s+|an\s+|this\s+|that\s+)?$`)
	// "charged members of the unit ... for their part in", "indicted a member of the group
	// over". Group 0 ends where the charged ones begin.
	chargedRE = newCue(`(?i)\b(?:charged|indicted|sanctioned|punished|convicted|prosecuted|extradited|charges against|indictments? (?:of|against)|sanctions (?:on|against))\s+`)
	// What a charge is for: group 0 ends where the deed begins.
	chargedForRE = newCue(`(?i)\b(?:for|over|in connection with|in relation to|with\s+(?:deploying|launching|carrying out|conducting|orchestrating|staging)\s+(?:[\w-]+\s+){0,3}?(?:in|against|on))\s+(?:(?:their|his|her|its)\s+(?:alleged\s+)?(?:part|role|roles|involvement|participation)\s+in\s+)?`)
	// "the breach of ": what stands between a charge and the victim that names its incident.
	deedGapRE = newCue(`(?i)^(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+|its\s+)?(?:[\w$.'’-]+\s+){0,3}?(?:hack|heist|theft|breach|attack|exploit|compromise|robbery|raid|intrusion|cyberattack)s?\s+(?:of|on|at|against|targeting|into)\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}$`)
	// "the group", "the same unit": an actor named before.
	groupAnaphorRE = newCue(`(?i)\bthe\s+(?:same\s+)?(group|gang|crew|actor|hackers|unit|agency|team|outfit)\b`)
	// After a state: "state-sponsored threat actor", the description of a group not yet
	// named.
	describedGroupRE = newCue(`(?i)^\s+(?:(?:state|government|regime)[- ](?:sponsored|backed|linked)\s+)?(?:(?:threat|hacking|hacker|apt|espionage|cyberespionage|cyber-espionage|cybercrime|cyber|military|intelligence)\s+)*(?:actor|group|crew|gang|team|outfit|collective|hacker|unit)\b`)
	// "The group, which Unit 42 tracks as ...": a sentence about the group described before.
	theGroupRE = newCue(`(?i)^\W*(?:the|this|that)\s+(?:same\s+)?(?:threat\s+|hacking\s+)?(?:group|actor|crew|gang|team|outfit|collective)\b`)
	// "tracks as", "also known as": the name follows.
	namingRE = newCue(`(?i)\b(?:track(?:s|ed)?\s+(?:it\s+)?as|(?:known|referred to|identified)\s+as|dubbed|calls?(?:\s+it)?|called|named|nicknamed|designated)\s+(?:the\s+)?`)
	// ", the name the hacker uses", after the name: "Mr. White Hat, the name ...".
	aliasTailRE = newCue(`(?i),\s+(?:the|an?)\s+(?:name|alias|pseudonym|handle|moniker|nickname)\s+(?:that\s+)?(?:the|this)\s+(?:hacker|attacker|exploiter|thief|perpetrator|culprit)s?\s+(?:uses|used|goes by|went by|gave|chose|adopted|signs|signed)\b`)
	// "the hacker, who calls himself Mr. White Hat", "an attacker known as X": group 1
	// the name.
	hackerCalledRE = newCue(`(?i)\b(?:hacker|attacker|exploiter|thief|perpetrator|culprit)s?\s*,?\s+(?:who\s+)?(?:(?:calls|called|calling)\s+(?:himself|herself|themselves|itself)|(?:goes|going|went)\s+by(?:\s+the\s+(?:name|alias|handle))?|known\s+(?:only\s+)?as|using\s+the\s+(?:name|alias|handle))\s+["“]?(?:the\s+)?((?-i:[A-Z][\w.'’-]*)(?:\s+(?:of\s+)?(?-i:[A-Z][\w.'’-]*)){0,3})`)
	// "lending protocol Euler Finance": a victim named with what it is, opening a sentence
	// about the funds it lost. Group 1 the name.
	describedVictimRE = newCue(`^\W*(?:[\w-]+\s+){0,3}?(?:protocol|exchange|platform|bridge|provider|firm|company|bank|wallet|marketplace|project|network|lender|developer)\s+((?:[A-Z][\w.&'’-]*|[a-z]+[A-Z][\w.&-]*)(?:\s+(?:[A-Z][\w.&'’-]*|[a-z]+[A-Z][\w.&-]*)){0,3})`)
	lostFundsRE       = newCue(`(?i)\b(?:lost|losing|suffered|fell victim to|was hit by|hit by|getting back (?:the\s+|its\s+)?funds|get back (?:the\s+|its\s+)?funds|recover(?:s|ed|ing)? (?:its|the) (?:stolen |lost )?funds|regain(?:s|ed|ing)? (?:control of )?(?:its|the) funds)\b`)
)

// hackerWordSet holds the words without which hackerNames has nothing to read.
// attackersWereSet holds the single-spaced beginnings of attackersWereRE's matches.
var attackersWereSet = func() *litSet {
	var words []string
	for _, n := range []string{"attackers", "hackers", "perpetrators", "culprits", "thieves", "intruders"} {
		for _, v := range []string{"were", "was", "are", "is"} {
			words = append(words, n+" "+v+" ")
		}
	}
	return newWordSet(words)
}()

var hackerWordSet = newWordSet([]string{"hacker", "attacker", "exploiter", "thief", "perpetrator", "culprit"})

// findEvents finds incidents known by their malware, their sponsor or their aim, and
// attributes those whose wording names who carried them out.
func (r *run) findEvents(st *sentenceState, add func(*Entity, int, int, bool), victim func(v string, start, end int) *Entity) {
	text := st.text
	for _, m := range st.all(malwareUseRE) {
		name := text[m[6]:m[7]]
		verb := strings.ToLower(text[m[2]:m[3]])
		used := verb == "used" || verb == "using" || verb == "use of"
		if used && !againstRE.MatchString(text[m[1]:]) {
			continue // malware used is not yet an attack on anyone
		}
		if r.isKnownNonVictim(name, st) || notVictim[strings.ToLower(strings.Fields(name)[0])] || r.dynamicName(name) {
			continue
		}
		// "Sandworm launched the Industroyer malware": who launched it did it.
		var launcher *Mention
		if verb != "use of" && verb != "using" {
			if subj := subjectBefore(st, m[0]); subj != nil && len(strings.Fields(text[subj.End:m[0]])) <= 3 && !strings.ContainsAny(text[subj.End:m[0]], ",;") {
				launcher = subj
			}
		}
		inc := r.entity("incident", name, name, text)
		inc.IncidentKind = cmp.Or(inc.IncidentKind, graph.IncidentSabotage)
		if strings.EqualFold(text[m[8]:m[9]], "ransomware") {
			inc.IncidentKind = graph.IncidentRansomware
		}
		mods := text[m[4]:m[5]]
		head := text[m[6]:m[9]]
		inc.Mentions = appendUnique(inc.Mentions, head)
		inc.Mentions = appendUnique(inc.Mentions, strings.TrimSpace(mods+head))
		if used {
			tail := phraseEnd(text, m[1])
			inc.Mentions = appendUnique(inc.Mentions, head+text[m[1]:tail])
			inc.Mentions = appendUnique(inc.Mentions, strings.TrimSpace(mods+head)+text[m[1]:tail])
		}
		add(inc, m[0], m[1], true)
		if launcher != nil && !st.negatedAt(m[0]) {
			r.relate("ATTRIBUTED_TO", inc, r.ents[mentionKey(launcher)], st, text)
		}
	}
	// "used a previously unknown ransomware strain called Maui against U.S. health care
	// providers"
	for _, m := range r.gated(st, calledWordSet, strainCalledRE) {
		name := text[m[4]:m[5]]
		if !againstRE.MatchString(text[m[1]:]) || r.isKnownNonVictim(name, st) || notVictim[strings.ToLower(name)] || r.dynamicName(name) {
			continue
		}
		inc := r.entity("incident", name, name, text)
		inc.IncidentKind = cmp.Or(inc.IncidentKind, graph.IncidentRansomware)
		inc.Mentions = appendUnique(inc.Mentions, name+text[m[1]:phraseEnd(text, m[1])])
		add(inc, m[0], m[1], true)
		if subj := subjectBefore(st, m[0]); subj != nil && len(strings.Fields(text[subj.End:m[0]])) <= 4 && !strings.ContainsAny(text[subj.End:m[0]], ",;") && !st.negatedAt(m[0]) {
			r.relate("ATTRIBUTED_TO", inc, r.ents[mentionKey(subj)], st, text)
		}
	}
	// "conspiring to hack U.S. hospitals with Maui ransomware": attacks known by the
	// ransomware they used, when its name is no group's.
	for _, m := range st.all(withRansomwareRE) {
		name := text[m[2]:m[3]]
		if r.isKnownNonVictim(name, st) || notVictim[strings.ToLower(name)] || r.dynamicName(name) || st.negatedAt(m[0]) {
			continue
		}
		inc := r.entity("incident", name, name, text)
		inc.IncidentKind = cmp.Or(inc.IncidentKind, graph.IncidentRansomware)
		inc.Mentions = appendUnique(inc.Mentions, text[m[2]:m[1]])
		add(inc, m[2], m[1], true)
	}
	// "in what one senator has called the worst telecom hack in the nation's history"
	for _, m := range st.all(whatCalledRE) {
		if !strings.HasSuffix(strings.ToLower(text[max(0, m[0]-3):m[0]]), "in ") {
			continue // "in what one senator called ..."
		}
		phrase := text[m[2]:m[3]]
		name := strings.TrimSpace(text[m[4]:m[5]])
		inc := r.entity("incident", name, phrase, text)
		inc.IncidentKind = cmp.Or(inc.IncidentKind, graph.IncidentOther)
		add(inc, m[2], m[3], true)
	}
	// "hackers crippled its Change Healthcare unit", not "the Kansas hospital's servers"
	for _, m := range r.gated(st, crippleWordSet, crippledRE) {
		if p := capPhraseLen(text[m[1]:]); p > 0 && victim != nil {
			end := wholeWords(text, m[1], m[1]+p)
			if next := strings.Fields(text[end:]); len(next) > 0 && isLowerWord(strings.TrimRight(next[0], ".,;:")) && !unitWords[strings.TrimRight(next[0], ".,;:")] {
				continue // a place or a product describing what was hit
			}
			victim(text[m[1]:end], m[1], end)
		}
	}
	for _, m := range r.interference(st) {
		election := strings.Fields(text[m[2]:m[3]])
		last := strings.TrimSuffix(election[len(election)-1], "s")
		name := strings.Join(append(election[:len(election)-1:len(election)-1], last), " ") + " interference"
		inc := r.entity("incident", name, text[m[0]:m[1]], text)
		inc.IncidentKind = cmp.Or(inc.IncidentKind, graph.IncidentOther)
		inc.Mentions = appendUnique(inc.Mentions, strings.TrimPrefix(text[m[0]:m[1]], "efforts to "))
		// A campaign is not what a later "the attack" refers to.
		current := r.current
		add(inc, m[0], m[1], true)
		r.current = current
	}
	// "destructive malware attacks on Ukraine's electric power grid", "the March 2013
	// attacks on South Korean banks and broadcasters": attacks on what a state's people
	// own, named by it.
	for _, m := range r.statesAfter(st, attacksOnRE) {
		s := firstMentionAt(st, m[1], 0)
		if s == nil || s.Kind != graph.KindState || locationOnlyRE.MatchString(text[s.End:]) {
			continue
		}
		rest := text[s.End:]
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "'s"), "’s")
		obj := objectPhrase(rest)
		if f := strings.Fields(obj); len(f) == 0 || !targetNouns[strings.ToLower(f[len(f)-1])] {
			continue // attacks on what organisations run, not on people
		}
		end := len(text) - len(rest) + strings.Index(rest, obj) + len(obj)
		if more := andPhrase(text[end:]); more > 0 {
			end += more // "banks and broadcasters"
		}
		name := text[m[0]:end]
		inc := r.entity("incident", name, name, text)
		inc.IncidentKind = cmp.Or(inc.IncidentKind, graph.IncidentOther)
		start := modifiersBefore(text, m[0]) // "destructive malware attacks on ..."
		for _, d := range st.dates {
			if d.End+1 == start && text[d.End] == ' ' {
				start = d.Start // "the March 2013 attacks on ..."
			}
		}
		if strings.HasSuffix(text[:start], "the ") {
			start -= len("the ")
		}
		inc.Mentions = appendUnique(inc.Mentions, text[start:end])
		add(inc, start, end, true)
	}
	// "the Chinese state-sponsored hack of email accounts": the sponsor did it.
	for i := range st.mentions {
		s := &st.mentions[i]
		if s.Kind != graph.KindState {
			continue
		}
		if !sponsorWordAfter(text[s.End:]) {
			continue
		}
		h := sponsoredHackRE.FindStringSubmatchIndex(text[s.End:])
		if h == nil {
			continue
		}
		nounEnd := s.End + h[1]
		noun := strings.ToLower(text[s.End+h[2] : s.End+h[3]])
		var inc *Entity
		start, end := s.Start, nounEnd
		if o := hackObjectRE.FindStringIndex(text[nounEnd:]); o != nil {
			if ref := refNear(st.incidents, nounEnd, nounEnd+o[1]+4); ref != nil {
				inc = ref.ent // "hack of Microsoft Exchange" is already an incident
			} else if obj := objectPhrase(text[nounEnd+o[1]:]); obj != "" {
				name := strings.TrimSuffix(noun, "s") + " " + strings.TrimSpace(text[nounEnd:nounEnd+o[1]]) + " " + obj
				end = nounEnd + o[1] + len(obj)
				inc = r.entity("incident", name, text[s.Start:end], text)
				inc.Mentions = appendUnique(inc.Mentions, text[s.End+h[2]:end])
				inc.Mentions = appendUnique(inc.Mentions, strings.TrimSpace(text[s.End:end]))
				if tail := phraseEnd(text, end); tail > end {
					inc.Mentions = appendUnique(inc.Mentions, text[s.Start:tail])
				}
			}
		}
		if inc == nil {
			inc = r.entity("incident", s.Name+" "+strings.TrimSpace(text[s.End:nounEnd]), text[s.Start:nounEnd], text)
		}
		inc.IncidentKind = cmp.Or(inc.IncidentKind, graph.IncidentEspionage)
		add(inc, start, end, true)
		if !st.negatedAt(s.Start) {
			r.relate("ATTRIBUTED_TO", inc, r.ents[mentionKey(s)], st, text)
		}
	}
}

// crippleWordSet and calledWordSet hold words every match of crippledRE and
// strainCalledRE holds; their starting words ("hackers", "used") are common.
var (
	crippleWordSet = newWordSet([]string{"crippl", "paralys", "paralyz", "disrupted", "knocked out", "shut down", "encrypted"})
	calledWordSet  = newWordSet([]string{"called", "named", "dubbed", "known as"})
	// Words every match of aliasTailRE and hackerCalledRE holds.
	aliasWordSet = newWordSet([]string{"name", "alias", "pseudonym", "handle", "moniker", "nickname"})
	callsWordSet = newWordSet([]string{"calls", "called", "calling", "goes", "going", "went", "known", "using"})
)

// gated returns the matches of c in the sentence, looked for only when it holds one of
// words, which every match holds.
func (r *run) gated(st *sentenceState, words *litSet, c *cue) [][]int {
	if st.index().trusted && words.nextIn(st.index(), st.text, 0) < 0 {
		return nil
	}
	return st.all(c)
}

// statesAfter returns the matches of c in a sentence that names a state: the rules that
// read them want a state right after.
func (r *run) statesAfter(st *sentenceState, c *cue) [][]int {
	if !slices.ContainsFunc(st.mentions, func(m Mention) bool { return m.Kind == graph.KindState }) {
		return nil
	}
	return st.all(c)
}

// interferenceWordSet holds the words every match of interferenceRE holds; its starting
// words ("efforts", "operations") are too common to gate it alone.
var interferenceWordSet = newWordSet([]string{"interfer", "meddl"})

func (r *run) interference(st *sentenceState) [][]int {
	if st.index().trusted && interferenceWordSet.nextIn(st.index(), st.text, 0) < 0 {
		return nil
	}
	return st.all(interferenceRE)
}

// dynamicName reports whether a name is one the document gave a group ("Play").
func (r *run) dynamicName(name string) bool {
	for _, k := range r.dynamic {
		if slices.ContainsFunc(k.Names, func(n string) bool { return strings.EqualFold(n, name) }) {
			return true
		}
	}
	return false
}

// refNear returns the first incident reference that starts in [from, to].
func refNear(refs []incidentRef, from, to int) *incidentRef {
	for i := range refs {
		if refs[i].start >= from && refs[i].start <= to {
			return &refs[i]
		}
	}
	return nil
}

// objectPhrase returns the few lower-case words that name what was hacked ("email
// accounts" in "email accounts belonging to senior officials"), or "".
func objectPhrase(s string) string {
	words := strings.Fields(s)
	n, end := 0, 0
	if len(words) > 1 && strings.EqualFold(words[0], "the") {
		if !isLowerWord(words[1]) {
			return ""
		}
		words, end = words[1:], strings.Index(s, words[1])
	}
	for _, w := range words {
		if n == 4 || objectStop[strings.ToLower(strings.TrimRight(w, ".,;:"))] || !isLowerWord(strings.TrimRight(w, ".,;:")) {
			break
		}
		i := strings.Index(s[end:], w)
		end += i + len(strings.TrimRight(w, ".,;:"))
		n++
		if strings.ContainsAny(w, ".,;:") {
			break
		}
	}
	return s[:end]
}

var objectStop = map[string]bool{"belonging": true, "including": true, "at": true, "in": true, "by": true, "that": true,
	"which": true, "who": true, "from": true, "since": true, "during": true, "last": true, "earlier": true, "and": true,
	"was": true, "were": true, "is": true, "are": true, "has": true, "had": true, "to": true, "for": true, "on": true, "with": true}

func isLowerWord(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if !unicode.IsLower(r) && r != '-' && r != '\'' && r != '’' {
			return false
		}
	}
	return true
}

// phraseEnd returns where the noun phrase that starts at p ends: at a comma, a
// semicolon, the sentence's final stop, or after eight words.
func phraseEnd(text string, p int) int {
	words := 0
	for i := p; i < len(text); i++ {
		switch c := text[i]; {
		case c == ',' || c == ';' || c == ':' || c == '(':
			return i
		case c == '.' && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n') && !abbreviationBefore(text, i):
			return i
		case c == ' ' && i > p && text[i-1] != ' ':
			if words++; words == 9 {
				return i
			}
		}
	}
	return len(text)
}

// abbreviationBefore reports whether the stop at i ends an abbreviation like "U.S.".
func abbreviationBefore(text string, i int) bool {
	return i >= 2 && text[i-2] == '.'
}

// indefiniteIncident reads "a cyberattack in September" as an incident when the sentence
// says who took part in it: an attack nobody names is otherwise not worth a node.
func (r *run) indefiniteIncident(st *sentenceState, add func(*Entity, int, int, bool)) {
	text := st.text
	// The noun first, then the article and modifiers before it, as anaphors does.
	var found [][]int
	for _, n := range st.all(theftNounRE) {
		from := max(0, n[0]-60)
		if !indefiniteAttackRE.canEnd(text[from:n[1]]) {
			continue
		}
		for _, m := range indefiniteAttackRE.FindAllStringSubmatchIndex(text[from:n[1]], -1) {
			if from+m[1] == n[1] {
				for i := range m {
					m[i] += from
				}
				found = append(found, m)
				break
			}
		}
	}
	for _, m := range found {
		if !r.agentBefore(st, m[0]) {
			continue
		}
		phrase := strings.ToLower(text[m[2]:m[3]])
		name, surface := phrase, text[m[2]:m[3]]
		date := r.year
		for _, d := range st.dates {
			if d.Start >= m[3] && d.Start-m[3] <= 4 {
				surface = text[m[2]:d.End]
				date = d.Value
				break
			}
		}
		if date != "" {
			name += " (" + date + ")"
		}
		inc := r.entity("incident", name, surface, text)
		inc.Mentions = appendUnique(inc.Mentions, text[m[2]:m[3]])
		kind := graph.IncidentOther
		if strings.Contains(phrase, "ransomware") || st.has(ransomwareRE) {
			kind = graph.IncidentRansomware
		}
		inc.IncidentKind = cmp.Or(inc.IncidentKind, kind)
		add(inc, m[0], m[1], true)
	}
}

// agentBefore reports whether an actor, or a state acting, is named before pos.
func (r *run) agentBefore(st *sentenceState, pos int) bool {
	for i := range st.mentions {
		m := &st.mentions[i]
		if m.End > pos {
			break
		}
		if m.Kind == graph.KindActor || (m.Kind == graph.KindState && stateActs(st.text, m)) {
			return true
		}
	}
	return false
}

// stateActs reports whether a state mention stands for someone acting: a name ("North
// Korea"), state hackers ("North Korean hackers") or a group described by its state ("a
// North Korean state-sponsored threat actor"), not a place or a nationality.
func stateActs(text string, m *Mention) bool {
	if !stateAsPolity(text, m) {
		return false
	}
	after := text[m.End:]
	return demonymAgentRE.MatchString(after) || describedGroupRE.MatchString(after) || !isDemonym(m.Surface) && !strings.HasPrefix(after, "-")
}

// eventAttributions ties incidents to those the sentence says took part in them:
// partners ("X is suspected of working with Y in a cyberattack"), the charged ("charged
// members of the unit ... for their part in ...") and possessors ("Russia's efforts to
// interfere in ...").
func (r *run) eventAttributions(st *sentenceState) {
	text := st.text
	attribute := func(inc *Entity, m *Mention, at int) {
		if inc == nil || m == nil || st.negatedAt(at) || st.negatedAt(m.Start) {
			return
		}
		if e := r.ents[mentionKey(m)]; e != nil {
			r.relate("ATTRIBUTED_TO", inc, e, st, text)
		}
	}
	for _, c := range st.all(withRE) {
		partner := firstMentionAt(st, c[1], 2)
		if partner == nil || !isAgent(st, partner) {
			continue
		}
		inc := incidentAfter(st, partner.End, inAttackRE)
		if inc == nil {
			continue
		}
		attribute(inc, partner, c[0])
		if subj := subjectBefore(st, c[0]); subj != nil {
			attribute(inc, subj, c[0])
		}
	}
	r.hallmarks(st)
	// "the North Korean government is responsible for the cyberattack on Sony", "a
	// North Korean threat actor was behind the heist": a state acting through its
	// government or a group it describes.
	for i := range st.mentions {
		s := &st.mentions[i]
		if s.Kind != graph.KindState || !stateAsPolity(text, s) {
			continue
		}
		after := text[s.End:]
		g := stateBodyRE.FindStringIndex(after)
		if g == nil {
			g = describedGroupRE.FindStringIndex(after)
		}
		if g == nil {
			continue
		}
		if b := behindRE.FindStringIndex(after[g[1]:]); b != nil {
			pos := s.End + g[1] + b[1]
			inc := incidentAfter(st, pos, nil)
			if inc == nil && len(st.incidents) == 1 {
				// "was behind the roughly $50 million heist it suffered": the one incident.
				if n := theftNounRE.FindStringIndex(text[pos:min(len(text), pos+50)]); n != nil && !strings.ContainsAny(text[pos:pos+n[0]], ",;") {
					inc = st.incidents[0].ent
				}
			}
			attribute(inc, s, s.End+g[1])
		}
	}
	// "linked Lazarus to several other thefts this year, including ..."
	for _, c := range st.all(activeLinkRE) {
		m := firstMentionAt(st, c[1], 0)
		if m == nil || !isAgent(st, m) {
			continue
		}
		if t := linkToRE.FindStringIndex(text[m.End:]); t != nil {
			if inc := incidentAfter(st, m.End+t[1], nil); inc != nil {
				attribute(inc, m, c[0])
			} else if l := st.all(includingRE); len(l) > 0 && l[0][0] > m.End && stolenCueRE.MatchString(text[m.End+t[1]:l[0][0]]) {
				// "linked Lazarus to several other thefts, including ...": each listed one.
				for _, ref := range st.incidents {
					if ref.explicit && ref.start > l[0][1] {
						attribute(ref.ent, m, c[0])
					}
				}
			}
		}
	}
	for _, c := range st.all(chargedRE) {
		rest := text[c[1]:min(len(text), c[1]+160)]
		f := chargedForRE.FindStringIndex(rest)
		if f == nil {
			continue
		}
		inc := incidentAfter(st, c[1]+f[1], nil)
		if inc == nil {
			// "over a string of cyberattacks that included the 2014 hack of Sony": the first
			// of the list; listedThefts gives the rest the same culprit.
			if l := st.all(includingRE); len(l) > 0 && l[0][0] > c[1]+f[1] && l[0][0]-(c[1]+f[1]) < 60 && deedsRE.MatchString(text[c[1]+f[1]:l[0][0]]) {
				inc = incidentAfter(st, l[0][1], nil)
			}
		}
		if inc == nil {
			continue
		}
		var charged []*Mention
		for i := range st.mentions {
			m := &st.mentions[i]
			if m.Start >= c[1] && m.End <= c[1]+f[0] && isAgent(st, m) && !placeOrAuthority(text[c[1]:m.Start]) {
				charged = append(charged, m)
			}
		}
		if len(charged) == 0 {
			if a := groupAnaphorRE.FindStringSubmatchIndex(rest[:f[0]]); a != nil {
				charged = append(charged, r.actorBefore(st, c[1]+a[0], rest[a[2]:a[3]]))
			} else if p := r.personAt(st, c[1], c[1]+f[0]); p != nil {
				charged = append(charged, p) // "charged Park Jin Hyok, a North Korean programmer, over"
			}
		}
		for _, m := range charged {
			attribute(inc, m, c[0])
		}
	}
	for i := range st.mentions {
		m := &st.mentions[i]
		if m.Kind != graph.KindActor && m.Kind != graph.KindState || m.End == len(text) || text[m.End] != '\'' && !strings.HasPrefix(text[m.End:], "’") {
			continue // a possessive follows right after the name
		}
		p := possessiveDeedRE.FindStringIndex(text[m.End:])
		if p == nil || !isAgent(st, m) {
			continue
		}
		end := m.End + p[1]
		if m.Kind == graph.KindState && !deedObjectRE.MatchString(text[end:]) {
			continue // "China's largest hack" is where, not who
		}
		ref := refNear(st.incidents, m.End, end+40)
		if ref == nil || strings.ContainsAny(text[m.End:ref.start], ";") {
			continue
		}
		// "Lazarus Group's earlier thefts when discussing the Kroner hack": deeds
		// set apart as earlier or other are the incident only when they name it.
		if earlierDeedRE.MatchString(text[m.End:end]) && ref.start > end && !deedNamesRE.MatchString(text[end:ref.start]) {
			continue
		}
		attribute(ref.ent, m, m.Start)
	}
	// "Salt Typhoon broke into at least eight U.S. telecommunications companies, ..., in
	// what one senator has called the worst telecom hack": the sentence's one incident.
	if len(st.incidents) == 1 {
		for i := range st.mentions {
			m := &st.mentions[i]
			if m.Kind == graph.KindActor && !isClaimant(st, m) && brokeIntoRE.MatchString(text[m.End:]) {
				attribute(st.incidents[0].ent, m, m.End)
			}
		}
	}
	r.listedThefts(st) // last: the list shares what the rules above found
}

// placeOrAuthority reports whether the words before a name make it where the charged
// were taken, tried or held, or who charged them ("extradited to the U.S.", "from
// Estonia", "charged in Germany", "by the United States"), not one of the charged.
func placeOrAuthority(before string) bool {
	words := strings.Fields(before)
	if n := len(words); n > 0 && strings.EqualFold(words[n-1], "the") {
		words = words[:n-1]
	}
	if len(words) == 0 {
		return false
	}
	switch strings.ToLower(words[len(words)-1]) {
	case "to", "in", "into", "from", "by", "at", "on", "for", "with", "before":
		return true
	}
	return false
}

// isAgent reports whether a mention can be someone who acts: an actor, or a state
// acting (see stateActs), and not the one making the claim.
func isAgent(st *sentenceState, m *Mention) bool {
	if isClaimant(st, m) {
		return false
	}
	return m.Kind == graph.KindActor || m.Kind == graph.KindState && stateActs(st.text, m)
}

// incidentAfter returns the incident whose reference follows pos, if only what join
// allows (nil: a few words) stands between them.
func incidentAfter(st *sentenceState, pos int, join *cue) *Entity {
	var best *incidentRef
	for i := range st.incidents {
		ref := &st.incidents[i]
		if ref.start >= pos && (best == nil || ref.start < best.start) {
			best = ref
		}
	}
	if best == nil {
		return nil
	}
	gap := st.text[pos:best.start]
	if join != nil {
		if !join.MatchString(gap) {
			return nil
		}
	} else if len(strings.Fields(gap)) > 2 && !deedGapRE.MatchString(strings.TrimLeft(gap, " ")) || strings.ContainsAny(gap, ";") {
		return nil
	}
	return best.ent
}

// subjectBefore returns the agent that does what a cue at pos says: the nearest agent
// before it in the same clause.
func subjectBefore(st *sentenceState, pos int) *Mention {
	var best *Mention
	for i := range st.mentions {
		m := &st.mentions[i]
		if m.End > pos {
			break
		}
		if isAgent(st, m) {
			best = m
		}
	}
	if best == nil || pos-best.End > 80 || strings.ContainsAny(st.text[best.End:pos], ";") {
		return nil
	}
	return best
}

// actorBefore returns the actor "the group" or "the unit" at pos refers to: the last one
// of that sort named before it, in the sentence or before.
func (r *run) actorBefore(st *sentenceState, pos int, noun string) *Mention {
	unit := strings.EqualFold(noun, "unit") || strings.EqualFold(noun, "agency")
	fits := func(k graph.ActorKind) bool {
		if unit {
			return k == graph.ActorUnit || k == graph.ActorAgency
		}
		return k == "" || k == graph.ActorGroup
	}
	for i := len(st.mentions) - 1; i >= 0; i-- {
		m := &st.mentions[i]
		if m.End <= pos && m.Kind == graph.KindActor && (m.known == nil || fits(m.known.ActorKind)) {
			return m
		}
	}
	if r.lastActor != nil && fits(r.lastActor.ActorKind) {
		e := r.lastActor
		return &Mention{Kind: graph.KindActor, Name: e.Name, Start: pos, End: pos}
	}
	return nil
}

// noteActors remembers the last actor the sentence names, for "the group" later on.
func (r *run) noteActors(st *sentenceState) {
	r.before = st
	for i := len(st.mentions) - 1; i >= 0; i-- {
		m := &st.mentions[i]
		if m.Kind == graph.KindActor {
			if e := r.ents[mentionKey(m)]; e != nil && (m.known == nil || m.known.ActorKind == "" || m.known.ActorKind == graph.ActorGroup) {
				r.lastActor = e
				return
			}
		}
	}
}

// bothGroupsRE is a plural that refers to two groups named before: "both groups
// operate under", "the two groups are part of".
var bothGroupsRE = newCue(`(?i)\b(?:both|the\s+two)\s+(?:groups|units|gangs|crews|teams)\s+(?:(?:also|reportedly|allegedly|now)\s+)?`)

// bothGroups reads "The police said both groups operate under North Korea's
// Reconnaissance General Bureau" after a sentence that named two groups, and no other:
// each is tied to what the cue right after names.
func (r *run) bothGroups(st *sentenceState) {
	if r.before == nil || !st.has(bothGroupsRE) || st.negated() {
		return
	}
	var groups []*Entity
	for i := range r.before.mentions {
		m := &r.before.mentions[i]
		if m.Kind != graph.KindActor || m.known != nil && m.known.ActorKind != "" && m.known.ActorKind != graph.ActorGroup {
			continue
		}
		if e := r.ents[mentionKey(m)]; e != nil && !slices.Contains(groups, e) {
			groups = append(groups, e)
		}
	}
	if len(groups) != 2 {
		return
	}
	for _, c := range st.all(bothGroupsRE) {
		loc := affCueRE.FindStringIndex(st.text[c[1]:])
		if loc == nil || loc[0] != 0 {
			continue
		}
		i := slices.IndexFunc(st.mentions, func(m Mention) bool { return m.Start >= c[1]+loc[1] && m.Start-(c[1]+loc[1]) <= 12 })
		if i < 0 {
			continue
		}
		if st.mentions[i].Kind == graph.KindState && qualifiesActor(st, i) {
			i++ // "North Korea's Reconnaissance General Bureau"
		}
		m := &st.mentions[i]
		if m.Kind != graph.KindActor && m.Kind != graph.KindState {
			continue
		}
		for _, g := range groups {
			r.relate("AFFILIATED_WITH", g, r.ents[mentionKey(m)], st, st.text)
		}
	}
}

// describedGroup is a group a sentence described without naming it: "a North Korean
// state-sponsored threat actor".
type describedGroup struct {
	st    *sentenceState
	state *Entity
}

// describe notes the group this sentence describes, or names the one the sentence before
// described: "The group, which Unit 42 tracks as Jumpy Pisces, ..." makes Jumpy Pisces
// the actor that sentence spoke of, tied to its state, and the one behind what it was
// said to do.
func (r *run) describe(st *sentenceState, before *describedGroup) {
	if before != nil && st.has(theGroupRE) {
		for _, n := range st.all(namingRE) {
			a := firstMentionAt(st, n[1], 0)
			if a == nil || a.Kind != graph.KindActor {
				continue
			}
			actor := r.ents[mentionKey(a)]
			if actor == nil {
				break
			}
			r.relate("AFFILIATED_WITH", actor, before.state, before.st, before.st.text)
			for _, rel := range r.relations {
				if rel.Type == "ATTRIBUTED_TO" && rel.toEnt == before.state &&
					slices.ContainsFunc(rel.support, func(s support) bool { return s.quote == before.st.text }) {
					r.relate("ATTRIBUTED_TO", rel.fromEnt, actor, before.st, before.st.text)
				}
			}
			break
		}
	}
	r.described = nil
	for i := range st.mentions {
		m := &st.mentions[i]
		if m.Kind != graph.KindState || !indefiniteBefore(st.text[:m.Start]) || !describedGroupRE.MatchString(st.text[m.End:]) || !stateAsPolity(st.text, m) || st.negated() {
			continue
		}
		if e := r.ents[mentionKey(m)]; e != nil {
			r.described = &describedGroup{st: st, state: e}
		}
		return
	}
}

// articleAt reports whether "a" or "an" starts a word at p: where indefiniteAttackRE's
// matches start.
func articleAt(s string, p int) bool {
	if p > 0 && asciiWord[s[p-1]] || s[p]|0x20 != 'a' {
		return false
	}
	q := p + 1
	if q < len(s) && s[q]|0x20 == 'n' {
		q++
	}
	return q < len(s) && !asciiWord[s[q]]
}

// indefiniteBefore reports whether s ends with the word "a" or "an" and a space.
func indefiniteBefore(s string) bool {
	for _, w := range []string{"a ", "an "} {
		if len(s) >= len(w) && strings.EqualFold(s[len(s)-len(w):], w) && (len(s) == len(w) || !asciiWord[s[len(s)-len(w)-1]]) {
			return true
		}
	}
	return false
}

// capitalsBefore returns where the run of one to four capitalised words that ends at
// end starts ("Mr. White Hat"), or -1.
func capitalsBefore(text string, end int) int {
	start := -1
	for n, p := 0, end; n < 4; n++ {
		q := p
		for q > 0 && text[q-1] != ' ' {
			q--
		}
		if q == p || !('A' <= text[q] && text[q] <= 'Z') {
			break
		}
		start = q
		if q == 0 {
			break
		}
		p = q - 1
	}
	return start
}

// hackerNames reads the name the hacker of the current incident goes by ("Mr. White
// Hat, the name the hacker uses"): a person, and the one behind the incident.
func (r *run) hackerNames(st *sentenceState) {
	if st.index().trusted && hackerWordSet.nextIn(st.index(), st.text, 0) < 0 {
		return
	}
	inc := r.current
	if len(st.incidents) > 0 {
		inc = st.incidents[0].ent
	}
	if inc == nil {
		return
	}
	// Each name with where its hacker is: the clause that must not be negated.
	var names [][3]int
	for _, m := range r.gated(st, aliasWordSet, aliasTailRE) {
		if start := capitalsBefore(st.text, m[0]); start >= 0 {
			names = append(names, [3]int{start, m[0], m[0] + 1})
		}
	}
	for _, m := range r.gated(st, callsWordSet, hackerCalledRE) {
		names = append(names, [3]int{m[2], m[3], m[0]})
	}
	for _, m := range names {
		name := strings.TrimRight(st.text[m[0]:m[1]], ".,;:'’\"”")
		if name == "" || notVictim[strings.ToLower(strings.Fields(name)[0])] || st.negatedAt(m[2]) || st.negatedAt(m[0]) {
			continue
		}
		if a := firstMentionAt(st, m[0], 0); a != nil && a.Kind == graph.KindActor {
			// "who called themselves the Guardians of Peace": a name the reference knows.
			r.relate("ATTRIBUTED_TO", inc, r.ents[mentionKey(a)], st, st.text)
			continue
		}
		if r.isKnownNonVictim(name, st) {
			continue
		}
		actor := r.entity("actor", name, name, st.text)
		actor.ActorKind = graph.ActorIndividual
		r.relate("ATTRIBUTED_TO", inc, actor, st, st.text)
	}
}

// describedVictim reads the victim of a theft known by its amount from the sentence's
// subject, named with what it is: "Lending protocol Euler Finance may be closer to
// getting back funds taken in a $196 million flash loan attack".
func (r *run) describedVictim(st *sentenceState) {
	if len(st.incidents) != 1 || !strings.Contains(st.incidents[0].ent.Name, " theft") || r.hasVictim(st.incidents[0].ent) {
		return
	}
	m := describedVictimRE.FindStringSubmatchIndex(st.text)
	if m == nil || m[3] > st.incidents[0].start {
		return
	}
	if l := lostFundsRE.FindStringIndex(st.text[m[3]:st.incidents[0].start]); l == nil {
		return
	}
	victim := cleanVictim(st.text[m[2]:m[3]])
	if victim == "" || r.isKnownNonVictim(victim, st) {
		return
	}
	inc := st.incidents[0].ent
	inc.Name = victim + " hack"
	org := r.entity("organization", victim, victim, st.text)
	org.Role = "victim"
	r.relate("TARGETED", inc, org, st, st.text)
	r.victims[graph.Normalize(victim)] = inc
}

// hasVictim reports whether an incident is known by its victim.
func (r *run) hasVictim(inc *Entity) bool {
	for _, v := range r.victims {
		if v == inc {
			return true
		}
	}
	return false
}

// tokenSurfaces returns how the text writes an amount with the token it is counted in,
// when it names one right after it: "$6 million in USDT", "100 Ether (ETH)".
func tokenSurfaces(text string, a Amount) []string {
	var out []string
	rest := text[a.End:]
	if w, ok := strings.CutPrefix(rest, " in "); ok {
		if n := tickerLen(w); n > 0 {
			out = append(out, a.Surface+" in "+w[:n])
		}
	}
	if w, ok := strings.CutPrefix(rest, " ("); ok {
		if n := tickerLen(w); n > 0 && n < len(w) && w[n] == ')' {
			out = append(out, a.Surface+" ("+w[:n+1])
		}
	}
	return out
}

// tickerLen returns the length of the token ticker ("USDT", "ETH") s starts with, or 0.
func tickerLen(s string) int {
	n := 0
	for n < len(s) && 'A' <= s[n] && s[n] <= 'Z' {
		n++
	}
	if n < 2 || n > 6 || (n < len(s) && isWordByte(s[n])) {
		return 0
	}
	return n
}

// victimName reads the organisation a capitalised phrase names as a victim, without
// what only locates or dates it: "Japan's DMM Bitcoin" and "Japanese exchange DMM
// Bitcoin" are DMM Bitcoin, "last August's Poly Network" is Poly Network, "Harmony's
// Horizon bridge" is the Harmony Horizon bridge. A place or a people alone ("South
// Korean", "Dubai-based") is no victim.
func (r *run) victimName(raw string, st *sentenceState) string {
	v := strings.TrimSpace(raw)
	if v == "" || r.isKnownNonVictim(v, st) {
		return ""
	}
	if c := cleanVictim(v); c != v && r.isKnownNonVictim(c, st) {
		return ""
	}
	for _, ref := range st.incidents {
		if strings.EqualFold(ref.ent.Name, cleanVictim(v)) {
			return "" // "the WannaCry ransomware attack" names its malware, not a victim
		}
	}
	if plainName(v) {
		return cleanVictim(v) // most names have nothing to strip
	}
	for {
		words := strings.Fields(v)
		if len(words) == 0 {
			return ""
		}
		if last := strings.ToLower(words[len(words)-1]); strings.HasSuffix(last, "-based") || strings.HasSuffix(last, "-headquartered") {
			return ""
		}
		first := strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(words[0], "'s"), "’s"))
		if months[first] != 0 && first != words[0] && len(words) > 1 {
			v = strings.Join(words[1:], " ") // "August's Poly Network"
			continue
		}
		ms := r.x.gaz.Find(v)
		if len(ms) == 0 || ms[0].Start != 0 || ms[0].Kind != graph.KindState || ms[0].End == len(v) {
			break
		}
		rest := v[ms[0].End:]
		if t, ok := strings.CutPrefix(rest, "'s "); ok {
			v = t
			continue
		}
		if t, ok := strings.CutPrefix(rest, "’s "); ok {
			v = t
			continue
		}
		// "Japanese exchange DMM Bitcoin": a people, what the victim is, its name.
		ws := strings.Fields(rest)
		i := 0
		for i < len(ws) && isLowerWord(ws[i]) {
			i++
		}
		if i == 0 || i == len(ws) {
			break
		}
		v = strings.Join(ws[i:], " ")
	}
	// "Harmony's Horizon bridge": the bridge of Harmony, one name.
	if i := strings.IndexAny(v, "'’"); i > 0 && i < len(v)-3 {
		v = strings.Replace(strings.Replace(v, "'s ", " ", 1), "’s ", " ", 1)
	}
	return cleanVictim(v)
}

// plainName reports whether a victim phrase has nothing victimName strips: no
// possessive, no "-based", and a first word that is neither a month nor a state's.
func plainName(v string) bool {
	if strings.ContainsAny(v, "'’") || strings.Contains(v, "-based") || strings.Contains(v, "-headquartered") {
		return false
	}
	first := v
	if i := strings.IndexByte(v, ' '); i >= 0 {
		first = v[:i]
	} else {
		return true
	}
	if len(first) <= 9 && months[asciiLower(first)] != 0 {
		return false
	}
	// A state's name or people opens the phrase: "Japanese exchange DMM Bitcoin".
	next := strings.TrimLeft(v[len(first):], " ")
	return next == "" || !('a' <= next[0] && next[0] <= 'z') && !stateOpens(first)
}

// stateOpens reports whether a word could open a state's name or people ("North",
// "Japanese"): a capitalised word the victim rules then look up.
func stateOpens(w string) bool {
	return strings.HasSuffix(w, "ese") || strings.HasSuffix(w, "ian") || strings.HasSuffix(w, "ean") || strings.HasSuffix(w, "ish") ||
		w == "North" || w == "South" || w == "United" || w == "U.S." || w == "U.K."
}

// targetNouns are what attacks on a state's people hit when they are cyber attacks.
var targetNouns = map[string]bool{"banks": true, "bank": true, "broadcasters": true, "companies": true, "firms": true,
	"exchanges": true, "grid": true, "grids": true, "utilities": true, "hospitals": true, "agencies": true, "ministries": true,
	"networks": true, "infrastructure": true, "telecoms": true, "carriers": true, "institutions": true, "systems": true,
	"servers": true, "websites": true, "targets": true, "organizations": true, "organisations": true, "businesses": true,
	"operators": true, "plants": true, "pipelines": true, "providers": true, "contractors": true, "media": true, "outlets": true}

// attackModifiers are the words that qualify an attack noun ("destructive malware
// attacks").
var attackModifiers = map[string]bool{"destructive": true, "malware": true, "ransomware": true, "wiper": true, "cyber": true,
	"coordinated": true, "disruptive": true, "damaging": true, "espionage": true, "phishing": true, "ddos": true, "hacking": true,
	"repeated": true, "major": true, "large-scale": true, "sophisticated": true, "state-sponsored": true, "crippling": true}

// andPhrase returns the length of " and broadcasters" when s goes on with "and" and a
// lower-case word, or 0.
func andPhrase(s string) int {
	t, ok := strings.CutPrefix(s, " and ")
	if !ok {
		return 0
	}
	w := t
	if i := strings.IndexAny(t, " ,;."); i >= 0 {
		w = t[:i]
	}
	if !isLowerWord(w) || objectStop[w] {
		return 0
	}
	return len(" and ") + len(w)
}

// modifiersBefore returns where the lower-case words that qualify the noun at p start
// ("destructive malware attacks"): at most three, none of them a determiner.
func modifiersBefore(text string, p int) int {
	start := p
	for range 3 {
		head := strings.TrimRight(text[:start], " ")
		if len(head) == len(text[:start]) {
			break
		}
		i := strings.LastIndexByte(head, ' ') + 1
		if w := head[i:]; !attackModifiers[w] {
			break
		}
		start = i
	}
	return start
}

// wholeWords returns end, moved back to the last space when the phrase text[start:end]
// stops inside a word ("U.S. de" of "U.S. defense").
func wholeWords(text string, start, end int) int {
	if end >= len(text) || !isWordByte(text[end]) {
		return end
	}
	if i := strings.LastIndexByte(text[start:end], ' '); i > 0 {
		return start + i
	}
	return end
}

// victimSurfaces returns how the sentence writes the incident whose victim stands at
// [start, end): "the 2014 hack of Sony Pictures Entertainment", "about $100 million from
// users of Atomic Wallet". Gold annotations and readers name incidents by such phrases.
func (r *run) victimSurfaces(st *sentenceState, start, end int) []string {
	text := st.text
	for end > start && strings.IndexByte(".,;:", text[end-1]) >= 0 && !abbreviationBefore(text, end-1) {
		end--
	}
	for _, w := range []string{" and", " of"} { // "Bangladesh Bank and the WannaCry outbreak"
		if strings.HasSuffix(text[start:end], w) {
			end -= len(w)
		}
	}
	var out []string
	nouns := st.all(theftNounRE)
	if i := strings.LastIndex(text[max(0, start-40):start], "hacking "); i >= 0 {
		i += max(0, start-40)
		nouns = append(slices.Clip(nouns), []int{i, i + len("hacking")}) // "the hacking of Microsoft Exchange"
	}
	// "the hacking of Microsoft Exchange email servers": what of the victim was hit.
	tail := end
	if obj := objectPhrase(text[end:]); obj != "" && strings.HasPrefix(text[end:], " ") {
		tail = end + strings.Index(text[end:], obj) + len(obj)
	}
	for _, n := range nouns {
		if n[1] > start || start-n[1] > 60 || !victimGapRE.MatchString(text[n[1]:start]) {
			continue
		}
		from := []int{n[0]}
		if a := anaphors(text, [][]int{n}); len(a) > 0 {
			from = append(from, a[0][0])
		} else if strings.HasSuffix(text[:n[0]], "the ") {
			from = append(from, n[0]-4)
		}
		for _, p := range []string{"last year's ", "last month's ", "last week's ", "this year's ", "last year’s ", "last month’s "} {
			if strings.HasSuffix(text[:n[0]], p) {
				from = append(from, n[0]-len(p)) // "last year's hack of Sony Pictures"
			}
		}
		for _, f := range from {
			// "his October 2022 raid on Mango Markets": the possessive is part of it.
			for _, p := range []string{"his ", "her ", "their ", "its "} {
				if strings.HasSuffix(text[:f], p) {
					out = append(out, text[f-len(p):end])
				}
			}
			out = append(out, text[f:end])
			if tail > end {
				out = append(out, text[f:tail])
			}
		}
	}
	for _, a := range st.amounts {
		if a.End > start || start-a.End > 60 || !strings.Contains(text[a.End:start], "from") || strings.ContainsAny(text[a.End:start], ";$") {
			continue
		}
		out = append(out, text[a.Start:end])
		if q := qualifierStart(text, a.Start); q < a.Start {
			out = append(out, text[q:end])
		}
	}
	return out
}

// qualifierStart returns where the words that qualify an amount at p start: "about",
// "some", "more than", "the roughly".
func qualifierStart(text string, p int) int {
	start := p
	for range 3 {
		head := strings.TrimRight(text[:start], " ")
		i := strings.LastIndexByte(head, ' ') + 1
		w := strings.ToLower(head[i:])
		if !amountQualifiers[w] || len(head) == len(text[:start]) {
			break
		}
		start = i
	}
	return start
}

var unitWords = map[string]bool{"unit": true, "division": true, "subsidiary": true, "business": true, "arm": true, "in": true, "on": true, "last": true, "and": true}

var amountQualifiers = map[string]bool{"about": true, "some": true, "roughly": true, "nearly": true, "around": true, "approximately": true,
	"almost": true, "over": true, "than": true, "more": true, "least": true, "at": true, "estimated": true, "an": true, "the": true, "up": true, "to": true}

// subjectVictim returns the victim a sentence opens with, named with what it is, when it
// says what the victim lost: "Indian cryptocurrency exchange WazirX lost more than $230
// million".
func (r *run) subjectVictim(st *sentenceState) (string, int, int) {
	// The description opens the sentence: its noun is among the first few words.
	if sw := st.index(); sw.trusted && (!descriptorWordSet.holds(sw, st.text) || !describedNameMay(st.text, min(len(st.text), 80))) {
		return "", 0, 0
	}
	if len(st.amounts) == 0 && !st.has(stolenCueRE) {
		return "", 0, 0
	}
	m := describedVictimRE.FindStringSubmatchIndex(st.text)
	if m == nil || !subjectLostRE.MatchString(st.text[m[3]:]) {
		return "", 0, 0
	}
	return st.text[m[2]:m[3]], m[2], m[3]
}

// anaphorOwner returns the incident an anaphor at [start, end) heads when the victim's
// name follows it: "the 2016 theft of $81 million from Bangladesh Bank".
func anaphorOwner(st *sentenceState, start, end int) *Entity {
	var best *incidentRef
	for i := range st.incidents {
		ref := &st.incidents[i]
		if ref.explicit && ref.start >= end && ref.start-end <= 60 && (best == nil || ref.start < best.start) && victimGapRE.MatchString(st.text[end:ref.start]) {
			best = ref
		}
	}
	if best == nil {
		return nil
	}
	return best.ent
}

// listedThefts attributes the incidents a sentence lists ("including $100 million from
// Atomic Wallet, $37.3 million from CoinsPaid") to whoever the sentence attributes one
// of them to: the list shares its head's culprit.
func (r *run) listedThefts(st *sentenceState) {
	inc := st.all(includingRE)
	if len(inc) == 0 {
		return
	}
	var listed []*Entity
	for _, ref := range st.incidents {
		if ref.explicit && ref.start > inc[0][1] && !strings.Contains(st.text[inc[0][1]:ref.start], ";") {
			listed = append(listed, ref.ent)
		}
	}
	if len(listed) < 2 {
		return
	}
	var agents []*Entity
	for _, rel := range r.relations {
		if rel.Type == "ATTRIBUTED_TO" && slices.Contains(listed, rel.fromEnt) && !slices.Contains(agents, rel.toEnt) &&
			slices.ContainsFunc(rel.support, func(sp support) bool { return sp.quote == st.text }) {
			agents = append(agents, rel.toEnt)
		}
	}
	for _, a := range agents {
		for _, e := range listed {
			r.relate("ATTRIBUTED_TO", e, a, st, st.text)
		}
	}
}

// attackersNamed reads who the attackers of the current incident were: "the attackers
// were the ALPHV ransomware gang".
func (r *run) attackersNamed(st *sentenceState) {
	if sw := st.index(); sw.trusted && sw.spaced &&
		attackersWereSet.nextIn(st.index(), st.text, 0) < 0 {
		return // single-spaced text without "attackers were" and the like holds no match
	}
	for _, c := range st.all(attackersWereRE) {
		m := firstMentionAt(st, c[1], 0)
		if m == nil || !isAgent(st, m) || st.negatedAt(c[0]) {
			continue
		}
		inc := r.current
		if len(st.incidents) > 0 {
			inc = st.incidents[0].ent
		}
		if e := r.ents[mentionKey(m)]; inc != nil && e != nil {
			r.relate("ATTRIBUTED_TO", inc, e, st, st.text)
		}
	}
}

// laterAgent reads the agent of "attributed the attack on JBS to REvil", whose cue
// stopped at the first "on": the next "to" or "on" of the clause may name it.
func (r *run) laterAgent(st *sentenceState, c []int) *Mention {
	text := st.text
	end := min(len(text), c[1]+120)
	if !strings.HasSuffix(strings.TrimRight(strings.TrimSuffix(strings.TrimRight(text[c[0]:c[1]], " "), "the"), " "), "to") &&
		!strings.HasSuffix(strings.TrimRight(strings.TrimSuffix(strings.TrimRight(text[c[0]:c[1]], " "), "the"), " "), "on") {
		return nil // not a cue that ends in "to" or "on"
	}
	for p := c[1]; p < end; {
		i := strings.Index(text[p:end], " to ")
		if i < 0 || strings.ContainsAny(text[p:p+i], ";") {
			return nil
		}
		p += i + len(" to ")
		if strings.HasPrefix(text[p:], "the ") {
			p += len("the ")
		}
		if m := agentAfter(st, p); m != nil && m.Start-p <= 1 {
			return m
		}
		if m := r.unknownAgent(st, p); m != nil {
			return m
		}
	}
	return nil
}

// personAt reads a person's name the reference cannot know right where a charge names
// who it is against: two to four capitalised words, then a comma or the charge's "of",
// "over", "for", "with" ("charged Park Jin Hyok, a North Korean programmer, over").
func (r *run) personAt(st *sentenceState, from, to int) *Mention {
	text := st.text
	n := capPhraseLen(text[from:to])
	if n <= 0 {
		return nil
	}
	name := strings.TrimRight(text[from:from+n], ".,")
	for _, w := range []string{" of", " and", " de"} { // "Avraham Eisenberg of fraud"
		name = strings.TrimSuffix(name, w)
	}
	words := strings.Fields(name)
	if len(words) < 2 || len(words) > 4 || notVictim[strings.ToLower(words[0])] || r.isKnownNonVictim(name, st) || r.x.gaz.Find(name) != nil {
		return nil
	}
	for _, w := range words {
		if nameWordLen(w) != len(w) {
			return nil // "of", an acronym, "Holdings": an organisation, not a person
		}
	}
	after := strings.TrimLeft(text[from+len(name):], " ")
	if !strings.HasPrefix(after, ",") && !strings.HasPrefix(after, "of ") && !strings.HasPrefix(after, "over ") &&
		!strings.HasPrefix(after, "for ") && !strings.HasPrefix(after, "with ") {
		return nil
	}
	e := r.entity("actor", name, name, text)
	e.ActorKind = graph.ActorIndividual
	k := &Known{Kind: graph.KindActor, Name: name, ActorKind: graph.ActorIndividual, Names: []string{name}}
	st.mentions = append(st.mentions, Mention{Kind: graph.KindActor, Name: name, Surface: name, Start: from, End: from + len(name), known: k})
	slices.SortFunc(st.mentions, func(a, b Mention) int { return cmp.Compare(a.Start, b.Start) })
	for i := range st.mentions {
		if st.mentions[i].Start == from && st.mentions[i].Name == name {
			return &st.mentions[i]
		}
	}
	return nil
}

// appositiveActor returns the actor an agent mention is restated as: "Russia's Foreign
// Intelligence Service, the SVR," names the SVR.
func appositiveActor(st *sentenceState, m *Mention) *Mention {
	if m == nil {
		return nil
	}
	for i := range st.mentions {
		a := &st.mentions[i]
		if a.Start < m.End {
			continue
		}
		if a.Kind == graph.KindActor && a.Start-m.End <= 80 && possApposRE.MatchString(st.text[m.End:a.Start]) {
			return a
		}
		return nil
	}
	return nil
}

// sufferer returns the organisation a sentence opens with: the claimant, or the
// capitalised phrase it starts with ("Radiant Capital, a cross-chain lending protocol,
// says ...").
func (r *run) sufferer(st *sentenceState) (string, int, int) {
	if st.claimant != "" {
		if i := strings.Index(st.text, st.claimant); i >= 0 {
			return st.claimant, i, i + len(st.claimant)
		}
	}
	if ps := capPhrases(st.text); len(ps) > 0 && ps[0][0] == 0 && ps[0][1] < len(st.text) && st.text[ps[0][1]] == ',' {
		return st.text[:ps[0][1]], 0, ps[0][1]
	}
	return "", 0, 0
}

// listedVictims reads the thefts a sentence lists after "including": "including $100
// million from Atomic Wallet, $37.3 million from CoinsPaid and $60 million from
// Alphapo", each an incident of its victim.
func (r *run) listedVictims(st *sentenceState, victim func(v string, start, end int) *Entity) {
	inc := st.all(includingRE)
	if len(inc) == 0 || len(st.amounts) < 2 || !st.has(stolenCueRE) {
		return
	}
	for _, m := range capPhrases(st.text) {
		if m[0] < inc[0][1] {
			continue
		}
		window := st.text[max(inc[0][1], m[0]-80):m[0]]
		if !amountFromRE.MatchString(window) {
			continue
		}
		end := wholeWords(st.text, m[0], m[1])
		if e := victim(st.text[m[0]:end], m[0], end); e != nil {
			for _, s := range r.victimSurfaces(st, m[0], end) {
				e.Mentions = appendUnique(e.Mentions, s)
			}
		}
	}
}

// listTotal reports whether an amount heads a list of thefts ("stolen about $240
// million ..., including $100 million from Atomic Wallet"): the total of the list, no
// one theft's.
func listTotal(st *sentenceState, a Amount) bool {
	for _, c := range st.all(includingRE) {
		if c[0] >= a.End {
			for _, ref := range st.incidents {
				if ref.explicit && ref.start > c[0] {
					return true
				}
			}
		}
	}
	return false
}

// hallmarks attributes an incident to whom its traces point: "the attack bore the
// hallmarks of North Korean hackers", hedged by its words.
func (r *run) hallmarks(st *sentenceState) {
	for _, c := range st.all(hallmarksRE) {
		m := firstMentionAt(st, c[1], 12)
		if m == nil || !isAgent(st, m) || st.negatedAt(c[0]) {
			continue
		}
		// "the hallmarks of North Korea's Lazarus Group" point to the group.
		if i := slices.IndexFunc(st.mentions, func(o Mention) bool { return o.Start == m.Start }); m.Kind == graph.KindState && qualifiesActor(st, i) {
			m = &st.mentions[i+1]
		}
		if inc := governedIncident(st.text, st.incidents, c[0], true, clauseNamesIncident(st, c[0])); inc != nil {
			r.relate("ATTRIBUTED_TO", inc, r.ents[mentionKey(m)], st, st.text)
		}
	}
}

// namedAffiliations ties a group to the state that describes it when the text names the
// group after the description ("a North Korean group it tracks as TraderTraitor", "a
// North Korean government-sponsored hacking team that researchers call the Lazarus
// Group"), before it ("Kimsuky, a North Korean cyber espionage unit"), or as the home
// of its hackers ("North Korean hackers from the Lazarus Group", who then act for their
// state too).
func (r *run) namedAffiliations(st *sentenceState) {
	text := st.text
	if st.negated() {
		return
	}
	for i := range st.mentions {
		s := &st.mentions[i]
		if s.Kind != graph.KindState || !groupWordAfter(text[s.End:]) || !stateAsPolity(text, s) {
			continue
		}
		after := text[s.End:]
		if g := describedGroupRE.FindStringIndex(after); g != nil {
			// "... group it tracks as TraderTraitor"
			rest := after[g[1]:min(len(after), g[1]+70)]
			if n := namingRE.FindStringIndex(rest); n != nil && !strings.ContainsAny(rest[:n[0]], ",;.") {
				if a := firstMentionAt(st, s.End+g[1]+n[1], 0); a != nil && a.Kind == graph.KindActor {
					r.relate("AFFILIATED_WITH", r.ents[mentionKey(a)], r.ents[mentionKey(s)], st, text)
				}
			}
			// "Kimsuky, a North Korean cyber espionage unit"
			if i > 0 {
				a := &st.mentions[i-1]
				if a.Kind == graph.KindActor && actorAppositionRE.MatchString(text[a.End:s.Start]) {
					r.relate("AFFILIATED_WITH", r.ents[mentionKey(a)], r.ents[mentionKey(s)], st, text)
				}
			}
		}
		// "North Korean hackers from the Lazarus Group"
		if h := demonymAgentRE.FindStringIndex(after); h != nil {
			if f := hackersFromRE.FindStringIndex(after[h[1]:]); f != nil {
				if a := firstMentionAt(st, s.End+h[1]+f[1], 0); a != nil && a.Kind == graph.KindActor {
					group, state := r.ents[mentionKey(a)], r.ents[mentionKey(s)]
					r.relate("AFFILIATED_WITH", group, state, st, text)
					for _, rel := range r.relations {
						if rel.Type == "ATTRIBUTED_TO" && rel.toEnt == group && slices.ContainsFunc(rel.support, func(sp support) bool { return sp.quote == text }) {
							r.relate("ATTRIBUTED_TO", rel.fromEnt, state, st, text)
						}
					}
				}
			}
		}
	}
	// "Russia's Foreign Intelligence Service, the SVR": the restated agency is the state's.
	for i := range st.mentions {
		s := &st.mentions[i]
		if s.Kind == graph.KindState {
			if a := appositiveActor(st, s); a != nil {
				r.relate("AFFILIATED_WITH", r.ents[mentionKey(a)], r.ents[mentionKey(s)], st, text)
			}
		}
	}
	// "the Reconnaissance General Bureau, North Korea's main military intelligence agency"
	for i := 0; i+1 < len(st.mentions); i++ {
		a, s := &st.mentions[i], &st.mentions[i+1]
		if a.Kind == graph.KindActor && s.Kind == graph.KindState && commaGapRE.MatchString(text[a.End:s.Start]) && stateAgencyRE.MatchString(text[s.End:]) {
			r.relate("AFFILIATED_WITH", r.ents[mentionKey(a)], r.ents[mentionKey(s)], st, text)
		}
	}
	// "U.S. officials have long tied Lazarus to North Korea's Reconnaissance General Bureau"
	for _, c := range st.all(activeLinkRE) {
		a := firstMentionAt(st, c[1], 0)
		if a == nil || a.Kind != graph.KindActor {
			continue
		}
		t := linkToRE.FindStringIndex(text[a.End:])
		if t == nil {
			continue
		}
		b := firstMentionAt(st, a.End+t[1], 0)
		for b != nil && b.Kind == graph.KindState {
			gap := possessiveGapRE.FindString(text[b.End:])
			if gap == "" {
				break
			}
			next := firstMentionAt(st, b.End+len(gap), 0)
			if next == nil {
				break
			}
			b = next
		}
		if b != nil && b.Name != a.Name && (b.Kind == graph.KindActor || b.Kind == graph.KindState) {
			r.relate("AFFILIATED_WITH", r.ents[mentionKey(a)], r.ents[mentionKey(b)], st, text)
		}
	}
	// "Volt Typhoon, a state-sponsored hacking group based in China"
	for _, m := range st.all(sponsoredBasedRE) {
		a := lastMentionBefore(st, m[0])
		s := firstMentionAt(st, m[1], 0)
		if a != nil && s != nil && a.Kind == graph.KindActor && s.Kind == graph.KindState && m[0]-a.End <= 4 {
			r.relate("AFFILIATED_WITH", r.ents[mentionKey(a)], r.ents[mentionKey(s)], st, text)
		}
	}
}

// sponsorWordAfter reports whether sponsoredHackRE may match s: it opens with a hyphen,
// or with white space and "state", "government", "regime" or "military".
func sponsorWordAfter(s string) bool {
	if strings.HasPrefix(s, "-") {
		return true
	}
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\f' || s[i] == '\r') {
		i++
	}
	if i == 0 || !trusted(s[i:min(len(s), i+12)]) {
		return i > 0
	}
	for _, w := range []string{"state", "government", "regime", "military"} {
		if hasPrefixFold(s[i:], w) {
			return true
		}
	}
	return false
}

// groupWordSet holds the words describedGroupRE and demonymAgentRE may go on with after a
// state: what namedAffiliations reads.
var groupWordSet = newWordSet([]string{"state", "government", "regime", "threat", "hack", "apt", "espionage", "cyber", "military",
	"intelligence", "actor", "group", "crew", "gang", "team", "outfit", "collective", "unit", "operative", "attacker", "it ",
	"advanced", "spy", "agent"})

// groupWordAfter reports whether the word after a state mention may start a group's
// description ("state-sponsored", "hacking group", "cyber actors").
func groupWordAfter(s string) bool {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '-') {
		i++
	}
	if i == 0 || i == len(s) {
		return false
	}
	return !trusted(s[:min(len(s), i+16)]) || groupWordSet.at(s, i)
}

func lastMentionBefore(st *sentenceState, pos int) *Mention {
	var out *Mention
	for i := range st.mentions {
		if st.mentions[i].End <= pos {
			out = &st.mentions[i]
		}
	}
	return out
}

// describesGroup reports whether the cue at p ends a relative clause about a group: "a
// group it links to", "the crew that researchers tie to".
func describesGroup(text string, p int) bool {
	return groupClauseRE.MatchString(text[max(0, p-50):p])
}

// attempted reports whether the amount at p is only what someone tried to take: "tried
// to steal $951 million".
func attempted(text string, p int) bool {
	return attemptRE.MatchString(text[max(0, p-60):p])
}

var (
	// What stands between a theft noun and its victim: " of $81 million from ", " on ".
	victimGapRE   = newCue(`(?i)^\s+(?:(?:of|on|at|against|targeting|into)\s+|(?:(?:of\s+)?(?:about\s+|some\s+|roughly\s+|nearly\s+|more than\s+|over\s+)?[$€£¥]?[\d.,]+\s*(?:billion|million|bn|m|k)?(?:\s+[\w$.-]+){0,3}\s+from\s+))(?:the\s+)?(?-i:[a-z][\w-]*\s+){0,4}$`)
	itSufferedRE  = newCue(`(?i)\b(?:hack|heist|theft|breach|attack|exploit|incident)s?\s+(?:that\s+)?(?:it|they)\s+(?:suffered|sustained|experienced|endured)\b`)
	subjectLostRE = newCue(`(?i)^\s+(?:,[^,]{0,80},\s+)?(?:has\s+|had\s+|have\s+)?(?:lost|suffered|was hit by|were hit by|fell victim to)\b`)
	hallmarksRE   = newCue(`(?i)\b(?:bore|bears?|carried|carries|had|has|showed|shows)\s+(?:all\s+)?(?:the\s+)?(?:hallmarks|signs|fingerprints|signature|trademarks)\s+of\s+`)
	// ", a " or " is a " between an actor and the state that describes it.
	actorAppositionRE = newCue(`^\s*(?:\([^)]*\)\s*)?(?:,\s*|\s+(?:is|was|remains)\s+(?:(?:believed|thought|said|known)\s+to\s+be\s+)?)(?:a|an|the|another)\s+$`)
	hackersFromRE     = newCue(`(?i)^\s+(?:from|of|in|within|belonging to|known as|dubbed|called|tracked as)\s+(?:the\s+)?`)
	sponsoredBasedRE  = newCue(`(?i),\s+(?:a|an)\s+(?:state|government)[- ](?:sponsored|backed)\s+(?:(?:hacking|hacker|threat|cyber|espionage|apt)\s+)*(?:group|actor|crew|team|unit)\s+(?:based in|operating (?:out of|from)|located in)\s+(?:the\s+)?`)
	groupClauseRE     = newCue(`(?i)\b(?:group|actor|unit|team|cluster|gang|crew|outfit|collective)\s+(?:that\s+|which\s+|whom\s+)?(?:(?:it|they|we|he|she|researchers|analysts|investigators|officials|the\s+\w+|(?-i:[A-Z][\w-]*))\s+)?(?:has\s+|have\s+|had\s+)?(?:also\s+|long\s+|previously\s+)?$`)
	stateBodyRE       = newCue(`(?i)^\s+(?:government|regime|leadership|authorities|state)\b`)
	behindRE          = newCue(`(?i)^\s+(?:is|was|were|are|has been|had been)\s+(?:(?:likely|probably|almost certainly|most likely|believed to be|thought to be|also|ultimately|directly)\s+)?(?:behind|responsible for)\s+`)
	attackersWereRE   = newCue(`(?i)\b(?:attackers|hackers|perpetrators|culprits|thieves|intruders)\s+(?:were|was|are|is)\s+(?:(?:likely|probably|possibly|almost certainly|in fact|actually)\s+)?(?:the\s+)?`)
	activeLinkRE      = newCue(`(?i)\b(?:linked|tied|connected|attributed|pinned)\s+(?:the\s+)?`)
	linkToRE          = newCue(`(?i)^\s+to\s+(?:(?:the|a|several|two|three|four|five|many|multiple|other|more|further|recent|earlier|prior)\s+)*`)
	includingRE       = newCue(`(?i)\b(?:including|included|such as|among them|among which)\b`)
	amountFromRE      = newCue(`\d(?:\s*(?:billion|million|bn|m|k))?(?:\s+(?:in|worth of)\s+[\w$.-]+)?\s+from\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,4}$`)
	possApposRE       = newCue(`^['’]s\s+(?:[A-Z][\w-]*\s+){0,3}[A-Z][\w-]*,\s+(?:the\s+)?$`)
	commaGapRE        = newCue(`^\s*,\s+$`)
	stateAgencyRE     = newCue(`(?i)^['’]s\s+(?:(?:main|chief|top|primary|principal|military|foreign|intelligence|spy|security|premier|leading|civilian|domestic)\s+)*(?:agency|service|organization|organisation|directorate|bureau)\b`)
	fromGapRE         = newCue(`^\s+(?:in\s+[\w$.-]+\s+)?from\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,4}$`)
	paidRansomRE      = newCue(`(?i)\bpaid\s+(?:(?:about|roughly|nearly|some|approximately|around|more\s+than|almost)\s+)?[$€£]?[\d.,]+(?:\s+(?:million|thousand|billion))?\s+(?:(?:in|of)\s+(?:bitcoin|cryptocurrency|crypto|monero)|(?:as\s+(?:a\s+)?|in\s+)ransom)\b`)
	takenRE           = newCue(`(?i)\b(?:stolen|stole|taken|took|drained|draining|siphoned|looted|losses|lost|` + movedOutExpr + `)\b`)
	anotherTheftRE    = newCue(`(?i)\b(?:surpass\w*|dwarf\w*|topp\w*|exceed\w*|eclips\w*|larger than|bigger than|more than the|compared with|compared to|previous|earlier|prior|another|other|record)\b`)
	deedsRE           = newCue(`(?i)\b(?:cyberattacks?|cyber-attacks?|attacks?|hacks?|thefts?|heists?|intrusions?|breach(?:es)?|incidents?|operations?|campaigns?)\b`)
	withRansomwareRE  = newCue(`(?i)\b(?:hack|attack|target|infect|extort|encrypt|hit|cripple)\w*\s+(?:[\w.&'’-]+\s+){1,4}?with\s+(?:the\s+)?((?-i:[A-Z][\w-]*))\s+ransomware\b`)
	strainCalledRE    = newCue(`(?i)\b(used|using|deployed|deploying|launched|unleashed)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:ransomware|malware|wiper|worm)(?:\s+(?:strain|family|variant|tool|program))?\s+(?:called|named|dubbed|known as)\s+((?-i:[A-Z][\w-]*))`)
	whatCalledRE      = newCue(`(?i)\bwhat\s+(?:[\w'’-]+\s+){0,5}?(?:called|calls|described as|describes as|dubbed|termed)\s+((?:the|a|an)\s+((?:[\w'’-]+\s+){0,4}?(?:hack|attack|breach|intrusion|heist|theft|cyberattack)s?)(?:\s+(?:in|of|on)\s+(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,2})?)`)
	crippledRE        = newCue(`(?i)\b(?:hackers|attackers|intruders|cybercriminals|the gang)\s+(?:\w+\s+)?(?:crippled|paralysed|paralyzed|disrupted|knocked out|shut down|encrypted)\s+(?:its|their|the|a|an)?\s*(?-i:[a-z][\w-]*\s+){0,3}`)
	brokeIntoRE       = newCue(`(?i)^\s+(?:has\s+|have\s+|had\s+)?(?:been\s+)?(?:quietly\s+|repeatedly\s+|also\s+)?(?:broke|broken|breaking)\s+into\b`)
	attacksOnRE       = newCue(`(?i)\b(?:attacks?|hacks?|intrusions?|breach(?:es)?|cyberattacks?|cyber-attacks?)(\s+(?:on|against|targeting|into)\s+(?:the\s+)?)`)
	attemptRE         = newCue(`(?i)\b(?:tried|attempted|sought|attempting|trying|plotted|planned|intended)\s+to\s+(?:steal|take|siphon|transfer|move|withdraw|drain|pilfer)\s+(?:about\s+|nearly\s+|almost\s+|some\s+|roughly\s+|around\s+|more than\s+|over\s+|up to\s+)?$`)
)

// campaignRE is what a group has been doing for a while, the way advisories open: "has
// been quietly breaking into critical infrastructure organizations", "has been posing as
// journalists".
var campaignRE = newCue(`(?i)\b(?:has|have)\s+been\s+(?:\w+ly\s+)?(?:breaking\s+into|hacking\s+into|infiltrating|targeting|spying\s+on|posing\s+as|impersonating|compromising|stealing\s+from)\b`)

// campaign reads an ongoing campaign that a document opens with: "Microsoft said that
// Volt Typhoon, a state-sponsored hacking group based in China, has been quietly breaking
// into critical infrastructure organizations". The group is the subject: the sentence's
// first actor, opening it or its reported clause, and no other actor stands before the
// verb. Only in a document's first two sentences and before any other incident: later, a
// group's habits ("Lazarus Group has been targeting exchanges") are background to the
// incident the document tells of.
func (r *run) campaign(st *sentenceState, add func(*Entity, int, int, bool)) {
	if r.at > 1 || r.current != nil || !st.has(campaignRE) {
		return
	}
	var subj *Mention
	for i := range st.mentions {
		m := &st.mentions[i]
		if m.Kind != graph.KindActor {
			continue
		}
		if subj == nil {
			if before := st.text[:m.Start]; !blank(before) && !saidBeforeRE.MatchString(before) {
				return
			}
			subj = m
		} else if m.Name != subj.Name {
			return // another group: whose the verb is, is not sure
		}
		i := slices.IndexFunc(st.all(campaignRE), func(c []int) bool {
			if slices.ContainsFunc(st.mentions, func(o Mention) bool {
				return o.Kind == graph.KindActor && o.Name != subj.Name && o.Start >= m.End && o.End <= c[0]
			}) {
				return false // "Lazarus Group, which shares tools with APT38, has been"
			}
			gap := st.text[m.End:c[0]]
			if loc := appositive(gap); loc != nil {
				gap = gap[loc[1]:] // "Volt Typhoon, a state-sponsored hacking group based in China, has been"
			}
			return strings.TrimLeft(gap, ", ") == ""
		})
		if i < 0 {
			continue
		}
		if st.negatedAt(m.End) {
			return
		}
		inc := r.entity("incident", subj.Name+" campaign", "", st.text)
		inc.IncidentKind = cmp.Or(inc.IncidentKind, graph.IncidentOther)
		add(inc, subj.Start, st.all(campaignRE)[i][1], true)
		r.relate("ATTRIBUTED_TO", inc, r.ents[mentionKey(subj)], st, st.text)
		return
	}
}

// amongRE follows a list of victims: "among the carriers that were breached", "were
// among the victims". A noun that says nothing of harm needs the clause that does.
var amongRE = newCue(`(?i)\s+(?:(?:were|was|are|is)\s+)?among\s+the\s+(?:[\w-]+\s+){0,2}?(?:(?:victims|targets)\b|(?:companies|carriers|firms|organi[sz]ations|banks|exchanges|providers|operators|utilities|agencies|hospitals)\s+(?:that|which)\s+(?:were|had\s+been|have\s+been)\s+(?:breached|hacked|compromised|hit|targeted|attacked|affected)\b)`)

// amongVictims reads "Earlier reporting named AT&T, Verizon and Lumen Technologies among
// the carriers that were breached": each name of the list right before is a victim of
// the incident the document tells of, when the sentence names none of its own.
func (r *run) amongVictims(st *sentenceState) {
	if r.current == nil || len(st.incidents) > 0 || !st.has(amongRE) || st.negated() {
		return
	}
	text := st.text
	loc := st.all(amongRE)[0]
	phrases := capPhrases(text)
	end := loc[0]
	for i := len(phrases) - 1; i >= 0; i-- {
		m := phrases[i]
		if m[1] > end {
			continue
		}
		if m[1] != end && !listSepRE.MatchString(text[m[1]:end]) || m[1] != end && len(listSepRE.FindString(text[m[1]:end])) != end-m[1] {
			break
		}
		for _, name := range strings.Split(text[m[0]:m[1]], " and ") { // "Verizon and Lumen Technologies"
			victim := cleanVictim(name)
			if victim == "" || r.isKnownNonVictim(victim, st) {
				return
			}
			org := r.entity("organization", victim, victim, text)
			org.Role = "victim"
			r.relate("TARGETED", r.current, org, st, text)
		}
		end = m[0]
	}
}

// noteNamedIncidents remembers the incidents known by a name of their own, the malware
// they spread ("WannaCry", "NotPetya"), so that a later sentence that names one refers
// to it: "WannaCry was highly likely linked to the Lazarus Group".
func (r *run) noteNamedIncidents(st *sentenceState) {
	for _, ref := range st.incidents {
		e := ref.ent
		if !slices.Contains(r.named, e) && slices.Contains(e.Mentions, e.Name) && len(e.Name) >= 4 && 'A' <= e.Name[0] && e.Name[0] <= 'Z' && !strings.Contains(ownName(e), " ") {
			r.named = append(r.named, e)
		}
	}
}

// ownName is the name a named incident is referred to by: "WannaCry 2.0" is also
// "WannaCry", the malware without its version.
func ownName(e *Entity) string {
	if base, version, ok := strings.Cut(e.Name, " "); ok && version != "" && strings.Trim(version, "0123456789.") == "" && version[0] != '.' {
		return base
	}
	return e.Name
}

// namesIncident reports whether text names an incident known by its own name.
func (r *run) namesIncident(text string) bool {
	for _, e := range r.named {
		name := ownName(e)
		if i := strings.Index(text, name); i >= 0 && boundary(text, i, i+len(name)) {
			return true
		}
	}
	return false
}

// namedIncidentRefs adds the incidents the sentence names by their own name (see
// ownName), a version after it included.
func (r *run) namedIncidentRefs(st *sentenceState, add func(*Entity, int, int, bool)) {
	for _, e := range r.named {
		name := ownName(e)
		if i := strings.Index(st.text, name); i >= 0 && boundary(st.text, i, i+len(name)) {
			end := i + len(name)
			if strings.HasPrefix(st.text[i:], e.Name) && boundary(st.text, i, i+len(e.Name)) {
				end = i + len(e.Name)
			}
			add(e, i, end, true)
		}
	}
}

// datedName returns an incident's name in the form the annotated sets and the graph's
// readers use to tell incidents of the same victim apart, "Upbit hack (2019)" or
// "Radiant Capital hack (October 2024)", or "" when its date is unknown or already in it.
func datedName(e *Entity) string {
	if !e.dated || len(e.Date) < 4 || strings.Contains(e.Name, e.Date[:4]) || strings.HasSuffix(e.Name, ")") {
		return ""
	}
	if len(e.Date) >= 7 {
		if m, err := strconv.Atoi(e.Date[5:7]); err == nil && m >= 1 && m <= 12 {
			return e.Name + " (" + time.Month(m).String() + " " + e.Date[:4] + ")"
		}
	}
	return e.Name + " (" + e.Date[:4] + ")"
}

// stolenFromCurrent returns the incident the document is about when a sentence that
// names none says what was taken in it: "The stolen bitcoin was worth 48.2 billion
// yen", "about $70 million was taken from its hot wallets". Nil when the sentence names
// a victim or an actor of its own, or sums up many thefts.
func (r *run) stolenFromCurrent(st *sentenceState) *Entity {
	if r.current == nil || len(st.amounts) == 0 || st.has(aggregateRE) || st.negated() {
		return nil
	}
	// "the hospital paid roughly $100,000 in bitcoin": a ransom, in a ransomware attack.
	if !st.has(takenRE) && !(r.current.IncidentKind == graph.IncidentRansomware && st.has(paidRansomRE)) {
		return nil
	}
	for _, m := range st.mentions {
		if m.Kind != graph.KindActor && m.Kind != graph.KindState && m.Kind != graph.KindOrganization {
			continue
		}
		// The incident's own victim, its speaker, and who is known to have done it
		// ("Bybit's chief executive said the attackers moved 400,000 ETH") are no
		// other incident's.
		if m.Kind == graph.KindOrganization && (incidentOf(r.current, m.Name) || m.Name == st.claimant) || r.attributedTo(r.current, m.Name) {
			continue
		}
		return nil
	}
	if st.has(anotherTheftRE) {
		return nil // "the roughly 48 billion yen that vanished in the 2014 collapse of Mt. Gox"
	}
	// "Phemex said hackers had drained $70 million from its hot wallets": "its" is a
	// name the sentence gives that is not the incident's.
	if st.has(fromItsRE) {
		for _, m := range capPhrases(st.text) {
			if v := cleanVictim(st.text[m[0]:m[1]]); v != "" && !incidentOf(r.current, v) && !r.isKnownNonVictim(v, st) {
				return nil
			}
		}
	}
	return r.current
}

// attributedTo reports whether the document attributes inc to the actor or state name.
func (r *run) attributedTo(inc *Entity, name string) bool {
	for _, rel := range r.relations {
		if rel.Type == "ATTRIBUTED_TO" && rel.fromEnt == inc && rel.toEnt.Name == name {
			return true
		}
	}
	return false
}

// nearestRef returns the incident whose reference stands nearest the span [start, end).
func nearestRef(refs []incidentRef, start, end int) *Entity {
	var best *Entity
	dist := 1 << 30
	for _, ref := range refs {
		d := 0
		switch {
		case ref.end <= start:
			d = start - ref.end
		case ref.start >= end:
			d = ref.start - end
		}
		if d < dist {
			best, dist = ref.ent, d
		}
	}
	return best
}

// comparisonOnly reports whether all a sentence negates is a comparison ("Unlike the
// Ronin theft, which authorities pinned on North Korea's Lazarus Group, the Mango
// exploit ..."): who a group belongs to is not what it scopes away.
func comparisonOnly(st *sentenceState) bool {
	for _, m := range st.all(negationRE) {
		if !strings.EqualFold(st.text[m[0]:m[1]], "unlike") {
			return false
		}
	}
	return true
}

var ransomWordSet = newWordSet([]string{"ransom"})

// descriptorWordSet holds the nouns describedVictimRE names a victim with.
var (
	descriptorWords = []string{"protocol", "exchange", "platform", "bridge", "provider", "firm", "company", "bank",
		"wallet", "marketplace", "project", "network", "lender", "developer"}
	descriptorWordSet = newWordSet(descriptorWords)
)

// describedNameMay reports whether describedVictimRE may match s: one of its nouns
// (descriptorWordSet) starts before head, whole, then white space and the start of a
// name it takes (a capital letter, or lower-case letters then a capital: "eBay").
// TestDescribedNameMayGatesDescribedVictim pins it to the expression.
func describedNameMay(s string, head int) bool {
	for p := descriptorWordSet.next(s[:head], 0); p >= 0; p = descriptorWordSet.next(s[:head], p+1) {
		e := p
		for e < len(s) && 'a' <= s[e] && s[e] <= 'z' {
			e++
		}
		if !slices.Contains(descriptorWords, s[p:e]) || e == len(s) || !reSpace(s[e]) {
			continue
		}
		for e < len(s) && reSpace(s[e]) {
			e++
		}
		for e < len(s) && 'a' <= s[e] && s[e] <= 'z' {
			e++
		}
		if e < len(s) && 'A' <= s[e] && s[e] <= 'Z' {
			return true
		}
	}
	return false
}

// ransomPayer reports whether the capitalised phrase at [start, end) paid a ransom: "the
// ransom Colonial Pipeline paid", "Colonial paid 75 bitcoin ... after a ransomware
// attack", "UnitedHealth paid a $22 million ransom". The payer is the victim.
func ransomPayer(text string, start, end int) bool {
	before := strings.ToLower(text[max(0, start-14):start])
	after := text[end:]
	if !strings.HasPrefix(after, " paid") && !strings.HasPrefix(after, " has paid") && !strings.HasPrefix(after, " had paid") {
		return false
	}
	if strings.HasSuffix(before, "ransom ") || strings.HasSuffix(before, "ransom that ") {
		return true
	}
	return strings.Contains(strings.ToLower(after[:min(len(after), 80)]), "ransom")
}

// ransomPaid reports whether an amount is what a ransomware incident's victim paid:
// "Colonial paid 75 bitcoin". Ransom paid is money the attackers obtained.
func ransomPaid(text string, a Amount, inc *Entity) bool {
	if inc == nil || inc.IncidentKind != graph.IncidentRansomware {
		return false
	}
	before := strings.TrimRight(text[max(0, a.Start-20):a.Start], " ")
	for _, q := range []string{"about", "roughly", "nearly", "around", "some", "a", "approximately"} {
		before = strings.TrimRight(strings.TrimSuffix(before, " "+q), " ")
	}
	return strings.HasSuffix(before, " paid") || strings.HasSuffix(before, " pay")
}

// newWordSet is newLitSet for words that must start a word, as the expressions they
// gate require (\b): with a sentence's word starts, a scan tries only those.
func newWordSet(words []string) *litSet {
	l := newLitSet(words)
	l.wordStart = true
	return l
}
