package embedded

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/cyberkg/cyberkg/graph"
)

// RemoveSource retracts everything the source asserted, in one transaction; see
// graph.Store.
func (s *Store) RemoveSource(ctx context.Context, sourceID string) (graph.Summary, error) {
	var sum graph.Summary
	err := s.inTx(ctx, "remove source "+sourceID, func(tx *sql.Tx) error {
		r := retraction{tx: tx, source: sourceID}
		var err error
		sum, err = r.run(ctx)
		return err
	})
	if err != nil {
		return graph.Summary{}, err
	}
	return sum, nil
}

// retraction is one RemoveSource in progress.
type retraction struct {
	tx     *sql.Tx
	source string
	sum    graph.Summary
}

func (r *retraction) run(ctx context.Context) (graph.Summary, error) {
	var data []byte
	err := r.tx.QueryRowContext(ctx, `SELECT data FROM nodes WHERE id = ? AND kind = ?`, r.source, graph.KindSource).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return graph.Summary{}, graph.Errorf(graph.ENOTFOUND, "no source %s", r.source)
	}
	if err != nil {
		return graph.Summary{}, r.fail("load source", err)
	}
	src := new(graph.Node)
	if err := json.Unmarshal(data, src); err != nil {
		return graph.Summary{}, r.fail("decode source", err)
	}
	orphans, err := r.retractEdges(ctx)
	if err != nil {
		return graph.Summary{}, err
	}
	if err := r.retractNodes(ctx, orphans); err != nil {
		return graph.Summary{}, err
	}
	// The source goes last, with whatever other sources said about it.
	if err := r.deleteNode(ctx, src); err != nil {
		return graph.Summary{}, err
	}
	return r.sum, nil
}

func (r *retraction) exec(ctx context.Context, query string, args ...any) error {
	_, err := r.tx.ExecContext(ctx, query, args...)
	return err
}

func (r *retraction) fail(what string, err error) error {
	return fmt.Errorf("embedded: remove source %s: %s: %w", r.source, what, err)
}

// retractEdges strips the source's claims from its edges and deletes those left with
// none. It returns the ends of deleted edges: they may now stand alone.
func (r *retraction) retractEdges(ctx context.Context) ([]string, error) {
	edges, err := scanData[graph.Edge](r.tx.QueryContext(ctx, `SELECT e.id, e.data FROM edge_sources c
		JOIN edges e ON e.id = c.edge_id WHERE c.source_id = ?`, r.source))
	if err != nil {
		return nil, r.fail("load edges", err)
	}
	if err := r.exec(ctx, `DELETE FROM edge_sources WHERE source_id = ?`, r.source); err != nil {
		return nil, r.fail("unlink edges", err)
	}
	var ends []string
	for _, id := range sortedKeys(edges) {
		e := edges[id]
		e.Claims = withoutSource(e.Claims, r.source)
		if len(e.Claims) == 0 {
			// The source was its only citation, and that is unlinked above.
			if err := r.exec(ctx, `DELETE FROM edges WHERE id = ?`, id); err != nil {
				return nil, r.fail("delete edge "+id, err)
			}
			r.sum.EdgesRemoved++
			ends = append(ends, e.From, e.To)
			continue
		}
		e.Confidence = graph.AggregateConfidence(e.Claims)
		data, err := json.Marshal(e)
		if err != nil {
			return nil, r.fail("encode edge "+id, err)
		}
		if err := r.exec(ctx, `UPDATE edges SET data = ? WHERE id = ?`, data, id); err != nil {
			return nil, r.fail("update edge "+id, err)
		}
		r.sum.EdgesUpdated++
	}
	return ends, nil
}

// retractNodes strips the source's claims from its nodes, then deletes the nodes left
// with no claim and no edge: those it stripped, and the ends of edges it deleted.
// Other sources are never deleted here, claims or not: they are removed on their own.
func (r *retraction) retractNodes(ctx context.Context, ends []string) error {
	cited, err := scanData[graph.Node](r.tx.QueryContext(ctx, `SELECT n.id, n.data FROM node_sources c
		JOIN nodes n ON n.id = c.node_id WHERE c.source_id = ?`, r.source))
	if err != nil {
		return r.fail("load nodes", err)
	}
	if err := r.exec(ctx, `DELETE FROM node_sources WHERE source_id = ?`, r.source); err != nil {
		return r.fail("unlink nodes", err)
	}
	others := slices.DeleteFunc(slices.Clone(ends), func(id string) bool { _, ok := cited[id]; return ok })
	loose, err := scanData[graph.Node](r.tx.QueryContext(ctx, `SELECT id, data FROM nodes WHERE id IN `+inList, idList(others)))
	if err != nil {
		return r.fail("load edge ends", err)
	}
	for _, id := range sortedKeys(cited) {
		n := cited[id]
		n.Claims = withoutSource(n.Claims, r.source)
		n.Confidence = graph.AggregateConfidence(n.Claims)
		loose[id] = n
	}
	for _, id := range sortedKeys(loose) {
		n := loose[id]
		if id == r.source {
			continue
		}
		gone, err := r.deleteIfAlone(ctx, n)
		if err != nil {
			return err
		}
		if gone {
			continue
		}
		if _, stripped := cited[id]; !stripped {
			continue
		}
		data, err := json.Marshal(n)
		if err != nil {
			return r.fail("encode node "+id, err)
		}
		if err := r.exec(ctx, `UPDATE nodes SET confidence = ?, data = ? WHERE id = ?`, n.Confidence, data, id); err != nil {
			return r.fail("update node "+id, err)
		}
		r.sum.NodesUpdated++
	}
	return nil
}

// deleteIfAlone deletes a node that has no claim and no edge left.
func (r *retraction) deleteIfAlone(ctx context.Context, n *graph.Node) (bool, error) {
	if len(n.Claims) > 0 || n.Kind == graph.KindSource {
		return false, nil
	}
	var linked bool
	err := r.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM edges WHERE src = ?1)
		OR EXISTS (SELECT 1 FROM edges WHERE dst = ?1)`, n.ID).Scan(&linked)
	if err != nil {
		return false, r.fail("edges of "+n.ID, err)
	}
	if linked {
		return false, nil
	}
	return true, r.deleteNode(ctx, n)
}

// deleteNode deletes a node with its names and citations. Names only ever grow, so
// the node's keys now are all the names it was ever stored under.
func (r *retraction) deleteNode(ctx context.Context, n *graph.Node) error {
	if err := r.exec(ctx, `DELETE FROM nodes WHERE id = ?`, n.ID); err != nil {
		return r.fail("delete node "+n.ID, err)
	}
	for _, k := range n.AliasKeys() {
		if err := r.exec(ctx, `DELETE FROM aliases WHERE kind = ? AND key = ? AND node_id = ?`, n.Kind, k, n.ID); err != nil {
			return r.fail("delete names of "+n.ID, err)
		}
	}
	for _, src := range n.Sources() {
		if err := r.exec(ctx, `DELETE FROM node_sources WHERE source_id = ? AND node_id = ?`, src, n.ID); err != nil {
			return r.fail("unlink "+n.ID, err)
		}
	}
	r.sum.NodesRemoved++
	return nil
}

func withoutSource(claims []graph.Claim, source string) []graph.Claim {
	return slices.DeleteFunc(slices.Clone(claims), func(c graph.Claim) bool { return c.SourceID == source })
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
