package export_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/cyberkg/cyberkg/export"
	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/neo4j"
	"github.com/cyberkg/cyberkg/graph/neo4j/neo4jtest"
)

// statements splits a script into its statements: one a line, comments aside.
func statements(t *testing.T, script []byte) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(script))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		if !strings.HasSuffix(line, ";") {
			t.Fatalf("a statement does not end its line: %s", line)
		}
		out = append(out, strings.TrimSuffix(line, ";"))
	}
	return out
}

func TestCypherScriptIsOneStatementALine(t *testing.T) {
	st := openWorld(t)
	got := statements(t, exportWorld(t, st, export.Cypher))
	g, err := export.Resolve(context.Background(), st, everything)
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]bool{}
	for _, id := range g.IDs {
		in[id] = true
	}
	wantAliases := 0
	for _, n := range world().Nodes {
		if in[n.ID] {
			wantAliases += len(n.AliasKeys())
		}
	}
	counts := map[string]int{}
	for _, stmt := range got {
		switch {
		case strings.HasPrefix(stmt, "CREATE CONSTRAINT "), strings.HasPrefix(stmt, "CREATE INDEX "),
			strings.HasPrefix(stmt, "CREATE TEXT INDEX "), strings.HasPrefix(stmt, "CREATE FULLTEXT INDEX "),
			stmt == "CALL db.awaitIndexes(300)":
			counts["schema"]++
		case strings.HasPrefix(stmt, "MERGE (n:Entity "):
			counts["nodes"]++
		case strings.HasPrefix(stmt, "MERGE (a:Alias "):
			counts["aliases"]++
		case strings.HasPrefix(stmt, "MATCH (a:Entity "):
			counts["relations"]++
		default:
			t.Errorf("an unexpected statement: %s", stmt)
		}
	}
	want := map[string]int{"schema": 8, "nodes": worldNodes, "aliases": wantAliases, "relations": worldEdges}
	if !reflect.DeepEqual(counts, want) {
		t.Fatalf("statements %v, want %v", counts, want)
	}
}

// The script, run statement by statement on an empty Neo4j without cyberkg's schema,
// gives back the same nodes and relations, property for property, hostile names
// included, as cyberkg's Neo4j store reads them; the same name-lookup (Alias) nodes and
// indexes as the store's own Write and Open make, so that Resolve and Search find the
// same entities by name, alias and code; and running it again changes nothing.
func TestCypherScriptRecreatesTheSubgraphInNeo4j(t *testing.T) {
	orig := neo4jtest.Open(t) // takes the Neo4j lock, empties the database
	ctx := context.Background()
	st := openWorld(t)
	script := exportWorld(t, st, export.Cypher)
	g, err := export.Resolve(ctx, st, everything)
	if err != nil {
		t.Fatal(err)
	}
	inSubgraph := map[string]bool{}
	for _, id := range g.IDs {
		inSubgraph[id] = true
	}

	cfg := neo4j.ConfigFromEnv()
	auth := driver.NoAuth()
	if cfg.Username != "" {
		auth = driver.BasicAuth(cfg.Username, cfg.Password, "")
	}
	d, err := driver.NewDriverWithContext(cfg.URI, auth)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	query := func(q string) []*driver.Record {
		t.Helper()
		res, err := driver.ExecuteQuery(ctx, d, q, nil, driver.EagerResultTransformer, driver.ExecuteQueryWithDatabase(cfg.Database))
		if err != nil {
			t.Fatalf("%v\nin: %s", err, q)
		}
		return res.Records
	}
	count := func(q string) int64 {
		t.Helper()
		n, _ := query(q)[0].Get("n")
		return n.(int64)
	}
	// The store's indexes on entities and aliases (not its write lock's or audit
	// trail's, which are no part of a subgraph), as SHOW INDEXES describes them.
	indexes := func() []string {
		var out []string
		for _, r := range query(`SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties
			WHERE name STARTS WITH 'cyberkg_' AND NOT any(l IN labelsOrTypes WHERE l IN ['WriteLock', 'AuditEntry'])
			RETURN name, type, entityType, labelsOrTypes, properties ORDER BY name`) {
			out = append(out, fmt.Sprint(r.Values))
		}
		return out
	}
	// The Alias nodes of the subgraph's entities, every property.
	aliases := func() []map[string]any {
		var out []map[string]any
		for _, r := range query(`MATCH (a:Alias) RETURN properties(a) AS p ORDER BY a.key`) {
			p, _ := r.Get("p")
			if m := p.(map[string]any); inSubgraph[m["owner"].(string)] {
				out = append(out, m)
			}
		}
		return out
	}

	// What cyberkg's own Neo4j store keeps for the world, written by its Write and
	// found by its Resolve and Search: the script must give the same.
	if _, err := orig.Write(ctx, world()); err != nil {
		t.Fatal(err)
	}
	wantIndexes, wantAliases, wantLookups := indexes(), aliases(), lookups(t, orig)
	if len(wantIndexes) != 7 || len(wantAliases) < worldNodes {
		t.Fatalf("the store made %d indexes and %d aliases: the comparison would prove little", len(wantIndexes), len(wantAliases))
	}

	// An empty database without cyberkg's schema, as another Neo4j would be.
	if err := neo4jtest.Empty(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	for _, r := range query(`SHOW CONSTRAINTS YIELD name WHERE name STARTS WITH 'cyberkg_' RETURN name`) {
		name, _ := r.Get("name")
		query("DROP CONSTRAINT `" + name.(string) + "`")
	}
	for _, r := range query(`SHOW INDEXES YIELD name WHERE name STARTS WITH 'cyberkg_' RETURN name`) {
		name, _ := r.Get("name")
		query("DROP INDEX `" + name.(string) + "`")
	}
	if n := len(indexes()); n != 0 {
		t.Fatalf("%d of cyberkg's indexes are left after dropping them", n)
	}

	run := func() {
		for _, stmt := range statements(t, script) {
			query(stmt)
		}
	}
	for range 2 {
		run()
		// Entities and relations are what users count; aliases are the store's.
		if n, r := count(`MATCH (n:Entity) RETURN count(n) AS n`), count(`MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS n`); n != worldNodes || r != worldEdges {
			t.Fatalf("Neo4j holds %d nodes and %d relations, want %d and %d", n, r, worldNodes, worldEdges)
		}
		if n, all := count(`MATCH (a:Alias) RETURN count(a) AS n`), count(`MATCH (n) RETURN count(n) AS n`); n != int64(len(wantAliases)) || all != worldNodes+n {
			t.Fatalf("Neo4j holds %d aliases and %d nodes in all, want %d aliases and nothing else", n, all, len(wantAliases))
		}
	}
	if n := count(`MATCH (n:Incident:Entity) RETURN count(n) AS n`); n != 3 {
		t.Errorf("%d nodes labelled Incident, want 3", n)
	}
	if got := indexes(); !reflect.DeepEqual(got, wantIndexes) {
		t.Errorf("the script made the indexes\n%s\nwant, as Open makes them,\n%s", strings.Join(got, "\n"), strings.Join(wantIndexes, "\n"))
	}
	if got := aliases(); !reflect.DeepEqual(got, wantAliases) {
		t.Errorf("aliases differ:\n got %v\nwant %v", got, wantAliases)
	}

	// cyberkg opens the copy as it would any database of its own.
	target, err := neo4j.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	want, err := st.Nodes(ctx, g.IDs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := target.Nodes(ctx, g.IDs)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("read back %d nodes, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("node %s differs:\n got %+v\nwant %+v", want[i].ID, got[i], want[i])
		}
	}
	wantEdges, err := st.Edges(ctx, graph.EdgeFilter{Ends: g.IDs})
	if err != nil {
		t.Fatal(err)
	}
	gotEdges, err := target.Edges(ctx, graph.EdgeFilter{Ends: g.IDs})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotEdges, wantEdges) {
		t.Errorf("relations differ:\n got %+v\nwant %+v", gotEdges, wantEdges)
	}
	hostile, err := target.Node(ctx, "incident:"+graph.Slug(hostileIncident))
	if err != nil || hostile.Name != hostileIncident || hostile.Claims[0].Quote != hostileQuote {
		t.Fatalf("the hostile incident came back as %+v (%v)", hostile, err)
	}

	gotLookups := lookups(t, target)
	for _, l := range slices.Sorted(maps.Keys(wantLookups)) {
		if gotLookups[l] != wantLookups[l] {
			t.Errorf("%s: the copy gives %s, the store it came from %s", l, gotLookups[l], wantLookups[l])
		}
	}
	// And the answers are the right ones, not merely the same.
	ids := map[string]string{}
	for _, n := range world().Nodes {
		ids[n.Name] = n.ID
	}
	for l, id := range map[string]string{
		"resolve ThreatActor Hidden Cobra":        ids["Lazarus Group"],
		"resolve ThreatActor  lazarus   GROUP ":   ids["Lazarus Group"],
		"resolve State KP":                        ids["North Korea"],
		"resolve State dprk":                      ids["North Korea"],
		"resolve Incident Ronin":                  ids["Ronin bridge theft"],
		"resolve Organization Ronin":              ids["Ronin Network"],
		"resolve Incident " + hostileIncident:     ids[hostileIncident],
		"resolve Organization " + hostileVictim:   ids[hostileVictim],
		"search [] Hidden Cobra":                  ids["Lazarus Group"],
		"search [] Lazarus Grop":                  ids["Lazarus Group"],
		"search [] <script>":                      ids[hostileIncident],
		"search [] onerror=alert(1)":              ids[hostileVictim],
		"search [Amount] about $625 million":      ids["about $625 million"],
		"search [State] KP":                       ids["North Korea"],
		"resolve ThreatActor TraderTraitor":       ids["TraderTraitor"],
		"resolve ThreatActor BlueNoroff":          ids["APT38"],
		"search [ThreatActor Incident] BlueNorof": ids["APT38"],
	} {
		if id == "" || !strings.Contains(gotLookups[l], id) {
			t.Errorf("%s: the copy gives %s, want %q among the answers", l, gotLookups[l], id)
		}
	}
	if l := "resolve ThreatActor Kimsuky"; gotLookups[l] != "map[]" {
		t.Errorf("%s: the copy gives %s for a name it never held", l, gotLookups[l])
	}
	// cyberkg export --seed, on the copy: seeds by name, alias and hostile name select
	// what they select on the original.
	for _, seed := range []string{"Lazarus Group", "Hidden Cobra", hostileIncident} {
		sel := export.Selection{Seeds: []string{seed}, Depth: 1}
		want, err := export.Resolve(ctx, st, sel)
		if err != nil {
			t.Fatalf("seed %q on the original: %v", seed, err)
		}
		got, err := export.Resolve(ctx, target, sel)
		if err != nil {
			t.Fatalf("seed %q on the copy: %v", seed, err)
		}
		if len(got.IDs) < 2 || !reflect.DeepEqual(got.IDs, want.IDs) {
			t.Errorf("seed %q on the copy selects %v, want %v", seed, got.IDs, want.IDs)
		}
	}
}

// lookups asks s for the world's entities by name, alias, code, hostile text, a typo
// and a name it does not hold, with Resolve and Search; it returns each answer as text
// under "resolve <kind> <name>" or "search [<kinds>] <text>".
func lookups(t *testing.T, s graph.Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	for _, r := range []struct {
		kind graph.NodeKind
		name string
	}{
		{graph.KindActor, "Hidden Cobra"}, {graph.KindActor, " lazarus   GROUP "}, {graph.KindActor, "TraderTraitor"},
		{graph.KindActor, "BlueNoroff"}, {graph.KindActor, "Kimsuky"},
		{graph.KindState, "KP"}, {graph.KindState, "dprk"}, {graph.KindState, "Russia"},
		{graph.KindIncident, "Ronin"}, {graph.KindOrganization, "Ronin"},
		{graph.KindIncident, hostileIncident}, {graph.KindOrganization, hostileVictim},
	} {
		m, err := s.Resolve(ctx, r.kind, []string{r.name})
		if err != nil {
			t.Fatalf("resolve %s %q: %v", r.kind, r.name, err)
		}
		out["resolve "+string(r.kind)+" "+r.name] = fmt.Sprint(m)
	}
	for _, q := range []graph.SearchQuery{
		{Text: "Hidden Cobra"}, {Text: "Lazarus Grop"}, {Text: "ronin"}, {Text: "<script>"},
		{Text: "onerror=alert(1)"}, {Text: "KP", Kinds: []graph.NodeKind{graph.KindState}},
		{Text: "about $625 million", Kinds: []graph.NodeKind{graph.KindAmount}},
		{Text: "BlueNorof", Kinds: []graph.NodeKind{graph.KindActor, graph.KindIncident}},
	} {
		hits, err := s.Search(ctx, q)
		if err != nil {
			t.Fatalf("search %q: %v", q.Text, err)
		}
		var got []string
		for _, n := range hits {
			got = append(got, n.ID)
		}
		out[fmt.Sprintf("search %v %s", q.Kinds, q.Text)] = fmt.Sprint(got)
	}
	return out
}
