// Package lists marshals the elements of GraphQL lists for the generated executor in
// resolvers/exec: one after another when that is as good as concurrently, as gqlgen
// does (a goroutine per element) otherwise.
//
// gqlgen marshals every element of a list of objects in a goroutine of its own, so
// that the resolvers of all the elements' fields start together and the dataloaders
// can batch them (resolvers/nplus1_test.go). When no field selected under the list
// has a resolver of its own, no element waits on anything and the goroutines buy
// nothing: for a neighbourhood's thousand IDs they cost more than the answer. The
// generation step (resolvers/internal/generate) routes gqlgen's list marshalling
// through Marshal, with the table of the fields gqlgen resolves concurrently, and
// gives each object's marshaller its @defer group from NewDeferredGroup, which costs
// nothing when nothing is deferred.
//
// It must never change an answer: results, errors, their paths and null bubbling
// are the same on both paths.
package lists

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Fields are the fields gqlgen resolves in goroutines of their own (a resolver, or
// a method that takes a context), by the name of the type they are selected on: an
// object, or an interface, for which a field counts when it does on any of the
// interface's objects.
type Fields map[string][]string

func (f Fields) has(typ, field string) bool { return slices.Contains(f[typ], field) }

// Sequential reports whether the elements of a list can be marshalled one after
// another, under selection sel, at no cost to batching: no field selected, at any
// depth, is one of concurrent, and no fragment is deferred. When in doubt (a
// selection it does not know), it says no.
func Sequential(sel ast.SelectionSet, concurrent Fields) bool {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if s.ObjectDefinition == nil || concurrent.has(s.ObjectDefinition.Name, s.Name) {
				return false
			}
			if !Sequential(s.SelectionSet, concurrent) {
				return false
			}
		case *ast.InlineFragment:
			if s.Directives.ForName("defer") != nil || !Sequential(s.SelectionSet, concurrent) {
				return false
			}
		case *ast.FragmentSpread:
			if s.Directives.ForName("defer") != nil || s.Definition == nil || !Sequential(s.Definition.SelectionSet, concurrent) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// Marshal is graphql.MarshalSliceConcurrently, which it calls unless Sequential
// says the n elements can be marshalled one after another under sel; then it does
// so on the caller's goroutine, with what MarshalSliceConcurrently gives each
// element: a field context with its index, a recovered panic reported as the
// element's error and marshalled as null (unless omitPanicHandler), and, with a
// workerLimit, the elements not started when ctx ends marshalled as null and
// reported once as ctx.Err().
func Marshal(ctx context.Context, sel ast.SelectionSet, concurrent Fields, n int, workerLimit int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler,
) graphql.Array {
	if n < 2 || !Sequential(sel, concurrent) {
		return graphql.MarshalSliceConcurrently(ctx, n, workerLimit, omitPanicHandler, marshalElement)
	}
	ret := make(graphql.Array, n)
	for i := range n {
		childCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		if workerLimit > 0 && ctx.Err() != nil {
			graphql.AddError(childCtx, ctx.Err())
			for j := i; j < n; j++ {
				ret[j] = graphql.Null
			}
			break
		}
		ret[i] = marshalOne(childCtx, i, omitPanicHandler, marshalElement)
	}
	return ret
}

func marshalOne(ctx context.Context, i int, omitPanicHandler bool, marshalElement func(ctx context.Context, i int) graphql.Marshaler) (m graphql.Marshaler) {
	if !omitPanicHandler {
		defer func() {
			if r := recover(); r != nil {
				graphql.AddError(ctx, graphql.Recover(ctx, r))
				m = graphql.Null
			}
		}()
	}
	return marshalElement(ctx, i)
}

// NewDeferredGroup is graphql.NewDeferredGroup for an object whose fields are
// fields: gqlgen's own group when one of them is deferred, and otherwise an empty
// one, which ResolveConcurrently never touches and which, unlike gqlgen's, costs no
// path (computed and allocated afresh for every element of every list of objects).
func NewDeferredGroup(ctx context.Context, fields []graphql.CollectedField) graphql.DeferredGroup {
	for _, f := range fields {
		if f.IsDeferred() {
			return graphql.NewDeferredGroup(ctx)
		}
	}
	return graphql.DeferredGroup{Context: ctx}
}
