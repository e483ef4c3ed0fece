package embedded

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/cyberkg/cyberkg/graph"
)

// Write upserts the batch in one transaction; see graph.Store.
func (s *Store) Write(ctx context.Context, b *graph.Batch) (graph.Summary, error) {
	if err := b.Validate(); err != nil {
		return graph.Summary{}, err
	}
	if len(b.Nodes) == 0 && len(b.Edges) == 0 && b.Audit == nil {
		return graph.Summary{}, nil
	}
	b = b.Normalized()
	if err := checkIDs(b); err != nil {
		return graph.Summary{}, err
	}
	canonicalTimes(b)
	var sum graph.Summary
	err := s.inTx(ctx, "write", func(tx *sql.Tx) error {
		w := batchWriter{s: s, tx: tx}
		var err error
		if sum, err = w.write(ctx, b); err != nil {
			return err
		}
		if b.Audit != nil {
			b.Audit.Changes = sum
		}
		return recordAudit(ctx, tx, b.Audit)
	})
	if err != nil {
		return graph.Summary{}, err
	}
	return sum, nil
}

// checkIDs rejects IDs that are not UTF-8: they would not survive the JSON that carries
// ID lists to SQLite.
func checkIDs(b *graph.Batch) error {
	for _, n := range b.Nodes {
		if !utf8.ValidString(n.ID) {
			return graph.Errorf(graph.EINVALID, "node %q: ID %q is not UTF-8", n.Name, n.ID)
		}
	}
	for _, e := range b.Edges {
		if !utf8.ValidString(e.From) || !utf8.ValidString(e.To) {
			return graph.Errorf(graph.EINVALID, "edge %s: an end is not UTF-8", e.Type)
		}
	}
	return nil
}

// canonicalTimes stores every time in UTC without a monotonic reading. That is what
// JSON gives back, and MergeNode and MergeEdge compare with reflect.DeepEqual, so any
// other representation would make re-ingesting the same document look like a change.
func canonicalTimes(b *graph.Batch) {
	for _, n := range b.Nodes {
		n.Published, n.Fetched = canonicalTime(n.Published), canonicalTime(n.Fetched)
		n.Claims = canonicalClaims(n.Claims)
	}
	for _, e := range b.Edges {
		e.Claims = canonicalClaims(e.Claims)
	}
}

func canonicalClaims(claims []graph.Claim) []graph.Claim {
	out := slices.Clone(claims) // Normalized copies nodes, not their claims
	for i := range out {
		out[i].Reported = canonicalTime(out[i].Reported)
	}
	return out
}

func canonicalTime(t time.Time) time.Time { return t.Round(0).UTC() }

// execRow writes one row. A row takes microseconds, so it runs without the driver's
// cancellation watcher, which costs a goroutine per statement; a cancelled ctx still
// stops the write between rows, and the transaction then rolls back.
func execRow(ctx context.Context, st *sql.Stmt, args ...any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := st.ExecContext(context.WithoutCancel(ctx), args...)
	return err
}

// batchWriter is one Write in progress.
type batchWriter struct {
	s   *Store
	tx  *sql.Tx
	sum graph.Summary
}

// stmt binds a statement prepared on the write connection to the transaction; with a
// single write connection it is not prepared again.
func (w *batchWriter) stmt(ctx context.Context, st *sql.Stmt) *sql.Stmt {
	return w.tx.StmtContext(ctx, st)
}

func (w *batchWriter) write(ctx context.Context, b *graph.Batch) (graph.Summary, error) {
	kinds, err := w.writeNodes(ctx, b.Nodes)
	if err != nil {
		return graph.Summary{}, err
	}
	if err := w.writeEdges(ctx, b.Edges, kinds); err != nil {
		return graph.Summary{}, err
	}
	return w.sum, nil
}

// writeNodes merges the batch's nodes into the stored ones and writes those that
// changed. It returns the kind of every node in the batch, for checking edges.
func (w *batchWriter) writeNodes(ctx context.Context, nodes []*graph.Node) (map[string]graph.NodeKind, error) {
	ids := make([]string, 0, len(nodes))
	for _, n := range nodes {
		ids = append(ids, n.ID)
	}
	stored, err := scanData[graph.Node](w.stmt(ctx, w.s.loadNodes).QueryContext(ctx, idList(ids)))
	if err != nil {
		return nil, fmt.Errorf("embedded: write: load nodes: %w", err)
	}
	merged := map[string]*graph.Node{}
	var changed []string // IDs of merged nodes, in batch order
	kinds := make(map[string]graph.NodeKind, len(nodes))
	for _, n := range nodes {
		cur := merged[n.ID]
		if cur == nil {
			cur = stored[n.ID]
		}
		m, ok, err := graph.MergeNode(cur, n)
		if err != nil {
			return nil, err
		}
		kinds[n.ID] = m.Kind
		if !ok {
			continue
		}
		if merged[n.ID] == nil {
			changed = append(changed, n.ID)
		}
		merged[n.ID] = m
	}
	names, err := w.claimNames(ctx, changed, merged)
	if err != nil {
		return nil, err
	}
	putNode, citeNode := w.stmt(ctx, w.s.putNode), w.stmt(ctx, w.s.citeNode)
	for _, id := range changed {
		n, old := merged[id], stored[id]
		data, err := json.Marshal(n)
		if err != nil {
			return nil, fmt.Errorf("embedded: write: encode node %s: %w", id, err)
		}
		if err := execRow(ctx, putNode, n.ID, n.Kind, n.Name, n.Confidence, data); err != nil {
			return nil, fmt.Errorf("embedded: write: node %s: %w", id, err)
		}
		var before []string
		if old == nil {
			w.sum.NodesCreated++
		} else {
			w.sum.NodesUpdated++
			before = old.Sources()
		}
		for _, src := range n.Sources() {
			if slices.Contains(before, src) {
				continue
			}
			if err := execRow(ctx, citeNode, src, id); err != nil {
				return nil, fmt.Errorf("embedded: write: node %s source %s: %w", id, src, err)
			}
		}
	}
	putAlias := w.stmt(ctx, w.s.putAlias)
	for _, a := range names {
		if err := execRow(ctx, putAlias, a.Kind, a.Key, a.node, a.role); err != nil {
			return nil, fmt.Errorf("embedded: write: name %q of %s: %w", a.Key, a.node, err)
		}
	}
	return kinds, nil
}

type aliasKey struct {
	Kind graph.NodeKind
	Key  string
}

// aliasRow is a row of the aliases table: a name and the node that answers to it.
type aliasRow struct {
	aliasKey
	node string
	role int
}

// Roles of an alias row; Search ranks names before aliases before other keys.
const (
	roleName = iota
	roleAlias
	roleOther
)

// aliasRowsOf returns the rows of the names table that make n findable: none for a
// kind that is not ResolvedByName.
func aliasRowsOf(n *graph.Node) []aliasRow {
	if !n.Kind.ResolvedByName() {
		return nil
	}
	roles := map[string]int{}
	for i, name := range n.Names() {
		if _, ok := roles[graph.Normalize(name)]; !ok {
			roles[graph.Normalize(name)] = min(i, roleAlias)
		}
	}
	var out []aliasRow
	for _, k := range n.AliasKeys() {
		role, ok := roles[k]
		if !ok {
			role = roleOther
		}
		out = append(out, aliasRow{aliasKey{n.Kind, k}, n.ID, role})
	}
	return out
}

// claimNames checks the names of the changed nodes are free and returns those to
// store. A name already held by another node of the same kind is ECONFLICT: two
// entities cannot answer to one name, and which one a new node means is for the caller
// (Ingest) to decide.
func (w *batchWriter) claimNames(ctx context.Context, changed []string, merged map[string]*graph.Node) ([]aliasRow, error) {
	var pairs [][2]string
	for _, id := range changed {
		n := merged[id]
		for _, k := range n.AliasKeys() {
			pairs = append(pairs, [2]string{string(n.Kind), k})
		}
	}
	if len(pairs) == 0 {
		return nil, nil
	}
	list, _ := json.Marshal(pairs) // strings always encode
	owners := map[aliasKey]aliasRow{}
	rows, err := w.stmt(ctx, w.s.loadNames).QueryContext(ctx, string(list))
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var a aliasRow
		if err := rows.Scan(&a.Kind, &a.Key, &a.node, &a.role); err != nil {
			return err
		}
		owners[a.aliasKey] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("embedded: write: load names: %w", err)
	}
	var out []aliasRow
	for _, id := range changed {
		for _, a := range aliasRowsOf(merged[id]) {
			n := merged[id]
			switch o, ok := owners[a.aliasKey]; {
			case ok && o.node != id:
				return nil, graph.Errorf(graph.ECONFLICT, "%s %q (%s): the name %q already belongs to %s", n.Kind, n.Name, id, a.Key, o.node)
			case ok && o.role == a.role:
				continue
			}
			owners[a.aliasKey] = a
			out = append(out, a)
		}
	}
	return out, nil
}

// writeEdges merges the batch's edges into the stored ones and writes those that
// changed. Both ends must exist, in the store or the batch, with kinds the edge type
// connects.
func (w *batchWriter) writeEdges(ctx context.Context, edges []*graph.Edge, kinds map[string]graph.NodeKind) error {
	if len(edges) == 0 {
		return nil
	}
	var ids, ends []string
	seen := map[string]bool{}
	for _, e := range edges {
		ids = append(ids, e.ID)
		for _, end := range []string{e.From, e.To} {
			if _, ok := kinds[end]; !ok && !seen[end] {
				seen[end] = true
				ends = append(ends, end)
			}
		}
	}
	if len(ends) > 0 {
		rows, err := w.stmt(ctx, w.s.loadKinds).QueryContext(ctx, idList(ends))
		err = eachRow(rows, err, func(rows *sql.Rows) error {
			var id string
			var k graph.NodeKind
			if err := rows.Scan(&id, &k); err != nil {
				return err
			}
			kinds[id] = k
			return nil
		})
		if err != nil {
			return fmt.Errorf("embedded: write: load edge ends: %w", err)
		}
	}
	stored, err := scanData[graph.Edge](w.stmt(ctx, w.s.loadEdges).QueryContext(ctx, idList(ids)))
	if err != nil {
		return fmt.Errorf("embedded: write: load edges: %w", err)
	}
	putEdge, citeEdge := w.stmt(ctx, w.s.putEdge), w.stmt(ctx, w.s.citeEdge)
	for _, e := range edges {
		from, ok := kinds[e.From]
		if !ok {
			return graph.Errorf(graph.ENOTFOUND, "edge %s: no node %s", e.ID, e.From)
		}
		to, ok := kinds[e.To]
		if !ok {
			return graph.Errorf(graph.ENOTFOUND, "edge %s: no node %s", e.ID, e.To)
		}
		if !e.Type.Connects(from, to) {
			return graph.Errorf(graph.ECONFLICT, "edge %s cannot go from a %s (%s) to a %s (%s)", e.Type, from, e.From, to, e.To)
		}
		old := stored[e.ID]
		m, changed := graph.MergeEdge(old, e)
		if !changed {
			continue
		}
		data, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("embedded: write: encode edge %s: %w", e.ID, err)
		}
		if err := execRow(ctx, putEdge, m.ID, m.Type, m.From, m.To, data); err != nil {
			return fmt.Errorf("embedded: write: edge %s: %w", e.ID, err)
		}
		var before []string
		if old == nil {
			w.sum.EdgesCreated++
		} else {
			w.sum.EdgesUpdated++
			before = old.Sources()
		}
		for _, src := range m.Sources() {
			if slices.Contains(before, src) {
				continue
			}
			if err := execRow(ctx, citeEdge, src, m.ID); err != nil {
				return fmt.Errorf("embedded: write: edge %s source %s: %w", e.ID, src, err)
			}
		}
	}
	return nil
}
