package export_test

import (
	"bufio"
	"bytes"
	"context"
	"reflect"
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
	if len(got) != 1+worldNodes+worldEdges {
		t.Fatalf("%d statements, want a constraint, %d nodes and %d relations", len(got), worldNodes, worldEdges)
	}
}

// The script, run statement by statement on an empty Neo4j, gives back the same nodes
// and relations, property for property, hostile names included, as cyberkg's Neo4j
// store reads them; running it again changes nothing.
func TestCypherScriptRecreatesTheSubgraphInNeo4j(t *testing.T) {
	target := neo4jtest.Open(t) // takes the Neo4j lock, empties the database
	ctx := context.Background()
	st := openWorld(t)
	script := exportWorld(t, st, export.Cypher)

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
	run := func() {
		for _, stmt := range statements(t, script) {
			if _, err := driver.ExecuteQuery(ctx, d, stmt, nil, driver.EagerResultTransformer, driver.ExecuteQueryWithDatabase(cfg.Database)); err != nil {
				t.Fatalf("%v\nin: %s", err, stmt)
			}
		}
	}
	count := func(q string) int64 {
		res, err := driver.ExecuteQuery(ctx, d, q, nil, driver.EagerResultTransformer, driver.ExecuteQueryWithDatabase(cfg.Database))
		if err != nil {
			t.Fatal(err)
		}
		n, _ := res.Records[0].Get("n")
		return n.(int64)
	}
	for range 2 {
		run()
		if n, r := count(`MATCH (n:Entity) RETURN count(n) AS n`), count(`MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS n`); n != worldNodes || r != worldEdges {
			t.Fatalf("Neo4j holds %d nodes and %d relations, want %d and %d", n, r, worldNodes, worldEdges)
		}
	}
	if n := count(`MATCH (n:Incident:Entity) RETURN count(n) AS n`); n != 3 {
		t.Errorf("%d nodes labelled Incident, want 3", n)
	}

	g, err := export.Resolve(ctx, st, everything)
	if err != nil {
		t.Fatal(err)
	}
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
}
