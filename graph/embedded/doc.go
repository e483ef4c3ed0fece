// Package embedded is the zero-setup graph.Store: one SQLite file on local disk (through
// the pure-Go modernc.org/sqlite, so no cgo and no server), for a laptop, a test or a
// single-binary deployment that does not want Neo4j.
//
// It keeps nodes and edges as the JSON of graph.Node and graph.Edge, with just enough
// columns, indexes and side tables (names, edge ends, which source backs what, the sort
// keys of the API's lists, the audit trail) for the lookups the Store contract needs.
// The graph questions themselves (neighbourhoods, paths, totals, search ranking, merge
// plans) are answered by the generic helpers in package graph, so both stores answer
// them alike; search runs graph.KeyMatch itself inside SQLite, as a registered function.
// A store written by an older cyberkg is migrated on open (see migrations).
//
// It must never half-apply a batch: every Write, RemoveSource, Merge and RetractClaim
// (with its audit entry) is one SQLite
// transaction in write-ahead-log mode, so a process killed mid-write leaves the store as
// it was before or after that batch. It must never write to a file that is not a
// cyberkg store already (or empty), never let concurrent writers fail with
// SQLITE_BUSY (they queue on one write connection), and never hand SQLite's own errors
// to callers as domain errors: those are wrapped with context and stay EINTERNAL.
package embedded
