package resolvers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/resolvers/exec"
	"github.com/cyberkg/cyberkg/resolvers/model"
)

// executor serves the generated executor with root's resolvers over store, around
// (when given) around every field, and panics recovered as errors.
func executor(t *testing.T, store graph.Store, root exec.ResolverRoot, around graphql.FieldMiddleware) func(query string) *response {
	t.Helper()
	srv := handler.New(exec.NewExecutableSchema(exec.Config{Resolvers: root}))
	srv.AddTransport(transport.POST{})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(withLoaders(ctx, store))
	})
	if around != nil {
		srv.AroundFields(around)
	}
	srv.SetRecoverFunc(func(_ context.Context, r any) error { return fmt.Errorf("recovered: %v", r) })
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return func(query string) *response {
		body, _ := json.Marshal(map[string]any{"query": query})
		res, err := http.Post(ts.URL, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var r response
		if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
		r.status = res.StatusCode
		return &r
	}
}

// A neighbourhood's relations are marshalled one at a time when only their own
// fields are asked for, and all at once, each in a goroutine of its own, when the
// ends of the relations (resolver fields, which the loaders batch) are asked for too;
// the relations are the same either way.
func TestListElementsInGoroutinesOnlyForResolverFields(t *testing.T) {
	s := openEmbedded(t)
	for _, b := range world() {
		if _, err := graph.Ingest(context.Background(), s, b); err != nil {
			t.Fatal(err)
		}
	}
	var started, inFlight, most atomic.Int32
	var waitFor atomic.Int32 // how many relations to wait for; 0: none
	watch := func(ctx context.Context, next graphql.Resolver) (any, error) {
		if fc := graphql.GetFieldContext(ctx); fc.Object == "Relation" && fc.Field.Name == "id" {
			started.Add(1)
			now := inFlight.Add(1)
			for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
			}
			if n := waitFor.Load(); n > 0 {
				// Only a relation in a goroutine of its own can wait for the others.
				for deadline := time.Now().Add(10 * time.Second); started.Load() < n && time.Now().Before(deadline); {
					time.Sleep(time.Millisecond)
				}
			} else {
				time.Sleep(time.Millisecond)
			}
			defer inFlight.Add(-1)
		}
		return next(ctx)
	}
	ask := executor(t, s, &Resolver{store: s}, watch)
	relations := func(sel string) []string {
		started.Store(0)
		most.Store(0)
		var got struct {
			Neighborhood struct{ Edges []struct{ ID string } }
		}
		ask(`{ neighborhood(id: "actor:lazarus-group", depth: 2) { nodes { id } edges `+sel+` } }`).data(t, &got)
		var ids []string
		for _, e := range got.Neighborhood.Edges {
			ids = append(ids, e.ID)
		}
		return ids
	}

	plain := relations(`{ id type confidence }`)
	if len(plain) < 3 {
		t.Fatalf("the neighbourhood has %d relations; the test needs a few", len(plain))
	}
	if m := most.Load(); m != 1 {
		t.Errorf("edges { id type confidence }: %d relations marshalled at once, want 1", m)
	}

	waitFor.Store(int32(len(plain)))
	withEnds := relations(`{ id from { id } to { id } }`)
	if m := most.Load(); int(m) != len(plain) {
		t.Errorf("edges { id from { id } to { id } }: at most %d of %d relations marshalled at once, want all", m, len(plain))
	}
	if !slices.Equal(plain, withEnds) {
		t.Errorf("relations differ:\n%v\n%v", plain, withEnds)
	}
}

// oneBadEntity is the API's resolvers but for the neighbourhood, which gets bad as
// its second entity.
type oneBadEntity struct {
	*Resolver
	bad model.Entity
}

func (r oneBadEntity) Query() exec.QueryResolver { return badNeighborhood{r.Resolver.Query(), r.bad} }

type badNeighborhood struct {
	exec.QueryResolver
	bad model.Entity
}

func (q badNeighborhood) Neighborhood(ctx context.Context, id string, depth *int, edgeTypes []graph.EdgeType, nodeTypes []graph.NodeKind, limit *int) (*model.Subgraph, error) {
	g, err := q.QueryResolver.Neighborhood(ctx, id, depth, edgeTypes, nodeTypes, limit)
	if err != nil || g == nil {
		return g, err
	}
	g.Nodes = slices.Insert(g.Nodes, 1, q.bad)
	return g, nil
}

// stranger is an entity the executor does not know how to marshal: marshalling it
// panics.
type stranger struct{ model.Entity }

// An element that cannot be marshalled (a null in a list of non-null entities, or a
// panic) nulls the list and so the neighbourhood, with one error at the element's
// path, whether the elements are marshalled one after another (nodes { id }) or in
// goroutines (a resolver field asked for on incidents).
func TestListElementErrorNullsTheListOnBothPaths(t *testing.T) {
	s := openEmbedded(t)
	for _, b := range world() {
		if _, err := graph.Ingest(context.Background(), s, b); err != nil {
			t.Fatal(err)
		}
	}
	sequential := `{ id }`
	concurrent := `{ id ... on Incident { victims { id } } }`
	for name, bad := range map[string]model.Entity{"null": nil, "panic": stranger{}} {
		t.Run(name, func(t *testing.T) {
			ask := executor(t, s, oneBadEntity{&Resolver{store: s}, bad}, nil)
			var answers []string
			for _, sel := range []string{sequential, concurrent} {
				r := ask(`{ neighborhood(id: "actor:lazarus-group", depth: 2) { nodes ` + sel + ` edges { id } } }`)
				if string(r.Data) != `{"neighborhood":null}` {
					t.Errorf("nodes %s: data %s, want the neighbourhood null", sel, r.Data)
				}
				if len(r.Errors) != 1 || fmt.Sprint(r.Errors[0].Path) != "[neighborhood nodes 1]" {
					t.Fatalf("nodes %s: errors %+v, want one at [neighborhood nodes 1]", sel, r.Errors)
				}
				answers = append(answers, fmt.Sprintf("%s %s", r.Data, r.Errors[0].Message))
			}
			if answers[0] != answers[1] {
				t.Errorf("one after another: %s\nin goroutines: %s", answers[0], answers[1])
			}
		})
	}
}
