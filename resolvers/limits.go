package resolvers

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// costLimit rejects operations that would cost more than its value, before they run.
// A field costs 1 plus what its selection costs, times how many items it may return:
// a field with a `first` or `limit` argument (a connection, a neighbourhood) that many
// (its default when not given), and the lists directly inside it no more; any other
// list listFactor. So a page of 100 incidents with their victims and sectors costs
// about 100 times one incident's fields, and connections nested in connections
// multiply, which is the shape a costly query has.
type costLimit int

// listFactor is what a plain list's selection counts: the lists of one entity's
// relations are short.
const listFactor = 3

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = costLimit(0)

func (costLimit) ExtensionName() string                   { return "CostLimit" }
func (costLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (c costLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	got := selectionCost(oc.Operation.SelectionSet, oc.Variables, false, 0)
	if got <= int(c) {
		return nil
	}
	err := gqlerror.Errorf("operation has cost %d, which exceeds the limit of %d: ask for smaller pages or fewer nested lists", got, int(c))
	errcode.Set(err, errCostLimit)
	return err
}

// selectionCost returns what a selection costs. paged says the selection belongs to a
// field that counted its items already. depth guards against a fragment cycle, which
// validation has refused before this runs.
func selectionCost(set ast.SelectionSet, vars map[string]any, paged bool, depth int) int {
	if depth > 64 {
		return 0
	}
	total := 0
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(sel.Name, "__") || sel.Definition == nil {
				continue
			}
			items, pages := 1, false
			args := sel.ArgumentMap(vars)
			for _, name := range []string{"first", "limit"} {
				if n, ok := intArg(args[name]); ok && sel.Definition.Arguments.ForName(name) != nil {
					items, pages = max(n, 0), true
				}
			}
			if !pages && sel.Definition.Arguments.ForName("first") != nil {
				items, pages = 20, true
			}
			if !pages && !paged && sel.Definition.Type.Elem != nil {
				items = listFactor
			}
			total += 1 + items*selectionCost(sel.SelectionSet, vars, pages, depth+1)
		case *ast.InlineFragment:
			total += selectionCost(sel.SelectionSet, vars, paged, depth+1)
		case *ast.FragmentSpread:
			if sel.Definition != nil {
				total += selectionCost(sel.Definition.SelectionSet, vars, paged, depth+1)
			}
		}
	}
	return total
}

// intArg reads an integer argument however the variables held it.
func intArg(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	case interface{ Int64() (int64, error) }: // json.Number
		i, err := n.Int64()
		return int(i), err == nil
	}
	return 0, false
}

// depthLimit rejects operations whose fields nest deeper than its value.
type depthLimit int

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit(0)

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	got := selectionDepth(oc.Operation.SelectionSet, oc.Doc.Fragments, map[string]int{})
	if got <= int(d) {
		return nil
	}
	err := gqlerror.Errorf("operation has depth %d, which exceeds the limit of %d", got, int(d))
	errcode.Set(err, errDepthLimit)
	return err
}

// selectionDepth returns how deep fields nest in set. Fragments are measured once each
// (memo); validation has already refused fragment cycles.
func selectionDepth(set ast.SelectionSet, frags ast.FragmentDefinitionList, memo map[string]int) int {
	deepest := 0
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if !strings.HasPrefix(sel.Name, "__") {
				deepest = max(deepest, 1+selectionDepth(sel.SelectionSet, frags, memo))
			}
		case *ast.InlineFragment:
			deepest = max(deepest, selectionDepth(sel.SelectionSet, frags, memo))
		case *ast.FragmentSpread:
			d, ok := memo[sel.Name]
			if !ok {
				memo[sel.Name] = 0 // a cycle, were there one, ends here
				if def := frags.ForName(sel.Name); def != nil {
					d = selectionDepth(def.SelectionSet, frags, memo)
				}
				memo[sel.Name] = d
			}
			deepest = max(deepest, d)
		}
	}
	return deepest
}
