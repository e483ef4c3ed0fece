package export

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cyberkg/cyberkg/graph"
)

// MaxNodes caps the size of an export: a selection that reaches more nodes is refused,
// so that a careless depth cannot ask a server for the whole graph.
const MaxNodes = 250_000

// chunk is how many IDs one store round trip reads.
const chunk = 1000

// Selection says which part of the graph to export: the Seeds and everything within
// Depth hops of them, plus the explicit IDs, keeping only the nodes and edges that pass
// the filters. Within a field the values are alternatives; across fields all must hold;
// empty fields do not filter.
type Selection struct {
	// Seeds are where the walk starts: node IDs ("actor:lazarus-group") or names and
	// aliases of entities ("Hidden Cobra", "North Korea"), resolved across every entity
	// kind. Seeds are always exported, whatever the filters.
	Seeds []string
	// IDs are nodes exported as they are (the explorer's current view, a neighbourhood
	// or a path from the API); the walk does not start from them.
	IDs []string
	// Depth is how many hops the walk goes from the seeds: 0 exports the seeds alone.
	Depth int

	// Kinds keeps the nodes of these kinds (seeds aside); the walk does not pass
	// through the others.
	Kinds []graph.NodeKind
	// EdgeTypes keeps the edges of these types, and the walk follows only them.
	EdgeTypes []graph.EdgeType
	// From and To keep the incidents whose date can lie in the period (see
	// graph.DateInRange; undated incidents are left out when either is set). Other
	// kinds of node are not dated and always pass.
	From, To graph.Date
	// MinCertainty graph.Asserted keeps only the edges some source asserts; "" or
	// graph.Hedged keeps hedged ones too.
	MinCertainty graph.Certainty
	// MinConfidence keeps the edges whose aggregate confidence is at least this (0..1).
	MinConfidence float64
	// Limit caps the nodes (<= 0: MaxNodes; never more than MaxNodes).
	Limit int
	// Cut keeps the Limit nodes nearest the seeds when the selection reaches more,
	// instead of refusing it; Subgraph.Cut then says so. The explorer draws big views
	// this way and tells its reader the view was cut.
	Cut bool
}

// Validate checks the selection on its own: EINVALID, with what to fix, for nothing
// selected, a depth outside 0..graph.MaxDepth, an unknown kind or edge type, a malformed
// date or period, a certainty other than asserted or hedged, or a confidence outside
// 0..1.
func (s *Selection) Validate() error {
	switch {
	case len(s.Seeds) == 0 && len(s.IDs) == 0:
		return graph.Errorf(graph.EINVALID, "nothing selected: give a seed (a name or an ID) or node IDs")
	case s.Depth < 0:
		return graph.Errorf(graph.EINVALID, "depth %d: want 0 to %d", s.Depth, graph.MaxDepth)
	case s.Depth > graph.MaxDepth:
		return graph.Errorf(graph.EINVALID, "depth %d is too large: the maximum is %d", s.Depth, graph.MaxDepth)
	case s.Depth > 0 && len(s.Seeds) == 0:
		return graph.Errorf(graph.EINVALID, "depth %d needs a seed to walk from: IDs are exported as they are", s.Depth)
	case s.MinConfidence < 0 || s.MinConfidence > 1 || s.MinConfidence != s.MinConfidence:
		return graph.Errorf(graph.EINVALID, "minimum confidence %v: want 0 to 1", s.MinConfidence)
	case s.Limit > MaxNodes:
		return graph.Errorf(graph.EINVALID, "limit %d is too large: the maximum is %d nodes", s.Limit, MaxNodes)
	}
	for _, seed := range s.Seeds {
		if strings.TrimSpace(seed) == "" {
			return graph.Errorf(graph.EINVALID, "an empty seed: give a name or an ID")
		}
	}
	for _, id := range s.IDs {
		if strings.TrimSpace(id) == "" {
			return graph.Errorf(graph.EINVALID, "an empty node ID")
		}
	}
	for _, k := range s.Kinds {
		if !k.Valid() {
			return graph.Errorf(graph.EINVALID, "unknown kind %q: want one of %s", k, joinKinds())
		}
	}
	for _, t := range s.EdgeTypes {
		if !t.Valid() {
			return graph.Errorf(graph.EINVALID, "unknown relation type %q", t)
		}
	}
	for _, d := range []graph.Date{s.From, s.To} {
		if d != "" {
			if _, err := graph.ParseDate(string(d)); err != nil {
				return err
			}
		}
	}
	if s.From != "" && s.To != "" && !graph.DateInRange(s.From, s.From, s.To) {
		return graph.Errorf(graph.EINVALID, "period %s to %s ends before it starts", s.From, s.To)
	}
	switch s.MinCertainty {
	case "", graph.Asserted, graph.Hedged:
	default:
		return graph.Errorf(graph.EINVALID, "certainty %q: want asserted or hedged", s.MinCertainty)
	}
	return nil
}

func joinKinds() string {
	var names []string
	for _, k := range graph.NodeKinds {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}

func (s *Selection) limit() int {
	if s.Limit <= 0 {
		return MaxNodes
	}
	return s.Limit
}

// keepNode reports whether a node other than a seed passes the node filters.
func (s *Selection) keepNode(n *graph.Node) bool {
	if len(s.Kinds) > 0 && !slices.Contains(s.Kinds, n.Kind) {
		return false
	}
	if n.Kind == graph.KindIncident && (s.From != "" || s.To != "") {
		return graph.DateInRange(n.Date, s.From, s.To)
	}
	return true
}

// keepEdge reports whether an edge passes the edge filters.
func (s *Selection) keepEdge(e *graph.Edge) bool {
	if len(s.EdgeTypes) > 0 && !slices.Contains(s.EdgeTypes, e.Type) {
		return false
	}
	if s.MinCertainty == graph.Asserted && e.Certainty() != graph.Asserted {
		return false
	}
	return e.Confidence >= s.MinConfidence
}

// Subgraph is a resolved selection: the IDs of its nodes, sorted, each with its distance
// from the nearest seed (-1 for nodes given by ID alone). Its edges are those among the
// nodes that pass the selection's edge filters; the writers read them in chunks.
type Subgraph struct {
	sel   Selection
	IDs   []string
	hops  []int8   // by position in IDs
	Seeds []string // the seeds' IDs, in the order given
	// Cut is set when the selection reached more than its limit and, as it asked
	// (Selection.Cut), only the nodes nearest the seeds were kept.
	Cut bool
}

// Len returns the number of nodes.
func (g *Subgraph) Len() int { return len(g.IDs) }

// Has reports whether the node is in the subgraph. The IDs are sorted and searched, not
// kept in a map: a subgraph costs little more than its IDs.
func (g *Subgraph) Has(id string) bool { _, ok := slices.BinarySearch(g.IDs, id); return ok }

// Hops returns the node's distance from the nearest seed, -1 when it was given by ID.
func (g *Subgraph) Hops(id string) int {
	i, ok := slices.BinarySearch(g.IDs, id)
	if !ok {
		return -1
	}
	return int(g.hops[i])
}

// Resolve finds the nodes of a selection: ENOTFOUND naming the first unknown seed or ID,
// EINVALID naming an ambiguous name and what it could mean, EINVALID when more than the
// limit are reached (unless sel.Cut: then the nearest nodes, with g.Cut set), and
// ENOTFOUND when no node passes the filters.
func Resolve(ctx context.Context, st graph.Store, sel Selection) (*Subgraph, error) {
	if err := sel.Validate(); err != nil {
		return nil, err
	}
	seeds, err := resolveSeeds(ctx, st, sel.Seeds)
	if err != nil {
		return nil, err
	}
	hops := map[string]int8{}
	for _, id := range seeds {
		hops[id] = 0
	}
	frontier := slices.Clone(seeds)
	slices.Sort(frontier)
	frontier = slices.Compact(frontier)
	cut := false
walk:
	for d := 1; d <= sel.Depth && len(frontier) > 0; d++ {
		var next []string
		for part := range slices.Chunk(frontier, chunk) {
			edges, err := st.Edges(ctx, graph.EdgeFilter{Types: sel.EdgeTypes, Ends: part})
			if err != nil {
				return nil, err
			}
			var found []string
			for _, e := range edges {
				if !sel.keepEdge(e) {
					continue
				}
				for _, end := range []string{e.From, e.To} {
					if _, seen := hops[end]; !seen {
						found = append(found, end)
					}
				}
			}
			slices.Sort(found)
			found = slices.Compact(found)
			for ids := range slices.Chunk(found, chunk) {
				nodes, err := st.Nodes(ctx, ids)
				if err != nil {
					return nil, err
				}
				for _, n := range nodes {
					if _, seen := hops[n.ID]; seen || !sel.keepNode(n) {
						continue
					}
					if sel.Cut && len(hops) >= sel.limit() {
						cut = true
						break walk
					}
					hops[n.ID] = int8(d)
					next = append(next, n.ID)
				}
			}
			if len(hops) > sel.limit() {
				return nil, tooMany(sel)
			}
		}
		slices.Sort(next)
		frontier = next
	}
	// Explicit IDs: every one must exist; they pass the node filters like any other.
	ids := slices.Clone(sel.IDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	kept := ids[:0]
	for i := 0; i < len(ids); i += chunk {
		part := ids[i:min(i+chunk, len(ids))]
		nodes, err := st.Nodes(ctx, part)
		if err != nil {
			return nil, err
		}
		if len(nodes) != len(part) {
			return nil, graph.Errorf(graph.ENOTFOUND, "no node with the ID %q", missing(part, nodes))
		}
		for _, n := range nodes { // in the order of part, so kept stays sorted
			if _, seen := hops[n.ID]; !seen && sel.keepNode(n) {
				if sel.Cut && len(hops)+len(kept) >= sel.limit() {
					cut = true
					break
				}
				kept = append(kept, n.ID)
			}
		}
		if len(hops)+len(kept) > sel.limit() {
			return nil, tooMany(sel)
		}
	}
	if len(hops)+len(kept) == 0 {
		return nil, graph.Errorf(graph.ENOTFOUND, "no node of the selection passes its filters (kinds, dates)")
	}
	g := &Subgraph{sel: sel, IDs: kept, Seeds: seeds, Cut: cut}
	if len(hops) > 0 {
		for id := range hops {
			g.IDs = append(g.IDs, id)
		}
		slices.Sort(g.IDs)
	}
	g.hops = make([]int8, len(g.IDs))
	for i, id := range g.IDs {
		h, ok := hops[id]
		if !ok {
			h = -1
		}
		g.hops[i] = h
	}
	return g, nil
}

func tooMany(sel Selection) error {
	return graph.Errorf(graph.EINVALID, "the selection reaches more than %d nodes: lower the depth or filter by kind, date or certainty", sel.limit())
}

func missing(ids []string, found []*graph.Node) string {
	have := map[string]bool{}
	for _, n := range found {
		have[n.ID] = true
	}
	for _, id := range ids {
		if !have[id] {
			return id
		}
	}
	return ""
}

// resolveSeeds maps each seed to a node ID: an ID that is stored is itself; anything
// else is a name looked up among every kind of entity.
func resolveSeeds(ctx context.Context, st graph.Store, seeds []string) ([]string, error) {
	out := make([]string, 0, len(seeds))
	for _, seed := range seeds {
		seed = strings.TrimSpace(seed)
		if n, err := st.Node(ctx, seed); err == nil {
			out = append(out, n.ID)
			continue
		} else if graph.ErrorCode(err) != graph.ENOTFOUND {
			return nil, err
		}
		var matches []string
		key := graph.Normalize(seed)
		for _, k := range graph.NodeKinds {
			if !k.ResolvedByName() {
				continue
			}
			m, err := st.Resolve(ctx, k, []string{seed})
			if err != nil {
				return nil, err
			}
			if id := m[key]; id != "" && !slices.Contains(matches, id) {
				matches = append(matches, id)
			}
		}
		switch len(matches) {
		case 0:
			return nil, graph.Errorf(graph.ENOTFOUND, "seed %q: no entity has this name, alias or ID", seed)
		case 1:
			out = append(out, matches[0])
		default:
			return nil, graph.Errorf(graph.EINVALID, "seed %q is ambiguous: it names %s; give the ID instead", seed, strings.Join(matches, " and "))
		}
	}
	return out, nil
}

// nodes calls fn with the subgraph's nodes, in ID order, a chunk at a time.
func (g *Subgraph) nodes(ctx context.Context, st graph.Store, fn func([]*graph.Node) error) error {
	for part := range slices.Chunk(g.IDs, chunk) {
		nodes, err := st.Nodes(ctx, part)
		if err != nil {
			return err
		}
		if err := fn(nodes); err != nil {
			return err
		}
	}
	return nil
}

// edges calls fn with the subgraph's edges, a chunk at a time: the edges among its
// nodes that pass the filters. Each is read once, with the chunk of the node it starts
// from: reading by start keeps every read small, where reading by either end would read
// all the edges of a hub (a state, a sector) that thousands of incidents point at.
func (g *Subgraph) edges(ctx context.Context, st graph.Store, fn func([]*graph.Edge) error) error {
	for part := range slices.Chunk(g.IDs, chunk) {
		edges, err := st.Edges(ctx, graph.EdgeFilter{Types: g.sel.EdgeTypes, From: part})
		if err != nil {
			return err
		}
		kept := edges[:0]
		for _, e := range edges {
			if g.Has(e.To) && g.sel.keepEdge(e) {
				kept = append(kept, e)
			}
		}
		if err := fn(kept); err != nil {
			return err
		}
	}
	return nil
}

// CountEdges returns the number of edges the subgraph holds, reading them once.
func (g *Subgraph) CountEdges(ctx context.Context, st graph.Store) (int, error) {
	n := 0
	err := g.edges(ctx, st, func(es []*graph.Edge) error { n += len(es); return nil })
	return n, err
}

func (g *Subgraph) String() string { return fmt.Sprintf("%d nodes", len(g.IDs)) }
