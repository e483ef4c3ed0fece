package lists_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/cyberkg/cyberkg/resolvers/exec"
	"github.com/cyberkg/cyberkg/resolvers/internal/lists"
)

// selection validates a query on the API's own schema and returns what it selects
// under the neighbourhood's nodes (or edges).
func selection(t *testing.T, list, sel string, fragments string) ast.SelectionSet {
	t.Helper()
	schema := exec.NewExecutableSchema(exec.Config{}).Schema()
	q := `{ neighborhood(id: "actor:x") { ` + list + ` ` + sel + ` } } ` + fragments
	doc, errs := gqlparser.LoadQuery(schema, q)
	if errs != nil {
		t.Fatalf("query %s: %v", q, errs)
	}
	sub := doc.Operations[0].SelectionSet[0].(*ast.Field).SelectionSet
	return sub[0].(*ast.Field).SelectionSet
}

// A list is marshalled one element after another only when nothing selected under it,
// at any depth, through fragments too, is a field the executor resolves concurrently,
// and nothing under it is deferred.
func TestSequentialOnlyWithoutResolverFields(t *testing.T) {
	cases := []struct {
		name, list, sel, fragments string
		sequential                 bool
	}{
		{"ids", "nodes", "{ id }", "", true},
		{"plain fields of relations", "edges", "{ id type confidence certainty firstReported }", "", true},
		{"plain fields on a type", "nodes", "{ __typename ... on Incident { name date kind } }", "", true},
		{"evidence without its source", "nodes", "{ evidence { quote claimant } }", "", true},
		{"plain fields in a named fragment", "nodes", "{ ...plain }", "fragment plain on Entity { id name }", true},
		{"the ends of relations", "edges", "{ id from { id } }", "", false},
		{"a resolver field on a type", "nodes", "{ id ... on Incident { victims { id } } }", "", false},
		{"a resolver field in a named fragment", "nodes", "{ ...victims }", "fragment victims on Incident { victims { id } }", false},
		{"a resolver field two levels down", "nodes", "{ evidence { source { url } } }", "", false},
		{"a deferred fragment", "nodes", "{ id ... @defer { name } }", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sel := selection(t, c.list, c.sel, c.fragments)
			if got := lists.Sequential(sel, exec.ConcurrentFields); got != c.sequential {
				t.Errorf("Sequential(%s %s) = %v, want %v", c.list, c.sel, got, c.sequential)
			}
		})
	}
}

// withField returns a context as the executor's for the field named name, in an
// operation whose errors are collected and whose panics are recovered as errors.
func withField(name string) context.Context {
	recoverAs := func(_ context.Context, r any) error { return fmt.Errorf("recovered: %v", r) }
	ctx := graphql.WithOperationContext(context.Background(), &graphql.OperationContext{RecoverFunc: recoverAs})
	ctx = graphql.WithResponseContext(ctx, graphql.DefaultErrorPresenter, recoverAs)
	return graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Alias: name, Name: name}}})
}

// overlap marshals n elements through Marshal and reports the most elements that
// were being marshalled at once, and the indexes in the order they started.
func overlap(t *testing.T, sel ast.SelectionSet, n int, wait func(started *atomic.Int32)) (int32, []int) {
	t.Helper()
	var inFlight, most, started atomic.Int32
	var mu sync.Mutex
	var order []int
	ret := lists.Marshal(withField("nodes"), sel, exec.ConcurrentFields, n, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		if got := *graphql.GetFieldContext(ctx).Index; got != i {
			t.Errorf("element %d has index %d in its field context", i, got)
		}
		started.Add(1)
		now := inFlight.Add(1)
		for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
		}
		mu.Lock()
		order = append(order, i)
		mu.Unlock()
		wait(&started)
		inFlight.Add(-1)
		return graphql.MarshalInt(i)
	})
	for i, m := range ret {
		if got := text(m); got != fmt.Sprint(i) {
			t.Errorf("element %d marshalled as %s", i, got)
		}
	}
	return most.Load(), order
}

// Without resolver fields the elements are marshalled one at a time, in order; with
// one, all of them at once (each waits here for the others, which only goroutines of
// their own let it do), as the dataloaders need.
func TestMarshalSequentialOrConcurrent(t *testing.T) {
	const n = 40
	most, order := overlap(t, selection(t, "edges", "{ id }", ""), n, func(*atomic.Int32) { time.Sleep(200 * time.Microsecond) })
	if most != 1 {
		t.Errorf("edges { id }: %d elements marshalled at once, want 1", most)
	}
	for i, got := range order {
		if got != i {
			t.Fatalf("edges { id }: element %d started %dth", got, i)
		}
	}

	most, _ = overlap(t, selection(t, "edges", "{ id from { id } }", ""), n, func(started *atomic.Int32) {
		deadline := time.Now().Add(10 * time.Second)
		for started.Load() < n && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
	})
	if most != n {
		t.Errorf("edges { id from { id } }: at most %d elements marshalled at once, want all %d", most, n)
	}
}

// What an element gives, and what goes wrong with one (an error, a panic, a null),
// comes out of the sequential path as it does out of gqlgen's concurrent one: the
// same array and the same errors at the same paths.
func TestMarshalSequentialAnswersAsConcurrent(t *testing.T) {
	sel := selection(t, "nodes", "{ id }", "")
	if !lists.Sequential(sel, exec.ConcurrentFields) {
		t.Fatal("nodes { id } is not marshalled sequentially")
	}
	element := func(ctx context.Context, i int) graphql.Marshaler {
		switch i {
		case 2:
			graphql.AddErrorf(ctx, "element %d is broken", i)
			return graphql.Null
		case 4:
			panic(fmt.Sprintf("element %d panicked", i))
		}
		return graphql.MarshalString(fmt.Sprint("node ", i))
	}
	type result struct {
		Values string
		Errors string
	}
	run := func(marshal func(ctx context.Context) graphql.Array) result {
		ctx := withField("nodes")
		ret := marshal(ctx)
		var b strings.Builder
		for _, m := range ret {
			b.WriteString(text(m) + " ")
		}
		errs := graphql.GetErrors(ctx)
		// Goroutines report in any order; a response lists errors as they came.
		slices.SortFunc(errs, func(a, b *gqlerror.Error) int { return strings.Compare(a.Path.String(), b.Path.String()) })
		errsJSON, _ := json.Marshal(errs)
		return result{b.String(), string(errsJSON)}
	}
	for _, omit := range []bool{false, true} {
		if omit {
			// Without the panic handler a panic goes up to the caller on both paths.
			seq := func() (r any) {
				defer func() { r = recover() }()
				lists.Marshal(withField("nodes"), sel, exec.ConcurrentFields, 6, 0, true, element)
				return nil
			}()
			if seq == nil {
				t.Error("with omitPanicHandler, a panicking element did not panic through Marshal")
			}
			continue
		}
		want := run(func(ctx context.Context) graphql.Array {
			return graphql.MarshalSliceConcurrently(ctx, 6, 0, omit, element)
		})
		got := run(func(ctx context.Context) graphql.Array {
			return lists.Marshal(ctx, sel, exec.ConcurrentFields, 6, 0, omit, element)
		})
		if got != want {
			t.Errorf("sequential path:\n%+v\nconcurrent path:\n%+v", got, want)
		}
		if want.Values != `"node 0" "node 1" null "node 3" null "node 5" ` {
			t.Errorf("values: %s", want.Values)
		}
		if want.Errors != `[{"message":"element 2 is broken","path":["nodes",2]},{"message":"recovered: element 4 panicked","path":["nodes",4]}]` {
			t.Errorf("errors: %s", want.Errors)
		}
	}
}

// A worker limit and a context that has ended: the elements not started are null and
// the context's error is reported once, on both paths.
func TestMarshalSequentialStopsWhenTheContextEnds(t *testing.T) {
	sel := selection(t, "nodes", "{ id }", "")
	ctx, cancel := context.WithCancel(withField("nodes"))
	ret := lists.Marshal(ctx, sel, exec.ConcurrentFields, 5, 2, false, func(_ context.Context, i int) graphql.Marshaler {
		if i == 1 {
			cancel()
		}
		return graphql.MarshalInt(i)
	})
	if got, want := text(ret), "[0,1,null,null,null]"; got != want {
		t.Errorf("marshalled %s, want %s", got, want)
	}
	if errs := graphql.GetErrors(ctx); len(errs) != 1 || errs[0].Message != context.Canceled.Error() {
		t.Errorf("errors: %v, want one: %v", errs, context.Canceled)
	}
}

// text is what m writes.
func text(m graphql.Marshaler) string {
	var b strings.Builder
	m.MarshalGQL(&b)
	return b.String()
}
