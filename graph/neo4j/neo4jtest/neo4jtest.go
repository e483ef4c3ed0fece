// Package neo4jtest opens an empty Neo4j store for the tests of packages above the
// store (the API, the binary), on the server NEO4J_URI names, under the lock that
// keeps test processes from sharing it at once (storetest.Exclusive).
//
// It must only ever be imported by tests: Open deletes everything in the database.
package neo4jtest

import (
	"context"
	"os"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/cyberkg/cyberkg/graph/neo4j"
	"github.com/cyberkg/cyberkg/graph/storetest"
)

// Required reports whether tests must fail, not skip, without a Neo4j server
// (CYBERKG_REQUIRE_NEO4J=1, as CI sets it).
func Required() bool { return os.Getenv("CYBERKG_REQUIRE_NEO4J") == "1" }

// Available reports whether a server is configured (NEO4J_URI).
func Available() bool { return os.Getenv("NEO4J_URI") != "" }

// Open takes the Neo4j lock for the rest of t, empties the database and returns a
// store on it, closed when t ends. Without NEO4J_URI it skips t, or fails it when
// Required. Call it once per test (it holds the lock until t ends).
func Open(t testing.TB) *neo4j.Store {
	t.Helper()
	cfg := neo4j.ConfigFromEnv()
	if cfg.URI == "" {
		const why = `NEO4J_URI is not set: start a server with eval "$(.ci/neo4j-start)"`
		if Required() {
			t.Fatalf("CYBERKG_REQUIRE_NEO4J=1 forbids skipping: %s", why)
		}
		t.Skip(why)
	}
	storetest.Exclusive(t, "neo4j")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := Empty(ctx, cfg); err != nil {
		t.Fatalf("empty Neo4j at %s: %v", cfg.URI, err)
	}
	s, err := neo4j.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Empty deletes every relationship, then every node, of cfg's database, in chunks a
// small server heap can take. Relationships go first: one node's DETACH DELETE would
// take all of a hub's (a sector targeted a hundred thousand times) into one transaction.
// Callers hold the Neo4j lock (storetest.Exclusive).
func Empty(ctx context.Context, cfg neo4j.Config) error {
	auth := driver.NoAuth()
	if cfg.Username != "" {
		auth = driver.BasicAuth(cfg.Username, cfg.Password, "")
	}
	d, err := driver.NewDriverWithContext(cfg.URI, auth)
	if err != nil {
		return err
	}
	defer d.Close(ctx)
	for _, chunk := range []string{
		`MATCH ()-[r]->() WITH r LIMIT 20000 DELETE r RETURN count(*) AS c`,
		`MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS c`,
	} {
		for {
			res, err := driver.ExecuteQuery(ctx, d, chunk, nil,
				driver.EagerResultTransformer, driver.ExecuteQueryWithDatabase(cfg.Database))
			if err != nil {
				return err
			}
			if c, _ := res.Records[0].Get("c"); c.(int64) == 0 {
				break
			}
		}
	}
	return nil
}
