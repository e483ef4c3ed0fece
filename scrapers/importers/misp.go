package importers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// mispCluster is one entry of a MISP galaxy's "values". Meta is kept raw: its fields vary
// between clusters (a string here, a list there) and only a few are read.
type mispCluster struct {
	Value       string                     `json:"value"`
	UUID        string                     `json:"uuid"`
	Description string                     `json:"description"`
	Revoked     bool                       `json:"revoked"`
	Meta        map[string]json.RawMessage `json:"meta"`
}

// attackGroupID is an ATT&CK group ID, which MISP files among a cluster's synonyms.
var attackGroupID = regexp.MustCompile(`^G\d{4}$`)

// MISPGalaxy reads a MISP threat-actor galaxy (clusters/threat-actor.json) into a batch:
// a Source for src, a ThreatActor per cluster (value: name; meta.synonyms: aliases;
// description; uuid: ExternalID "misp-galaxy") and, where meta.cfr-suspected-state-sponsor
// names a state in the table of states.go, a hedged SPONSORED_BY edge to that State.
// meta.country is where the actor is thought to come from, not who sponsors it, and is
// not imported. Synonyms that are ATT&CK group IDs ("G0032") are not names: a cluster
// listing exactly one gets it as a "mitre-attack" ExternalID; one listing several lumps
// several ATT&CK groups together and gets none. "Subgroup: X" synonyms name another,
// smaller group and are left out.
//
// Input that is not a threat-actor galaxy is EINVALID. A cluster that is revoked,
// nameless (no letter or digit in its value) or malformed is skipped and counted in the
// Report, as are sponsor names the state table does not know; "Unknown" is no sponsor.
func MISPGalaxy(r io.Reader, src Origin) (*graph.Batch, Report, error) {
	var rep Report
	dec := json.NewDecoder(r)
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, rep, mispInvalid("invalid JSON (%v)", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, rep, mispInvalid("data after the JSON value")
	}
	if kind := jsonKind(raw); kind != "an object" {
		return nil, rep, mispInvalid("%s", kind)
	}
	var g struct {
		Name   string            `json:"name"`
		Type   any               `json:"type"`
		Values []json.RawMessage `json:"values"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, rep, mispInvalid("an object whose fields do not fit (%v)", err)
	}
	raw = nil
	switch {
	case g.Type == nil:
		return nil, rep, mispInvalid(`an object without "type"`)
	case g.Type != "threat-actor":
		return nil, rep, mispInvalid(`a galaxy of type %s`, jsonText(g.Type))
	case g.Values == nil:
		return nil, rep, mispInvalid(`a galaxy without "values" (a galaxy definition, not its clusters?)`)
	case len(g.Values) == 0:
		return nil, rep, mispInvalid(`a galaxy with no clusters`)
	}
	title := PublisherMISP + ": " + strings.TrimSpace(g.Name)
	if strings.TrimSpace(g.Name) == "" {
		title = PublisherMISP + ": threat-actor"
	}
	cl, err := newClaimer(src, PublisherMISP, title)
	if err != nil {
		return nil, rep, err
	}
	b := &graph.Batch{Nodes: []*graph.Node{cl.source}}
	stateNodes := map[string]*graph.Node{}
	unknown := map[string]bool{}
	for _, v := range g.Values {
		rep.Entries++
		var c mispCluster
		if err := json.Unmarshal(v, &c); err != nil || c.Revoked || graph.Slug(c.Value) == "" {
			rep.Skipped++
			continue
		}
		name := strings.TrimSpace(c.Value)
		var aliases, groupIDs []string
		for _, s := range metaStrings(c.Meta, "synonyms") {
			switch {
			case attackGroupID.MatchString(s):
				groupIDs = append(groupIDs, s)
			case strings.HasPrefix(strings.ToLower(s), "subgroup:"):
				// another, smaller group: not a name of this one
			default:
				aliases = append(aliases, s)
			}
		}
		var ids []graph.ExternalID
		if u := strings.TrimSpace(c.UUID); u != "" {
			ids = append(ids, graph.ExternalID{System: "misp-galaxy", ID: u})
		}
		if len(groupIDs) == 1 {
			ids = append(ids, attackID(groupIDs[0], ""))
		}
		actor := cl.actorNode(name, strings.TrimSpace(c.Description), aliases, ids, "a threat actor", time.Time{})
		b.Nodes = append(b.Nodes, actor)
		rep.Actors++

		sponsored := map[string]bool{}
		for _, s := range metaStrings(c.Meta, "cfr-suspected-state-sponsor") {
			if noSponsor(s) {
				continue
			}
			code, canonical, ok := lookupState(s)
			if !ok {
				rep.StatesSkipped++
				unknown[s] = true
				continue
			}
			st := stateNodes[code]
			if st == nil {
				st = &graph.Node{Kind: graph.KindState, Code: code, Name: canonical}
				st.ID = st.DefaultID()
				stateNodes[code] = st
				b.Nodes = append(b.Nodes, st)
			}
			addStateSpelling(cl, st, s)
			if sponsored[code] {
				continue
			}
			sponsored[code] = true
			quote := fmt.Sprintf(`%s, citing CFR's Cyber Operations Tracker, names "%s" as the suspected state sponsor of %s.`, cl.publisher, s, name)
			b.Edges = append(b.Edges, &graph.Edge{
				ID: graph.EdgeID(graph.SponsoredBy, actor.ID, st.ID), Type: graph.SponsoredBy,
				From: actor.ID, To: st.ID,
				Claims: []graph.Claim{cl.claim(quote, graph.Hedged, time.Time{})},
			})
			rep.SponsorEdges++
		}
	}
	rep.UnknownStates = sortedKeys(unknown)
	return b, rep, nil
}

// addStateSpelling records how the catalogue named a state: a claim for each spelling,
// and the spelling as an alias when it is not the state's usual name.
func addStateSpelling(cl *claimer, st *graph.Node, spelling string) {
	quote := fmt.Sprintf(`%s names the state "%s" (%s).`, cl.publisher, spelling, st.Code)
	for _, c := range st.Claims {
		if c.Quote == quote {
			return
		}
	}
	st.Claims = append(st.Claims, cl.claim(quote, graph.Asserted, time.Time{}))
	k := graph.Normalize(spelling)
	if k != graph.Normalize(st.Name) && k != graph.Normalize(st.Code) {
		st.Aliases = append(st.Aliases, spelling)
	}
}

// metaStrings reads a meta field that holds a string or a list of strings, trimmed and
// without empty entries; anything else reads as nothing.
func metaStrings(meta map[string]json.RawMessage, key string) []string {
	raw, ok := meta[key]
	if !ok {
		return nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		var one string
		if json.Unmarshal(raw, &one) != nil {
			return nil
		}
		list = []string{one}
	}
	out := list[:0]
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func attackID(id, url string) graph.ExternalID {
	if url == "" {
		url = "https://attack.mitre.org/groups/" + id + "/"
	}
	return graph.ExternalID{System: "mitre-attack", ID: id, URL: url}
}

func mispInvalid(format string, args ...any) error {
	return graph.Errorf(graph.EINVALID, `misp-galaxy: expected a threat-actor galaxy with "values", got `+format, args...)
}

// jsonKind names the kind of a JSON value for an error message.
func jsonKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "a JSON array"
	case '"':
		return "a JSON string"
	case 't', 'f':
		return "a JSON boolean"
	case 'n':
		return "null"
	}
	return "a JSON number"
}

// jsonText renders a decoded JSON value briefly for an error message.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if r := []rune(string(b)); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return string(b)
}
