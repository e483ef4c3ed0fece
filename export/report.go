package export

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"

	"github.com/cyberkg/cyberkg/graph"
)

// frag is a piece of a table cell: words, and the numbers of the sources behind them.
type frag struct {
	Text  string
	Cites []int
}

// cell is what a report's table cell says.
type cell []frag

// report writes the report: a summary, a picture of the subgraph, a table of its
// incidents (date, amount, attributions, targets), a table of its other relations, and
// the sources, numbered, which every statement cites. Who attributed what, and how
// firmly, is said in words: "attributed by FBI", "suspected by analysts".
func (x *exporter) report(ctx context.Context, asHTML bool) error {
	r := &reporter{x: x, html: asHTML, cites: map[string]int{}, names: map[string]string{}}
	return r.write(ctx)
}

type reporter struct {
	x     *exporter
	html  bool
	cites map[string]int    // source ID -> its number
	order []string          // source IDs by number
	names map[string]string // source ID -> who it is, for claims without a claimant
}

func (r *reporter) cite(id string) int {
	if n, ok := r.cites[id]; ok {
		return n
	}
	r.order = append(r.order, id)
	r.cites[id] = len(r.order)
	return len(r.order)
}

func (r *reporter) citeAll(claims []graph.Claim, cert graph.Certainty) []int {
	var out []int
	for _, c := range claims {
		if cert != "" && c.Certainty != cert {
			continue
		}
		if n := r.cite(c.SourceID); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// summary counts what the subgraph holds.
type summary struct {
	Title    string
	Selected string
	Kinds    []string // "3 incidents"
	Edges    int
	Hedged   int
	Picture  *picture
	SVG      template.URL // the picture as a data: URL (Markdown)
}

var kindWords = map[graph.NodeKind][2]string{
	graph.KindState: {"state", "states"}, graph.KindActor: {"threat actor", "threat actors"},
	graph.KindIncident: {"incident", "incidents"}, graph.KindOrganization: {"organization", "organizations"},
	graph.KindSector: {"sector", "sectors"}, graph.KindSource: {"source", "sources"}, graph.KindAmount: {"amount", "amounts"},
}

// kindOf reads a node's kind from its ID: every ID starts with its kind's prefix.
func kindOf(id string) graph.NodeKind {
	for _, k := range graph.NodeKinds {
		if strings.HasPrefix(id, graph.KindPrefix(k)) {
			return k
		}
	}
	return ""
}

func plural(n int, w [2]string) string {
	if n == 1 {
		return "1 " + w[0]
	}
	return fmt.Sprintf("%d %s", n, w[1])
}

func (r *reporter) write(ctx context.Context) error {
	x := r.x
	s := summary{Title: "cyberkg report", Selected: x.g.describe()}
	if len(x.g.Seeds) > 0 {
		names, err := x.lookup(ctx, slices.Clone(x.g.Seeds))
		if err != nil {
			return err
		}
		var ns []string
		for _, id := range x.g.Seeds {
			if n := names[id]; n != nil {
				ns = append(ns, n.Name)
			}
		}
		s.Title = "cyberkg report: " + strings.Join(ns, ", ")
	}
	byKind := map[graph.NodeKind]int{}
	for _, id := range x.g.IDs {
		byKind[kindOf(id)]++
	}
	for _, k := range graph.NodeKinds {
		if byKind[k] > 0 {
			s.Kinds = append(s.Kinds, plural(byKind[k], kindWords[k]))
		}
	}
	err := x.g.edges(ctx, x.st, func(es []*graph.Edge) error {
		for _, e := range es {
			s.Edges++
			if e.Certainty() == graph.Hedged {
				s.Hedged++
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	pic, err := x.picture(ctx)
	if err != nil {
		return err
	}
	s.Picture = pic
	if r.html {
		if err := reportHTML.ExecuteTemplate(x.w, "head", s); err != nil {
			return err
		}
	} else {
		var svg strings.Builder
		if err := svgTemplate.Execute(&svg, pic); err != nil {
			return err
		}
		fmt.Fprintf(x.w, "# %s\n\n", md(s.Title))
		fmt.Fprintf(x.w, "Selection: %s.\n\n", md(s.Selected))
		fmt.Fprintf(x.w, "It holds %s, and %s, %d of them hedged: suspected or believed by their sources, not confirmed.\n\n",
			md(strings.Join(s.Kinds, ", ")), plural(s.Edges, [2]string{"relation", "relations"}), s.Hedged)
		fmt.Fprintf(x.w, "![The subgraph](data:image/svg+xml;base64,%s)\n\n", base64.StdEncoding.EncodeToString([]byte(svg.String())))
		if pic.Note != "" {
			fmt.Fprintf(x.w, "*%s*\n\n", md(pic.Note))
		}
	}
	if err := r.incidents(ctx); err != nil {
		return err
	}
	if err := r.relations(ctx); err != nil {
		return err
	}
	if err := r.sources(ctx); err != nil {
		return err
	}
	x.res.Nodes, x.res.Edges = len(x.g.IDs), s.Edges
	if r.html {
		return reportHTML.ExecuteTemplate(x.w, "foot", nil)
	}
	return nil
}

// incidentRow is one incident of the table.
type incidentRow struct {
	Date, Name, Kind        string
	Stolen, Attributed, Hit cell
}

// incidents writes the incidents, most recent first, a chunk at a time.
func (r *reporter) incidents(ctx context.Context) error {
	x := r.x
	type dated struct{ date, id string }
	var list []dated
	var ids []string
	for _, id := range x.g.IDs {
		if kindOf(id) == graph.KindIncident {
			ids = append(ids, id)
		}
	}
	for part := range slices.Chunk(ids, chunk) {
		nodes, err := x.st.Nodes(ctx, part)
		if err != nil {
			return err
		}
		for _, n := range nodes {
			list = append(list, dated{string(n.Date), n.ID})
		}
	}
	slices.SortFunc(list, func(a, b dated) int { return cmp.Or(cmp.Compare(b.date, a.date), cmp.Compare(a.id, b.id)) })
	if r.html {
		if err := reportHTML.ExecuteTemplate(x.w, "incidentsHead", len(list)); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(x.w, "## Incidents (%d)\n\n", len(list))
		if len(list) > 0 {
			x.w.WriteString("| Date | Incident | Stolen | Attributed to | Targeted |\n|---|---|---|---|---|\n")
		}
	}
	for part := range slices.Chunk(list, chunk) {
		ids := make([]string, len(part))
		for i, d := range part {
			ids[i] = d.id
		}
		incs, err := x.lookup(ctx, slices.Clone(ids))
		if err != nil {
			return err
		}
		edges, err := x.st.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.AttributedTo, graph.Stole, graph.Targeted}, From: ids})
		if err != nil {
			return err
		}
		edges = slices.DeleteFunc(edges, func(e *graph.Edge) bool { return !x.g.sel.keepEdge(e) })
		ends, err := x.endNodes(ctx, edges)
		if err != nil {
			return err
		}
		byInc := map[string][]*graph.Edge{}
		for _, e := range edges {
			byInc[e.From] = append(byInc[e.From], e)
		}
		for _, id := range ids {
			n := incs[id]
			if n == nil {
				continue
			}
			row := incidentRow{Date: cmpOr(string(n.Date), "unknown"), Name: n.Name, Kind: string(n.IncidentKind)}
			row.Name = n.Name
			for _, e := range byInc[id] {
				to := ends[e.To]
				if to == nil {
					continue
				}
				switch e.Type {
				case graph.Stole:
					text := to.Name
					if to.Amount != nil && to.Amount.Surface != "" {
						text = to.Amount.Surface
					}
					if e.Certainty() == graph.Hedged {
						text += " (hedged)"
					}
					row.Stolen = append(row.Stolen, frag{text, r.citeAll(e.Claims, "")})
				case graph.Targeted:
					row.Hit = append(row.Hit, frag{to.Name, r.citeAll(e.Claims, "")})
				case graph.AttributedTo:
					row.Attributed = append(row.Attributed, r.attribution(ctx, to, e)...)
				}
			}
			if err := r.incidentRow(row); err != nil {
				return err
			}
		}
	}
	if !r.html {
		x.w.WriteString("\n")
	}
	return nil
}

// attribution says who attributed the incident to whom, and how firmly: "TraderTraitor,
// attributed by FBI [1]", "APT38, suspected by analysts [2]". A claim with no named
// claimant is the source's own.
func (r *reporter) attribution(ctx context.Context, to *graph.Node, e *graph.Edge) cell {
	var out cell
	for _, cert := range []graph.Certainty{graph.Asserted, graph.Hedged} {
		var who []string
		for _, c := range e.Claims {
			if c.Certainty != cert {
				continue
			}
			name := c.Claimant
			if name == "" {
				name = r.publisher(ctx, c.SourceID)
			}
			if !slices.Contains(who, name) {
				who = append(who, name)
			}
		}
		if len(who) == 0 {
			continue
		}
		verb := "attributed by "
		if cert == graph.Hedged {
			verb = "suspected by "
		}
		out = append(out, frag{fmt.Sprintf("%s, %s%s", to.Name, verb, strings.Join(who, ", ")), r.citeAll(e.Claims, cert)})
	}
	return out
}

// publisher names a source for a claim that names no claimant.
func (r *reporter) publisher(ctx context.Context, id string) string {
	if name, ok := r.names[id]; ok {
		return name
	}
	name := "its source"
	if n, err := r.x.st.Node(ctx, id); err == nil {
		name = n.Publisher
		if u, err := url.Parse(n.URL); name == "" && err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			name = strings.TrimPrefix(u.Hostname(), "www.")
		}
		if name == "" && n.Title != "" {
			name = "“" + n.Title + "”"
		}
		name = cmpOr(name, "its source")
	}
	r.names[id] = name
	return name
}

func (r *reporter) incidentRow(row incidentRow) error {
	if r.html {
		return reportHTML.ExecuteTemplate(r.x.w, "incident", row)
	}
	_, err := fmt.Fprintf(r.x.w, "| %s | %s | %s | %s | %s |\n", md(row.Date), md(row.Name), r.mdCell(row.Stolen), r.mdCell(row.Attributed), r.mdCell(row.Hit))
	return err
}

// relationRow is one relation that is not an incident's.
type relationRow struct {
	From, Relation, To, Certainty string
	Said                          cell
}

// relations writes the relations other than incidents' (sponsorship, membership,
// collaboration, location, sector), with their certainty and sources.
func (r *reporter) relations(ctx context.Context) error {
	x := r.x
	started := false
	start := func() error {
		if started {
			return nil
		}
		started = true
		if r.html {
			return reportHTML.ExecuteTemplate(x.w, "relationsHead", nil)
		}
		_, err := x.w.WriteString("## Other relations\n\n| From | Relation | To | Certainty | Said by |\n|---|---|---|---|---|\n")
		return err
	}
	err := x.g.edges(ctx, x.st, func(edges []*graph.Edge) error {
		edges = slices.DeleteFunc(edges, func(e *graph.Edge) bool {
			return e.Type == graph.AttributedTo || e.Type == graph.Stole || e.Type == graph.Targeted
		})
		ends, err := x.endNodes(ctx, edges)
		if err != nil {
			return err
		}
		for _, e := range edges {
			if err := start(); err != nil {
				return err
			}
			row := relationRow{From: name(ends, e.From), Relation: relationWords[e.Type], To: name(ends, e.To), Certainty: string(e.Certainty())}
			if e.Certainty() == graph.Hedged {
				row.Certainty = "hedged (suspected)"
			}
			for _, cert := range []graph.Certainty{graph.Asserted, graph.Hedged} {
				var who []string
				for _, c := range e.Claims {
					if c.Certainty == cert {
						if w := cmpOr(c.Claimant, r.publisher(ctx, c.SourceID)); !slices.Contains(who, w) {
							who = append(who, w)
						}
					}
				}
				if len(who) > 0 {
					verb := "asserted by "
					if cert == graph.Hedged {
						verb = "suspected by "
					}
					row.Said = append(row.Said, frag{verb + strings.Join(who, ", "), r.citeAll(e.Claims, cert)})
				}
			}
			if r.html {
				err = reportHTML.ExecuteTemplate(x.w, "relation", row)
			} else {
				_, err = fmt.Fprintf(x.w, "| %s | %s | %s | %s | %s |\n", md(row.From), md(row.Relation), md(row.To), md(row.Certainty), r.mdCell(row.Said))
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || !started {
		return err
	}
	if r.html {
		return reportHTML.ExecuteTemplate(x.w, "relationsFoot", nil)
	}
	_, err = x.w.WriteString("\n")
	return err
}

// sourceRow is one numbered source.
type sourceRow struct {
	N                           int
	Title, URL, Publisher, Date string
	SafeURL                     template.URL
}

func (r *reporter) sources(ctx context.Context) error {
	x := r.x
	if r.html {
		if err := reportHTML.ExecuteTemplate(x.w, "sourcesHead", len(r.order)); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(x.w, "## Sources (%d)\n\n", len(r.order))
	}
	for i := 0; i < len(r.order); i += chunk {
		part := r.order[i:min(i+chunk, len(r.order))]
		srcs, err := x.lookup(ctx, slices.Clone(part))
		if err != nil {
			return err
		}
		for j, id := range part {
			row := sourceRow{N: i + j + 1, Title: id}
			if s := srcs[id]; s != nil {
				row.Title, row.URL, row.Publisher = cmpOr(s.Title, s.Name, s.URL), s.URL, s.Publisher
				if !s.Published.IsZero() {
					row.Date = s.Published.UTC().Format("2006-01-02")
				}
			}
			if r.html {
				err = reportHTML.ExecuteTemplate(x.w, "source", row)
			} else {
				line := fmt.Sprintf("%d. <a id=\"source-%d\"></a>%s", row.N, row.N, md(row.Title))
				if row.Publisher != "" {
					line += ", " + md(row.Publisher)
				}
				if row.Date != "" {
					line += ", " + row.Date
				}
				if u := mdURL(row.URL); u != "" {
					line += ": <" + u + ">"
				}
				_, err = fmt.Fprintln(x.w, line)
			}
			if err != nil {
				return err
			}
		}
	}
	if r.html {
		return reportHTML.ExecuteTemplate(x.w, "sourcesFoot", nil)
	}
	return nil
}

func (r *reporter) mdCell(c cell) string {
	var parts []string
	for _, f := range c {
		s := md(f.Text)
		for _, n := range f.Cites {
			s += fmt.Sprintf(" [\\[%d\\]](#source-%d)", n, n)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// md escapes text for Markdown: punctuation that would make markup is backslashed, and
// <, > and & become entities, so scraped text can never be HTML when the Markdown is
// rendered. Line breaks become spaces (a table row is one line).
func md(s string) string {
	var b strings.Builder
	for _, r := range oneLine(s) {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '\\', '`', '*', '_', '{', '}', '[', ']', '(', ')', '#', '+', '-', '!', '|', '~', '"', '\'':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdURL writes a URL for an autolink: only http(s), and without the characters that
// would end it; "" for any other URL (a local file's source is named, not linked).
func mdURL(u string) string {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return ""
	}
	return strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20", "\n", "", "\r", "").Replace(u)
}
