// Package resolvers serves cyberkg's GraphQL API (the contract is the SDL in schema/)
// over a graph.Store: NewHandler returns the http.Handler that `cyberkg serve` mounts.
//
// Layout, after gqlgen's _examples: resolvers/exec is the executor gqlgen generates from
// the schema (never edited by hand; generate_test.go fails when it drifts);
// resolvers/model holds the Go types the GraphQL types bind to where graph has none;
// the *.resolvers.go files follow the schema files one to one, and the rest
// (handler.go, loaders.go) is the wiring: transports, limits, the error presenter and
// the per-request loaders that keep lists from costing one store call per item.
//
// This package only reads. It must never write to the store, never build a store query
// from request text (arguments are passed to the Store's typed methods as values), and
// never show an internal error's text to a client.
package resolvers
