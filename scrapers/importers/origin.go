package importers

import (
	"cmp"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// Publishers as they appear in claims when an Origin names none.
const (
	PublisherMISP   = "MISP galaxy"
	PublisherATTACK = "MITRE ATT&CK"
)

// Origin says where a catalogue was read from. It becomes the batch's Source node, and
// every claim in the batch points at it.
type Origin struct {
	URL       string    // http(s):// or file:// URL; the Source's identity
	Fetched   time.Time // when the catalogue was read
	Publisher string    // who publishes it; empty: PublisherMISP or PublisherATTACK
}

// NewOrigin describes a catalogue read from location, an http(s) or file URL or a file
// path, which is made absolute and turned into a file:// URL so that the same file
// imported twice is the same Source.
func NewOrigin(location, publisher string, fetched time.Time) (Origin, error) {
	location = strings.TrimSpace(location)
	if location == "" {
		return Origin{}, graph.Errorf(graph.EINVALID, "import: no catalogue location given")
	}
	if u, err := url.Parse(location); err == nil && (u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "file") {
		return Origin{URL: location, Fetched: fetched, Publisher: publisher}, nil
	}
	abs, err := filepath.Abs(location)
	if err != nil {
		return Origin{}, graph.Errorf(graph.EINVALID, "import: %s: %v", location, err)
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	return Origin{URL: u.String(), Fetched: fetched, Publisher: publisher}, nil
}

// claimer writes the claims of one catalogue: same source, same claimant, each with the
// confidence graph.ClaimConfidence gives it.
type claimer struct {
	source    *graph.Node
	publisher string
}

func newClaimer(src Origin, defaultPublisher, title string) (*claimer, error) {
	if strings.TrimSpace(src.URL) == "" {
		return nil, graph.Errorf(graph.EINVALID, "import: the origin of %s has no URL", title)
	}
	publisher := cmp.Or(strings.TrimSpace(src.Publisher), defaultPublisher)
	n := &graph.Node{
		Kind: graph.KindSource, Name: title, Title: title, URL: src.URL,
		Publisher: publisher, Fetched: src.Fetched.UTC(), // UTC drops the monotonic reading
	}
	n.ID = n.DefaultID()
	return &claimer{source: n, publisher: publisher}, nil
}

func (c *claimer) claim(quote string, certainty graph.Certainty, reported time.Time) graph.Claim {
	return graph.Claim{
		SourceID:   c.source.ID,
		Quote:      quote,
		Claimant:   c.publisher,
		Certainty:  certainty,
		Confidence: graph.ClaimConfidence(certainty, c.publisher),
		Reported:   cmp.Or(reported, c.source.Fetched),
	}
}

// aliasQuote is the claim that a catalogue gives name another name. Prepare rebuilds it
// to withdraw the claim together with an alias it drops, so both catalogues use it.
func aliasQuote(publisher, alias, name string) string {
	return publisher + ` lists "` + alias + `" as another name for ` + name + `.`
}

// actorNode returns a threat actor with a claim for itself and one for each alias.
func (c *claimer) actorNode(name, description string, aliases []string, ids []graph.ExternalID, what string, reported time.Time) *graph.Node {
	n := &graph.Node{
		Kind: graph.KindActor, ActorKind: graph.ActorGroup, Name: name,
		Description: description, ExternalIDs: ids,
	}
	n.ID = n.DefaultID()
	n.Claims = append(n.Claims, c.claim(c.publisher+` lists "`+name+`" as `+what+`.`, graph.Asserted, reported))
	seen := map[string]bool{graph.Normalize(name): true}
	for _, a := range aliases {
		a = strings.TrimSpace(a)
		k := graph.Normalize(a)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		n.Aliases = append(n.Aliases, a)
		n.Claims = append(n.Claims, c.claim(aliasQuote(c.publisher, a, name), graph.Asserted, reported))
	}
	return n
}
