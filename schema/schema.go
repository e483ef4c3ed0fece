// Package schema holds cyberkg's GraphQL API contract: the SDL in *.graphqls, from
// which gqlgen generates the executor in resolvers/exec (see gqlgen.yml at the root).
// Read query.graphqls first. This package only carries the files; it must never hold
// resolver logic.
package schema

import "embed"

// Files is the SDL, for serving it or for tools that read the contract.
//
//go:embed *.graphqls
var Files embed.FS
