package neo4j

import (
	"slices"
	"strconv"
	"strings"

	"github.com/cyberkg/cyberkg/graph"
)

// The only identifiers ever spliced into Cypher text. They are literals here, looked up
// by enum value, so that a caller's string can never become query syntax even if the
// enums were one day widened to hold something odd.
var (
	labels = map[graph.NodeKind]string{
		graph.KindState:        "State",
		graph.KindActor:        "ThreatActor",
		graph.KindIncident:     "Incident",
		graph.KindOrganization: "Organization",
		graph.KindSector:       "Sector",
		graph.KindSource:       "Source",
		graph.KindAmount:       "Amount",
	}
	relTypes = map[graph.EdgeType]string{
		graph.AttributedTo:     "ATTRIBUTED_TO",
		graph.SponsoredBy:      "SPONSORED_BY",
		graph.PartOf:           "PART_OF",
		graph.CollaboratesWith: "COLLABORATES_WITH",
		graph.Targeted:         "TARGETED",
		graph.Stole:            "STOLE",
		graph.LocatedIn:        "LOCATED_IN",
		graph.InSector:         "IN_SECTOR",
	}
)

// label returns the Cypher label of a node kind, or EINVALID for a kind outside the enum.
func label(k graph.NodeKind) (string, error) {
	if l, ok := labels[k]; ok {
		return l, nil
	}
	return "", graph.Errorf(graph.EINVALID, "unknown node kind %q", k)
}

// relType returns the Cypher relationship type of an edge type, or EINVALID.
func relType(t graph.EdgeType) (string, error) {
	if r, ok := relTypes[t]; ok {
		return r, nil
	}
	return "", graph.Errorf(graph.EINVALID, "unknown edge type %q", t)
}

// relTypeAlternatives returns "A|B|C" for a relationship pattern; no types means every
// domain type, spelled out so that traversals never wander onto bookkeeping structure.
func relTypeAlternatives(types []graph.EdgeType) (string, error) {
	if len(types) == 0 {
		types = graph.EdgeTypes
	}
	var parts []string
	for _, t := range types {
		r, err := relType(t)
		if err != nil {
			return "", err
		}
		if !slices.Contains(parts, r) {
			parts = append(parts, r)
		}
	}
	return strings.Join(parts, "|"), nil
}

// hops formats a validated hop bound for a quantifier. Callers check the range first;
// this refuses anything else so that a missed check cannot reach query text.
func hops(n int) string {
	if n < 0 || n > graph.MaxDepth {
		panic("neo4j: hop bound " + strconv.Itoa(n) + " was not validated")
	}
	return strconv.Itoa(n)
}
