package neo4j

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/cyberkg/cyberkg/graph"
)

// Write upserts the batch in one transaction, in a fixed number of statements however
// large the batch: take the write lock; load what the batch touches (one statement);
// merge in Go with graph.MergeNode and graph.MergeEdge, exactly as every store does;
// then write what changed with one UNWIND statement per node kind, one for updated
// nodes, one for aliases, and one or two per edge type. Any error rolls everything back.
func (s *Store) Write(ctx context.Context, b *graph.Batch) (graph.Summary, error) {
	if b == nil {
		return graph.Summary{}, graph.Errorf(graph.EINVALID, "no batch")
	}
	if err := b.Validate(); err != nil {
		return graph.Summary{}, err
	}
	b = b.Normalized()
	if len(b.Nodes) == 0 && len(b.Edges) == 0 && b.Audit == nil {
		return graph.Summary{}, nil
	}
	for i, n := range b.Nodes {
		b.Nodes[i] = canonical(n)
	}
	for _, e := range b.Edges {
		e.Claims = canonicalClaims(e.Claims)
	}
	return execute(ctx, s, neo4j.AccessModeWrite, "write", func(ctx context.Context, tx neo4j.ManagedTransaction) (graph.Summary, error) {
		if _, err := run(ctx, tx, lockWrites, nil); err != nil {
			return graph.Summary{}, err
		}
		st, err := load(ctx, tx, b)
		if err != nil {
			return graph.Summary{}, err
		}
		p, err := plan(b, st)
		if err != nil {
			return graph.Summary{}, err
		}
		if err := p.apply(ctx, tx); err != nil {
			return graph.Summary{}, err
		}
		if b.Audit != nil {
			b.Audit.Changes = p.sum
		}
		return p.sum, recordAudit(ctx, tx, b.Audit)
	})
}

// stored is what the database holds of the nodes, aliases and edges a batch touches.
type stored struct {
	nodes   map[string]*graph.Node
	aliases map[string]Alias // by key
	edges   map[string]*graph.Edge
}

// Alias is one (:Alias) node, a normalised name under which an entity is found; see
// schema.go.
type Alias struct {
	Key, Kind, Name, Owner, Via string
}

func (a Alias) row() map[string]any {
	return map[string]any{"key": a.Key, "kind": a.Kind, "name": a.Name, "owner": a.Owner, "via": a.Via}
}

// uniqueNames reports whether a name of this kind names one node only. Ingest resolves
// these kinds by name; sources and amounts it does not (two articles may share a title,
// two thefts the same sum), so their names are searchable but may repeat.
func uniqueNames(k graph.NodeKind) bool { return k.ResolvedByName() }

// AliasesOf returns the alias nodes that make n findable, as Write stores them: one per
// graph.Node.AliasKeys, with Via "name", "alias" or "code". The Cypher export writes the
// same, so a copy resolves and searches like the original.
func AliasesOf(n *graph.Node) []Alias {
	name := graph.Normalize(n.Name)
	var out []Alias
	for _, k := range n.AliasKeys() {
		via := "code"
		switch {
		case k == name:
			via = "name"
		case slices.ContainsFunc(n.Aliases, func(a string) bool { return graph.Normalize(a) == k }):
			via = "alias"
		}
		out = append(out, Alias{Key: aliasKey(n.Kind, n.ID, k), Kind: string(n.Kind), Name: k, Owner: n.ID, Via: via})
	}
	return out
}

func aliasKey(kind graph.NodeKind, id, name string) string {
	if uniqueNames(kind) {
		return string(kind) + "|" + name
	}
	return string(kind) + "|" + id + "|" + name
}

// load reads, in one statement, the stored nodes with the batch's node IDs and edge
// ends, every alias those nodes own or the batch's names would take, and the stored
// edges with the batch's edge IDs.
func load(ctx context.Context, tx neo4j.ManagedTransaction, b *graph.Batch) (*stored, error) {
	var ids, nodeIDs, keys []string
	seen := map[string]bool{}
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, n := range b.Nodes {
		add(n.ID)
		nodeIDs = append(nodeIDs, n.ID)
		for _, a := range AliasesOf(n) {
			keys = append(keys, a.Key)
		}
	}
	for _, e := range b.Edges {
		add(e.From)
		add(e.To)
	}
	parts := []string{
		`UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN 'node' AS what, properties(n) AS p`,
		`UNWIND $keys AS key MATCH (a:Alias {key: key}) RETURN 'alias' AS what, properties(a) AS p`,
		`UNWIND $nodeIds AS id MATCH (a:Alias {owner: id}) RETURN 'alias' AS what, properties(a) AS p`,
	}
	params := map[string]any{"ids": ids, "nodeIds": nodeIDs, "keys": keys}
	for i, g := range groupEdges(b.Edges) {
		rel, err := relType(g.typ)
		if err != nil {
			return nil, err
		}
		param := "edges" + strconv.Itoa(i)
		var rows []map[string]any
		for _, e := range g.edges {
			rows = append(rows, map[string]any{"from": e.From, "to": e.To})
		}
		params[param] = rows
		parts = append(parts, `UNWIND $`+param+` AS e `+matchEdge(rel, "e")+
			` RETURN 'edge' AS what, r {.*, type: type(r), from: e.from, to: e.to} AS p`)
	}
	recs, err := run(ctx, tx, strings.Join(parts, "\nUNION ALL\n"), params)
	if err != nil {
		return nil, err
	}
	st := &stored{nodes: map[string]*graph.Node{}, aliases: map[string]Alias{}, edges: map[string]*graph.Edge{}}
	for _, r := range recs {
		p, _ := r.Values[1].(map[string]any)
		switch r.Values[0] {
		case "node":
			n, err := decodeNode(p)
			if err != nil {
				return nil, err
			}
			st.nodes[n.ID] = n
		case "alias":
			a := Alias{Key: str(p["key"]), Kind: str(p["kind"]), Name: str(p["name"]), Owner: str(p["owner"]), Via: str(p["via"])}
			st.aliases[a.Key] = a
		case "edge":
			e, err := decodeEdge(p)
			if err != nil {
				return nil, err
			}
			st.edges[e.ID] = e
		}
	}
	return st, nil
}

// matchEdge matches r, the stored edge of type rel between the ends named by v.from
// and v.to. Seeking both ends makes the planner check the edge from whichever end has
// fewer relationships: left to itself it may expand from an actor with thousands of
// attributions and filter, which made batched writes slow down as the graph grew.
func matchEdge(rel, v string) string {
	return `MATCH (a:Entity {id: ` + v + `.from})-[r:` + rel + `]->(b:Entity {id: ` + v + `.to}) USING INDEX a:Entity(id) USING INDEX b:Entity(id)`
}

type edgeGroup struct {
	typ   graph.EdgeType
	edges []*graph.Edge
}

// groupEdges splits edges by type, in the order of graph.EdgeTypes, so that statements
// (and their parameter names) come out the same for the same batch.
func groupEdges(edges []*graph.Edge) []edgeGroup {
	by := map[graph.EdgeType][]*graph.Edge{}
	for _, e := range edges {
		by[e.Type] = append(by[e.Type], e)
	}
	var out []edgeGroup
	for _, t := range graph.EdgeTypes {
		if len(by[t]) > 0 {
			out = append(out, edgeGroup{t, by[t]})
		}
	}
	return out
}

// writePlan is what a batch changes: computed in Go, then applied with apply.
type writePlan struct {
	sum          graph.Summary
	newNodes     map[graph.NodeKind][]map[string]any
	changedNodes []map[string]any
	aliases      []map[string]any
	newEdges     map[graph.EdgeType][]map[string]any
	changedEdges map[graph.EdgeType][]map[string]any
}

// plan merges the batch into what is stored and checks the store-level rules that
// Batch.Validate cannot: kinds against stored nodes, alias ownership, edge ends.
func plan(b *graph.Batch, st *stored) (*writePlan, error) {
	p := &writePlan{
		newNodes:     map[graph.NodeKind][]map[string]any{},
		newEdges:     map[graph.EdgeType][]map[string]any{},
		changedEdges: map[graph.EdgeType][]map[string]any{},
	}
	merged := map[string]*graph.Node{}
	changed := map[string]bool{}
	var order []string
	for _, n := range b.Nodes {
		base, again := merged[n.ID]
		if !again {
			base = st.nodes[n.ID]
			order = append(order, n.ID)
		}
		m, ch, err := graph.MergeNode(base, n)
		if err != nil {
			return nil, err
		}
		merged[n.ID] = m
		changed[n.ID] = changed[n.ID] || ch
	}
	taken := map[string]string{} // alias key -> the batch node that takes it
	for _, id := range order {
		if !changed[id] {
			continue
		}
		n := merged[id]
		for _, a := range AliasesOf(n) {
			if old, ok := st.aliases[a.Key]; ok && old.Owner != id {
				return nil, graph.Errorf(graph.ECONFLICT, "%s %q: the name %q already belongs to %s", n.Kind, n.Name, a.Name, old.Owner)
			}
			if other, ok := taken[a.Key]; ok && other != id {
				return nil, graph.Errorf(graph.ECONFLICT, "%s %q: the name %q is also given to %s in the same batch", n.Kind, n.Name, a.Name, other)
			}
			taken[a.Key] = id
			if st.aliases[a.Key] != a {
				p.aliases = append(p.aliases, a.row())
			}
		}
		props, err := nodeProps(n)
		if err != nil {
			return nil, err
		}
		if st.nodes[id] == nil {
			p.sum.NodesCreated++
			p.newNodes[n.Kind] = append(p.newNodes[n.Kind], props)
		} else {
			p.sum.NodesUpdated++
			p.changedNodes = append(p.changedNodes, props)
		}
	}
	kindOf := func(id string) (graph.NodeKind, bool) {
		if n := merged[id]; n != nil {
			return n.Kind, true
		}
		if n := st.nodes[id]; n != nil {
			return n.Kind, true
		}
		return "", false
	}
	for _, e := range b.Edges {
		fk, ok := kindOf(e.From)
		if !ok {
			return nil, graph.Errorf(graph.ENOTFOUND, "edge %s: no node %s", e.ID, e.From)
		}
		tk, ok := kindOf(e.To)
		if !ok {
			return nil, graph.Errorf(graph.ENOTFOUND, "edge %s: no node %s", e.ID, e.To)
		}
		if !e.Type.Connects(fk, tk) {
			return nil, graph.Errorf(graph.ECONFLICT, "edge %s cannot go from a %s (%s) to a %s (%s)", e.Type, fk, e.From, tk, e.To)
		}
		old := st.edges[e.ID]
		m, ch := graph.MergeEdge(old, e)
		if !ch {
			continue
		}
		props, err := edgeProps(m)
		if err != nil {
			return nil, err
		}
		row := map[string]any{"from": m.From, "to": m.To, "props": props}
		if old == nil {
			p.sum.EdgesCreated++
			p.newEdges[e.Type] = append(p.newEdges[e.Type], row)
		} else {
			p.sum.EdgesUpdated++
			p.changedEdges[e.Type] = append(p.changedEdges[e.Type], row)
		}
	}
	return p, nil
}

// apply runs the plan's statements. Nodes go before the edges that need them.
func (p *writePlan) apply(ctx context.Context, tx neo4j.ManagedTransaction) error {
	exec := func(cypher string, rows []map[string]any) error {
		if len(rows) == 0 {
			return nil
		}
		_, err := run(ctx, tx, cypher, map[string]any{"rows": rows})
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(p.newNodes)) {
		l, err := label(k)
		if err != nil {
			return err
		}
		if err := exec(`UNWIND $rows AS row CREATE (n:Entity:`+l+`) SET n = row`, p.newNodes[k]); err != nil {
			return fmt.Errorf("create %s nodes: %w", k, err)
		}
	}
	// Kinds never change, so neither do labels: one statement for every kind.
	if err := exec(`UNWIND $rows AS row MATCH (n:Entity {id: row.id}) SET n = row`, p.changedNodes); err != nil {
		return fmt.Errorf("update nodes: %w", err)
	}
	if err := exec(`UNWIND $rows AS row MERGE (a:Alias {key: row.key}) SET a = row`, p.aliases); err != nil {
		return fmt.Errorf("write aliases: %w", err)
	}
	for _, t := range graph.EdgeTypes {
		if len(p.newEdges[t]) == 0 && len(p.changedEdges[t]) == 0 {
			continue
		}
		rel, err := relType(t)
		if err != nil {
			return err
		}
		if err := exec(`UNWIND $rows AS row MATCH (a:Entity {id: row.from}) MATCH (b:Entity {id: row.to}) `+
			`CREATE (a)-[r:`+rel+`]->(b) SET r = row.props`, p.newEdges[t]); err != nil {
			return fmt.Errorf("create %s edges: %w", t, err)
		}
		if err := exec(`UNWIND $rows AS row `+matchEdge(rel, "row")+` SET r = row.props`, p.changedEdges[t]); err != nil {
			return fmt.Errorf("update %s edges: %w", t, err)
		}
	}
	return nil
}

// RemoveSource retracts a source in one transaction: its claims leave every node and
// edge; edges left without a claim are deleted, and so are nodes that it reported, that
// no other source reports and that no edge still needs; then the source itself.
func (s *Store) RemoveSource(ctx context.Context, sourceID string) (graph.Summary, error) {
	return execute(ctx, s, neo4j.AccessModeWrite, "remove source", func(ctx context.Context, tx neo4j.ManagedTransaction) (graph.Summary, error) {
		if _, err := run(ctx, tx, lockWrites, nil); err != nil {
			return graph.Summary{}, err
		}
		return removeSource(ctx, tx, sourceID)
	})
}

// removeSource is RemoveSource in a transaction that holds the write lock.
func removeSource(ctx context.Context, tx neo4j.ManagedTransaction, sourceID string) (graph.Summary, error) {
	var sum graph.Summary
	recs, err := run(ctx, tx, `MATCH (n:Entity {id: $id}) WHERE n.kind = 'Source' RETURN n.id`, map[string]any{"id": sourceID})
	if err != nil {
		return sum, err
	}
	if len(recs) == 0 {
		return sum, graph.Errorf(graph.ENOTFOUND, "no source %s", sourceID)
	}
	// No index holds list elements, so finding the claims is a scan; retraction is
	// rare and this keeps writes cheap.
	recs, err = run(ctx, tx, `MATCH (n:Entity) WHERE $id IN n.sources AND n.id <> $id RETURN properties(n) AS p
		UNION ALL
		MATCH (a:Entity)-[r]->(b:Entity) WHERE $id IN r.sources
		RETURN r {.*, type: type(r), from: a.id, to: b.id, eid: elementId(r)} AS p`, map[string]any{"id": sourceID})
	if err != nil {
		return sum, err
	}
	var nodeRows, edgeRows []map[string]any
	var deadEdges, bare []string
	for _, r := range recs {
		p, _ := r.Values[0].(map[string]any)
		if eid, ok := p["eid"].(string); ok {
			e, err := decodeEdge(p)
			if err != nil {
				return sum, err
			}
			e.Claims = without(e.Claims, sourceID)
			if len(e.Claims) == 0 {
				deadEdges = append(deadEdges, eid)
				continue
			}
			e.Confidence = graph.AggregateConfidence(e.Claims)
			props, err := edgeProps(e)
			if err != nil {
				return sum, err
			}
			edgeRows = append(edgeRows, map[string]any{"eid": eid, "props": props})
			continue
		}
		n, err := decodeNode(p)
		if err != nil {
			return sum, err
		}
		n.Claims = without(n.Claims, sourceID)
		n.Confidence = graph.AggregateConfidence(n.Claims)
		if len(n.Claims) == 0 {
			bare = append(bare, n.ID)
		}
		props, err := nodeProps(n)
		if err != nil {
			return sum, err
		}
		nodeRows = append(nodeRows, props)
	}
	steps := []struct {
		cypher string
		params map[string]any
	}{
		{`MATCH ()-[r]->() WHERE elementId(r) IN $eids DELETE r`, map[string]any{"eids": deadEdges}},
		{`UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.eid SET r = row.props`, map[string]any{"rows": edgeRows}},
		{`UNWIND $rows AS row MATCH (n:Entity {id: row.id}) SET n = row`, map[string]any{"rows": nodeRows}},
	}
	for _, st := range steps {
		if _, err := run(ctx, tx, st.cypher, st.params); err != nil {
			return sum, err
		}
	}
	removed, err := deleteNodes(ctx, tx, bare, false)
	if err != nil {
		return sum, err
	}
	if _, err := deleteNodes(ctx, tx, []string{sourceID}, true); err != nil {
		return sum, err
	}
	sum.EdgesRemoved = len(deadEdges)
	sum.EdgesUpdated = len(edgeRows)
	sum.NodesRemoved = removed + 1
	sum.NodesUpdated = len(nodeRows) - removed
	return sum, nil
}

// deleteNodes deletes nodes and their aliases and returns how many went. Unless force
// is set, a node that an edge still needs stays.
func deleteNodes(ctx context.Context, tx neo4j.ManagedTransaction, ids []string, force bool) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	recs, err := run(ctx, tx, `UNWIND $ids AS id
		MATCH (n:Entity {id: id}) WHERE $force OR NOT EXISTS { (n)--() }
		OPTIONAL MATCH (a:Alias {owner: id})
		WITH n, collect(a) AS aliases
		FOREACH (a IN aliases | DELETE a)
		DETACH DELETE n
		RETURN count(*) AS removed`, map[string]any{"ids": ids, "force": force})
	if err != nil {
		return 0, err
	}
	if len(recs) == 0 {
		return 0, nil
	}
	c, _ := recs[0].Values[0].(int64)
	return int(c), nil
}

func without(claims []graph.Claim, sourceID string) []graph.Claim {
	var out []graph.Claim
	for _, c := range claims {
		if c.SourceID != sourceID {
			out = append(out, c)
		}
	}
	return out
}
