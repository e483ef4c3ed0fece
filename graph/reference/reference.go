// Package reference is cyberkg's background knowledge: the states, state-linked threat
// actors, sectors and attributing bodies that extraction recognises and the explorer shows
// from the first minute. Every fact in knowledge.yaml carries a citation, and becomes a
// claim by that citation's publisher, so the graph never states a sponsor without saying
// who said so. The package must never hold reporting about incidents: those come from
// sources, through the scrapers.
package reference

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cyberkg/cyberkg/graph"
)

//go:embed knowledge.yaml
var knowledgeYAML []byte

// FileURL is where the knowledge file is published; facts without a citation of their
// own (sectors) cite it.
const FileURL = "https://github.com/cyberkg/cyberkg/blob/main/graph/reference/knowledge.yaml"

// Knowledge is the parsed reference file.
type Knowledge struct {
	States        []State        `yaml:"states"`
	Actors        []Actor        `yaml:"actors"`
	Sectors       []Sector       `yaml:"sectors"`
	Organizations []Organization `yaml:"organizations"`
	// Hash identifies this version of the file.
	Hash string `yaml:"-"`
}

// State is a state and the words reporting uses for it.
type State struct {
	Code          string   `yaml:"code"`
	Name          string   `yaml:"name"`
	Aliases       []string `yaml:"aliases"`
	CaseSensitive []string `yaml:"case_sensitive"`
	Source        string   `yaml:"source"`
}

// Actor is a state-linked threat actor.
type Actor struct {
	Name          string   `yaml:"name"`
	Kind          string   `yaml:"kind"`
	Aliases       []string `yaml:"aliases"`
	CaseSensitive []string `yaml:"case_sensitive"`
	Sponsor       string   `yaml:"sponsor"`
	PartOf        string   `yaml:"part_of"`
	AttackID      string   `yaml:"attack_id"`
	Description   string   `yaml:"description"`
	Sources       []string `yaml:"sources"`
}

// Sector is an industry as reporting names it.
type Sector struct {
	Name    string   `yaml:"name"`
	Aliases []string `yaml:"aliases"`
}

// Organization is a body that makes or endorses attributions.
type Organization struct {
	Name          string   `yaml:"name"`
	Aliases       []string `yaml:"aliases"`
	CaseSensitive []string `yaml:"case_sensitive"`
	Country       string   `yaml:"country"`
	Source        string   `yaml:"source"`
}

// Load returns the knowledge built into the binary.
func Load() (*Knowledge, error) { return Parse(knowledgeYAML) }

// MustLoad is Load for callers that cannot go on without it; the built-in file is
// checked by this package's tests.
func MustLoad() *Knowledge {
	k, err := Load()
	if err != nil {
		panic(err)
	}
	return k
}

// Parse reads and checks a knowledge file: every state has an ISO code, every actor a
// known kind, a citation, a sponsor among the states and a parent among the actors.
func Parse(data []byte) (*Knowledge, error) {
	var k Knowledge
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&k); err != nil {
		return nil, graph.Errorf(graph.EINVALID, "reference knowledge: %v", err)
	}
	sum := sha256.Sum256(data)
	k.Hash = "sha256:" + hex.EncodeToString(sum[:])
	codes := map[string]bool{}
	for _, s := range k.States {
		if len(s.Code) != 2 || s.Name == "" {
			return nil, graph.Errorf(graph.EINVALID, "reference knowledge: state %q: want a name and an ISO alpha-2 code", s.Name)
		}
		codes[strings.ToUpper(s.Code)] = true
	}
	actors := map[string]bool{}
	for _, a := range k.Actors {
		actors[a.Name] = true
	}
	kinds := []string{string(graph.ActorGroup), string(graph.ActorUnit), string(graph.ActorAgency), string(graph.ActorIndividual)}
	for _, a := range k.Actors {
		switch {
		case a.Name == "":
			return nil, graph.Errorf(graph.EINVALID, "reference knowledge: an actor has no name")
		case !slices.Contains(kinds, a.Kind):
			return nil, graph.Errorf(graph.EINVALID, "reference knowledge: actor %q: kind %q is not one of %v", a.Name, a.Kind, kinds)
		case len(a.Sources) == 0:
			return nil, graph.Errorf(graph.EINVALID, "reference knowledge: actor %q has no citation", a.Name)
		case a.Sponsor != "" && !codes[strings.ToUpper(a.Sponsor)]:
			return nil, graph.Errorf(graph.EINVALID, "reference knowledge: actor %q: sponsor %q is not a listed state", a.Name, a.Sponsor)
		case a.PartOf != "" && !actors[a.PartOf]:
			return nil, graph.Errorf(graph.EINVALID, "reference knowledge: actor %q: parent %q is not a listed actor", a.Name, a.PartOf)
		}
	}
	return &k, nil
}

// citation turns a URL into a Source node. Its publisher is the site's owner, so an edge
// reads "according to MITRE ATT&CK".
func citation(raw string) *graph.Node {
	n := &graph.Node{Kind: graph.KindSource, URL: raw, Name: raw, Title: raw, Publisher: publisher(raw)}
	n.ID = n.DefaultID()
	return n
}

var publishers = map[string]string{
	"attack.mitre.org":            "MITRE ATT&CK",
	"www.cisa.gov":                "CISA",
	"www.ic3.gov":                 "FBI",
	"www.fbi.gov":                 "FBI",
	"www.justice.gov":             "US Department of Justice",
	"home.treasury.gov":           "US Department of the Treasury",
	"www.ncsc.gov.uk":             "UK NCSC",
	"www.gov.uk":                  "UK Government",
	"media.defense.gov":           "NSA",
	"www.nsa.gov":                 "NSA",
	"www.microsoft.com":           "Microsoft",
	"cloud.google.com":            "Google Cloud (Mandiant)",
	"www.mandiant.com":            "Mandiant",
	"www.crowdstrike.com":         "CrowdStrike",
	"unit42.paloaltonetworks.com": "Palo Alto Networks Unit 42",
	"www.iso.org":                 "ISO",
	"github.com":                  "cyberkg",
}

func publisher(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	if p, ok := publishers[u.Host]; ok {
		return p
	}
	return strings.TrimPrefix(u.Host, "www.")
}

// Batch turns the knowledge into facts for graph.Ingest: a node per state, actor,
// sector and organisation, SPONSORED_BY and PART_OF edges, each claimed by its
// citations. The knowledge file itself is a source too, carrying the file's hash.
func (k *Knowledge) Batch() *graph.Batch {
	b := &graph.Batch{}
	sources := map[string]*graph.Node{}
	cite := func(urls []string, quote string) []graph.Claim {
		var claims []graph.Claim
		for _, u := range urls {
			if u == "" {
				continue
			}
			src := sources[u]
			if src == nil {
				src = citation(u)
				sources[u] = src
				b.Nodes = append(b.Nodes, src)
			}
			claims = append(claims, graph.Claim{
				SourceID: src.ID, Quote: quote, Claimant: src.Publisher, Certainty: graph.Asserted,
				Confidence: graph.ClaimConfidence(graph.Asserted, src.Publisher),
			})
		}
		return claims
	}
	file := citation(FileURL)
	file.Title, file.Name, file.ContentHash = "cyberkg reference knowledge", "cyberkg reference knowledge", k.Hash
	sources[FileURL] = file
	b.Nodes = append(b.Nodes, file)

	stateID := map[string]string{}
	for _, s := range k.States {
		n := &graph.Node{Kind: graph.KindState, Code: strings.ToUpper(s.Code), Name: s.Name, Aliases: s.Aliases,
			Claims: cite([]string{cmpOr(s.Source, FileURL)}, fmt.Sprintf("%s (%s) is a state.", s.Name, strings.ToUpper(s.Code)))}
		n.ID = n.DefaultID()
		stateID[n.Code] = n.ID
		b.Nodes = append(b.Nodes, n)
	}
	actorID := map[string]string{}
	for _, a := range k.Actors {
		n := &graph.Node{Kind: graph.KindActor, Name: a.Name, ActorKind: graph.ActorKind(a.Kind), Aliases: a.Aliases,
			Description: a.Description, Claims: cite(a.Sources, cmpOr(a.Description, a.Name+" is a threat actor."))}
		if a.AttackID != "" {
			n.ExternalIDs = []graph.ExternalID{{System: "mitre-attack", ID: a.AttackID, URL: "https://attack.mitre.org/groups/" + a.AttackID + "/"}}
		}
		n.ID = n.DefaultID()
		actorID[a.Name] = n.ID
		b.Nodes = append(b.Nodes, n)
	}
	for _, a := range k.Actors {
		if a.Sponsor != "" {
			code := strings.ToUpper(a.Sponsor)
			b.Edges = append(b.Edges, &graph.Edge{Type: graph.SponsoredBy, From: actorID[a.Name], To: stateID[code],
				Claims: cite(a.Sources, fmt.Sprintf("%s is reported to work for the state %s.", a.Name, code))})
		}
		if a.PartOf != "" {
			b.Edges = append(b.Edges, &graph.Edge{Type: graph.PartOf, From: actorID[a.Name], To: actorID[a.PartOf],
				Claims: cite(a.Sources, fmt.Sprintf("%s is reported to be part of %s.", a.Name, a.PartOf))})
		}
	}
	for _, s := range k.Sectors {
		n := &graph.Node{Kind: graph.KindSector, Name: s.Name, Aliases: s.Aliases, Claims: cite([]string{FileURL}, s.Name+" is a sector.")}
		n.ID = n.DefaultID()
		b.Nodes = append(b.Nodes, n)
	}
	for _, o := range k.Organizations {
		n := &graph.Node{Kind: graph.KindOrganization, Name: o.Name, Aliases: o.Aliases,
			Claims: cite([]string{cmpOr(o.Source, FileURL)}, o.Name+" is an organisation that attributes cyber operations.")}
		n.ID = n.DefaultID()
		b.Nodes = append(b.Nodes, n)
		if id, ok := stateID[strings.ToUpper(o.Country)]; ok {
			b.Edges = append(b.Edges, &graph.Edge{Type: graph.LocatedIn, From: n.ID, To: id,
				Claims: cite([]string{cmpOr(o.Source, FileURL)}, fmt.Sprintf("%s is based in %s.", o.Name, strings.ToUpper(o.Country)))})
		}
	}
	return b
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
