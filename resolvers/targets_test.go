package resolvers

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// An incident list whose selection shows the incidents' targets reads them with the
// page, in the one store call that reads the page, and hands them to the loaders: the
// targets, victims and targeted sectors then cost no store call of their own. The
// answers are those of the same list without the targets, and of the targets read
// one incident at a time.
func TestIncidentTargetsComeWithThePage(t *testing.T) {
	const (
		shown    = `targets { id confidence certainty entity { id name kind } evidence { quote claimant } } victims { id name }`
		incident = `id name date`
		// A connection's selection; %s is what it asks of each incident.
		nodes = `totalCount pageInfo { hasNextPage endCursor } edges { cursor } nodes { ` + incident + ` %s }`
		paths = `totalCount pageInfo { hasNextPage endCursor } edges { cursor path { type } node { ` + incident + ` %s } }`
	)
	lists := []struct {
		name, list, selection string
		paths                 bool
	}{
		{"a state's", `state(code: "KP") { attributedIncidents(first: $first, after: $after) { %s } }`, nodes, false},
		{"a state's, asserted only", `state(code: "KP") { attributedIncidents(certainty: ASSERTED, first: $first, after: $after) { %s } }`, nodes, false},
		{"a state's, largest first", `state(code: "KP") { attributedIncidents(orderBy: {field: USD, direction: DESC}, first: $first, after: $after) { %s } }`, nodes, false},
		{"a state's, with their paths", `state(code: "KP") { attributedIncidents(first: $first, after: $after) { %s } }`, paths, true},
		{"an actor's, by name", `actor(name: "Hidden Cobra") { attributedIncidents(orderBy: {field: NAME, direction: ASC}, first: $first, after: $after) { %s } }`, nodes, false},
		{"the thefts of a state, oldest first", `incidents(filter: {state: "KP", kind: [THEFT], certainty: ASSERTED}, orderBy: {direction: ASC}, first: $first, after: $after) { %s }`, nodes, false},
		{"every incident", `incidents(first: $first, after: $after) { %s }`, nodes, false},
	}
	eachStore(t, setup{world: append(world(), manyThefts(12)...)}, func(t *testing.T, e *env) {
		for _, l := range lists {
			t.Run(l.name, func(t *testing.T) {
				query := func(with string) string {
					return `query($first: Int, $after: String) { ` + fmt.Sprintf(l.list, fmt.Sprintf(l.selection, with)) + ` }`
				}
				var after *string
				pages := 0
				for {
					vars := map[string]any{"first": 2, "after": after}
					e.store.reset()
					with := e.post(t, query(shown), vars)
					_, calls := e.store.total()
					without := e.post(t, query(""), vars)
					got, plain := incidentList(t, with), incidentList(t, without)
					if len(got.Nodes) == 0 && pages == 0 {
						t.Fatalf("an empty list proves nothing: %s", with.body)
					}

					// One store call read the page and its targets.
					if calls["Incidents"] != 1 || calls["EdgesWithEnds"] != 0 {
						t.Errorf("page %d: store calls %v: want the page's Incidents call alone to read the targets", pages, calls)
					}
					if want := 0; l.paths {
						if calls["Edges"] != 1 {
							t.Errorf("page %d: store calls %v: want one Edges call, for the paths", pages, calls)
						}
					} else if calls["Edges"] != want || calls["HierarchyEdges"] != want {
						t.Errorf("page %d: store calls %v: the hierarchy and the targets cost calls of their own", pages, calls)
					}

					// The same page as without the targets.
					if !reflect.DeepEqual(got.withoutTargets(), plain) {
						t.Errorf("page %d with targets %+v,\nwithout %+v", pages, got.withoutTargets(), plain)
					}
					// The same targets as one incident at a time, through the loaders.
					for _, n := range got.Nodes {
						r := e.post(t, `query($id: ID!) { node(id: $id) { ... on Incident { `+shown+` } } }`, map[string]any{"id": n.ID})
						var one struct{ Node incidentView }
						r.data(t, &one)
						if !reflect.DeepEqual(n.Targets, one.Node.Targets) || !reflect.DeepEqual(n.Victims, one.Node.Victims) {
							t.Errorf("%s: targets %s and victims %s in the list, %s and %s alone", n.Name,
								n.Targets, n.Victims, one.Node.Targets, one.Node.Victims)
						}
					}
					pages++
					if !got.PageInfo.HasNextPage {
						break
					}
					after = &got.PageInfo.EndCursor
				}
				if pages < 2 {
					t.Errorf("%d page(s): the list should take several pages of 2", pages)
				}
			})
		}
	})
}

type incidentView struct {
	ID, Name string
	Date     *string
	Targets  json.RawMessage
	Victims  json.RawMessage
}

type connectionView struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage bool
		EndCursor   string
	}
	Edges []struct {
		Cursor string
		Path   json.RawMessage
		Node   *incidentView
	}
	Nodes []incidentView
}

// withoutTargets is the connection as a query that did not ask for targets sees it.
func (c connectionView) withoutTargets() connectionView {
	out := c
	out.Nodes = nil
	for _, n := range c.Nodes {
		n.Targets, n.Victims = nil, nil
		out.Nodes = append(out.Nodes, n)
	}
	out.Edges = nil
	for _, e := range c.Edges {
		if e.Node != nil {
			n := *e.Node
			n.Targets, n.Victims = nil, nil
			e.Node = &n
		}
		out.Edges = append(out.Edges, e)
	}
	return out
}

// incidentList finds the one incident connection in a response, and lifts the
// incidents of its edges into Nodes when it asked for them there.
func incidentList(t *testing.T, r *response) connectionView {
	t.Helper()
	var v struct {
		State     *struct{ AttributedIncidents connectionView }
		Actor     *struct{ AttributedIncidents connectionView }
		Incidents *connectionView
	}
	r.data(t, &v)
	var c connectionView
	switch {
	case v.State != nil:
		c = v.State.AttributedIncidents
	case v.Actor != nil:
		c = v.Actor.AttributedIncidents
	case v.Incidents != nil:
		c = *v.Incidents
	default:
		t.Fatalf("no incident connection in %s", r.body)
	}
	if len(c.Nodes) == 0 {
		for _, e := range c.Edges {
			if e.Node != nil {
				c.Nodes = append(c.Nodes, *e.Node)
			}
		}
	}
	if strings.Contains(r.body, `"targets":null`) {
		t.Fatalf("null targets in %s", r.body)
	}
	return c
}
