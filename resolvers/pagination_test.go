package resolvers

import (
	"context"
	"slices"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
)

type pageOf struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage     bool
		HasPreviousPage bool
		StartCursor     *string
		EndCursor       *string
	}
	Edges []struct {
		Cursor string
		Node   struct{ ID string }
	}
}

func (p pageOf) ids() []string {
	var out []string
	for _, e := range p.Edges {
		out = append(out, e.Node.ID)
	}
	return out
}

const incidentsPage = `query($first: Int, $after: String, $order: IncidentOrder) {
	list: incidents(first: $first, after: $after, orderBy: $order) {
		totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } }
	}
}`

func (e *env) page(t *testing.T, query string, vars map[string]any) pageOf {
	t.Helper()
	var got struct{ List pageOf }
	e.post(t, query, vars).data(t, &got)
	return got.List
}

func TestCursorPagination(t *testing.T) {
	eachStore(t, setup{world: manyThefts(7)}, func(t *testing.T, e *env) {
		all := e.page(t, incidentsPage, map[string]any{"first": 100})
		if all.TotalCount != 7 || len(all.Edges) != 7 || all.PageInfo.HasNextPage || all.PageInfo.HasPreviousPage {
			t.Fatalf("all incidents: %+v", all)
		}
		// Page by page: the same incidents, once each, in the same order.
		var paged []string
		vars := map[string]any{"first": 3}
		for range 10 {
			p := e.page(t, incidentsPage, vars)
			if p.TotalCount != 7 {
				t.Errorf("totalCount %d on a page", p.TotalCount)
			}
			paged = append(paged, p.ids()...)
			if p.PageInfo.HasPreviousPage != (vars["after"] != nil) {
				t.Errorf("hasPreviousPage %v after %v", p.PageInfo.HasPreviousPage, vars["after"])
			}
			if len(p.Edges) > 0 && (*p.PageInfo.StartCursor != p.Edges[0].Cursor || *p.PageInfo.EndCursor != p.Edges[len(p.Edges)-1].Cursor) {
				t.Errorf("start and end cursors %v %v do not match the edges", *p.PageInfo.StartCursor, *p.PageInfo.EndCursor)
			}
			if !p.PageInfo.HasNextPage {
				break
			}
			vars["after"] = *p.PageInfo.EndCursor
		}
		if !slices.Equal(paged, all.ids()) {
			t.Fatalf("pages %v, want %v", paged, all.ids())
		}
		// A cursor is a position: asking again gives the same page, and an incident
		// added before it (a more recent one) does not shift what follows.
		after := all.Edges[2].Cursor
		before := e.page(t, incidentsPage, map[string]any{"first": 2, "after": after})
		wire := src("https://wire.example.com/", "Theft wire", "Example Wire", published)
		newest := &graph.Node{Kind: graph.KindIncident, Name: "Newest theft", IncidentKind: graph.IncidentTheft, Date: "2099-01",
			Claims: []graph.Claim{claim(wire, "The newest theft happened.", "", graph.Asserted)}}
		if _, err := graph.Ingest(context.Background(), e.store, &graph.Batch{Nodes: []*graph.Node{wire, newest}}); err != nil {
			t.Fatal(err)
		}
		again := e.page(t, incidentsPage, map[string]any{"first": 2, "after": after})
		if !slices.Equal(again.ids(), before.ids()) || again.TotalCount != 8 {
			t.Errorf("after the same cursor: %v (of %d), then %v", before.ids(), before.TotalCount, again.ids())
		}
		// Edge cases.
		zero := e.page(t, incidentsPage, map[string]any{"first": 0})
		if len(zero.Edges) != 0 || zero.TotalCount != 8 || !zero.PageInfo.HasNextPage || zero.PageInfo.EndCursor != nil {
			t.Errorf("first: 0 = %+v, want the count alone", zero)
		}
		last := e.page(t, incidentsPage, map[string]any{"first": 5, "after": all.Edges[6].Cursor})
		if len(last.Edges) != 0 || last.PageInfo.HasNextPage {
			t.Errorf("after the last: %+v", last)
		}
		// Every order pages.
		for _, order := range []map[string]any{{"field": "USD"}, {"field": "NAME", "direction": "ASC"}, {"field": "DATE", "direction": "ASC"}} {
			whole := e.page(t, incidentsPage, map[string]any{"first": 100, "order": order})
			var byTwo []string
			vars := map[string]any{"first": 2, "order": order}
			for range 10 {
				p := e.page(t, incidentsPage, vars)
				byTwo = append(byTwo, p.ids()...)
				if !p.PageInfo.HasNextPage {
					break
				}
				vars["after"] = *p.PageInfo.EndCursor
			}
			if !slices.Equal(byTwo, whole.ids()) {
				t.Errorf("order %v by two: %v, want %v", order, byTwo, whole.ids())
			}
		}
		// Bad cursors are INVALID: garbage, a cursor of another list, or of another order.
		search := e.page(t, `query($first: Int) { list: search(query: "theft", first: $first) { totalCount pageInfo { endCursor } edges { cursor node { id } } } }`, map[string]any{"first": 1})
		for name, vars := range map[string]map[string]any{
			"garbage":               {"after": "bm90IGEgY3Vyc29y"},
			"not base64":            {"after": "%%%"},
			"a search cursor":       {"after": *search.PageInfo.EndCursor},
			"a cursor of USD order": {"after": all.Edges[0].Cursor, "order": map[string]any{"field": "USD"}},
		} {
			r := e.post(t, incidentsPage, vars)
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != CodeInvalid {
				t.Errorf("%s: %s, want INVALID", name, r.body)
			}
		}
	})
}

// Every other connection pages the same way.
func TestEveryListPages(t *testing.T) {
	eachStore(t, setup{world: manyThefts(5)}, func(t *testing.T, e *env) {
		for name, q := range map[string]string{
			"search":    `query($first: Int, $after: String) { list: search(query: "victim", first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`,
			"actors":    `query($first: Int, $after: String) { list: actors(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`,
			"entities":  `query($first: Int, $after: String) { list: entities(types: [ORGANIZATION, SECTOR], first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`,
			"timeline":  `query($first: Int, $after: String) { list: timeline(state: "KP", first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`,
			"by sector": `query($first: Int, $after: String) { list: incidents(filter: {sector: "sector:sector-0"}, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`,
		} {
			t.Run(name, func(t *testing.T) {
				whole := e.page(t, q, map[string]any{"first": 100})
				if len(whole.Edges) < 2 || whole.TotalCount != len(whole.Edges) {
					t.Fatalf("whole list: %+v", whole)
				}
				var got []string
				vars := map[string]any{"first": 1}
				for range 50 {
					p := e.page(t, q, vars)
					got = append(got, p.ids()...)
					if !p.PageInfo.HasNextPage {
						break
					}
					vars["after"] = *p.PageInfo.EndCursor
				}
				if !slices.Equal(got, whole.ids()) {
					t.Errorf("one by one: %v, want %v", got, whole.ids())
				}
			})
		}
		// Relations at a node, and the incidents behind a total, page by ID.
		var sector struct {
			Node struct {
				Organizations struct{ TotalCount int }
				TargetedBy    struct {
					TotalCount int
					PageInfo   struct{ HasNextPage bool }
				}
			}
			StolenTotals []struct {
				Count     int
				Incidents struct {
					TotalCount int
					Nodes      []struct{ ID string }
				}
			}
		}
		e.post(t, `{
			node(id: "sector:sector-0") { ... on Sector { organizations { totalCount } targetedBy(first: 1) { totalCount pageInfo { hasNextPage } } } }
			stolenTotals(groupBy: STATE) { count incidents(first: 2) { totalCount nodes { id } } }
		}`, nil).data(t, &sector)
		if sector.Node.Organizations.TotalCount != 2 || sector.Node.TargetedBy.TotalCount != 1 || sector.Node.TargetedBy.PageInfo.HasNextPage {
			t.Errorf("sector relations %+v", sector.Node)
		}
		if len(sector.StolenTotals) != 1 || sector.StolenTotals[0].Count != 5 || sector.StolenTotals[0].Incidents.TotalCount != 5 || len(sector.StolenTotals[0].Incidents.Nodes) != 2 {
			t.Errorf("totals %+v", sector.StolenTotals)
		}
	})
}
