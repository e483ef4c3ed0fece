package export

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// Format is a file format an export can be written in.
type Format string

const (
	GraphML   Format = "graphml"   // GraphML with typed attributes: Gephi, yEd, NetworkX
	GEXF      Format = "gexf"      // GEXF 1.3, dynamic: incidents appear at their dates in Gephi's timeline
	Cytoscape Format = "cytoscape" // Cytoscape.js elements JSON
	CSV       Format = "csv"       // a zip of nodes.csv, edges.csv and sources.csv
	STIX      Format = "stix"      // a STIX 2.1 bundle wrapped in a report
	Cypher    Format = "cypher"    // a Cypher script that re-creates the subgraph in another Neo4j
	Markdown  Format = "markdown"  // a report: summary, incidents with citations, picture
	HTML      Format = "html"      // the same report as one standalone HTML file
)

// Formats lists every format.
var Formats = []Format{GraphML, GEXF, Cytoscape, CSV, STIX, Cypher, Markdown, HTML}

// ParseFormat reads a format name, case-insensitively ("md" is markdown, "zip" csv,
// "cytoscape.js" cytoscape); EINVALID names the formats there are.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	switch f {
	case "md":
		f = Markdown
	case "zip":
		f = CSV
	case "cytoscape.js", "cyjs":
		f = Cytoscape
	case "stix2", "stix2.1":
		f = STIX
	}
	if !slices.Contains(Formats, f) {
		var names []string
		for _, f := range Formats {
			names = append(names, string(f))
		}
		return "", graph.Errorf(graph.EINVALID, "unknown format %q: want %s", s, strings.Join(names, ", "))
	}
	return f, nil
}

// MediaType returns the format's media type, for Content-Type.
func (f Format) MediaType() string {
	switch f {
	case GraphML:
		return "application/graphml+xml"
	case GEXF:
		return "application/gexf+xml"
	case Cytoscape:
		return "application/json"
	case CSV:
		return "application/zip"
	case STIX:
		return "application/stix+json;version=2.1"
	case Cypher:
		return "application/x-cypher-query; charset=utf-8"
	case Markdown:
		return "text/markdown; charset=utf-8"
	case HTML:
		return "text/html; charset=utf-8"
	}
	return "application/octet-stream"
}

// Extension returns the file name extension of the format, without the dot.
func (f Format) Extension() string {
	switch f {
	case Cytoscape:
		return "cyjs"
	case CSV:
		return "zip"
	case STIX:
		return "stix.json"
	case Markdown:
		return "md"
	}
	return string(f)
}

// Binary reports whether the format is not text (the CSV zip).
func (f Format) Binary() bool { return f == CSV }

// Filename names an export of the subgraph: "cyberkg-" and the first seed's ID (or
// "selection"), the format's extension, safe in a Content-Disposition header and on
// any file system.
func (g *Subgraph) Filename(f Format) string {
	base := "selection"
	if len(g.Seeds) > 0 {
		base = g.Seeds[0]
	}
	return "cyberkg-" + graph.Slug(base) + "." + f.Extension()
}

// Result says what an export wrote.
type Result struct {
	Nodes int `json:"nodes"`
	Edges int `json:"edges"`
}

// Write resolves the selection and writes its subgraph to w in the format: the one entry
// point the CLI, GraphQL and HTTP share. Selection errors (EINVALID, ENOTFOUND) come
// before anything is written.
func Write(ctx context.Context, st graph.Store, sel Selection, f Format, w io.Writer) (Result, error) {
	if !slices.Contains(Formats, f) {
		_, err := ParseFormat(string(f))
		return Result{}, err
	}
	g, err := Resolve(ctx, st, sel)
	if err != nil {
		return Result{}, err
	}
	return g.Write(ctx, st, f, w)
}

// Write writes the subgraph to w in the format, reading nodes and edges from the store a
// chunk at a time.
func (g *Subgraph) Write(ctx context.Context, st graph.Store, f Format, w io.Writer) (Result, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	x := &exporter{g: g, st: st, w: bw}
	var err error
	switch f {
	case GraphML:
		err = x.graphML(ctx)
	case GEXF:
		err = x.gexf(ctx)
	case Cytoscape:
		err = x.cytoscape(ctx)
	case CSV:
		err = x.csvZip(ctx)
	case STIX:
		err = x.stix(ctx)
	case Cypher:
		err = x.cypher(ctx)
	case Markdown:
		err = x.report(ctx, false)
	case HTML:
		err = x.report(ctx, true)
	default:
		_, err = ParseFormat(string(f))
	}
	if err == nil {
		err = bw.Flush()
	}
	return x.res, err
}

// exporter is one export in progress.
type exporter struct {
	g   *Subgraph
	st  graph.Store
	w   *bufio.Writer
	res Result
}

func (x *exporter) nodes(ctx context.Context, fn func(*graph.Node) error) error {
	return x.g.nodes(ctx, x.st, func(nodes []*graph.Node) error {
		for _, n := range nodes {
			if err := fn(n); err != nil {
				return err
			}
			x.res.Nodes++
		}
		return nil
	})
}

// edges calls fn with each chunk of edges and the nodes at their ends.
func (x *exporter) edges(ctx context.Context, withEnds bool, fn func(e *graph.Edge, ends map[string]*graph.Node) error) error {
	return x.g.edges(ctx, x.st, func(edges []*graph.Edge) error {
		var ends map[string]*graph.Node
		if withEnds {
			var err error
			if ends, err = x.endNodes(ctx, edges); err != nil {
				return err
			}
		}
		for _, e := range edges {
			if err := fn(e, ends); err != nil {
				return err
			}
			x.res.Edges++
		}
		return nil
	})
}

// endNodes reads the nodes at the ends of edges.
func (x *exporter) endNodes(ctx context.Context, edges []*graph.Edge) (map[string]*graph.Node, error) {
	var ids []string
	for _, e := range edges {
		ids = append(ids, e.From, e.To)
	}
	return x.lookup(ctx, ids)
}

// lookup reads nodes by ID, keyed by ID.
func (x *exporter) lookup(ctx context.Context, ids []string) (map[string]*graph.Node, error) {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make(map[string]*graph.Node, len(ids))
	for part := range slices.Chunk(ids, chunk) {
		nodes, err := x.st.Nodes(ctx, part)
		if err != nil {
			return nil, err
		}
		for _, n := range nodes {
			out[n.ID] = n
		}
	}
	return out, nil
}

// Attributes shared by the graph formats, each a column of the CSV files too.

type attr struct{ key, typ string } // typ: string, double or int

var nodeAttrs = []attr{
	{"kind", "string"}, {"name", "string"}, {"aliases", "string"}, {"description", "string"},
	{"code", "string"}, {"actorKind", "string"}, {"incidentKind", "string"}, {"date", "string"},
	{"url", "string"}, {"title", "string"}, {"publisher", "string"}, {"published", "string"},
	{"amount", "string"}, {"currency", "string"}, {"usd", "double"},
	{"certainty", "string"}, {"confidence", "double"}, {"sources", "string"}, {"hops", "int"},
}

// nodeValues returns the node's attributes in nodeAttrs's order; "" is absent.
func (x *exporter) nodeValues(n *graph.Node) []string {
	v := make([]string, len(nodeAttrs))
	v[0], v[1], v[2], v[3] = string(n.Kind), n.Name, strings.Join(n.Aliases, "; "), n.Description
	v[4], v[5], v[6], v[7] = n.Code, string(n.ActorKind), string(n.IncidentKind), string(n.Date)
	v[8], v[9], v[10] = n.URL, n.Title, n.Publisher
	if !n.Published.IsZero() {
		v[11] = n.Published.UTC().Format(time.RFC3339)
	}
	if a := n.Amount; a != nil {
		v[12], v[13] = num(a.Value), a.Currency
		if a.ValueUSD != nil {
			v[14] = num(*a.ValueUSD)
		}
	}
	if len(n.Claims) > 0 {
		v[15] = string(certainty(n.Claims))
	}
	v[16] = num(n.Confidence)
	v[17] = strings.Join(n.Sources(), " ")
	if h := x.g.Hops(n.ID); h >= 0 {
		v[18] = strconv.Itoa(h)
	}
	return v
}

var edgeAttrs = []attr{
	{"type", "string"}, {"certainty", "string"}, {"confidence", "double"}, {"sources", "string"},
	{"claimants", "string"}, {"evidence", "string"}, {"firstReported", "string"},
}

// edgeValues returns the edge's attributes in edgeAttrs's order.
func edgeValues(e *graph.Edge) []string {
	v := make([]string, len(edgeAttrs))
	v[0], v[1], v[2], v[3] = string(e.Type), string(e.Certainty()), num(e.Confidence), strings.Join(e.Sources(), " ")
	v[4] = strings.Join(claimants(e.Claims), "; ")
	v[5] = evidence(e.Claims)
	if t := e.FirstReported(); !t.IsZero() {
		v[6] = t.UTC().Format(time.RFC3339)
	}
	return v
}

// evidence says every claim in one line: who, how firmly, what, where.
func evidence(claims []graph.Claim) string {
	var parts []string
	for _, c := range claims {
		who := c.Claimant
		if who == "" {
			who = "the source"
		}
		parts = append(parts, fmt.Sprintf("%s (%s, %s): %q [%s]", who, c.Certainty, num(c.Confidence), oneLine(c.Quote), c.SourceID))
	}
	return strings.Join(parts, " | ")
}

func claimants(claims []graph.Claim) []string {
	var out []string
	for _, c := range claims {
		if c.Claimant != "" && !slices.Contains(out, c.Claimant) {
			out = append(out, c.Claimant)
		}
	}
	return out
}

// certainty is Asserted when any claim asserts, else Hedged.
func certainty(claims []graph.Claim) graph.Certainty {
	for _, c := range claims {
		if c.Certainty == graph.Asserted {
			return graph.Asserted
		}
	}
	return graph.Hedged
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
