package resolvers

import (
	"context"
	"sync"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
)

// briefRecorder passes every call to the store and notes whether each neighbourhood
// was asked for brief.
type briefRecorder struct {
	graph.Store
	mu    sync.Mutex
	asked []bool
}

func (s *briefRecorder) Neighborhood(ctx context.Context, id string, opt graph.NeighborhoodOptions) (*graph.Subgraph, error) {
	s.mu.Lock()
	s.asked = append(s.asked, opt.Brief)
	s.mu.Unlock()
	return s.Store.Neighborhood(ctx, id, opt)
}

// A neighbourhood whose selection shows only IDs, kinds, names, types and confidences
// is read brief, and answers as the full read does; any other field (evidence,
// descriptions, the ends of relations, a type's own field) reads it in full, with its
// evidence.
func TestNeighborhoodReadBriefOnlyWhenTheSelectionAllows(t *testing.T) {
	var rec *briefRecorder
	wrap := func(s graph.Store) graph.Store { rec = &briefRecorder{Store: s}; return rec }
	eachStore(t, setup{wrap: wrap}, func(t *testing.T, e *env) {
		type node struct {
			Typename   string `json:"__typename"`
			ID, Name   string
			Kind       string
			Confidence float64
			Evidence   []evidence
			Code       string
		}
		type edge struct {
			ID, Type   string
			Confidence float64
			Evidence   []evidence
			From       *node
		}
		var got struct {
			Neighborhood struct {
				Nodes []node
				Edges []edge
			}
		}
		ask := func(sel string) ([]node, []edge, bool) {
			rec.mu.Lock()
			rec.asked = nil
			rec.mu.Unlock()
			got.Neighborhood.Nodes, got.Neighborhood.Edges = nil, nil
			e.post(t, `{ neighborhood(id: "actor:lazarus-group", depth: 2) `+sel+` }`, nil).data(t, &got)
			rec.mu.Lock()
			defer rec.mu.Unlock()
			if len(rec.asked) != 1 {
				t.Fatalf("%s: %d neighbourhood reads, want 1", sel, len(rec.asked))
			}
			return got.Neighborhood.Nodes, got.Neighborhood.Edges, rec.asked[0]
		}
		bn, be, brief := ask(`{ nodes { __typename id kind name confidence } edges { __typename id type confidence } }`)
		if !brief {
			t.Errorf("IDs, kinds, names, types and confidences: read in full, want brief")
		}
		if len(bn) < 3 || len(be) < 2 {
			t.Fatalf("brief neighbourhood %v %v: want a few nodes and edges", bn, be)
		}
		full := func(ns []node, es []edge) string {
			for _, n := range ns {
				if len(n.Evidence) == 0 {
					return "node " + n.ID + " without evidence"
				}
			}
			return ""
		}
		for _, tc := range []struct {
			sel   string
			shown func([]node, []edge) string // what is missing, if anything
		}{
			{`{ nodes { id name kind confidence evidence { quote source { url title } } } edges { id type confidence } }`, full},
			{`{ nodes { id kind name confidence } edges { id type confidence evidence { quote source { url title } } } }`,
				func(_ []node, es []edge) string {
					for _, x := range es {
						if len(x.Evidence) == 0 {
							return "edge " + x.ID + " without evidence"
						}
					}
					return ""
				}},
			{`{ nodes { id kind name confidence } edges { id type confidence from { id kind name confidence evidence { quote source { url title } } } } }`,
				func(_ []node, es []edge) string {
					for _, x := range es {
						if x.From == nil || len(x.From.Evidence) == 0 {
							return "edge " + x.ID + " from an entity without evidence"
						}
					}
					return ""
				}},
			{`{ nodes { id kind name confidence ... on State { code } } edges { id type confidence } }`,
				func(ns []node, _ []edge) string {
					states := 0
					for _, n := range ns {
						if n.Kind == "STATE" {
							if states++; n.Code == "" {
								return "state " + n.ID + " without its code"
							}
						}
					}
					if states == 0 {
						return "no state"
					}
					return ""
				}},
		} {
			sel := tc.sel
			fn, fe, brief := ask(sel)
			if brief {
				t.Errorf("%s: read brief, want in full", sel)
			}
			if len(fn) != len(bn) || len(fe) != len(be) {
				t.Fatalf("%s: %d nodes and %d edges, brief %d and %d", sel, len(fn), len(fe), len(bn), len(be))
			}
			for i, n := range fn {
				b := bn[i]
				if n.ID != b.ID || n.Kind != b.Kind || n.Name != b.Name || n.Confidence != b.Confidence {
					t.Errorf("%s: node %d %+v, brief %+v", sel, i, n, b)
				}
			}
			for i, x := range fe {
				b := be[i]
				if x.ID != b.ID || x.Type != b.Type || x.Confidence != b.Confidence {
					t.Errorf("%s: edge %d %+v, brief %+v", sel, i, x, b)
				}
			}
			if missing := tc.shown(fn, fe); missing != "" {
				t.Errorf("%s: %s", sel, missing)
			}
		}
	})
}
