// Package graph is cyberkg's domain: the nodes and edges of the knowledge graph, the
// provenance every fact carries, stable IDs and alias resolution, error codes, and the
// Store interface that the neo4j and embedded packages implement.
//
// Data flows one way: scrapers produce a Batch, graph.Ingest resolves it against a Store
// and writes it, and the API reads from the Store. This package must never import a store
// implementation, a scraper or the API.
package graph
