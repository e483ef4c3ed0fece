// Package export writes a selected subgraph in the formats other tools read: GraphML,
// GEXF 1.3, Cytoscape.js JSON, CSV (a zip), a STIX 2.1 bundle, a Cypher script, and a
// report in Markdown or standalone HTML. It is the one export layer: the CLI (cyberkg
// export), the GraphQL API and the HTTP endpoint /export (which the explorer calls) all
// go through Write, so a selection means the same thing everywhere.
//
// A Selection resolves to a set of node IDs and nothing more; the writers then read the
// nodes and edges from the store in chunks and write them as they go, so memory grows
// with the number of IDs, never with the data behind them.
//
// What an export must never do: drop a hedge. Every format carries each relation's
// certainty and confidence, and the reports say "suspected" where a source only
// suspected. Text from scraped pages is written as text (escaped for XML, HTML, CSV,
// JSON and Cypher), never as markup or code.
package export
