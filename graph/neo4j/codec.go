package neo4j

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// nodeProps returns the properties of a node. Empty fields are left out, so that
// `SET n = $props` clears them and decoding gives back nil slices and zero values:
// graph.MergeNode compares nodes with reflect.DeepEqual, and a stored node that came
// back with [] where it went in with nil would look changed on every re-ingest.
func nodeProps(n *graph.Node) (map[string]any, error) {
	p := map[string]any{"id": n.ID, "kind": string(n.Kind), "name": n.Name, "confidence": n.Confidence}
	set := func(k, v string) {
		if v != "" {
			p[k] = v
		}
	}
	set("description", n.Description)
	set("code", n.Code)
	set("actorKind", string(n.ActorKind))
	set("incidentKind", string(n.IncidentKind))
	set("date", string(n.Date))
	set("url", n.URL)
	set("title", n.Title)
	set("publisher", n.Publisher)
	set("contentHash", n.ContentHash)
	if len(n.Aliases) > 0 {
		p["aliases"] = n.Aliases
	}
	if !n.Published.IsZero() {
		p["published"] = n.Published
	}
	if !n.Fetched.IsZero() {
		p["fetched"] = n.Fetched
	}
	if len(n.ExternalIDs) > 0 {
		b, err := json.Marshal(n.ExternalIDs)
		if err != nil {
			return nil, err
		}
		p["externalIds"] = string(b)
	}
	if n.Amount != nil {
		b, err := json.Marshal(n.Amount)
		if err != nil {
			return nil, err
		}
		p["amount"] = string(b)
		if n.Amount.ValueUSD != nil {
			p["usd"] = *n.Amount.ValueUSD
		}
	}
	if err := setClaims(p, n.Claims); err != nil {
		return nil, err
	}
	return p, nil
}

func setClaims(p map[string]any, claims []graph.Claim) error {
	if len(claims) == 0 {
		return nil
	}
	b, err := json.Marshal(claims)
	if err != nil {
		return err
	}
	p["claims"] = string(b)
	p["sources"] = claimSources(claims)
	return nil
}

func claimSources(claims []graph.Claim) []string {
	var ids []string
	for _, c := range claims {
		if !slices.Contains(ids, c.SourceID) {
			ids = append(ids, c.SourceID)
		}
	}
	return ids
}

// decodeNode is the inverse of nodeProps.
func decodeNode(p map[string]any) (*graph.Node, error) {
	n := &graph.Node{
		ID:           str(p["id"]),
		Kind:         graph.NodeKind(str(p["kind"])),
		Name:         str(p["name"]),
		Description:  str(p["description"]),
		Code:         str(p["code"]),
		ActorKind:    graph.ActorKind(str(p["actorKind"])),
		IncidentKind: graph.IncidentKind(str(p["incidentKind"])),
		Date:         graph.Date(str(p["date"])),
		URL:          str(p["url"]),
		Title:        str(p["title"]),
		Publisher:    str(p["publisher"]),
		ContentHash:  str(p["contentHash"]),
		Published:    utc(p["published"]),
		Fetched:      utc(p["fetched"]),
		Confidence:   num(p["confidence"]),
	}
	n.Aliases = strs(p["aliases"])
	if s := str(p["externalIds"]); s != "" {
		if err := json.Unmarshal([]byte(s), &n.ExternalIDs); err != nil {
			return nil, fmt.Errorf("node %s: external IDs: %w", n.ID, err)
		}
	}
	if s := str(p["amount"]); s != "" {
		n.Amount = new(graph.Amount)
		if err := json.Unmarshal([]byte(s), n.Amount); err != nil {
			return nil, fmt.Errorf("node %s: amount: %w", n.ID, err)
		}
	}
	claims, err := decodeClaims(p["claims"])
	if err != nil {
		return nil, fmt.Errorf("node %s: %w", n.ID, err)
	}
	n.Claims = claims
	return n, nil
}

func edgeProps(e *graph.Edge) (map[string]any, error) {
	p := map[string]any{"id": e.ID, "confidence": e.Confidence, "certainty": string(e.Certainty())}
	if err := setClaims(p, e.Claims); err != nil {
		return nil, err
	}
	return p, nil
}

// decodeEdge reads the map the queries return for a relationship: its properties plus
// type, from and to.
func decodeEdge(p map[string]any) (*graph.Edge, error) {
	e := &graph.Edge{
		ID:         str(p["id"]),
		Type:       graph.EdgeType(str(p["type"])),
		From:       str(p["from"]),
		To:         str(p["to"]),
		Confidence: num(p["confidence"]),
	}
	claims, err := decodeClaims(p["claims"])
	if err != nil {
		return nil, fmt.Errorf("edge %s: %w", e.ID, err)
	}
	e.Claims = claims
	return e, nil
}

// decodeNodeValue and decodeEdgeValue decode a node's properties and an edge's map
// (see edgeMap) as a query returns them in a list.
func decodeNodeValue(v any) (*graph.Node, error) {
	p, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("node: got %T, want a map", v)
	}
	return decodeNode(p)
}

func decodeEdgeValue(v any) (*graph.Edge, error) {
	p, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("edge: got %T, want a map", v)
	}
	return decodeEdge(p)
}

// briefNode reads [id, kind, name, confidence], the node of a brief answer
// (graph.NeighborhoodOptions.Brief).
func briefNode(v any) (*graph.Node, error) {
	f, ok := v.([]any)
	if !ok || len(f) != 4 {
		return nil, fmt.Errorf("brief node: got %v, want [id, kind, name, confidence]", v)
	}
	return &graph.Node{ID: str(f[0]), Kind: graph.NodeKind(str(f[1])), Name: str(f[2]), Confidence: num(f[3])}, nil
}

// briefEdge reads [id, type, from, to, confidence], the edge of a brief answer.
func briefEdge(v any) (*graph.Edge, error) {
	f, ok := v.([]any)
	if !ok || len(f) != 5 {
		return nil, fmt.Errorf("brief edge: got %v, want [id, type, from, to, confidence]", v)
	}
	return &graph.Edge{ID: str(f[0]), Type: graph.EdgeType(str(f[1])), From: str(f[2]), To: str(f[3]), Confidence: num(f[4])}, nil
}

func decodeClaims(v any) ([]graph.Claim, error) {
	s := str(v)
	if s == "" {
		return nil, nil
	}
	if claims, ok := decoded.get(s); ok {
		return claims, nil
	}
	var claims []graph.Claim
	if err := json.Unmarshal([]byte(s), &claims); err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	for i := range claims {
		claims[i].Reported = claims[i].Reported.UTC()
	}
	decoded.put(s, claims)
	return claims, nil
}

// decoded keeps claims decoded from their JSON, keyed by the JSON itself, so it can
// never hand back claims that are not the ones stored. Decoding the claims of every
// node and edge a read returns was most of the Go time of a read (a neighbourhood of
// 500 entities: 1000 decodes); popular nodes come back again and again. It holds up
// to decodedBytes of JSON and then starts afresh.
var decoded = claimCache{m: map[string][]graph.Claim{}}

const decodedBytes = 16 << 20

type claimCache struct {
	mu    sync.RWMutex
	m     map[string][]graph.Claim
	bytes int
}

// get returns a copy: callers may change what they are given.
func (c *claimCache) get(s string) ([]graph.Claim, bool) {
	c.mu.RLock()
	claims, ok := c.m[s]
	c.mu.RUnlock()
	return slices.Clone(claims), ok
}

func (c *claimCache) put(s string, claims []graph.Claim) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes+len(s) > decodedBytes {
		clear(c.m)
		c.bytes = 0
	}
	c.m[s] = slices.Clone(claims)
	c.bytes += len(s)
}

// canonical returns a copy of n whose times are in UTC without a monotonic reading, the
// form they come back from the database in. graph.MergeClaims replaces a stored claim
// by the incoming one, and graph.MergeNode compares the result with reflect.DeepEqual,
// so an incoming time in another zone would count as a change on every re-ingest.
func canonical(n *graph.Node) *graph.Node {
	c := *n
	c.Published, c.Fetched = n.Published.UTC(), n.Fetched.UTC()
	c.Claims = canonicalClaims(n.Claims)
	return &c
}

func canonicalClaims(claims []graph.Claim) []graph.Claim {
	if claims == nil {
		return nil
	}
	out := make([]graph.Claim, len(claims))
	for i, c := range claims {
		c.Reported = c.Reported.UTC()
		out[i] = c
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// strs reads a list of strings: []any from the driver, []string from nodeProps.
func strs(v any) []string {
	switch list := v.(type) {
	case []string:
		if len(list) > 0 {
			return list
		}
	case []any:
		if len(list) > 0 {
			out := make([]string, len(list))
			for i, s := range list {
				out[i] = str(s)
			}
			return out
		}
	}
	return nil
}

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}
	return 0
}

func utc(v any) time.Time {
	t, _ := v.(time.Time)
	return t.UTC()
}
