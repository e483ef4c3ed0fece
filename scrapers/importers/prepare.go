package importers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cyberkg/cyberkg/graph"
)

// MaxExamples caps the examples a Report keeps.
const MaxExamples = 10

// Report says what an import did. The parsers fill in what they read and what they left
// out; Prepare fills in how the batch met the store. Add combines the two.
type Report struct {
	Entries       int      `json:"entries"`       // catalogue entries read (MISP clusters, ATT&CK intrusion sets)
	Skipped       int      `json:"skipped"`       // entries left out: revoked, deprecated, nameless or malformed
	Actors        int      `json:"actors"`        // threat actors made from the entries
	SponsorEdges  int      `json:"sponsorEdges"`  // SPONSORED_BY edges, all hedged
	StatesSkipped int      `json:"statesSkipped"` // sponsor names left out because the state table lacks them
	UnknownStates []string `json:"unknownStates"` // those names, sorted, each once

	Nodes          int            `json:"nodes"`          // actors and states Prepare resolved
	New            int            `json:"new"`            // of those, nodes the store does not hold yet
	Merged         int            `json:"merged"`         // of those, nodes that fold into a stored node or an earlier one in the batch
	AliasesDropped int            `json:"aliasesDropped"` // aliases left out because they name another node
	DroppedAliases []DroppedAlias `json:"droppedAliases"` // the first MaxExamples of them
}

// DroppedAlias is an alias Prepare left out, and the node it already names.
type DroppedAlias struct {
	Node    string `json:"node"`    // the name of the node that listed the alias
	Alias   string `json:"alias"`   // the alias as listed
	OwnerID string `json:"ownerId"` // the ID of the node it already names
	Stored  bool   `json:"stored"`  // the owner is in the store, not earlier in the batch
}

func (d DroppedAlias) String() string {
	where := "earlier in this batch"
	if d.Stored {
		where = "in the store"
	}
	return fmt.Sprintf("%s: %q names %s %s", d.Node, d.Alias, d.OwnerID, where)
}

// Add returns the sum of two reports, such as a parser's and Prepare's.
func (r Report) Add(o Report) Report {
	unknown := map[string]bool{}
	for _, s := range append(slices.Clone(r.UnknownStates), o.UnknownStates...) {
		unknown[s] = true
	}
	dropped := append(slices.Clone(r.DroppedAliases), o.DroppedAliases...)
	if len(dropped) > MaxExamples {
		dropped = dropped[:MaxExamples]
	}
	return Report{
		Entries: r.Entries + o.Entries, Skipped: r.Skipped + o.Skipped, Actors: r.Actors + o.Actors,
		SponsorEdges: r.SponsorEdges + o.SponsorEdges, StatesSkipped: r.StatesSkipped + o.StatesSkipped,
		UnknownStates: sortedKeys(unknown),
		Nodes:         r.Nodes + o.Nodes, New: r.New + o.New, Merged: r.Merged + o.Merged,
		AliasesDropped: r.AliasesDropped + o.AliasesDropped, DroppedAliases: dropped,
	}
}

func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "entries: %d read, %d skipped; actors: %d; sponsor edges (hedged): %d", r.Entries, r.Skipped, r.Actors, r.SponsorEdges)
	if r.StatesSkipped > 0 {
		fmt.Fprintf(&b, "; %d sponsor names not in the state table: %s", r.StatesSkipped, strings.Join(r.UnknownStates, ", "))
	}
	fmt.Fprintf(&b, "\nresolved: %d nodes, %d new, %d merged; aliases dropped: %d", r.Nodes, r.New, r.Merged, r.AliasesDropped)
	for _, d := range r.DroppedAliases {
		fmt.Fprintf(&b, "\n  %s", d)
	}
	if more := r.AliasesDropped - len(r.DroppedAliases); more > 0 {
		fmt.Fprintf(&b, "\n  and %d more", more)
	}
	return b.String()
}

// Prepare resolves a batch against the store before graph.Ingest, so that the catalogue's
// overlaps never make Ingest fail with ECONFLICT or merge two distinct actors. For each
// node but sources and amounts, in order:
//
//   - a node whose name the store knows merges into that node; else one named like an
//     earlier node of the batch merges with it; else one whose aliases the store knows
//     merges into their node when they all name the same one; otherwise it is new, under
//     its own name, and aliases naming two different stored nodes are dropped;
//   - an alias is dropped when it names another stored node, is the name of another node
//     of the batch, or is already an alias of an earlier node of the batch; the claim
//     that listed it goes with it.
//
// Nodes that resolve to the same node become one, with the ID of the node they resolve to;
// edges follow their ends. The input batch is not changed. A malformed batch is
// EINVALID. A node given an explicit ID (not its DefaultID) keeps it, as in graph.Ingest;
// if its name already belongs to another node that is ECONFLICT, since no alias can be
// dropped to fix it. The parsers never make such nodes.
func Prepare(ctx context.Context, store graph.Store, b *graph.Batch) (*graph.Batch, Report, error) {
	var rep Report
	if b == nil {
		return nil, rep, graph.Errorf(graph.EINVALID, "prepare: no batch")
	}
	in := &graph.Batch{}
	for _, n := range b.Nodes {
		if n != nil {
			c := *n
			c.Aliases = slices.Clone(n.Aliases)
			c.Claims = slices.Clone(n.Claims)
			if c.ID == "" {
				c.ID = c.DefaultID()
			}
			n = &c
		}
		in.Nodes = append(in.Nodes, n)
	}
	for _, e := range b.Edges {
		if e != nil {
			c := *e
			e = &c
		}
		in.Edges = append(in.Edges, e)
	}
	if err := in.Validate(); err != nil {
		return nil, rep, err
	}

	names := map[graph.NodeKind][]string{}
	for _, n := range in.Nodes {
		if named(n) {
			names[n.Kind] = append(names[n.Kind], n.Names()...)
		}
	}
	stored := map[graph.NodeKind]map[string]string{}
	for kind, ns := range names {
		m, err := store.Resolve(ctx, kind, ns)
		if err != nil {
			return nil, rep, fmt.Errorf("prepare: resolve %s names: %w", kind, err)
		}
		stored[kind] = m
	}

	// Names first: a catalogue entry's own name outranks another entry's alias.
	type key struct {
		kind graph.NodeKind
		name string
	}
	identity := make([]string, len(in.Nodes)) // index in in.Nodes -> the ID it resolves to
	nameOwner := map[key]string{}
	for i, n := range in.Nodes {
		if !named(n) {
			continue
		}
		k := key{n.Kind, graph.Normalize(n.Name)}
		found := stored[n.Kind]
		switch {
		case !resolvable(n):
			for _, id := range []string{found[k.name], nameOwner[k]} {
				if id != "" && id != n.ID {
					return nil, rep, graph.Errorf(graph.ECONFLICT, "prepare: %s %q has the ID %s, but its name already belongs to %s", n.Kind, n.Name, n.ID, id)
				}
			}
			identity[i] = n.ID
		case found[k.name] != "":
			identity[i] = found[k.name]
		case nameOwner[k] != "":
			identity[i] = nameOwner[k]
		default:
			var ids []string
			for _, a := range n.Aliases {
				if id := found[graph.Normalize(a)]; id != "" && !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
			identity[i] = n.ID // new; aliases naming stored nodes are dropped below
			if len(ids) == 1 {
				identity[i] = ids[0]
			}
		}
		if nameOwner[k] == "" {
			nameOwner[k] = identity[i]
		}
	}

	// Which identities the store already holds: merged, not new.
	var check []string
	seen := map[string]bool{"": true}
	for _, id := range identity {
		if !seen[id] {
			seen[id] = true
			check = append(check, id)
		}
	}
	held, err := store.Nodes(ctx, check)
	if err != nil {
		return nil, rep, fmt.Errorf("prepare: look up nodes: %w", err)
	}
	inStore := map[string]bool{}
	for _, n := range held {
		inStore[n.ID] = true
	}

	aliasOwner := map[key]string{}
	out := &graph.Batch{}
	at := map[string]*graph.Node{} // identity -> its node in out
	rename := map[string]string{}
	for i, n := range in.Nodes {
		if !named(n) {
			out.Nodes = append(out.Nodes, n)
			continue
		}
		id := identity[i]
		found := stored[n.Kind]
		var keep []string
		for _, a := range n.Aliases {
			k := key{n.Kind, graph.Normalize(a)}
			owner, fromStore := found[k.name], true
			if owner == "" || owner == id {
				owner, fromStore = nameOwner[k], false
			}
			if owner == "" || owner == id {
				owner = aliasOwner[k]
			}
			if k.name != "" && owner != "" && owner != id {
				rep.AliasesDropped++
				if len(rep.DroppedAliases) < MaxExamples {
					rep.DroppedAliases = append(rep.DroppedAliases, DroppedAlias{Node: n.Name, Alias: a, OwnerID: owner, Stored: fromStore})
				}
				n.Claims = withoutAliasClaims(n.Claims, a, n.Name)
				continue
			}
			if k.name != "" && aliasOwner[k] == "" {
				aliasOwner[k] = id
			}
			keep = append(keep, a)
		}
		n.Aliases = keep
		if n.ID != id {
			rename[n.ID] = id
			n.ID = id
		}
		rep.Nodes++
		if prev := at[id]; prev != nil {
			merged, _, err := graph.MergeNode(prev, n)
			if err != nil {
				return nil, rep, err
			}
			*prev = *merged
			rep.Merged++
			continue
		}
		if inStore[id] {
			rep.Merged++
		} else {
			rep.New++
		}
		at[id] = n
		out.Nodes = append(out.Nodes, n)
	}
	for _, e := range in.Edges {
		if to, ok := rename[e.From]; ok {
			e.From = to
		}
		if to, ok := rename[e.To]; ok {
			e.To = to
		}
		if e.From == e.To {
			continue
		}
		e.ID = graph.EdgeID(e.Type, e.From, e.To)
		out.Edges = append(out.Edges, e)
	}
	return out, rep, nil
}

// named reports whether a node is found by its names: everything but sources and
// amounts, which are keyed by URL and incident.
func named(n *graph.Node) bool {
	return n.Kind != graph.KindSource && n.Kind != graph.KindAmount
}

// resolvable mirrors graph.Ingest: a node given an explicit ID of its own keeps it.
func resolvable(n *graph.Node) bool {
	return named(n) && n.ID == n.DefaultID()
}

// withoutAliasClaims drops the claims that listed alias as another name for name.
func withoutAliasClaims(claims []graph.Claim, alias, name string) []graph.Claim {
	return slices.DeleteFunc(claims, func(c graph.Claim) bool {
		return c.Quote == aliasQuote(c.Claimant, alias, name)
	})
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
