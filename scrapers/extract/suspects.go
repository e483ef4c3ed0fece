package extract

import (
	"strings"

	"github.com/cyberkg/cyberkg/graph"
)

var (
	// "Early signs point to Lazarus Group in the Kroner hack", a hedged attribution
	// (hedgeRE2 reads "point to"); pointedRoleRE is what must come between the agent
	// and the incident.
	pointToRE     = newCue(`(?i)\bpoint(?:s|ed|ing)?\s+to\s+(?:the\s+)?`)
	pointedRoleRE = newCue(`(?i)^\s+(?:(?:in|behind|for|over)|as\s+(?:the\s+)?(?:(?:likely|probable|possible|main|prime)\s+)?(?:culprits?|perpetrators?|attackers?|thieves|suspects?|hackers|those\s+responsible)\s+(?:in|behind|for))\s+`)
	// "Lazarus Group is the prime suspect in the Kroner hack" (suspect: hedged).
	primeSuspectRE = newCue(`(?i)^\s+(?:is|was|remains|became|has\s+been|had\s+been)\s+(?:the\s+)?(?:prime|main|chief|top|leading|likely)\s+suspects?\s+(?:in|behind|for)\s+`)
)

// suspects reads the frames that name an agent right before the incident they are
// suspected of: "Lazarus Group is the prime suspect in the Kroner hack", "early signs
// point to Lazarus Group in the Kroner hack". The incident must follow at once: "the
// prime suspect in earlier thefts, was cleared of the Kroner hack" names none.
func (r *run) suspects(st *sentenceState) {
	if len(st.incidents) == 0 {
		return
	}
	suspect := func(m *Mention, tail *cue) {
		loc := tail.FindStringIndex(st.text[m.End:])
		if loc == nil || st.negatedAt(m.Start) {
			return
		}
		if inc := incidentStartingAt(st, m.End+loc[1]); inc != nil {
			r.relate("ATTRIBUTED_TO", inc, r.ents[mentionKey(m)], st, st.text)
		}
	}
	for i := range st.mentions {
		if m := &st.mentions[i]; (m.Kind == graph.KindActor || m.Kind == graph.KindState && !isDemonym(m.Surface)) && !isClaimant(st, m) {
			suspect(m, primeSuspectRE)
		}
	}
	for _, c := range st.all(pointToRE) {
		if m := agentAfter(st, c[1]); m != nil && m.Start == c[1] {
			suspect(m, pointedRoleRE)
		}
	}
}

// incidentStartingAt returns the incident the sentence names at pos, "the" or an
// amount before its name allowed ("the $50 million Kroner hack").
func incidentStartingAt(st *sentenceState, pos int) *Entity {
	for _, ref := range st.incidents {
		if ref.start <= pos && pos < ref.end {
			return ref.ent
		}
		if gap := strings.TrimSpace(st.text[pos:max(pos, ref.start)]); ref.start >= pos && (gap == "" || strings.EqualFold(gap, "the")) {
			return ref.ent
		}
	}
	return nil
}

// claimedDeedRE is a group claiming a deed as its own: "has claimed responsibility for
// the attack", "claimed credit", "claimed the attack". A claim is hedged (hedgeMoreRE).
var claimedDeedRE = newCue(`(?i)\b(?:claim(?:ed|s|ing)?|took|has\s+taken|have\s+taken)\s+(?:(?:responsibility|credit)\b(?:\s+for\s+)?|the\s+(?:attack|hack|breach|intrusion|theft|heist)\b)`)

// claimedDeeds reads "The Rhysida ransomware group has claimed responsibility": the
// group that opens the clause claims the incident that follows the claim, or when none
// follows, the incident the document tells of. Never where the claim is denied ("has
// not claimed responsibility").
func (r *run) claimedDeeds(st *sentenceState) {
	if !st.has(claimedDeedRE) {
		return
	}
	for _, c := range st.all(claimedDeedRE) {
		subj := subjectBefore(st, c[0])
		if subj == nil || subj.Kind != graph.KindActor || !sameSubject(st.text[subj.End:c[0]]) || st.negatedAt(c[0]) {
			continue
		}
		if before := strings.TrimRight(st.text[:c[0]], " "); wordSetIn(lastWord(before), "not", "never", "falsely", "wrongly", "dubiously", "fraudulently") || strings.HasSuffix(before, "n't") {
			continue // "has not claimed responsibility", "falsely claimed"
		}
		var inc *Entity
		if ref := incidentNear(st, c[0], 60); ref != nil {
			inc = ref.ent
		} else if len(st.incidents) == 0 {
			inc = r.current
		}
		r.relate("ATTRIBUTED_TO", inc, r.ents[mentionKey(subj)], st, st.text)
	}
}

// lastWord returns the last word of s.
func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}
