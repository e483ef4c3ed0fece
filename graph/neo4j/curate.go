package neo4j

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/cyberkg/cyberkg/graph"
)

// Merge folds one node into another in one transaction; see graph.Store. What changes
// is computed by graph.PlanMerge and written with the statements Write uses.
func (s *Store) Merge(ctx context.Context, m graph.MergeRequest) (graph.Summary, error) {
	return execute(ctx, s, neo4j.AccessModeWrite, "merge", func(ctx context.Context, tx neo4j.ManagedTransaction) (graph.Summary, error) {
		if _, err := run(ctx, tx, lockWrites, nil); err != nil {
			return graph.Summary{}, err
		}
		found, err := nodesByID(ctx, tx, []string{m.Keep, m.Drop})
		if err != nil {
			return graph.Summary{}, err
		}
		var keep, drop *graph.Node
		for _, n := range found {
			switch n.ID {
			case m.Keep:
				keep = n
			case m.Drop:
				drop = n
			}
		}
		if err := graph.CheckMerge(m.Keep, m.Drop, keep, drop); err != nil {
			return graph.Summary{}, err
		}
		rel, err := relTypeAlternatives(nil)
		if err != nil {
			return graph.Summary{}, err
		}
		dropEdges, err := edges(ctx, tx, `MATCH (a:Entity {id: $id})-[r:`+rel+`]->(b:Entity) RETURN `+edgeMap+` AS p
			UNION MATCH (a:Entity)-[r:`+rel+`]->(b:Entity {id: $id}) RETURN `+edgeMap+` AS p`, map[string]any{"id": m.Drop})
		if err != nil {
			return graph.Summary{}, err
		}
		existing, err := edgesByID(ctx, tx, graph.MovedEdgeIDs(m.Keep, m.Drop, dropEdges))
		if err != nil {
			return graph.Summary{}, err
		}
		p, err := graph.PlanMerge(keep, drop, dropEdges, existing)
		if err != nil {
			return graph.Summary{}, err
		}
		// The dropped node's names go first, so that the kept node can take them.
		if _, err := run(ctx, tx, `MATCH (a:Alias {owner: $id}) DELETE a`, map[string]any{"id": m.Drop}); err != nil {
			return graph.Summary{}, err
		}
		w := &writePlan{newEdges: map[graph.EdgeType][]map[string]any{}, changedEdges: map[graph.EdgeType][]map[string]any{}}
		props, err := nodeProps(canonical(p.Node))
		if err != nil {
			return graph.Summary{}, err
		}
		w.changedNodes = append(w.changedNodes, props)
		for _, a := range AliasesOf(p.Node) {
			w.aliases = append(w.aliases, a.row())
		}
		for _, e := range p.Write {
			props, err := edgeProps(e)
			if err != nil {
				return graph.Summary{}, err
			}
			row := map[string]any{"from": e.From, "to": e.To, "props": props}
			if p.Created[e.ID] {
				w.newEdges[e.Type] = append(w.newEdges[e.Type], row)
			} else {
				w.changedEdges[e.Type] = append(w.changedEdges[e.Type], row)
			}
		}
		if err := w.apply(ctx, tx); err != nil {
			return graph.Summary{}, err
		}
		if _, err := deleteNodes(ctx, tx, []string{m.Drop}, true); err != nil {
			return graph.Summary{}, err
		}
		if a := m.Audit; a != nil {
			a.Changes = p.Summary
			if a.Detail == "" {
				a.Detail = detail(map[string]any{"merged": drop, "edges": dropEdges})
			}
		}
		return p.Summary, recordAudit(ctx, tx, m.Audit)
	})
}

// edgesByID reads the stored edges with the given IDs, each found from its two ends.
func edgesByID(ctx context.Context, tx neo4j.ManagedTransaction, ids []string) (map[string]*graph.Edge, error) {
	byType := map[graph.EdgeType][]map[string]any{}
	for _, id := range ids {
		t, from, to, ok := graph.ParseEdgeID(id)
		if !ok {
			continue
		}
		byType[t] = append(byType[t], map[string]any{"from": from, "to": to})
	}
	var parts []string
	params := map[string]any{}
	for i, t := range graph.EdgeTypes {
		if len(byType[t]) == 0 {
			continue
		}
		rel, err := relType(t)
		if err != nil {
			return nil, err
		}
		param := "edges" + strconv.Itoa(i)
		params[param] = byType[t]
		parts = append(parts, `UNWIND $`+param+` AS e `+matchEdge(rel, "e")+` RETURN `+edgeMap+` AS p`)
	}
	out := map[string]*graph.Edge{}
	if len(parts) == 0 {
		return out, nil
	}
	found, err := edges(ctx, tx, strings.Join(parts, "\nUNION ALL\n"), params)
	if err != nil {
		return nil, err
	}
	for _, e := range found {
		out[e.ID] = e
	}
	return out, nil
}

// RetractClaim removes claims from an edge or a node in one transaction; see
// graph.Store.
func (s *Store) RetractClaim(ctx context.Context, r graph.ClaimRetraction) (graph.Summary, error) {
	if err := r.Validate(); err != nil {
		return graph.Summary{}, err
	}
	return execute(ctx, s, neo4j.AccessModeWrite, "retract claim", func(ctx context.Context, tx neo4j.ManagedTransaction) (graph.Summary, error) {
		var sum graph.Summary
		if _, err := run(ctx, tx, lockWrites, nil); err != nil {
			return sum, err
		}
		var removed []graph.Claim
		var err error
		switch {
		case r.Edge != "":
			removed, err = retractEdgeClaims(ctx, tx, r, &sum)
		case r.Node != "":
			removed, err = retractNodeClaims(ctx, tx, r, &sum)
		default:
			sum, err = removeSource(ctx, tx, r.Source)
		}
		if err != nil {
			return graph.Summary{}, err
		}
		if a := r.Audit; a != nil {
			a.Changes = sum
			if a.Detail == "" {
				a.Detail = detail(map[string]any{"retracted": removed})
			}
		}
		return sum, recordAudit(ctx, tx, r.Audit)
	})
}

func retractEdgeClaims(ctx context.Context, tx neo4j.ManagedTransaction, r graph.ClaimRetraction, sum *graph.Summary) ([]graph.Claim, error) {
	found, err := edgesByID(ctx, tx, []string{r.Edge})
	if err != nil {
		return nil, err
	}
	e := found[r.Edge]
	if e == nil {
		return nil, graph.Errorf(graph.ENOTFOUND, "no edge %s", r.Edge)
	}
	kept, removed := r.Retract(e.Claims)
	if len(removed) == 0 {
		return nil, graph.Errorf(graph.ENOTFOUND, "edge %s holds no such claim of %s", r.Edge, r.Source)
	}
	rel, err := relType(e.Type)
	if err != nil {
		return nil, err
	}
	row := map[string]any{"from": e.From, "to": e.To}
	if len(kept) == 0 {
		sum.EdgesRemoved++
		_, err := run(ctx, tx, `WITH $row AS e `+matchEdge(rel, "e")+` DELETE r`, map[string]any{"row": row})
		return removed, err
	}
	e.Claims = kept
	e.Confidence = graph.AggregateConfidence(kept)
	props, err := edgeProps(e)
	if err != nil {
		return nil, err
	}
	row["props"] = props
	sum.EdgesUpdated++
	_, err = run(ctx, tx, `WITH $row AS e `+matchEdge(rel, "e")+` SET r = e.props`, map[string]any{"row": row})
	return removed, err
}

func retractNodeClaims(ctx context.Context, tx neo4j.ManagedTransaction, r graph.ClaimRetraction, sum *graph.Summary) ([]graph.Claim, error) {
	found, err := nodesByID(ctx, tx, []string{r.Node})
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, graph.Errorf(graph.ENOTFOUND, "no node %s", r.Node)
	}
	n := found[0]
	kept, removed := r.Retract(n.Claims)
	if len(removed) == 0 {
		return nil, graph.Errorf(graph.ENOTFOUND, "node %s holds no such claim of %s", r.Node, r.Source)
	}
	n.Claims = kept
	n.Confidence = graph.AggregateConfidence(kept)
	if len(kept) == 0 && n.Kind != graph.KindSource {
		gone, err := deleteNodes(ctx, tx, []string{n.ID}, false)
		if err != nil {
			return nil, err
		}
		if gone > 0 {
			sum.NodesRemoved++
			return removed, nil
		}
	}
	props, err := nodeProps(n)
	if err != nil {
		return nil, err
	}
	sum.NodesUpdated++
	_, err = run(ctx, tx, `MATCH (n:Entity {id: $id}) SET n = $props`, map[string]any{"id": n.ID, "props": props})
	return removed, err
}

// detail encodes what a change removed, for the audit trail.
func detail(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
