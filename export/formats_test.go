package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/cyberkg/cyberkg/export"
	"github.com/cyberkg/cyberkg/graph"
)

var everything = export.Selection{Seeds: []string{"Lazarus Group"}, Depth: worldDepth}

// The suspected attribution of the Ronin theft to APT38: hedged, by "analysts", 0.45.
const hedgedEdge = "ATTRIBUTED_TO:incident:ronin-bridge-theft>actor:apt38"

func exportWorld(t *testing.T, st graph.Store, f export.Format) []byte {
	t.Helper()
	var b bytes.Buffer
	res, err := export.Write(context.Background(), st, everything, f, &b)
	if err != nil {
		t.Fatalf("%s: %v", f, err)
	}
	if res.Nodes != worldNodes || res.Edges != worldEdges {
		t.Fatalf("%s: wrote %d nodes and %d edges, want %d and %d", f, res.Nodes, res.Edges, worldNodes, worldEdges)
	}
	return b.Bytes()
}

// xmlCounts counts the elements with the given local names, failing on malformed XML.
func xmlCounts(t *testing.T, data []byte) map[string]int {
	t.Helper()
	counts := map[string]int{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return counts
		}
		if err != nil {
			t.Fatalf("malformed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			counts[se.Name.Local]++
		}
	}
}

func TestGraphMLAndGEXFAreWellFormedAndComplete(t *testing.T) {
	st := openWorld(t)
	for _, f := range []export.Format{export.GraphML, export.GEXF} {
		data := exportWorld(t, st, f)
		c := xmlCounts(t, data)
		if c["node"] != worldNodes || c["edge"] != worldEdges {
			t.Errorf("%s: %d nodes and %d edges, want %d and %d", f, c["node"], c["edge"], worldNodes, worldEdges)
		}
		// The hostile name survives as text, escaped.
		if !bytes.Contains(data, []byte("Heist &#34;&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;&#34;")) {
			t.Errorf("%s: the hostile incident name is not escaped as expected", f)
		}
	}
	gexf := exportWorld(t, st, export.GEXF)
	for _, want := range []string{`mode="dynamic"`, `timeformat="date"`, `version="1.3"`, `label="Ronin bridge theft" start="2022-03-01"`, `start="2025-02-21"`} {
		if !bytes.Contains(gexf, []byte(want)) {
			t.Errorf("GEXF lacks %s", want)
		}
	}
}

func TestEveryFormatKeepsHedgesHedged(t *testing.T) {
	st := openWorld(t)

	t.Run("graphml", func(t *testing.T) {
		data := string(exportWorld(t, st, export.GraphML))
		i := strings.Index(data, `<edge id="`+strings.ReplaceAll(hedgedEdge, ">", "&gt;")+`"`)
		if i < 0 {
			t.Fatal("no hedged edge")
		}
		edge := data[i : i+strings.Index(data[i:], "</edge>")]
		for _, want := range []string{`<data key="e_certainty">hedged</data>`, `<data key="e_confidence">0.45</data>`, "analysts (hedged, 0.45)"} {
			if !strings.Contains(edge, want) {
				t.Errorf("the hedged edge lacks %s:\n%s", want, edge)
			}
		}
	})

	t.Run("cytoscape", func(t *testing.T) {
		var doc struct {
			Elements struct {
				Nodes []struct{ Data map[string]any }
				Edges []struct{ Data map[string]any }
			}
		}
		if err := json.Unmarshal(exportWorld(t, st, export.Cytoscape), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Elements.Nodes) != worldNodes || len(doc.Elements.Edges) != worldEdges {
			t.Fatalf("%d nodes, %d edges", len(doc.Elements.Nodes), len(doc.Elements.Edges))
		}
		for _, e := range doc.Elements.Edges {
			if e.Data["id"] == hedgedEdge {
				if e.Data["certainty"] != "hedged" || e.Data["confidence"] != 0.45 || e.Data["source"] != "incident:ronin-bridge-theft" {
					t.Fatalf("hedged edge: %v", e.Data)
				}
				return
			}
		}
		t.Fatal("no hedged edge")
	})

	t.Run("csv", func(t *testing.T) {
		data := exportWorld(t, st, export.CSV)
		z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][][]string{}
		for _, f := range z.File {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(r).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			files[f.Name] = rows
		}
		if len(files["nodes.csv"]) != worldNodes+1 || len(files["edges.csv"]) != worldEdges+1 || len(files["sources.csv"]) != 4+1 {
			t.Fatalf("rows: nodes %d, edges %d, sources %d", len(files["nodes.csv"]), len(files["edges.csv"]), len(files["sources.csv"]))
		}
		header := strings.Join(files["edges.csv"][0], ",")
		if header != "id,type,from,from_name,to,to_name,certainty,confidence,sources,source_urls,claimants,evidence,first_reported" {
			t.Fatalf("edges.csv header: %s", header)
		}
		var hedged []string
		for _, row := range files["edges.csv"] {
			if row[0] == hedgedEdge {
				hedged = row
			}
		}
		if hedged == nil || hedged[3] != "Ronin bridge theft" || hedged[5] != "APT38" || hedged[6] != "hedged" || hedged[7] != "0.45" ||
			hedged[9] != "https://chain.example/ronin-who" || hedged[10] != "analysts" {
			t.Fatalf("hedged edge row: %q", hedged)
		}
		// A cell a spreadsheet would run is defused; the value is otherwise intact.
		found := false
		for _, row := range files["nodes.csv"] {
			if row[1] == "'"+hostileVictim {
				found = true
			}
			for _, cell := range row {
				if strings.HasPrefix(cell, "=") {
					t.Errorf("a formula cell: %q", cell)
				}
			}
		}
		if !found {
			t.Error("the victim named like a formula is not in nodes.csv, quoted")
		}
	})

	t.Run("stix", func(t *testing.T) {
		var bundle struct {
			Type    string
			Objects []map[string]any
		}
		if err := json.Unmarshal(exportWorld(t, st, export.STIX), &bundle); err != nil {
			t.Fatal(err)
		}
		byType := map[string]int{}
		var hedged, report, collab map[string]any
		for _, o := range bundle.Objects {
			byType[o["type"].(string)]++
			switch {
			case o["x_cyberkg_id"] == hedgedEdge:
				hedged = o
			case o["type"] == "report":
				report = o
			case o["relationship_type"] == "cooperates-with":
				collab = o
			}
		}
		// 2 locations, 2 intrusion sets and a threat actor (a unit), 3 incidents, 3
		// organizations and a sector as identities; 12 relationships and 2 notes (the
		// amounts); the report.
		want := map[string]int{"location": 2, "intrusion-set": 2, "threat-actor": 1, "incident": 3, "identity": 4, "relationship": 12, "note": 2, "report": 1}
		for k, v := range want {
			if byType[k] != v {
				t.Errorf("%d %s objects, want %d (all: %v)", byType[k], k, v, byType)
			}
		}
		if hedged == nil || hedged["confidence"] != 45.0 || hedged["x_cyberkg_certainty"] != "hedged" ||
			!strings.Contains(hedged["description"].(string), "suspected by analysts") {
			t.Fatalf("hedged relationship: %v", hedged)
		}
		refs, _ := hedged["external_references"].([]any)
		if len(refs) != 1 || refs[0].(map[string]any)["url"] != "https://chain.example/ronin-who" ||
			!strings.Contains(refs[0].(map[string]any)["description"].(string), "hedged") {
			t.Fatalf("hedged relationship's references: %v", refs)
		}
		if collab == nil {
			t.Error("no cooperates-with relationship")
		}
		if report == nil || len(report["object_refs"].([]any)) != len(bundle.Objects)-1 {
			t.Fatalf("the report does not hold every object: %v", report)
		}
	})

	for _, f := range []export.Format{export.Markdown, export.HTML} {
		t.Run(string(f), func(t *testing.T) {
			data := string(exportWorld(t, st, f))
			for _, want := range []string{"APT38, suspected by analysts", "Lazarus Group, attributed by News Example", "TraderTraitor, attributed by FBI", "about $1.5 billion", "2025-02-21"} {
				if f == export.Markdown {
					want = strings.NewReplacer("-", `\-`).Replace(want)
				}
				if !strings.Contains(data, want) {
					t.Errorf("the report lacks %q", want)
				}
			}
		})
	}
}

// The attribution the report words as "attributed by" is backed by a numbered
// citation to the source that made it.
func TestReportCitesEveryStatement(t *testing.T) {
	st := openWorld(t)
	md := string(exportWorld(t, st, export.Markdown))
	row := regexp.MustCompile(`(?m)^\| 2022\\-03 \| Ronin bridge theft .*$`).FindString(md)
	if row == "" {
		t.Fatalf("no Ronin row in:\n%s", md)
	}
	cites := regexp.MustCompile(`\[\\\[(\d+)\\\]\]\(#source-(\d+)\)`).FindAllStringSubmatch(row, -1)
	if len(cites) < 3 {
		t.Fatalf("Ronin row cites %d times: %s", len(cites), row)
	}
	for _, c := range cites {
		if !strings.Contains(md, `<a id="source-`+c[2]+`"></a>`) {
			t.Errorf("citation %s has no source entry", c[1])
		}
	}
}

func TestReportsHoldNoLiveMarkup(t *testing.T) {
	st := openWorld(t)

	t.Run("html", func(t *testing.T) {
		data := exportWorld(t, st, export.HTML)
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		var svgs int
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				switch n.Data {
				case "script", "img", "iframe", "object", "embed", "foreignObject", "foreignobject":
					t.Errorf("live element <%s> in the report", n.Data)
				case "svg":
					svgs++
				}
				for _, a := range n.Attr {
					if strings.HasPrefix(strings.ToLower(a.Key), "on") || strings.Contains(strings.ToLower(a.Val), "javascript:") {
						t.Errorf("live attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
					}
				}
			}
			if n.Type == html.TextNode {
				text.WriteString(n.Data)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		if svgs != 1 {
			t.Errorf("%d pictures, want 1", svgs)
		}
		// The hostile names are there, as text.
		for _, want := range []string{`<script>alert('pwned')</script>`, `<img src=x onerror=alert(1)>`, `"Anonymous" <researcher>`, "龍 🐉"} {
			if !strings.Contains(text.String(), want) {
				t.Errorf("the report's text lacks %q", want)
			}
		}
	})

	t.Run("markdown", func(t *testing.T) {
		data := string(exportWorld(t, st, export.Markdown))
		for _, bad := range []string{"<script", "<img", "<researcher", "<b>", "<i>"} {
			if strings.Contains(data, bad) {
				t.Errorf("the Markdown holds raw %s", bad)
			}
		}
		m := regexp.MustCompile(`!\[The subgraph\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)`).FindStringSubmatch(data)
		if m == nil {
			t.Fatal("no picture")
		}
		svg, err := base64.StdEncoding.DecodeString(m[1])
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(bytes.NewReader(svg))
		var text strings.Builder
		allowed := map[string]bool{"svg": true, "rect": true, "line": true, "title": true, "g": true, "circle": true, "text": true}
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("the SVG is not well-formed: %v", err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if !allowed[tok.Name.Local] {
					t.Errorf("element <%s> in the SVG", tok.Name.Local)
				}
				for _, a := range tok.Attr {
					if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") || a.Name.Local == "href" {
						t.Errorf("attribute %s in the SVG", a.Name.Local)
					}
				}
			case xml.CharData:
				text.Write(tok)
			}
		}
		if !strings.Contains(text.String(), `<img src=x onerror=alert(1)>`) {
			t.Errorf("the SVG's text lacks the hostile victim: %s", text.String())
		}
		if !strings.Contains(string(svg), `stroke-dasharray`) {
			t.Error("no hedged (dashed) relation in the picture")
		}
	})
}

func TestPictureIsCappedWithANote(t *testing.T) {
	st := openWorld(t)
	ctx := context.Background()
	// The synthetic graph is too slow here; a wide star is enough.
	b := &graph.Batch{}
	s := &graph.Node{ID: graph.NodeID(graph.KindSource, "https://many.example"), Kind: graph.KindSource, Name: "Many", URL: "https://many.example"}
	c := graph.Claim{SourceID: s.ID, Quote: "Many victims.", Certainty: graph.Asserted, Confidence: 0.7}
	inc := &graph.Node{ID: "incident:wide", Kind: graph.KindIncident, Name: "Wide campaign", Claims: []graph.Claim{c}}
	b.Nodes = append(b.Nodes, s, inc)
	for i := range export.MaxPictureNodes + 20 {
		o := &graph.Node{Kind: graph.KindOrganization, Name: "Victim " + strings.Repeat("x", i%3) + string(rune('A'+i%26)) + string(rune('a'+i/26)), Claims: []graph.Claim{c}}
		o.ID = o.DefaultID()
		b.Nodes = append(b.Nodes, o)
		b.Edges = append(b.Edges, &graph.Edge{Type: graph.Targeted, From: inc.ID, To: o.ID, Claims: []graph.Claim{c}})
	}
	if _, err := st.Write(ctx, b.Normalized()); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := export.Write(ctx, st, export.Selection{Seeds: []string{"incident:wide"}, Depth: 1}, export.HTML, &out); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "<circle"); n != export.MaxPictureNodes {
		t.Errorf("%d nodes drawn, want %d", n, export.MaxPictureNodes)
	}
	if !strings.Contains(out.String(), "nodes nearest the seeds, of 101") {
		t.Error("no note that the picture is capped")
	}
}
