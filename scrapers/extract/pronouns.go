package extract

import (
	"slices"
	"strings"

	"github.com/cyberkg/cyberkg/graph"
)

// "Hackers stole $1.5 billion from Bybit; the FBI later said North Korea was
// responsible." and "Thieves drained the Kroner exchange on Monday. Police believe
// Lazarus Group was behind it.": the agent is named, the incident is only referred to.
// It is the one incident the sentence names or, when it names none, the one the
// sentence before named. Where either names several, "it" is not read.
var pronounDeedRE = newCue(`(?i)^\s+(?:(?:was|were|is|are|had\s+been|has\s+been|have\s+been)\s+(?:(?:likely|probably|almost\s+certainly|most\s+likely|believed\s+to\s+be|thought\s+to\s+be|also|ultimately|in\s+fact)\s+)?(?:responsible|behind\s+(?:it|this|that|them)|to\s+blame)|(?:also\s+)?carried\s+(?:it|this|them)\s+out)\s*(?:[.;,)]|$)`)

// saidBeforeRE is how the clause before such an agent must end, if it holds anything:
// in a verb of saying or believing, so that "it" has no other word to refer to ("the
// loader was novel and Lazarus Group was behind it" says nothing of the incident).
var saidBeforeRE = newCue(`(?i)\b(?:said|says|say|stated|believes?|believed|suspects?|suspected|concluded|concludes|confirmed|confirms|determined|found|finds|added|thinks?|assessed|assesses|announced|alleged|alleges|claimed|claims|reported|reports|warned|warns|told\s+\w+|according\s+to\s+\w+)(?:\s+on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))?(?:\s+that)?[\s,]*$`)

// blamedItRE is an accusation of "it" or "them": "Washington blamed it for last year's
// hack of Sony Pictures".
var blamedItRE = newCue(`(?i)\b(?:blam(?:ed|es|ing)|accus(?:ed|es|ing)|held)\s+(?:it|them)\s+(?:responsible\s+)?(?:for|of)\s+`)

// accusedPronoun reads "North Korea dismissed the report, as it did when Washington
// blamed it for last year's hack of Sony Pictures": "it" is the agent that opens the
// sentence, when no other actor or state but the accuser stands between them, and the
// incident follows the accusation at once.
func (r *run) accusedPronoun(st *sentenceState) {
	if len(st.incidents) == 0 || len(st.mentions) == 0 || !st.has(blamedItRE) {
		return
	}
	m := &st.mentions[0]
	if m.Kind != graph.KindActor && m.Kind != graph.KindState || isClaimant(st, m) || !blank(st.text[:m.Start]) {
		return
	}
	if m.Kind == graph.KindState && (!stateAsPolity(st.text, m) || isDemonym(m.Surface)) {
		return
	}
	for _, c := range st.all(blamedItRE) {
		others := slices.ContainsFunc(st.mentions[1:], func(o Mention) bool {
			return o.Start < c[0] && (o.Kind == graph.KindActor || o.Kind == graph.KindState) && !isClaimant(st, &o)
		})
		ref := incidentNear(st, c[1], 40)
		if others || ref == nil || st.negatedAt(c[0]) {
			continue
		}
		if gap := st.text[c[1]:ref.start]; strings.ContainsAny(gap, ",;") || otherDeeds(gap) {
			continue // "blamed it for past thefts, not for the hack"
		}
		r.relate("ATTRIBUTED_TO", ref.ent, r.ents[mentionKey(m)], st, st.text)
	}
}

// onlyIncident returns the incident a sentence names when it names one only.
func onlyIncident(st *sentenceState) *Entity {
	var only *Entity
	for _, ref := range st.incidents {
		if only != nil && ref.ent != only {
			return nil
		}
		only = ref.ent
	}
	return only
}

// referredDeeds reads the agents the sentence says did "it".
func (r *run) referredDeeds(st *sentenceState) {
	inc := r.previous
	if len(st.incidents) > 0 {
		inc = onlyIncident(st)
	}
	if inc == nil {
		return
	}
	for i := range st.mentions {
		m := &st.mentions[i]
		if m.Kind != graph.KindActor && m.Kind != graph.KindState || isClaimant(st, m) || !pronounDeedRE.MatchString(st.text[m.End:]) {
			continue
		}
		if m.Kind == graph.KindState && (!stateAsPolity(st.text, m) || isDemonym(m.Surface)) {
			continue // "the North Korean was responsible" is a person
		}
		start, _ := st.clauseAround(m.Start)
		if before := st.text[start:m.Start]; !blank(before) && !saidBeforeRE.MatchString(before) {
			continue
		}
		if !st.negatedAt(m.Start) {
			r.relate("ATTRIBUTED_TO", inc, r.ents[mentionKey(m)], st, st.text)
		}
	}
}

// blank reports whether s holds no word: only spaces, "the" or punctuation.
func blank(s string) bool {
	for _, w := range strings.Fields(s) {
		if w = strings.Trim(w, ",;:()\"“”'’"); w != "" && !strings.EqualFold(w, "the") {
			return false
		}
	}
	return true
}

// qualifiedDeedRE is what makes "the activity" or "the campaign" a deed of its own:
// its target, its aim, or a clause saying which ("the activity that investigators
// linked to Lazarus Group last year").
var qualifiedDeedRE = newCue(`(?i)^\s+(?:against|on|targeting|aimed|to|of|that|which|who|at|by|from|into|with|for|across|since)\b`)

// deedRefs reads "the activity", "the intrusions" or "the campaign" as the incident a
// document tells of, in a sentence that names no incident and says whose it was: "The
// agencies said the activity belongs to TraderTraitor". Only where the document knows
// one incident: those words may mean a wider campaign, and of several, none is sure.
// When that incident is a campaign (see campaign), they are its words in any sentence.
func (r *run) deedRefs(st *sentenceState, add func(*Entity, int, int, bool)) {
	if len(st.incidents) > 0 || r.current == nil || !st.has(deedRefRE) {
		return
	}
	says := st.has(passiveByRE) || st.has(passiveToRE) || st.has(deedBelongsRE)
	if !says && !strings.HasSuffix(r.current.Name, " campaign") {
		return
	}
	for _, k := range r.order {
		if e := r.ents[k]; e.Type == "incident" && e != r.current {
			return
		}
	}
	m := st.all(deedRefRE)[0]
	if qualifiedDeedRE.MatchString(st.text[m[1]:]) {
		return // "the campaign against Taiwanese chipmakers" is a deed of its own
	}
	r.current.Mentions = appendUnique(r.current.Mentions, st.text[m[0]:m[1]])
	if says {
		add(r.current, m[0], m[1], false)
	}
}
