package export

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"math"
	"slices"

	"github.com/cyberkg/cyberkg/graph"
)

// MaxPictureNodes caps the report's picture: beyond this many nodes a drawing is no
// longer readable, and the picture shows the nodes nearest the seeds, with a note.
const MaxPictureNodes = 80

// picture is the report's drawing of the subgraph, laid out in Go: the seeds at the
// centre and every other node on the ring of its distance from them (nodes chosen by ID
// on the outermost ring), in an order that keeps neighbours close. The same subgraph is
// always drawn the same way. Hedged relations are dashed.
type picture struct {
	Width, Height int
	Nodes         []picNode
	Edges         []picEdge
	Note          string
}

type picNode struct {
	X, Y        float64
	Color       string
	Label, Full string
}

type picEdge struct {
	X1, Y1, X2, Y2 float64
	Dashed         bool
	Title          string
}

var kindColors = map[graph.NodeKind]string{
	graph.KindState: "#c0392b", graph.KindActor: "#8e44ad", graph.KindIncident: "#d35400",
	graph.KindOrganization: "#2980b9", graph.KindSector: "#16a085", graph.KindSource: "#7f8c8d", graph.KindAmount: "#27ae60",
}

func (x *exporter) picture(ctx context.Context) (*picture, error) {
	g := x.g
	// The nodes nearest the seeds, then by ID.
	type near struct {
		id   string
		ring int
	}
	all := make([]near, 0, len(g.IDs))
	maxRing := 0
	for i, id := range g.IDs {
		all = append(all, near{id, int(g.hops[i])})
		maxRing = max(maxRing, int(g.hops[i]))
	}
	for i := range all {
		if all[i].ring < 0 {
			all[i].ring = maxRing + 1
		}
	}
	slices.SortFunc(all, func(a, b near) int { return cmp.Or(cmp.Compare(a.ring, b.ring), cmp.Compare(a.id, b.id)) })
	p := &picture{Width: 960, Height: 720}
	if len(all) > MaxPictureNodes {
		p.Note = fmt.Sprintf("The picture shows the %d nodes nearest the seeds, of %d; the tables and the other formats hold them all.", MaxPictureNodes, len(all))
		all = all[:MaxPictureNodes]
	}
	ids := make([]string, len(all))
	ring := map[string]int{}
	rings := 0
	for i, n := range all {
		ids[i] = n.id
		ring[n.id] = n.ring
		rings = max(rings, n.ring)
	}
	nodes, err := x.lookup(ctx, slices.Clone(ids))
	if err != nil {
		return nil, err
	}
	edges, err := x.st.Edges(ctx, graph.EdgeFilter{Types: g.sel.EdgeTypes, From: ids})
	if err != nil {
		return nil, err
	}
	edges = slices.DeleteFunc(edges, func(e *graph.Edge) bool {
		_, f := ring[e.From]
		_, t := ring[e.To]
		return !f || !t || !g.sel.keepEdge(e)
	})
	// Place ring by ring: a node's angle follows its neighbours on the inner rings.
	angle := map[string]float64{}
	cx, cy := float64(p.Width)/2, float64(p.Height)/2
	step := (math.Min(cx, cy) - 60) / float64(max(rings, 1))
	pos := map[string][2]float64{}
	for k := 0; k <= rings; k++ {
		var onRing []string
		for _, id := range ids {
			if ring[id] == k {
				onRing = append(onRing, id)
			}
		}
		pull := map[string]float64{}
		for _, id := range onRing {
			var sum, n float64
			for _, e := range edges {
				other := ""
				switch id {
				case e.From:
					other = e.To
				case e.To:
					other = e.From
				}
				if a, ok := angle[other]; ok && ring[other] < k {
					sum, n = sum+a, n+1
				}
			}
			pull[id] = 0
			if n > 0 {
				pull[id] = sum / n
			}
		}
		slices.SortStableFunc(onRing, func(a, b string) int { return cmp.Or(cmp.Compare(pull[a], pull[b]), cmp.Compare(a, b)) })
		radius := float64(k) * step
		if k == 0 && len(onRing) > 1 {
			radius = step / 3
		}
		for i, id := range onRing {
			a := 2*math.Pi*float64(i)/float64(len(onRing)) - math.Pi/2
			if k > 0 {
				a += math.Pi / float64(len(onRing)) * float64(k%2) // stagger rings
			}
			angle[id] = math.Mod(a+2*math.Pi, 2*math.Pi)
			pos[id] = [2]float64{round1(cx + radius*math.Cos(a)), round1(cy + radius*math.Sin(a))}
		}
	}
	for _, e := range edges {
		a, b := pos[e.From], pos[e.To]
		from, to := nodes[e.From], nodes[e.To]
		title := string(e.Type)
		if from != nil && to != nil {
			title = fmt.Sprintf("%s %s %s (%s, confidence %s)", from.Name, relationWords[e.Type], to.Name, e.Certainty(), num(e.Confidence))
		}
		p.Edges = append(p.Edges, picEdge{a[0], a[1], b[0], b[1], e.Certainty() == graph.Hedged, title})
	}
	for _, id := range ids {
		n := nodes[id]
		if n == nil {
			continue
		}
		label := []rune(n.Name)
		if len(label) > 22 {
			label = append(label[:21], '…')
		}
		p.Nodes = append(p.Nodes, picNode{pos[id][0], pos[id][1], kindColors[n.Kind], string(label), fmt.Sprintf("%s (%s)", n.Name, n.Kind)})
	}
	return p, nil
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// The picture as SVG. html/template escapes every name and title for its context: no
// text from a page can become markup or script.
var svgTemplate = template.Must(template.New("svg").Parse(svgSource))

const svgSource = `<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" font-family="sans-serif" font-size="11">` +
	`<rect width="100%" height="100%" fill="#ffffff"/>` +
	`{{range .Edges}}<line x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}" stroke="#95a5a6" stroke-width="1.2"{{if .Dashed}} stroke-dasharray="5,4"{{end}}><title>{{.Title}}</title></line>{{end}}` +
	`{{range .Nodes}}<g><circle cx="{{.X}}" cy="{{.Y}}" r="7" fill="{{.Color}}"><title>{{.Full}}</title></circle><text x="{{.X}}" y="{{.Y}}" dx="9" dy="4">{{.Label}}</text></g>{{end}}` +
	`</svg>`
