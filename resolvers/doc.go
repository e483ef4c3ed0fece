// Package resolvers serves cyberkg's GraphQL API (the contract is the SDL in schema/)
// over a graph.Store: NewHandler returns the http.Handler that `cyberkg serve` mounts
// at /graphql.
//
// Layout, after gqlgen's _examples: resolvers/exec is the executor gqlgen generates from
// the schema and resolvers/model/models_gen.go the types it generates (never edited by
// hand; generate_test.go fails when they drift); resolvers/model holds the Go types the
// GraphQL types bind to where graph has none; resolvers/graphiql the embedded GraphiQL.
// `go generate ./resolvers/` runs resolvers/internal/generate: gqlgen, then a step that
// routes the executor's lists of objects through resolvers/internal/lists, which
// marshals their elements one after another unless a field selected under them has a
// resolver (then in goroutines, as gqlgen does, for the loaders to batch).
// The *.resolvers.go files follow the schema files one to one; the rest is the wiring:
//
//   - http.go: GraphQL over HTTP (POST, GET for queries), status codes and media types
//     as the spec and the graphql-http audit want them;
//   - handler.go: the handler, its options and limits, the one error presenter;
//   - auth.go: API tokens and roles (reader, editor, admin), bearer authentication;
//   - limits.go: the cost of an operation (connections count `first` times);
//   - page.go: Relay connections over graph.Page and graph.Cursor, opaque cursors;
//   - loaders.go: the per-request loaders that keep lists from costing a store call
//     per item;
//   - curate.go: the curation mutations, each with its audit entry.
//
// Reads go to the store's typed methods; curation goes through the scraper pipeline
// (ingestURL, with the fetcher's SSRF guard on) or the store's curation methods, each
// recording who, when, why and what in the audit trail in the same transaction.
//
// This package must never build a store query from request text (arguments are passed
// to the Store's typed methods as values), never fetch a URL without the SSRF guard,
// never change the graph for a caller without an editor's token and a reason, and
// never show an internal error's text to a client.
package resolvers
