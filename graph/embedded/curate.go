package embedded

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/cyberkg/cyberkg/graph"
)

// Merge folds one node into another in one transaction; see graph.Store.
func (s *Store) Merge(ctx context.Context, m graph.MergeRequest) (graph.Summary, error) {
	var sum graph.Summary
	err := s.inTx(ctx, "merge "+m.Drop+" into "+m.Keep, func(tx *sql.Tx) error {
		c := curation{s: s, tx: tx, op: "merge"}
		nodes, err := scanData[graph.Node](tx.QueryContext(ctx, `SELECT id, data FROM nodes WHERE id IN `+inList, idList([]string{m.Keep, m.Drop})))
		if err != nil {
			return c.fail("load nodes", err)
		}
		keep, drop := nodes[m.Keep], nodes[m.Drop]
		if err := graph.CheckMerge(m.Keep, m.Drop, keep, drop); err != nil {
			return err
		}
		edges, err := c.edgesAt(ctx, m.Drop)
		if err != nil {
			return err
		}
		existing, err := scanData[graph.Edge](tx.QueryContext(ctx, `SELECT id, data FROM edges WHERE id IN `+inList, idList(graph.MovedEdgeIDs(m.Keep, m.Drop, edges))))
		if err != nil {
			return c.fail("load edges at "+m.Keep, err)
		}
		p, err := graph.PlanMerge(keep, drop, edges, existing)
		if err != nil {
			return err
		}
		for _, e := range p.Delete {
			if err := c.deleteEdge(ctx, e); err != nil {
				return err
			}
		}
		if err := c.deleteNode(ctx, drop); err != nil {
			return err
		}
		if err := c.putNode(ctx, p.Node, keep.Sources()); err != nil {
			return err
		}
		for _, e := range p.Write {
			var before []string
			if old := existing[e.ID]; old != nil {
				before = old.Sources()
			}
			if err := c.putEdge(ctx, e, before); err != nil {
				return err
			}
		}
		sum = p.Summary
		if a := m.Audit; a != nil {
			a.Changes = sum
			if a.Detail == "" {
				a.Detail = detail(map[string]any{"merged": drop, "edges": edges})
			}
		}
		return recordAudit(ctx, tx, m.Audit)
	})
	if err != nil {
		return graph.Summary{}, err
	}
	return sum, nil
}

// RetractClaim removes claims from an edge or a node in one transaction; see
// graph.Store.
func (s *Store) RetractClaim(ctx context.Context, r graph.ClaimRetraction) (graph.Summary, error) {
	if err := r.Validate(); err != nil {
		return graph.Summary{}, err
	}
	var sum graph.Summary
	err := s.inTx(ctx, "retract claims on "+r.Target(), func(tx *sql.Tx) error {
		c := curation{s: s, tx: tx, op: "retract claim"}
		var removed []graph.Claim
		var err error
		switch {
		case r.Edge != "":
			removed, err = c.retractEdgeClaims(ctx, r, &sum)
		case r.Node != "":
			removed, err = c.retractNodeClaims(ctx, r, &sum)
		default:
			rs := retraction{tx: tx, source: r.Source}
			sum, err = rs.run(ctx)
		}
		if err != nil {
			return err
		}
		if a := r.Audit; a != nil {
			a.Changes = sum
			if a.Detail == "" {
				a.Detail = detail(map[string]any{"retracted": removed})
			}
		}
		return recordAudit(ctx, tx, r.Audit)
	})
	if err != nil {
		return graph.Summary{}, err
	}
	return sum, nil
}

func (c *curation) retractEdgeClaims(ctx context.Context, r graph.ClaimRetraction, sum *graph.Summary) ([]graph.Claim, error) {
	found, err := scanData[graph.Edge](c.tx.QueryContext(ctx, `SELECT id, data FROM edges WHERE id = ?`, r.Edge))
	if err != nil {
		return nil, c.fail("load edge", err)
	}
	e := found[r.Edge]
	if e == nil {
		return nil, graph.Errorf(graph.ENOTFOUND, "no edge %s", r.Edge)
	}
	kept, removed := r.Retract(e.Claims)
	if len(removed) == 0 {
		return nil, graph.Errorf(graph.ENOTFOUND, "edge %s holds no such claim of %s", r.Edge, r.Source)
	}
	if len(kept) == 0 {
		sum.EdgesRemoved++
		return removed, c.deleteEdge(ctx, e)
	}
	before := e.Sources()
	e.Claims = kept
	e.Confidence = graph.AggregateConfidence(kept)
	sum.EdgesUpdated++
	if err := c.putEdge(ctx, e, before); err != nil {
		return nil, err
	}
	return removed, c.uncite(ctx, "edge_sources", "edge_id", e.ID, before, e.Sources())
}

func (c *curation) retractNodeClaims(ctx context.Context, r graph.ClaimRetraction, sum *graph.Summary) ([]graph.Claim, error) {
	found, err := scanData[graph.Node](c.tx.QueryContext(ctx, `SELECT id, data FROM nodes WHERE id = ?`, r.Node))
	if err != nil {
		return nil, c.fail("load node", err)
	}
	n := found[r.Node]
	if n == nil {
		return nil, graph.Errorf(graph.ENOTFOUND, "no node %s", r.Node)
	}
	kept, removed := r.Retract(n.Claims)
	if len(removed) == 0 {
		return nil, graph.Errorf(graph.ENOTFOUND, "node %s holds no such claim of %s", r.Node, r.Source)
	}
	before, all := n.Sources(), n.Claims
	n.Claims = kept
	n.Confidence = graph.AggregateConfidence(kept)
	if len(kept) == 0 && n.Kind != graph.KindSource {
		var linked bool
		err := c.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM edges WHERE src = ?1) OR EXISTS (SELECT 1 FROM edges WHERE dst = ?1)`, n.ID).Scan(&linked)
		if err != nil {
			return nil, c.fail("edges of "+n.ID, err)
		}
		if !linked {
			sum.NodesRemoved++
			n.Claims = all // so that every citation of it goes too
			return removed, c.deleteNode(ctx, n)
		}
	}
	sum.NodesUpdated++
	if err := c.putNode(ctx, n, before); err != nil {
		return nil, err
	}
	return removed, c.uncite(ctx, "node_sources", "node_id", n.ID, before, n.Sources())
}

// curation is one Merge or RetractClaim in progress.
type curation struct {
	s  *Store
	tx *sql.Tx
	op string
}

func (c *curation) fail(what string, err error) error {
	return fmt.Errorf("embedded: %s: %s: %w", c.op, what, err)
}

func (c *curation) exec(ctx context.Context, what, query string, args ...any) error {
	if _, err := c.tx.ExecContext(ctx, query, args...); err != nil {
		return c.fail(what, err)
	}
	return nil
}

// edgesAt returns every edge at the node, in ID order.
func (c *curation) edgesAt(ctx context.Context, id string) ([]*graph.Edge, error) {
	found, err := scanData[graph.Edge](c.tx.QueryContext(ctx, `SELECT id, data FROM edges WHERE src = ?1 UNION SELECT id, data FROM edges WHERE dst = ?1`, id))
	if err != nil {
		return nil, c.fail("load edges at "+id, err)
	}
	out := make([]*graph.Edge, 0, len(found))
	for _, k := range sortedKeys(found) {
		out = append(out, found[k])
	}
	return out, nil
}

// deleteEdge deletes an edge and its citations.
func (c *curation) deleteEdge(ctx context.Context, e *graph.Edge) error {
	if err := c.exec(ctx, "delete edge "+e.ID, `DELETE FROM edges WHERE id = ?`, e.ID); err != nil {
		return err
	}
	for _, src := range e.Sources() {
		if err := c.exec(ctx, "unlink edge "+e.ID, `DELETE FROM edge_sources WHERE source_id = ? AND edge_id = ?`, src, e.ID); err != nil {
			return err
		}
	}
	return nil
}

// deleteNode deletes a node, its names and its citations; its edges must be gone.
func (c *curation) deleteNode(ctx context.Context, n *graph.Node) error {
	r := retraction{tx: c.tx, source: "(" + c.op + ")"}
	return r.deleteNode(ctx, n)
}

// putNode writes a node, its names and the citations it did not have (before: the
// sources it cited).
func (c *curation) putNode(ctx context.Context, n *graph.Node, before []string) error {
	data, err := json.Marshal(n)
	if err != nil {
		return c.fail("encode node "+n.ID, err)
	}
	if err := execRow(ctx, c.tx.StmtContext(ctx, c.s.putNode), n.ID, n.Kind, n.Name, n.Confidence, data); err != nil {
		return c.fail("write node "+n.ID, err)
	}
	for _, a := range aliasRowsOf(n) {
		if err := execRow(ctx, c.tx.StmtContext(ctx, c.s.putAlias), a.Kind, a.Key, a.node, a.role); err != nil {
			return c.fail("write names of "+n.ID, err)
		}
	}
	for _, src := range n.Sources() {
		if !slices.Contains(before, src) {
			if err := execRow(ctx, c.tx.StmtContext(ctx, c.s.citeNode), src, n.ID); err != nil {
				return c.fail("cite "+src+" for "+n.ID, err)
			}
		}
	}
	return nil
}

// putEdge writes an edge and the citations it did not have.
func (c *curation) putEdge(ctx context.Context, e *graph.Edge, before []string) error {
	data, err := json.Marshal(e)
	if err != nil {
		return c.fail("encode edge "+e.ID, err)
	}
	if err := execRow(ctx, c.tx.StmtContext(ctx, c.s.putEdge), e.ID, e.Type, e.From, e.To, data); err != nil {
		return c.fail("write edge "+e.ID, err)
	}
	for _, src := range e.Sources() {
		if !slices.Contains(before, src) {
			if err := execRow(ctx, c.tx.StmtContext(ctx, c.s.citeEdge), src, e.ID); err != nil {
				return c.fail("cite "+src+" for "+e.ID, err)
			}
		}
	}
	return nil
}

// uncite drops the citations of sources that no longer back the node or edge.
func (c *curation) uncite(ctx context.Context, table, col, id string, before, after []string) error {
	for _, src := range before {
		if !slices.Contains(after, src) {
			if err := c.exec(ctx, "unlink "+id, `DELETE FROM `+table+` WHERE source_id = ? AND `+col+` = ?`, src, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// detail encodes what a change removed, for the audit trail.
func detail(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
