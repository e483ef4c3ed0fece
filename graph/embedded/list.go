package embedded

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"

	"modernc.org/sqlite"

	"github.com/cyberkg/cyberkg/graph"
)

// Search ranks in SQL with graph.KeyMatch itself, registered as a function: one
// definition of a hit for every store, and no candidates to ship out of SQLite.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("cyberkg_search_match", 3, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		key, _ := args[0].(string)
		role, _ := args[1].(int64)
		q, _ := args[2].(string)
		if m := graph.KeyMatch(key, graph.KeyRole(role), q); m != graph.NoMatch {
			return int64(m), nil
		}
		return nil, nil
	})
}

// Search finds hits in two passes, both ranked and paged in SQL. The first takes the
// names that contain the query (LIKE, ranked by a CASE that is graph.KeyMatch's ranks
// 0 to 5); the second, only when a page or the count needs it, runs graph.KeyMatch
// itself (registered as a function) on every name, for the hits that match word by
// word with typos, which rank after all the others.
const (
	containsHits = `SELECT node_id, min(CASE
			WHEN role = 2 THEN (CASE WHEN key = ?1 THEN 1 END)
			WHEN key = ?1 THEN role
			WHEN instr(key, ?1) = 1 THEN 2 + role
			ELSE 4 + role END) AS rank
		FROM aliases
		WHERE kind IN (SELECT value FROM json_each(?2)) AND key LIKE ?3 ESCAPE '\'
		GROUP BY node_id
		HAVING rank IS NOT NULL`
	typoHits = `SELECT node_id, min(cyberkg_search_match(key, role, ?1)) AS rank
		FROM aliases
		WHERE kind IN (SELECT value FROM json_each(?2)) AND ?3 IS NOT NULL
		GROUP BY node_id
		HAVING rank >= 6`
	// searchPage counts the hits (when ?4) and returns those after the cursor (when
	// ?5), in graph.SearchOrder, at most ?10; the hits are materialised once for both.
	searchPage = `
SELECT 1, count(*), NULL FROM hit HAVING ?4
UNION ALL
SELECT * FROM (
	SELECT 0, hit.rank, n.data FROM hit JOIN nodes n ON n.id = hit.node_id
	WHERE NOT ?5 OR (hit.rank, -n.confidence, n.name, n.id) > (?6, -?7, ?8, ?9)
	ORDER BY hit.rank, n.confidence DESC, n.name, n.id
	LIMIT ?10
)`
)

// Search returns the nodes whose names match the query; see graph.Store.
func (s *Store) Search(ctx context.Context, q graph.SearchQuery) ([]*graph.Node, error) {
	q.Count = false
	r, err := s.SearchPage(ctx, q)
	if err != nil {
		return nil, err
	}
	return r.Items, nil
}

// SearchPage returns a page of search hits; see graph.Store.
func (s *Store) SearchPage(ctx context.Context, q graph.SearchQuery) (*graph.Results[*graph.Node], error) {
	text := graph.Normalize(q.Text)
	if text == "" {
		return nil, graph.Errorf(graph.EINVALID, "search for nothing: give a name or part of one")
	}
	kinds, err := graph.SearchKinds(q.Kinds)
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = graph.DefaultSearchLimit
	}
	if err := (graph.Page{After: q.After}).Validate(); err != nil {
		return nil, err
	}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("embedded: search %q: %w", q.Text, err)
	}
	defer tx.Rollback()
	out := &graph.Results[*graph.Node]{Total: -1}
	pass := func(hits string, after *graph.Cursor, want int) error {
		c := after
		if c == nil {
			c = &graph.Cursor{}
		}
		rows, err := tx.QueryContext(ctx, `WITH hit AS MATERIALIZED (`+hits+`)`+searchPage, text, kindList(kinds),
			"%"+likeEscaper.Replace(text)+"%", q.Count, after != nil, c.Rank, c.Num, c.Text, c.ID, want)
		return eachRow(rows, err, func(rows *sql.Rows) error {
			var count bool
			var rank int
			var data []byte
			if err := rows.Scan(&count, &rank, &data); err != nil {
				return err
			}
			if count {
				out.Total = max(out.Total, 0) + rank
				return nil
			}
			n := new(graph.Node)
			if err := json.Unmarshal(data, n); err != nil {
				return err
			}
			out.Items = append(out.Items, n)
			out.Cursors = append(out.Cursors, graph.SearchCursor(n, graph.SearchMatch(rank)))
			return nil
		})
	}
	typos := q.After != nil && q.After.Rank >= int(graph.MatchWords)
	first := q.After
	if typos {
		first = nil // the cursor is past every hit of the first pass
	}
	if !typos || q.Count {
		want := limit + 1
		if typos {
			want = 0
		}
		if err := pass(containsHits, first, want); err != nil {
			return nil, fmt.Errorf("embedded: search %q: %w", q.Text, err)
		}
	}
	if len(out.Items) <= limit || q.Count {
		var after *graph.Cursor
		if typos {
			after = q.After
		}
		if err := pass(typoHits, after, max(limit+1-len(out.Items), 0)); err != nil {
			return nil, fmt.Errorf("embedded: search %q: %w", q.Text, err)
		}
	}
	return out.Trim(limit), nil
}

// likeEscaper makes a query match literally inside LIKE ... ESCAPE '\'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func kindList[K ~string](kinds []K) string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = string(k)
	}
	return idList(s)
}

// ListNodes returns a page of the nodes of some kinds by name; see graph.Store.
func (s *Store) ListNodes(ctx context.Context, q graph.NodeQuery) (*graph.Results[*graph.Node], error) {
	if err := q.Page.Validate(); err != nil {
		return nil, err
	}
	kinds, err := graph.ListKinds(q.Kinds)
	if err != nil {
		return nil, err
	}
	// The names table holds every entity's normalised name (role 0), in order.
	from := `(SELECT a.key AS name, a.node_id AS id, n.data FROM aliases a JOIN nodes n ON n.id = a.node_id
		WHERE a.kind IN (SELECT value FROM json_each(?)) AND a.role = 0)`
	l := listing{from: from, where: "true", args: []any{kindList(kinds)}, key: "name", page: q.Page}
	return l.run(ctx, s, "list nodes", func(n *graph.Node, key any) graph.Cursor {
		name, _ := key.(string)
		return graph.Cursor{Text: name, ID: n.ID}
	})
}

// Sources returns a page of sources, newest first; see graph.Store.
func (s *Store) Sources(ctx context.Context, q graph.SourceQuery) (*graph.Results[*graph.Node], error) {
	if err := q.Page.Validate(); err != nil {
		return nil, err
	}
	l := listing{where: `kind = 'Source'`, key: "published_ms", desc: true, page: q.Page,
		cursorKey: func(c graph.Cursor) any { return int64(c.Num) }}
	if q.Publisher != "" {
		l.where += ` AND data->>'$.publisher' = ?`
		l.args = append(l.args, q.Publisher)
	}
	return l.run(ctx, s, "list sources", func(n *graph.Node, key any) graph.Cursor {
		ms, _ := key.(int64)
		return graph.Cursor{Num: float64(ms), ID: n.ID}
	})
}

// listing is one keyset-paged read of the nodes table: the rows that pass where, in
// order (key, then id, both ascending or both descending), after the page's cursor.
type listing struct {
	from  string // default "nodes"
	where string
	args  []any
	key   string // the sort key's expression; ties go by id, in the same direction
	desc  bool
	page  graph.Page
	// cursorKey turns a cursor into the sort key's value; default: its Text.
	cursorKey func(graph.Cursor) any
}

// run reads the page and, when asked, the count, in one read transaction so that both
// see the same graph.
func (l listing) run(ctx context.Context, s *Store, op string, cursor func(n *graph.Node, key any) graph.Cursor) (*graph.Results[*graph.Node], error) {
	from := l.from
	if from == "" {
		from = "nodes"
	}
	out := &graph.Results[*graph.Node]{Total: -1}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("embedded: %s: %w", op, err)
	}
	defer tx.Rollback()
	if l.page.Count {
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+from+` WHERE `+l.where, l.args...).Scan(&out.Total)
		if err != nil {
			return nil, fmt.Errorf("embedded: %s: count: %w", op, err)
		}
	}
	where, args := l.where, append([]any(nil), l.args...)
	if a := l.page.After; a != nil {
		cmp := ">"
		if l.desc {
			cmp = "<"
		}
		key := any(a.Text)
		if l.cursorKey != nil {
			key = l.cursorKey(*a)
		}
		where += ` AND (` + l.key + `, id) ` + cmp + ` (?, ?)`
		args = append(args, key, a.ID)
	}
	args = append(args, l.page.First+1)
	// The order is found on keys and IDs alone; only the page's rows are read whole.
	dir := ""
	if l.desc {
		dir = " DESC"
	}
	page := `SELECT ` + l.key + ` AS k, id FROM ` + from + ` WHERE ` + where + ` ORDER BY k` + dir + `, id` + dir + ` LIMIT ?`
	q := `SELECT p.k, n.data FROM (` + page + `) p JOIN nodes n ON n.id = p.id ORDER BY p.k` + dir + `, p.id` + dir
	rows, err := tx.QueryContext(ctx, q, args...)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var key any
		var data []byte
		if err := rows.Scan(&key, &data); err != nil {
			return err
		}
		n := new(graph.Node)
		if err := json.Unmarshal(data, n); err != nil {
			return err
		}
		out.Items = append(out.Items, n)
		out.Cursors = append(out.Cursors, cursor(n, key))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("embedded: %s: %w", op, err)
	}
	return out.Trim(l.page.First), nil
}

// usdSQL is graph.StolenUSD in SQL for every incident with an amount in dollars: the
// value of the amount its most confident STOLE edge reports (ties: more sources, then
// the larger figure). It starts from the amounts (a range of the node table's key,
// since their IDs share a prefix) and reaches their incidents through the index on
// edge ends, so its cost follows the amounts reported, not the incidents.
const usdSQL = `usd AS MATERIALIZED (
	SELECT src, value FROM (
		SELECT e.src, a.data->>'$.amount.valueUSD' AS value, row_number() OVER (PARTITION BY e.src ORDER BY
			e.data->>'$.confidence' DESC,
			(SELECT count(DISTINCT c.value->>'sourceId') FROM json_each(e.data, '$.claims') c) DESC,
			a.data->>'$.amount.valueUSD' DESC) AS rn
		FROM nodes a JOIN edges e ON e.dst = a.id AND e.type = 'STOLE'
		WHERE a.id >= 'amount:' AND a.id < 'amount;' AND a.data->>'$.amount.valueUSD' IS NOT NULL)
	WHERE rn = 1)`

// assertedSQL holds when the edge e has a claim some source asserts.
const assertedSQL = `EXISTS (SELECT 1 FROM json_each(e.data, '$.claims') c WHERE c.value->>'certainty' = 'asserted')`

// Incidents returns a page of incidents; see graph.IncidentQuery. Filters on edges are
// sets computed once (the incidents attributed to the hierarchy, those that targeted
// the sector) from the index on edge ends, not a lookup per incident; the date order
// reads the incidents' date index, the name order the names table.
func (s *Store) Incidents(ctx context.Context, q graph.IncidentQuery) (*graph.Results[*graph.Node], error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	// In process, a hierarchy and the targets cost no round trip: read them as any
	// caller would.
	q, err := graph.HierarchyQuery(ctx, s, q)
	if err != nil {
		return nil, err
	}
	r, err := s.incidents(ctx, q)
	if err != nil || !q.Targets || len(r.Items) == 0 {
		return r, err
	}
	ids := make([]string, len(r.Items))
	for i, n := range r.Items {
		ids[i] = n.ID
	}
	r.Edges, r.Ends, err = s.EdgesWithEnds(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.Targeted}, From: ids})
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (s *Store) incidents(ctx context.Context, q graph.IncidentQuery) (*graph.Results[*graph.Node], error) {
	conds := []string{`n.kind = 'Incident'`}
	var args []any
	if len(q.Kinds) > 0 {
		conds = append(conds, `n.data->>'$.incidentKind' IN (SELECT value FROM json_each(?))`)
		args = append(args, kindList(q.Kinds))
	}
	asserted := ""
	if q.Asserted {
		asserted = ` AND ` + assertedSQL
	}
	switch {
	case len(q.AttributedTo) > 0:
		conds = append(conds, `n.id IN (SELECT e.src FROM edges e WHERE e.dst IN (SELECT value FROM json_each(?))
			AND e.type = 'ATTRIBUTED_TO'`+asserted+`)`)
		args = append(args, idList(q.AttributedTo))
	case q.Asserted:
		conds = append(conds, `n.id IN (SELECT e.src FROM edges e WHERE e.type = 'ATTRIBUTED_TO'`+asserted+`)`)
	}
	if q.Sector != "" {
		conds = append(conds, `n.id IN (SELECT t.src FROM edges t WHERE t.type = 'TARGETED'
			AND t.dst IN (SELECT ? UNION SELECT o.src FROM edges o WHERE o.dst = ? AND o.type = 'IN_SECTOR'))`)
		args = append(args, q.Sector, q.Sector)
	}
	if q.Target != "" {
		conds = append(conds, `n.id IN (SELECT t.src FROM edges t WHERE t.dst = ? AND t.type = 'TARGETED')`)
		args = append(args, q.Target)
	}
	if q.Dated || q.From != "" || q.To != "" {
		conds = append(conds, `n.date <> ''`)
	}
	if q.From != "" {
		conds = append(conds, `n.date >= substr(?, 1, length(n.date))`)
		args = append(args, string(q.From))
	}
	if q.To != "" {
		conds = append(conds, `substr(n.date, 1, ?) <= ?`)
		args = append(args, len(q.To), string(q.To))
	}
	// The dollar values are computed only when the order or a filter needs them.
	with, usd, join := "", "-1", ""
	if q.Order.By == graph.SortUSD || q.MinUSD != nil {
		with, usd, join = "WITH "+usdSQL+" ", "coalesce(u.value, -1)", " LEFT JOIN usd u ON u.src = n.id"
	}
	key, base := "n.date", "nodes n"
	switch q.Order.By {
	case graph.SortUSD:
		key = usd
	case graph.SortName:
		// The names table holds the normalised name of every incident, in order.
		key, base = "al.key", "aliases al JOIN nodes n ON n.id = al.node_id"
		conds = append(conds, `al.kind = 'Incident' AND al.role = 0`)
	}
	from := `(` + with + `SELECT n.id, ` + key + ` AS k, ` + usd + ` AS usd, n.data FROM ` + base + join +
		` WHERE ` + strings.Join(conds, " AND ") + `)`
	where := "true"
	if q.MinUSD != nil {
		where = `usd >= ?`
		args = append(args, *q.MinUSD)
	}
	l := listing{from: from, where: where, args: args, key: "k", page: q.Page, desc: q.Order.Desc}
	if q.Order.By == graph.SortUSD {
		l.cursorKey = func(c graph.Cursor) any { return c.Num }
	}
	return l.run(ctx, s, "list incidents", func(n *graph.Node, key any) graph.Cursor {
		v, _ := key.(float64)
		if i, ok := key.(int64); ok {
			v = float64(i)
		}
		return graph.IncidentCursor(n, q.Order.By, v)
	})
}

// AuditLog returns a page of the audit trail, newest first; see graph.Store.
func (s *Store) AuditLog(ctx context.Context, q graph.AuditQuery) (*graph.Results[*graph.AuditEntry], error) {
	if err := q.Page.Validate(); err != nil {
		return nil, err
	}
	conds := []string{"true"}
	var args []any
	if q.Who != "" {
		conds = append(conds, `who = ?`)
		args = append(args, q.Who)
	}
	if q.Action != "" {
		conds = append(conds, `action = ?`)
		args = append(args, string(q.Action))
	}
	if q.Subject != "" {
		conds = append(conds, `id IN (SELECT audit_id FROM audit_subjects WHERE subject = ?)`)
		args = append(args, q.Subject)
	}
	where := strings.Join(conds, " AND ")
	out := &graph.Results[*graph.AuditEntry]{Total: -1}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("embedded: audit log: %w", err)
	}
	defer tx.Rollback()
	if q.Page.Count {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM audit WHERE `+where, args...).Scan(&out.Total); err != nil {
			return nil, fmt.Errorf("embedded: audit log: count: %w", err)
		}
	}
	if q.Page.After != nil {
		where += ` AND id < ?`
		args = append(args, q.Page.After.ID)
	}
	rows, err := tx.QueryContext(ctx, `SELECT data FROM audit WHERE `+where+` ORDER BY id DESC LIMIT ?`, append(args, q.Page.First+1)...)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		a := new(graph.AuditEntry)
		if err := scanJSON(rows, a); err != nil {
			return err
		}
		out.Items = append(out.Items, a)
		out.Cursors = append(out.Cursors, graph.Cursor{ID: a.ID})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("embedded: audit log: %w", err)
	}
	return out.Trim(q.Page.First), nil
}

// recordAudit writes an audit entry in the transaction of the change it describes.
func recordAudit(ctx context.Context, tx *sql.Tx, a *graph.AuditEntry) error {
	if a == nil {
		return nil
	}
	if err := a.Validate(); err != nil {
		return err
	}
	data, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("embedded: encode audit entry %s: %w", a.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit (id, who, action, data) VALUES (?, ?, ?, ?)`, a.ID, a.Who, string(a.Action), data); err != nil {
		return fmt.Errorf("embedded: record audit entry %s: %w", a.ID, err)
	}
	for _, subj := range a.Subjects {
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_subjects (subject, audit_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, subj, a.ID); err != nil {
			return fmt.Errorf("embedded: record audit entry %s: %w", a.ID, err)
		}
	}
	return nil
}
