package export

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cyberkg/cyberkg/graph"
)

// stixNamespace makes STIX IDs deterministic (UUIDv5 of the node or edge ID), so that
// two exports of the same facts name them the same, and a consumer merges rather than
// duplicates them.
var stixNamespace = uuid.MustParse("6f0b2f4e-2c1d-5c4e-9a57-0c7e2e1b9d3a")

func stixID(typ, id string) string {
	return typ + "--" + uuid.NewSHA1(stixNamespace, []byte(id)).String()
}

// stixType is the STIX object a node becomes: a state a location, a group an
// intrusion-set and any other actor (a unit, an agency, a person) a threat-actor, an
// organization an identity, a sector an identity of class "class", an incident an
// incident. Sources become external references, and amounts notes on their incident;
// neither is an object of its own.
func stixType(n *graph.Node) string {
	switch n.Kind {
	case graph.KindState:
		return "location"
	case graph.KindActor:
		if n.ActorKind == "" || n.ActorKind == graph.ActorGroup {
			return "intrusion-set"
		}
		return "threat-actor"
	case graph.KindIncident:
		return "incident"
	case graph.KindOrganization, graph.KindSector:
		return "identity"
	}
	return ""
}

// stixRelations maps relation types to STIX relationship types: STIX's own where one
// means the same, and where none does a custom type, as OpenCTI does for collaboration
// (cooperates-with).
var stixRelations = map[graph.EdgeType]string{
	graph.AttributedTo:     "attributed-to",
	graph.SponsoredBy:      "sponsored-by",
	graph.PartOf:           "part-of",
	graph.CollaboratesWith: "cooperates-with",
	graph.Targeted:         "targets",
	graph.LocatedIn:        "located-at",
	graph.InSector:         "in-sector",
}

const stixTime = "2006-01-02T15:04:05.000Z"

// stixTimes returns created and modified for an object: when the first and the last
// of its claims were reported, so that the same facts give the same bundle.
func stixTimes(claims []graph.Claim) (string, string) {
	var first, last time.Time
	for _, c := range claims {
		if c.Reported.IsZero() {
			continue
		}
		if first.IsZero() || c.Reported.Before(first) {
			first = c.Reported
		}
		if c.Reported.After(last) {
			last = c.Reported
		}
	}
	if first.IsZero() {
		first = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		last = first
	}
	return first.UTC().Format(stixTime), last.UTC().Format(stixTime)
}

// stixConfidence is STIX's 0-100 scale.
func stixConfidence(c float64) int { return int(math.Round(max(0, min(1, c)) * 100)) }

type extRef struct {
	SourceName  string `json:"source_name"`
	URL         string `json:"url,omitempty"`
	ExternalID  string `json:"external_id,omitempty"`
	Description string `json:"description,omitempty"`
}

// stix writes a STIX 2.1 bundle: one object per entity, one relationship per relation
// (confidence 0-100, the certainty in x_cyberkg_certainty and words in the description,
// each claim an external reference to its source), amounts as notes, and a report
// holding every object.
func (x *exporter) stix(ctx context.Context) error {
	w := x.w
	bundle := stixID("bundle", "bundle:"+strings.Join(x.g.Seeds, ",")+":"+x.g.describe())
	fmt.Fprintf(w, "{\"type\":\"bundle\",\"id\":%q,\"objects\":[\n", bundle)
	// The report lists every object: their IDs are kept as 17 bytes each, not as
	// strings, and written out at the end.
	var refs []stixRef
	var latest string
	first := true
	emit := func(obj map[string]any) error {
		b, err := json.Marshal(obj)
		if err != nil {
			return err
		}
		if !first {
			w.WriteString(",\n")
		}
		first = false
		ref, err := parseStixRef(obj["id"].(string))
		if err != nil {
			return err
		}
		refs = append(refs, ref)
		if m := obj["modified"].(string); m > latest {
			latest = m
		}
		_, err = w.Write(b)
		return err
	}
	err := x.g.nodes(ctx, x.st, func(nodes []*graph.Node) error {
		srcs, err := x.claimSources(ctx, nodes, nil)
		if err != nil {
			return err
		}
		for _, n := range nodes {
			x.res.Nodes++
			typ := stixType(n)
			if typ == "" {
				continue
			}
			created, modified := stixTimes(n.Claims)
			obj := map[string]any{
				"type": typ, "spec_version": "2.1", "id": stixID(typ, n.ID), "created": created, "modified": modified,
				"name": n.Name, "confidence": stixConfidence(n.Confidence), "x_cyberkg_id": n.ID,
			}
			if len(n.Claims) > 0 {
				obj["x_cyberkg_certainty"] = string(certainty(n.Claims))
			}
			if n.Description != "" {
				obj["description"] = n.Description
			}
			refs := claimRefs(n.Claims, srcs)
			switch n.Kind {
			case graph.KindState:
				obj["country"] = strings.ToUpper(n.Code)
			case graph.KindActor:
				if len(n.Aliases) > 0 {
					obj["aliases"] = n.Aliases
				}
				if typ == "threat-actor" {
					obj["threat_actor_types"] = []string{"nation-state"}
				}
				for _, e := range n.ExternalIDs {
					refs = append(refs, extRef{SourceName: e.System, ExternalID: e.ID, URL: e.URL})
				}
			case graph.KindIncident:
				if n.Date != "" {
					obj["x_cyberkg_date"] = string(n.Date)
				}
				if n.IncidentKind != "" {
					obj["x_cyberkg_incident_kind"] = string(n.IncidentKind)
				}
			case graph.KindOrganization:
				obj["identity_class"] = "organization"
			case graph.KindSector:
				obj["identity_class"] = "class"
			}
			if len(refs) > 0 {
				obj["external_references"] = refs
			}
			if err := emit(obj); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = x.g.edges(ctx, x.st, func(edges []*graph.Edge) error {
		ends, err := x.endNodes(ctx, edges)
		if err != nil {
			return err
		}
		srcs, err := x.claimSources(ctx, nil, edges)
		if err != nil {
			return err
		}
		for _, e := range edges {
			x.res.Edges++
			from, to := ends[e.From], ends[e.To]
			if from == nil || to == nil {
				continue
			}
			created, modified := stixTimes(e.Claims)
			obj := map[string]any{
				"spec_version": "2.1", "created": created, "modified": modified,
				"confidence": stixConfidence(e.Confidence), "x_cyberkg_certainty": string(e.Certainty()),
				"x_cyberkg_id": e.ID, "x_cyberkg_type": string(e.Type),
			}
			if refs := claimRefs(e.Claims, srcs); len(refs) > 0 {
				obj["external_references"] = refs
			}
			if e.Type == graph.Stole {
				if to.Amount == nil || stixType(from) == "" {
					continue
				}
				obj["type"], obj["id"] = "note", stixID("note", e.ID)
				obj["abstract"] = "Stolen: " + to.Amount.Surface
				obj["content"] = stolenText(from, to, e)
				obj["object_refs"] = []string{stixID(stixType(from), from.ID)}
			} else {
				rel, ft, tt := stixRelations[e.Type], stixType(from), stixType(to)
				if rel == "" || ft == "" || tt == "" {
					continue
				}
				obj["type"], obj["id"] = "relationship", stixID("relationship", e.ID)
				obj["relationship_type"] = rel
				obj["source_ref"], obj["target_ref"] = stixID(ft, from.ID), stixID(tt, to.ID)
				obj["description"] = relationText(from, to, e, srcs)
			}
			if err := emit(obj); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(refs) == 0 {
		return graph.Errorf(graph.ENOTFOUND, "nothing in the selection has a STIX form (sources and amounts alone): select entities")
	}
	if latest == "" {
		latest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Format(stixTime)
	}
	report := map[string]any{
		"type": "report", "spec_version": "2.1", "id": stixID("report", bundle), "created": latest, "modified": latest,
		"name": "cyberkg export: " + x.g.describe(), "published": latest, "report_types": []string{"threat-report"},
		"description": "Exported from the cyberkg knowledge graph. Each relationship's confidence (0-100) and x_cyberkg_certainty (asserted or hedged) say how firmly its sources made the claim; hedged claims were only suspected.",
	}
	b, err := json.Marshal(report)
	if err != nil {
		return err
	}
	w.WriteString(",\n")
	w.Write(b[:len(b)-1])
	w.WriteString(`,"object_refs":[`)
	for i, r := range refs {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(`"` + r.String() + `"`)
	}
	_, err = w.WriteString("]}\n]}\n")
	return err
}

// stixRef is a STIX ID in 17 bytes: its type (an index into stixTypes) and UUID.
type stixRef struct {
	typ  uint8
	uuid uuid.UUID
}

var stixTypes = []string{"location", "intrusion-set", "threat-actor", "incident", "identity", "relationship", "note", "report"}

func parseStixRef(id string) (stixRef, error) {
	typ, u, _ := strings.Cut(id, "--")
	i := slices.Index(stixTypes, typ)
	parsed, err := uuid.Parse(u)
	if i < 0 || err != nil {
		return stixRef{}, fmt.Errorf("stix: bad ID %q", id)
	}
	return stixRef{uint8(i), parsed}, nil
}

func (r stixRef) String() string { return stixTypes[r.typ] + "--" + r.uuid.String() }

// claimSources reads the sources the claims of nodes and edges cite.
func (x *exporter) claimSources(ctx context.Context, nodes []*graph.Node, edges []*graph.Edge) (map[string]*graph.Node, error) {
	var ids []string
	for _, n := range nodes {
		ids = append(ids, n.Sources()...)
	}
	for _, e := range edges {
		ids = append(ids, e.Sources()...)
	}
	return x.lookup(ctx, ids)
}

// claimRefs makes each claim an external reference to its source, with the sentence and
// who said it how firmly.
func claimRefs(claims []graph.Claim, srcs map[string]*graph.Node) []extRef {
	var refs []extRef
	for _, c := range claims {
		s := srcs[c.SourceID]
		if s == nil || s.URL == "" {
			continue
		}
		ref := extRef{SourceName: cmpOr(s.Publisher, s.Title, "source"), URL: uri(s.URL),
			Description: fmt.Sprintf("%s (%s): %s", cmpOr(c.Claimant, s.Publisher, "the source"), certaintyWord(c.Certainty), oneLine(c.Quote))}
		if !slices.ContainsFunc(refs, func(r extRef) bool { return r == ref }) {
			refs = append(refs, ref)
		}
	}
	return refs
}

func certaintyWord(c graph.Certainty) string {
	if c == graph.Asserted {
		return "asserted"
	}
	return "hedged: suspected, not confirmed"
}

// relationText says a relation in words, hedged where its claims are.
func relationText(from, to *graph.Node, e *graph.Edge, srcs map[string]*graph.Node) string {
	var says []string
	for _, c := range e.Claims {
		who := c.Claimant
		if who == "" {
			if s := srcs[c.SourceID]; s != nil {
				who = cmpOr(s.Publisher, s.Title)
			}
		}
		verb := "asserted by"
		if c.Certainty == graph.Hedged {
			verb = "suspected by"
		}
		says = append(says, verb+" "+cmpOr(who, "a source"))
	}
	return fmt.Sprintf("%s %s %s (%s; %s).", from.Name, relationWords[e.Type], to.Name, e.Certainty(), strings.Join(says, "; "))
}

func stolenText(inc, amount *graph.Node, e *graph.Edge) string {
	s := fmt.Sprintf("%s: %s stolen", inc.Name, amount.Amount.Surface)
	if amount.Amount.ValueUSD != nil {
		s += fmt.Sprintf(" (USD %s as reported)", num(*amount.Amount.ValueUSD))
	}
	if e.Certainty() == graph.Hedged {
		s += "; the figure is hedged in its sources"
	}
	return s + "."
}

// relationWords reads a relation type as a verb.
var relationWords = map[graph.EdgeType]string{
	graph.AttributedTo:     "is attributed to",
	graph.SponsoredBy:      "is sponsored by",
	graph.PartOf:           "is part of",
	graph.CollaboratesWith: "collaborates with",
	graph.Targeted:         "targeted",
	graph.Stole:            "stole",
	graph.LocatedIn:        "is located in",
	graph.InSector:         "is in the sector",
}

func cmpOr(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// uri writes a URL as a valid URI (RFC 3986): bytes a URI cannot hold, such as spaces,
// quotes and angle brackets a page may have put in a link, are percent-encoded. A URL
// that is not absolute http(s) is left out ("").
func uri(raw string) string {
	const allowed = "-._~:/?#[]@!$&'()*+,;=%"
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(allowed, c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	u, err := url.Parse(b.String())
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return b.String()
}
