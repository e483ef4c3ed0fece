// Package neo4j is the graph.Store for production: the knowledge graph kept in a Neo4j 5
// server, reached with the official Go driver over bolt:// or neo4j:// (routing) URIs.
//
// It gives the same answers as every other store: merging is graph.MergeNode and
// graph.MergeEdge done in Go inside the write transaction, and storetest's conformance
// suite runs against a real server. What Neo4j adds is scale (batched UNWIND writes,
// index seeks for IDs and aliases, a text index for search and a full-text index whose
// fuzzy queries find typo candidates, which graph.KeyMatch then judges) and Cypher for
// people who want to query the graph directly. The schema it creates is described in
// schema.go. Search terms reach Lucene as a parameter too, and only as words of letters
// and digits, so no query syntax can ride in on them.
//
// This package must never build Cypher from input. Values go in as parameters; the only
// words spliced into query text are labels and relationship types taken from the fixed
// tables in cypher.go (keyed by graph.NodeKind and graph.EdgeType, never by a caller's
// string) and hop bounds that were validated as small integers. It must not be imported
// by graph, and it must not retry or swallow graph errors: a domain error ends the
// transaction and rolls it back.
package neo4j
