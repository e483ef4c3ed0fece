package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/cyberkg/cyberkg/graph"
)

// esc writes s escaped for XML text and attribute values; characters XML cannot hold
// become U+FFFD.
func esc(w io.Writer, s string) { xml.EscapeText(w, []byte(s)) }

func escString(s string) string {
	var b bytes.Buffer
	esc(&b, s)
	return b.String()
}

// graphML writes GraphML (http://graphml.graphdrawing.org/) with typed keys, which
// Gephi, yEd and NetworkX read. Edges are directed; a collaboration is stored once,
// from the lower ID.
func (x *exporter) graphML(ctx context.Context) error {
	w := x.w
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	for _, a := range nodeAttrs {
		fmt.Fprintf(w, "  <key id=\"n_%s\" for=\"node\" attr.name=\"%s\" attr.type=\"%s\"/>\n", a.key, a.key, a.typ)
	}
	fmt.Fprintf(w, "  <key id=\"n_label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n")
	for _, a := range edgeAttrs {
		fmt.Fprintf(w, "  <key id=\"e_%s\" for=\"edge\" attr.name=\"%s\" attr.type=\"%s\"/>\n", a.key, a.key, a.typ)
	}
	w.WriteString("  <graph id=\"cyberkg\" edgedefault=\"directed\">\n")
	err := x.nodes(ctx, func(n *graph.Node) error {
		w.WriteString(`    <node id="`)
		esc(w, n.ID)
		w.WriteString("\">\n")
		writeData(w, "n_label", n.Name)
		for i, v := range x.nodeValues(n) {
			writeData(w, "n_"+nodeAttrs[i].key, v)
		}
		_, err := w.WriteString("    </node>\n")
		return err
	})
	if err != nil {
		return err
	}
	err = x.edges(ctx, false, func(e *graph.Edge, _ map[string]*graph.Node) error {
		w.WriteString(`    <edge id="`)
		esc(w, e.ID)
		w.WriteString(`" source="`)
		esc(w, e.From)
		w.WriteString(`" target="`)
		esc(w, e.To)
		w.WriteString("\">\n")
		for i, v := range edgeValues(e) {
			writeData(w, "e_"+edgeAttrs[i].key, v)
		}
		_, err := w.WriteString("    </edge>\n")
		return err
	})
	if err != nil {
		return err
	}
	_, err = w.WriteString("  </graph>\n</graphml>\n")
	return err
}

func writeData(w io.StringWriter, key, v string) {
	if v == "" {
		return
	}
	w.WriteString(`      <data key="` + key + `">`)
	w.WriteString(escString(v))
	w.WriteString("</data>\n")
}

// gexf writes GEXF 1.3 (https://gexf.net/) in dynamic mode: an incident, and every
// relation of it, starts at the incident's date (its first day when only the month or
// year is known), so Gephi's timeline plays the incidents in order. Undated nodes are
// there throughout.
func (x *exporter) gexf(ctx context.Context) error {
	w := x.w
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.WriteString(`<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">` + "\n")
	w.WriteString("  <meta>\n    <creator>cyberkg</creator>\n    <description>")
	esc(w, "A subgraph of the cyberkg knowledge graph: "+x.g.describe())
	w.WriteString("</description>\n  </meta>\n")
	w.WriteString(`  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">` + "\n")
	w.WriteString(`    <attributes class="node" mode="static">` + "\n")
	for i, a := range nodeAttrs {
		fmt.Fprintf(w, "      <attribute id=\"%d\" title=\"%s\" type=\"%s\"/>\n", i, a.key, gexfType(a.typ))
	}
	w.WriteString("    </attributes>\n")
	w.WriteString(`    <attributes class="edge" mode="static">` + "\n")
	for i, a := range edgeAttrs {
		fmt.Fprintf(w, "      <attribute id=\"%d\" title=\"%s\" type=\"%s\"/>\n", i, a.key, gexfType(a.typ))
	}
	w.WriteString("    </attributes>\n    <nodes>\n")
	err := x.nodes(ctx, func(n *graph.Node) error {
		w.WriteString(`      <node id="`)
		esc(w, n.ID)
		w.WriteString(`" label="`)
		esc(w, n.Name)
		w.WriteString(`"`)
		if n.Kind == graph.KindIncident && n.Date != "" {
			w.WriteString(` start="` + firstDay(n.Date) + `"`)
		}
		gexfValues(w, x.nodeValues(n))
		_, err := w.WriteString("      </node>\n")
		return err
	})
	if err != nil {
		return err
	}
	w.WriteString("    </nodes>\n    <edges>\n")
	err = x.edges(ctx, true, func(e *graph.Edge, ends map[string]*graph.Node) error {
		w.WriteString(`      <edge id="`)
		esc(w, e.ID)
		w.WriteString(`" source="`)
		esc(w, e.From)
		w.WriteString(`" target="`)
		esc(w, e.To)
		w.WriteString(`" label="` + string(e.Type) + `" weight="` + num(e.Confidence) + `"`)
		if d := incidentDate(e, ends); d != "" {
			w.WriteString(` start="` + d + `"`)
		}
		gexfValues(w, edgeValues(e))
		_, err := w.WriteString("      </edge>\n")
		return err
	})
	if err != nil {
		return err
	}
	_, err = w.WriteString("    </edges>\n  </graph>\n</gexf>\n")
	return err
}

func gexfType(t string) string {
	if t == "int" {
		return "integer"
	}
	return t
}

// incidentDate is the first day of the date of the incident at an end of e, or "".
func incidentDate(e *graph.Edge, ends map[string]*graph.Node) string {
	for _, id := range []string{e.From, e.To} {
		if n := ends[id]; n != nil && n.Kind == graph.KindIncident && n.Date != "" {
			return firstDay(n.Date)
		}
	}
	return ""
}

// firstDay writes a date of any precision as its first day: "2024-06" is 2024-06-01.
func firstDay(d graph.Date) string {
	s := string(d)
	switch len(s) {
	case 4:
		return s + "-01-01"
	case 7:
		return s + "-01"
	}
	return s
}

// describe says what was selected, in words.
func (g *Subgraph) describe() string {
	var parts []string
	if len(g.Seeds) > 0 {
		parts = append(parts, fmt.Sprintf("%s and what lies within %d hops", strings.Join(g.Seeds, ", "), g.sel.Depth))
	}
	if n := len(g.sel.IDs); n > 0 {
		parts = append(parts, fmt.Sprintf("%d chosen nodes", n))
	}
	s := strings.Join(parts, "; ")
	var f []string
	if len(g.sel.Kinds) > 0 {
		var k []string
		for _, kind := range g.sel.Kinds {
			k = append(k, string(kind))
		}
		f = append(f, "kinds "+strings.Join(k, ", "))
	}
	if len(g.sel.EdgeTypes) > 0 {
		var k []string
		for _, t := range g.sel.EdgeTypes {
			k = append(k, string(t))
		}
		f = append(f, "relations "+strings.Join(k, ", "))
	}
	if g.sel.From != "" || g.sel.To != "" {
		f = append(f, fmt.Sprintf("incidents dated %s to %s", orDots(g.sel.From), orDots(g.sel.To)))
	}
	if g.sel.MinCertainty == graph.Asserted {
		f = append(f, "asserted relations only")
	}
	if g.sel.MinConfidence > 0 {
		f = append(f, "confidence at least "+num(g.sel.MinConfidence))
	}
	if len(f) > 0 {
		s += " (" + strings.Join(f, "; ") + ")"
	}
	return s
}

func orDots(d graph.Date) string {
	if d == "" {
		return "…"
	}
	return string(d)
}

// gexfValues closes an element's opening tag and writes its attribute values, the
// attribute's index as its id; empty values are left out.
func gexfValues(w *bufio.Writer, values []string) {
	w.WriteString(">\n        <attvalues>\n")
	for i, v := range values {
		if v != "" {
			fmt.Fprintf(w, "          <attvalue for=\"%d\" value=\"%s\"/>\n", i, escString(v))
		}
	}
	w.WriteString("        </attvalues>\n")
}
