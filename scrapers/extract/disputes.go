package extract

import (
	"slices"
	"strings"

	"github.com/cyberkg/cyberkg/graph"
)

// An attribution a sentence states is still no attribution when the sentence asks it,
// supposes it, says it was given up or reports it as a claim others rejected. These are
// read once for every ATTRIBUTED_TO, whatever rule found it (see relate), in the clause
// of the agent or of the incident: "Lazarus Group has stolen billions, but investigators
// have not linked it to the Kroner hack" negates the incident's clause only.
var (
	// "whether North Korea was responsible", "if Lazarus was behind it, ...".
	openQuestionRE = newCue(`(?i)\b(?:whether|if)\b`)
	// "was initially blamed on X, but": an attribution given up.
	supersededRE = newCue(`(?i)\b(?:initially|originally|at first|wrongly|mistakenly|falsely|erroneously|prematurely)\s+(?:been\s+)?(?:blamed|attributed|linked|tied|pinned|traced|accused|suspected|thought)\b`)
	// "blamed by Kyiv for ...": after a bare accusing verb, "by" names the accuser.
	accuserByRE = newCue(`^\s+by\b`)
	// "accused of many attacks, though not of the Kroner hack": the incident is set apart.
	butNotRE = newCue(`(?i)\b(?:though|although|but|yet)\s+not\b`)
	// "the FBI has not confirmed it": who does not say a thing is not its claimant.
	unsaidRE = newCue(`(?i)\b(?:not|never|declined|refused|yet to)\b|n['’]t\b`)
	// "..., a claim investigators rejected", "which officials dismissed".
	rejectedClaimRE = newCue(`(?i)\b(?:(?:a|an|the|that|this|those|these|such)\s+(?:claims?|accusations?|allegations?|assertions?|theory|theories|suggestions?|reports?|attributions?)|which)\b[^.;]{0,60}?\b(?:rejected|dismissed|disputed|refuted|debunked|discounted|disproved|contradicted|denied|retracted|withdrew|withdrawn)\b`)
)

// clauseAround returns the bounds of the clause that holds pos: clauses split at
// semicolons and at ", but", ", which", ", while" and the like (clauseBreakRE).
func (st *sentenceState) clauseAround(pos int) (start, end int) {
	start, end = 0, len(st.text)
	for _, b := range st.all(clauseBreakRE) {
		if b[1] <= pos {
			start = b[1]
		} else if b[0] >= pos && b[0] < end {
			end = b[0]
		}
	}
	return start, end
}

// disputed reports whether the sentence takes back the attribution of inc to agent.
func (r *run) disputed(st *sentenceState, inc, agent *Entity) bool {
	asked, negated := st.has(openQuestionRE), st.negated() || st.has(butNotRE)
	superseded, rejected := st.all(supersededRE), st.all(rejectedClaimRE)
	if !asked && !negated && len(superseded) == 0 && len(rejected) == 0 {
		return false // most sentences: nothing here takes anything back
	}
	agents := r.positionsOf(st, agent)
	if len(agents) > 0 && allOf(agents, func(p int) bool {
		start, _ := st.clauseAround(p)
		return asked && openQuestionRE.MatchString(st.text[start:p])
	}) {
		return true // asked or supposed, not said
	}
	var incidents []int
	for _, ref := range st.incidents {
		if ref.ent == inc {
			incidents = append(incidents, ref.start)
		}
	}
	if len(incidents) > 0 && negated && allOf(incidents, func(p int) bool {
		// "Unlike the Ronin theft, which U.S. authorities pinned on Lazarus": a
		// comparison sets the incident apart from the rest, it negates nothing of it.
		start, end := st.clauseAround(p)
		if r.namesOtherAgent(st, start, end, agent) {
			return false // "Russian hackers were not involved in the attack, which the FBI attributed to DarkSide"
		}
		if butNotRE.MatchString(st.text[start:end]) {
			return true
		}
		return slices.ContainsFunc(negationRE.FindAllString(st.text[start:end], -1), func(w string) bool { return !strings.EqualFold(w, "unlike") })
	}) {
		return true
	}
	for _, m := range superseded {
		start, end := st.clauseAround(m[0])
		if len(agents) == 0 || slices.ContainsFunc(agents, func(p int) bool { return start <= p && p < end }) {
			return true
		}
	}
	for _, m := range rejected {
		// "a claim North Korea denied" is the accused speaking: the claim stands.
		if !slices.ContainsFunc(agents, func(p int) bool { return m[0] <= p && p < m[1] }) {
			return true
		}
	}
	return false
}

// positionsOf returns where the sentence names an agent entity: its mentions, or where
// one of its surfaces stands when no mention was kept for it ("Russian military
// intelligence officers" acting for Russia).
func (r *run) positionsOf(st *sentenceState, e *Entity) []int {
	var out []int
	for i := range st.mentions {
		if m := &st.mentions[i]; mentionOf(m, e) {
			out = append(out, m.Start)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, s := range e.Mentions {
		if i := strings.Index(st.text, s); s != "" && i >= 0 {
			out = append(out, i)
		}
	}
	return out
}

func allOf(ps []int, f func(int) bool) bool {
	for _, p := range ps {
		if !f(p) {
			return false
		}
	}
	return true
}

// says reports whether a speech verb follows (verb is matched against what follows a
// name) and says something: "the FBI has not confirmed it" makes no claimant.
func says(verb *cue, after string) bool {
	loc := verb.FindStringIndex(after)
	return loc != nil && !unsaidRE.MatchString(after[:loc[1]])
}

// namedObject returns the capitalised name that stands right after an active verb
// ("hit Stake.com", "drained the Ronin bridge"), or "".
func namedObject(s string) string {
	s = strings.TrimLeft(s, " ")
	s = strings.TrimPrefix(s, "the ")
	end := 0
	for end < len(s) && s[end] != ' ' && s[end] != ',' && s[end] != ';' && !(s[end] == '.' && (end+1 == len(s) || s[end+1] == ' ')) {
		end++
	}
	if end == 0 || !capitalAt(s, 0) {
		return ""
	}
	return strings.TrimSuffix(strings.TrimSuffix(s[:end], "'s"), "’s")
}

// namedBefore reports whether every mention of the incident in the sentence ends
// before pos.
func namedBefore(st *sentenceState, inc *Entity, pos int) bool {
	return !slices.ContainsFunc(st.incidents, func(ref incidentRef) bool { return ref.ent == inc && ref.end > pos })
}

// inLaterClause reports whether every reference to inc after pos stands past a clause
// break: ", while", "; ", ", and the".
func inLaterClause(st *sentenceState, inc *Entity, pos int) bool {
	for _, ref := range st.incidents {
		if ref.ent == inc && ref.start >= pos && !clauseBreakRE.MatchString(st.text[pos:ref.start]) {
			return false
		}
	}
	return true
}

// incidentOf reports whether a name is the incident's: its victim, in its name or a
// mention ("Bybit" for the Bybit hack).
func incidentOf(inc *Entity, name string) bool {
	if strings.Contains(strings.ToLower(inc.Name), strings.ToLower(name)) {
		return true
	}
	return slices.ContainsFunc(inc.Mentions, func(m string) bool { return strings.Contains(strings.ToLower(m), strings.ToLower(name)) })
}

// namesOtherAgent reports whether text[start:end] names an actor or a state, none of
// them agent: what that clause negates is theirs.
func (r *run) namesOtherAgent(st *sentenceState, start, end int, agent *Entity) bool {
	other := false
	for i := range st.mentions {
		m := &st.mentions[i]
		if m.Start < start || m.End > end || (m.Kind != graph.KindActor && m.Kind != graph.KindState) {
			continue
		}
		if mentionOf(m, agent) {
			return false
		}
		other = true
	}
	return other
}

// mentionOf reports whether a mention names an entity, as r.ents[mentionKey(m)] == e
// does, normalising the name only when it is not the entity's own.
func mentionOf(m *Mention, e *Entity) bool {
	if m.Kind != graph.KindActor && m.Kind != graph.KindState || (m.Kind == graph.KindState) != (e.Type == "state") {
		return false
	}
	return m.Name == e.Name || mentionKey(m) == e.key
}
