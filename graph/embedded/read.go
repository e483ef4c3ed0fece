package embedded

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cyberkg/cyberkg/graph"
)

// Node returns the node with the given ID, or ENOTFOUND.
func (s *Store) Node(ctx context.Context, id string) (*graph.Node, error) {
	var data []byte
	err := s.nodeByID.QueryRowContext(ctx, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, graph.Errorf(graph.ENOTFOUND, "no node %s", id)
	}
	if err != nil {
		return nil, fmt.Errorf("embedded: node %s: %w", id, err)
	}
	n := new(graph.Node)
	if err := json.Unmarshal(data, n); err != nil {
		return nil, fmt.Errorf("embedded: decode node %s: %w", id, err)
	}
	return n, nil
}

// Nodes returns the stored nodes among ids in the order of ids, each once.
func (s *Store) Nodes(ctx context.Context, ids []string) ([]*graph.Node, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	found, err := scanData[graph.Node](s.nodesByID.QueryContext(ctx, idList(ids)))
	if err != nil {
		return nil, fmt.Errorf("embedded: nodes: %w", err)
	}
	out := make([]*graph.Node, 0, len(found))
	for _, id := range ids {
		if n := found[id]; n != nil {
			out = append(out, n)
			delete(found, id)
		}
	}
	return out, nil
}

// Edges returns the edges that pass the filter, ordered by ID.
func (s *Store) Edges(ctx context.Context, f graph.EdgeFilter) ([]*graph.Edge, error) {
	var where []string
	var args []any
	in := func(col string, values []string) string {
		args = append(args, idList(values))
		return col + " IN " + inList
	}
	if len(f.Types) > 0 {
		types := make([]string, len(f.Types))
		for i, t := range f.Types {
			types[i] = string(t)
		}
		where = append(where, in("type", types))
	}
	if len(f.From) > 0 {
		where = append(where, in("src", f.From))
	}
	if len(f.To) > 0 {
		where = append(where, in("dst", f.To))
	}
	if len(f.Ends) > 0 {
		where = append(where, "("+in("src", f.Ends)+" OR "+in("dst", f.Ends)+")")
	}
	q := "SELECT data FROM edges"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	var out []*graph.Edge
	rows, err := s.read.QueryContext(ctx, q+" ORDER BY id", args...)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		e := new(graph.Edge)
		if err := scanJSON(rows, e); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("embedded: edges: %w", err)
	}
	return out, nil
}

// scanJSON decodes a row holding one JSON column.
func scanJSON(rows *sql.Rows, v any) error {
	var data []byte
	if err := rows.Scan(&data); err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// Resolve maps names of the given kind to node IDs; see graph.Store.
func (s *Store) Resolve(ctx context.Context, kind graph.NodeKind, names []string) (map[string]string, error) {
	keys := make([]string, 0, len(names))
	for _, name := range names {
		if k := graph.Normalize(name); k != "" {
			keys = append(keys, k)
		}
	}
	out := map[string]string{}
	if len(keys) == 0 {
		return out, nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT key, node_id FROM aliases WHERE kind = ? AND key IN `+inList, kind, idList(keys))
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var key, id string
		if err := rows.Scan(&key, &id); err != nil {
			return err
		}
		out[key] = id
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("embedded: resolve %s names: %w", kind, err)
	}
	return out, nil
}

// Counts returns the number of nodes per kind and edges per type, zero included.
func (s *Store) Counts(ctx context.Context) (graph.Counts, error) {
	c := graph.Counts{Nodes: map[graph.NodeKind]int{}, Edges: map[graph.EdgeType]int{}}
	for _, k := range graph.NodeKinds {
		c.Nodes[k] = 0
	}
	for _, t := range graph.EdgeTypes {
		c.Edges[t] = 0
	}
	for _, q := range []struct {
		sql   string
		count func(key string, n int)
	}{
		{`SELECT kind, count(*) FROM nodes GROUP BY kind`, func(k string, n int) { c.Nodes[graph.NodeKind(k)] = n }},
		{`SELECT type, count(*) FROM edges GROUP BY type`, func(t string, n int) { c.Edges[graph.EdgeType(t)] = n }},
	} {
		rows, err := s.read.QueryContext(ctx, q.sql)
		err = eachRow(rows, err, func(rows *sql.Rows) error {
			var key string
			var n int
			if err := rows.Scan(&key, &n); err != nil {
				return err
			}
			q.count(key, n)
			return nil
		})
		if err != nil {
			return graph.Counts{}, fmt.Errorf("embedded: counts: %w", err)
		}
	}
	return c, nil
}

// Neighborhood returns the nodes within opt.Depth hops of id; see graph.Store.
func (s *Store) Neighborhood(ctx context.Context, id string, opt graph.NeighborhoodOptions) (*graph.Subgraph, error) {
	return graph.WalkNeighborhood(ctx, s, id, opt)
}

// ShortestPaths returns the shortest paths between two nodes; see graph.Store.
func (s *Store) ShortestPaths(ctx context.Context, from, to string, maxHops int) ([]*graph.Path, error) {
	return graph.WalkShortestPaths(ctx, s, from, to, maxHops)
}

// StolenTotals sums the USD stolen in incidents; see graph.ComputeStolenTotals.
func (s *Store) StolenTotals(ctx context.Context, q graph.TotalsQuery) ([]*graph.Total, error) {
	return graph.ComputeStolenTotals(ctx, s, q)
}

var _ graph.EndsReader = (*Store)(nil)

// EdgesWithEnds is Edges, then Nodes for their far ends: both in process, so the
// point is only the caller's one call instead of two.
func (s *Store) EdgesWithEnds(ctx context.Context, f graph.EdgeFilter) ([]*graph.Edge, []*graph.Node, error) {
	edges, err := s.Edges(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	nodes, err := s.Nodes(ctx, graph.FarEnds(f, edges))
	if err != nil {
		return nil, nil, err
	}
	return edges, nodes, nil
}
