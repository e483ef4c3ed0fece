package neo4j

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/cyberkg/cyberkg/graph"
)

// MaxFuzzyCandidates caps the full-text hits a search reads for typo matches: the
// best-scored ones by Lucene, which graph.KeyMatch then checks and ranks.
const MaxFuzzyCandidates = 200

// containsQuery ranks the names that contain the query as graph.KeyMatch does (0
// exact, 2 prefix, 4 contained; +1 when only an alias matches; a state's code only
// when it is the query) and keeps each node's best. The text index on alias names
// answers the CONTAINS.
const containsQuery = `MATCH (a:Alias)
WHERE a.name CONTAINS $text AND a.kind IN $kinds AND (a.via <> 'code' OR a.name = $text)
WITH a.owner AS id, min(
	CASE WHEN a.via = 'code' THEN 1 WHEN a.name = $text THEN 0 WHEN a.name STARTS WITH $text THEN 2 ELSE 4 END +
	CASE a.via WHEN 'alias' THEN 1 ELSE 0 END) AS rank
MATCH (n:Entity {id: id})`

// Search returns the nodes whose names match the query; see graph.Store.
func (s *Store) Search(ctx context.Context, q graph.SearchQuery) ([]*graph.Node, error) {
	q.Count = false
	r, err := s.SearchPage(ctx, q)
	if err != nil {
		return nil, err
	}
	return r.Items, nil
}

// SearchPage finds exact, prefix and contained hits with the text index, ranked and
// paged by the server, and typo hits (graph.MatchWords and worse) with the full-text
// index's fuzzy search, which graph.KeyMatch checks and ranks in Go. Those rank after
// every other hit, so a page takes from the first list until it runs out, then from
// the second; the second is read only when a page or the count needs it.
func (s *Store) SearchPage(ctx context.Context, q graph.SearchQuery) (*graph.Results[*graph.Node], error) {
	text := graph.Normalize(q.Text)
	if text == "" {
		return nil, graph.Errorf(graph.EINVALID, "search for %q: nothing to search for", q.Text)
	}
	kinds, err := graph.SearchKinds(q.Kinds)
	if err != nil {
		return nil, err
	}
	ks := make([]string, len(kinds))
	for i, k := range kinds {
		if _, err := label(k); err != nil {
			return nil, err
		}
		ks[i] = string(k)
	}
	if err := (graph.Page{After: q.After}).Validate(); err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = graph.DefaultSearchLimit
	}
	return execute(ctx, s, neo4j.AccessModeRead, "search", func(ctx context.Context, tx neo4j.ManagedTransaction) (*graph.Results[*graph.Node], error) {
		out := &graph.Results[*graph.Node]{Total: -1}
		params := map[string]any{"text": text, "kinds": ks, "limit": limit + 1, "after": q.After != nil}
		cursor := ""
		if a := q.After; a != nil {
			params["r"], params["c"], params["name"], params["id"] = a.Rank, a.Num, a.Text, a.ID
			cursor = ` AND (NOT $after OR rank > $r OR (rank = $r AND (n.confidence < $c OR (n.confidence = $c AND
				(n.name > $name OR (n.name = $name AND n.id > $id))))))`
		}
		if q.After == nil || q.After.Rank < int(graph.MatchWords) {
			recs, err := run(ctx, tx, containsQuery+` WHERE true`+cursor+`
				RETURN properties(n) AS p, rank ORDER BY rank, n.confidence DESC, n.name, n.id LIMIT $limit`, params)
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				n, err := decodeNode(r.Values[0].(map[string]any))
				if err != nil {
					return nil, err
				}
				out.Items = append(out.Items, n)
				out.Cursors = append(out.Cursors, graph.SearchCursor(n, graph.SearchMatch(r.Values[1].(int64))))
			}
		}
		if q.Count {
			recs, err := run(ctx, tx, containsQuery+` RETURN count(n)`, params)
			if err != nil {
				return nil, err
			}
			out.Total = int(recs[0].Values[0].(int64))
		}
		if len(out.Items) > limit && !q.Count {
			return out.Trim(limit), nil
		}
		fuzzy, err := fuzzyHits(ctx, tx, text, ks)
		if err != nil {
			return nil, err
		}
		if q.Count {
			out.Total += len(fuzzy.Items)
		}
		if len(out.Items) <= limit {
			more := graph.RankHits(fuzzy.Items, text, q.After)
			out.Items = append(out.Items, more.Items...)
			out.Cursors = append(out.Cursors, more.Cursors...)
		}
		return out.Trim(limit), nil
	})
}

// fuzzyHits returns the nodes that match text only word by word (graph.MatchWords or
// graph.MatchTypos), from the full-text index's fuzzy search: each word of the query
// must be a word of the name within graph.Typos edits.
func fuzzyHits(ctx context.Context, tx neo4j.ManagedTransaction, text string, kinds []string) (*graph.Results[*graph.Node], error) {
	words := graph.SearchWords(text)
	if len(words) == 0 || len(words) > 16 {
		return &graph.Results[*graph.Node]{}, nil
	}
	terms := make([]string, len(words))
	for i, w := range words {
		// Words are letters and digits only: nothing in them is Lucene syntax.
		terms[i] = "+" + w + "~" + strconv.Itoa(graph.Typos(w))
	}
	recs, err := run(ctx, tx, `CALL db.index.fulltext.queryNodes('cyberkg_alias_words', $lucene, {limit: $max}) YIELD node
		WHERE node.kind IN $kinds AND node.via <> 'code'
		WITH DISTINCT node.owner AS id
		MATCH (n:Entity {id: id}) RETURN properties(n) AS p`,
		map[string]any{"lucene": strings.Join(terms, " "), "max": MaxFuzzyCandidates, "kinds": kinds})
	if err != nil {
		return nil, err
	}
	var nodes []*graph.Node
	for _, r := range recs {
		n, err := decodeNode(r.Values[0].(map[string]any))
		if err != nil {
			return nil, err
		}
		if m := graph.SearchRank(n, text); m >= graph.MatchWords {
			nodes = append(nodes, n)
		}
	}
	return graph.RankHits(nodes, text, nil), nil
}

// listing is one keyset-paged read: the nodes n that match, in the order of their sort
// key (key, then ID, both ascending or both descending), after the page's cursor; and,
// when asked, their count. match binds n; key is computed only for the page, so that
// counting reads no more than it must.
type listing struct {
	match  string // MATCH ... WHERE ..., binding n
	key    string // the sort key of n
	params map[string]any
	desc   bool
	page   graph.Page
	// cursorKey turns a cursor into the sort key's value; default: its Text.
	cursorKey func(graph.Cursor) any
	// prelude, when set, is a clause run once before the listing, binding the
	// variables named in scope, which match may use (a hierarchy's nodes): the
	// count and the page then share what it read.
	prelude, scope string
	// targets reads, with the page, the TARGETED edges of its items and the nodes at
	// their far ends (graph.IncidentQuery.Targets).
	targets bool
}

func (l listing) run(ctx context.Context, s *Store, op string, cursor func(n *graph.Node, key any) graph.Cursor) (*graph.Results[*graph.Node], error) {
	params := map[string]any{"limit": l.page.First + 1, "first": l.page.First}
	for k, v := range l.params {
		params[k] = v
	}
	where := ""
	if a := l.page.After; a != nil {
		cmp := ">"
		if l.desc {
			cmp = "<"
		}
		params["key"], params["id"] = any(a.Text), a.ID
		if l.cursorKey != nil {
			params["key"] = l.cursorKey(*a)
		}
		where = ` WHERE key ` + cmp + ` $key OR (key = $key AND n.id ` + cmp + ` $id)`
	}
	dir := ""
	if l.desc {
		dir = " DESC"
	}
	keyed := l.match + ` WITH n, ` + l.key + ` AS key` + where
	page := keyed + ` RETURN properties(n) AS p, key ORDER BY key` + dir + `, n.id` + dir + ` LIMIT $limit`
	collected := l.page.Count || l.prelude != "" || l.targets
	if collected {
		// The count, the page and what comes with it in one query: one round trip, not
		// two or three.
		page = l.prelude
		total := `-1 AS total`
		if l.page.Count {
			page += ` CALL (` + l.scope + `) { ` + l.match + ` RETURN count(n) AS total }`
			total = `total`
		}
		page += ` CALL (` + l.scope + `) { ` + keyed + ` WITH n, key ORDER BY key` + dir + `, n.id` + dir + ` LIMIT $limit
				RETURN collect([properties(n), key]) AS page, collect(n)[..$first] AS shown }`
		ret := ` RETURN ` + total + `, page`
		if l.targets {
			page += ` CALL (shown) { UNWIND shown AS a MATCH (a)-[r:TARGETED]->(b:Entity)
				RETURN collect(` + edgeMap + `) AS edges, [x IN collect(DISTINCT b) | properties(x)] AS ends }`
			ret += `, edges, ends`
		}
		page += ret
	}
	return execute(ctx, s, neo4j.AccessModeRead, op, func(ctx context.Context, tx neo4j.ManagedTransaction) (*graph.Results[*graph.Node], error) {
		out := &graph.Results[*graph.Node]{Total: -1}
		recs, err := run(ctx, tx, page, params)
		if err != nil {
			return nil, err
		}
		rows := make([][]any, len(recs))
		for i, r := range recs {
			rows[i] = r.Values[:2]
		}
		if collected {
			out.Total = int(recs[0].Values[0].(int64))
			rows = rows[:0]
			for _, v := range recs[0].Values[1].([]any) {
				rows = append(rows, v.([]any))
			}
		}
		if l.targets {
			if out.Edges, out.Ends, err = decodeEdgesAndEnds(recs[0].Values[2].([]any), recs[0].Values[3].([]any)); err != nil {
				return nil, err
			}
		}
		for _, r := range rows {
			n, err := decodeNode(r[0].(map[string]any))
			if err != nil {
				return nil, err
			}
			out.Items = append(out.Items, n)
			out.Cursors = append(out.Cursors, cursor(n, r[1]))
		}
		return out.Trim(l.page.First), nil
	})
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
	// The nodes of each kind from its label, then the alias node that holds each one's
	// normalised name, found by the index on owners.
	var byLabel []string
	for _, k := range kinds {
		l, err := label(k)
		if err != nil {
			return nil, err
		}
		byLabel = append(byLabel, `MATCH (n:`+l+`) RETURN n`)
	}
	match := `CALL { ` + strings.Join(byLabel, ` UNION ALL `) + ` }
		MATCH (a:Alias {owner: n.id}) WHERE a.via = 'name'
		WITH n, a.name AS name`
	l := listing{match: match, key: `name`, page: q.Page}
	return l.run(ctx, s, "list nodes", func(n *graph.Node, key any) graph.Cursor {
		return graph.Cursor{Text: str(key), ID: n.ID}
	})
}

// Sources returns a page of sources, newest first; see graph.Store.
func (s *Store) Sources(ctx context.Context, q graph.SourceQuery) (*graph.Results[*graph.Node], error) {
	if err := q.Page.Validate(); err != nil {
		return nil, err
	}
	match := `MATCH (n:Source)`
	params := map[string]any{}
	if q.Publisher != "" {
		match += ` WHERE n.publisher = $publisher`
		params["publisher"] = q.Publisher
	}
	l := listing{match: match, key: `coalesce(n.published.epochMillis, -1)`, params: params, desc: true, page: q.Page,
		cursorKey: func(c graph.Cursor) any { return int64(c.Num) }}
	return l.run(ctx, s, "list sources", func(n *graph.Node, key any) graph.Cursor {
		ms, _ := key.(int64)
		return graph.Cursor{Num: float64(ms), ID: n.ID}
	})
}

// usdCypher is graph.StolenUSD in Cypher for the incident n: the dollar value of the
// amount its most confident STOLE edge reports (ties: more sources, then the larger
// figure), -1 when no amount was given in dollars.
const usdCypher = `coalesce(COLLECT { MATCH (n)-[s:STOLE]->(a:Amount) WHERE a.usd IS NOT NULL
	RETURN a.usd ORDER BY s.confidence DESC, size(s.sources) DESC, a.usd DESC LIMIT 1 }[0], -1)`

// Incidents returns a page of incidents; see graph.IncidentQuery. With AttributedTo
// the query starts from those nodes and walks to their incidents; otherwise it scans
// the incidents, in index order when ordered by date.
func (s *Store) Incidents(ctx context.Context, q graph.IncidentQuery) (*graph.Results[*graph.Node], error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	params := map[string]any{}
	var conds []string
	match := `MATCH (n:Incident)`
	asserted := ""
	if q.Asserted {
		asserted = ` WHERE r.certainty = 'asserted'`
	}
	var prelude, scope string
	switch {
	case q.Under != "":
		// The hierarchy is read once, before the count and the page, as graph.Hierarchy
		// reads it: the nodes within graph.MaxDepth sponsor and parent steps of the root.
		prelude = `CALL () {
			MATCH (root:Entity {id: $under})
			MATCH (x:Entity) (()-[h:SPONSORED_BY|PART_OF]->() WHERE NOT $asserted OR h.certainty = 'asserted'){0,` + hops(graph.MaxDepth) + `} (root)
			RETURN collect(DISTINCT x) AS under
		}`
		scope = `under`
		match = `UNWIND under AS x
			MATCH (n:Incident)-[r:ATTRIBUTED_TO]->(x)` + asserted + `
			WITH DISTINCT n`
		params["under"], params["asserted"] = q.Under, q.Asserted
	case len(q.AttributedTo) > 0:
		match = `MATCH (x:Entity) WHERE x.id IN $attributedTo
			MATCH (n:Incident)-[r:ATTRIBUTED_TO]->(x)` + asserted + `
			WITH DISTINCT n`
		params["attributedTo"] = q.AttributedTo
	case q.Asserted:
		conds = append(conds, `EXISTS { (n)-[r:ATTRIBUTED_TO]->() WHERE r.certainty = 'asserted' }`)
	}
	if len(q.Kinds) > 0 {
		conds = append(conds, `n.incidentKind IN $kinds`)
		ks := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			ks[i] = string(k)
		}
		params["kinds"] = ks
	}
	if q.Sector != "" {
		conds = append(conds, `(EXISTS { (n)-[:TARGETED]->(:Entity {id: $sector}) }
			OR EXISTS { (n)-[:TARGETED]->(:Organization)-[:IN_SECTOR]->(:Entity {id: $sector}) })`)
		params["sector"] = q.Sector
	}
	if q.Target != "" {
		conds = append(conds, `EXISTS { (n)-[:TARGETED]->(:Entity {id: $target}) }`)
		params["target"] = q.Target
	}
	if q.Dated || q.From != "" || q.To != "" {
		conds = append(conds, `n.date IS NOT NULL`)
	}
	if q.From != "" {
		conds = append(conds, `n.date >= substring($from, 0, size(n.date))`)
		params["from"] = string(q.From)
	}
	if q.To != "" {
		conds = append(conds, `substring(n.date, 0, size($to)) <= $to`)
		params["to"] = string(q.To)
	}
	key := `coalesce(n.date, '')`
	var cursorKey func(graph.Cursor) any
	switch q.Order.By {
	case graph.SortUSD:
		key = usdCypher
		cursorKey = func(c graph.Cursor) any { return c.Num }
	case graph.SortName:
		// An incident's alias node named "name" holds its normalised name.
		key = `COLLECT { MATCH (a:Alias {owner: n.id}) WHERE a.via = 'name' RETURN a.name }[0]`
	}
	if len(conds) > 0 {
		match += ` WHERE ` + strings.Join(conds, ` AND `)
	}
	if q.MinUSD != nil {
		match += ` WITH n, ` + usdCypher + ` AS usd WHERE usd >= $minUSD`
		params["minUSD"] = *q.MinUSD
		if q.Order.By == graph.SortUSD {
			key = "usd"
		}
	}
	l := listing{match: match, key: key, params: params, desc: q.Order.Desc, page: q.Page, cursorKey: cursorKey,
		prelude: prelude, scope: scope, targets: q.Targets}
	return l.run(ctx, s, "list incidents", func(n *graph.Node, key any) graph.Cursor {
		return graph.IncidentCursor(n, q.Order.By, num(key))
	})
}

// AuditLog returns a page of the audit trail, newest first; see graph.Store.
func (s *Store) AuditLog(ctx context.Context, q graph.AuditQuery) (*graph.Results[*graph.AuditEntry], error) {
	if err := q.Page.Validate(); err != nil {
		return nil, err
	}
	conds := []string{"true"}
	params := map[string]any{"limit": q.Page.First + 1}
	if q.Who != "" {
		conds = append(conds, `a.who = $who`)
		params["who"] = q.Who
	}
	if q.Action != "" {
		conds = append(conds, `a.action = $action`)
		params["action"] = string(q.Action)
	}
	if q.Subject != "" {
		conds = append(conds, `$subject IN a.subjects`)
		params["subject"] = q.Subject
	}
	match := `MATCH (a:AuditEntry) WHERE ` + strings.Join(conds, " AND ")
	after := ""
	if q.Page.After != nil {
		after = ` AND a.id < $after`
		params["after"] = q.Page.After.ID
	}
	return execute(ctx, s, neo4j.AccessModeRead, "audit log", func(ctx context.Context, tx neo4j.ManagedTransaction) (*graph.Results[*graph.AuditEntry], error) {
		out := &graph.Results[*graph.AuditEntry]{Total: -1}
		if q.Page.Count {
			recs, err := run(ctx, tx, match+` RETURN count(a)`, params)
			if err != nil {
				return nil, err
			}
			out.Total = int(recs[0].Values[0].(int64))
		}
		recs, err := run(ctx, tx, match+after+` RETURN a.data ORDER BY a.id DESC LIMIT $limit`, params)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			a := new(graph.AuditEntry)
			if err := json.Unmarshal([]byte(str(r.Values[0])), a); err != nil {
				return nil, fmt.Errorf("audit entry: %w", err)
			}
			a.At = a.At.UTC()
			out.Items = append(out.Items, a)
			out.Cursors = append(out.Cursors, graph.Cursor{ID: a.ID})
		}
		return out.Trim(q.Page.First), nil
	})
}

// recordAudit writes an audit entry in the transaction of the change it describes.
func recordAudit(ctx context.Context, tx neo4j.ManagedTransaction, a *graph.AuditEntry) error {
	if a == nil {
		return nil
	}
	if err := a.Validate(); err != nil {
		return err
	}
	data, err := json.Marshal(a)
	if err != nil {
		return err
	}
	subjects := slices.Clone(a.Subjects)
	if subjects == nil {
		subjects = []string{}
	}
	_, err = run(ctx, tx, `CREATE (a:AuditEntry {id: $id, who: $who, action: $action, subjects: $subjects, data: $data})`,
		map[string]any{"id": a.ID, "who": a.Who, "action": string(a.Action), "subjects": subjects, "data": string(data)})
	return err
}
