package export

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// csvZip writes a zip of three CSV files (RFC 4180, UTF-8, header row):
//
//	nodes.csv    id, label, and the graph formats' node attributes
//	edges.csv    id, type, from, from_name, to, to_name, certainty, confidence,
//	             sources (IDs), source_urls, claimants, evidence, first_reported
//	sources.csv  id, url, title, publisher, published: every source a node or edge cites
//
// A cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
// carriage return, and not a number) is prefixed with a quote, so that scraped text stays
// text.
func (x *exporter) csvZip(ctx context.Context) error {
	z := zip.NewWriter(x.w)
	sources := map[string]struct{}{}
	cite := func(ids []string) {
		for _, id := range ids {
			sources[id] = struct{}{}
		}
	}
	// Fixed times, so the same export gives the same bytes.
	create := func(name string) (*csv.Writer, error) {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return nil, err
		}
		return csv.NewWriter(f), nil
	}

	cw, err := create("nodes.csv")
	if err != nil {
		return err
	}
	header := []string{"id", "label"}
	for _, a := range nodeAttrs {
		header = append(header, a.key)
	}
	cw.Write(header)
	err = x.nodes(ctx, func(n *graph.Node) error {
		cite(n.Sources())
		return cw.Write(safeCells(append([]string{n.ID, n.Name}, x.nodeValues(n)...)))
	})
	if err := flushCSV(cw, err); err != nil {
		return err
	}

	if cw, err = create("edges.csv"); err != nil {
		return err
	}
	cw.Write([]string{"id", "type", "from", "from_name", "to", "to_name", "certainty", "confidence", "sources", "source_urls", "claimants", "evidence", "first_reported"})
	err = x.g.edges(ctx, x.st, func(edges []*graph.Edge) error {
		ends, err := x.endNodes(ctx, edges)
		if err != nil {
			return err
		}
		srcs, err := x.claimSources(ctx, nil, edges)
		if err != nil {
			return err
		}
		for _, e := range edges {
			cite(e.Sources())
			var urls []string
			for _, id := range e.Sources() {
				if s := srcs[id]; s != nil {
					urls = append(urls, s.URL)
				}
			}
			v := edgeValues(e)
			row := []string{e.ID, string(e.Type), e.From, name(ends, e.From), e.To, name(ends, e.To), v[1], v[2], v[3], strings.Join(urls, " "), v[4], v[5], v[6]}
			if err := cw.Write(safeCells(row)); err != nil {
				return err
			}
			x.res.Edges++
		}
		return nil
	})
	if err := flushCSV(cw, err); err != nil {
		return err
	}

	if cw, err = create("sources.csv"); err != nil {
		return err
	}
	cw.Write([]string{"id", "url", "title", "publisher", "published"})
	ids := make([]string, 0, len(sources))
	for id := range sources {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for part := range slices.Chunk(ids, chunk) {
		nodes, err := x.st.Nodes(ctx, part)
		if err != nil {
			return err
		}
		for _, n := range nodes {
			published := ""
			if !n.Published.IsZero() {
				published = n.Published.UTC().Format(time.RFC3339)
			}
			cw.Write(safeCells([]string{n.ID, n.URL, n.Title, n.Publisher, published}))
		}
	}
	if err := flushCSV(cw, nil); err != nil {
		return err
	}
	return z.Close()
}

func flushCSV(cw *csv.Writer, err error) error {
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}

func name(nodes map[string]*graph.Node, id string) string {
	if n := nodes[id]; n != nil {
		return n.Name
	}
	return ""
}

// safeCells defuses cells a spreadsheet would evaluate.
func safeCells(cells []string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && !isNumber(c) {
			cells[i] = "'" + c
		}
	}
	return cells
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || (i == 0 && r == '-')) {
			return false
		}
	}
	return true
}
