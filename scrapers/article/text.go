package article

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// renderText writes the text of the given nodes: one line per paragraph, heading, list
// item, table row or line break, with a blank line after paragraphs and headings, and
// whitespace collapsed inside a line. Text the reader never sees (scripts, styles,
// hidden elements) and page furniture (navigation, footers, forms) is left out.
func renderText(nodes ...*html.Node) string {
	var w textWriter
	for _, n := range nodes {
		w.breakLine(2)
		w.node(n)
	}
	w.flush()
	return w.out.String()
}

type textWriter struct {
	out     strings.Builder
	line    strings.Builder
	space   bool // a space is owed before the next character on this line
	pending int  // newlines owed before the next line: 1, or 2 for a blank line
	tight   int  // depth of list items and table cells, inside which no line is blank
}

func (w *textWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data, inPre(n))
		return
	case html.DocumentNode:
		w.children(n)
		return
	case html.ElementNode:
	default:
		return // comments, doctypes
	}
	if skipped(n) {
		return
	}
	switch n.DataAtom {
	case atom.Br:
		w.breakLine(1)
		return
	case atom.Hr:
		w.breakLine(2)
		return
	case atom.Td, atom.Th:
		if w.line.Len() > 0 {
			w.line.WriteString(" |")
			w.space = true
		}
	}
	brk := blockBreak[n.DataAtom]
	w.breakLine(brk)
	item := tightTags[n.DataAtom]
	if item {
		w.tight++
	}
	w.children(n)
	if item {
		w.tight--
	}
	w.breakLine(brk)
}

// tightTags hold items of a list or cells of a table: a paragraph inside one (CISA
// writes <li><p>...</p></li>) must not split the list with blank lines.
var tightTags = map[atom.Atom]bool{atom.Li: true, atom.Dt: true, atom.Dd: true, atom.Td: true, atom.Th: true}

func (w *textWriter) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
}

// text appends a text node. Inside <pre> a newline ends the line; elsewhere it is a space.
func (w *textWriter) text(s string, pre bool) {
	for _, r := range s {
		switch {
		case r == '\n' && pre:
			w.breakLine(1)
		case unicode.IsSpace(r):
			w.space = w.line.Len() > 0
		case invisible(r):
		default:
			if w.space {
				w.line.WriteByte(' ')
				w.space = false
			}
			w.line.WriteRune(r) // an invalid byte arrives as U+FFFD, so the text stays UTF-8
		}
	}
}

// breakLine ends the current line and owes n newlines before the next one; the larger
// of two owed breaks wins, so a </p> followed by <li> leaves one blank line, not two.
func (w *textWriter) breakLine(n int) {
	if n == 0 {
		return
	}
	w.flush()
	if w.tight > 0 {
		n = 1
	}
	w.pending = max(w.pending, n)
}

func (w *textWriter) flush() {
	line := strings.TrimRight(w.line.String(), " |")
	w.line.Reset()
	w.space = false
	if line == "" {
		return
	}
	if w.out.Len() > 0 {
		w.out.WriteString(strings.Repeat("\n", max(w.pending, 1)))
	}
	w.out.WriteString(line)
	w.pending = 0
}

// blockBreak is how many newlines an element puts around its text: 2 (a blank line) for
// paragraphs, headings and other stand-alone blocks, 1 for lines within a larger whole.
var blockBreak = map[atom.Atom]int{
	atom.P: 2, atom.H1: 2, atom.H2: 2, atom.H3: 2, atom.H4: 2, atom.H5: 2, atom.H6: 2,
	atom.Blockquote: 2, atom.Pre: 2, atom.Table: 2, atom.Figure: 2, atom.Details: 2,

	atom.Div: 1, atom.Section: 1, atom.Article: 1, atom.Main: 1, atom.Header: 1,
	atom.Ul: 1, atom.Ol: 1, atom.Li: 1, atom.Dl: 1, atom.Dt: 1, atom.Dd: 1,
	atom.Tr: 1, atom.Caption: 1, atom.Figcaption: 1, atom.Address: 1, atom.Summary: 1,
	atom.Center: 1, atom.Fieldset: 1, atom.Legend: 1,
}

// skippedTags never hold the report's text: code, styling, media, form controls and the
// page's own navigation and footers. <form> itself is read: ASP.NET pages wrap the whole
// page in one.
var skippedTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Title: true, atom.Meta: true, atom.Link: true, atom.Base: true,
	atom.Nav: true, atom.Footer: true, atom.Aside: true, atom.Menu: true, atom.Dialog: true,
	atom.Button: true, atom.Select: true, atom.Option: true,
	atom.Textarea: true, atom.Input: true, atom.Label: true,
	atom.Iframe: true, atom.Frame: true, atom.Frameset: true, atom.Object: true,
	atom.Embed: true, atom.Applet: true, atom.Svg: true, atom.Math: true, atom.Canvas: true,
	atom.Video: true, atom.Audio: true, atom.Source: true, atom.Track: true,
	atom.Map: true, atom.Area: true, atom.Img: true, atom.Picture: true,
}

// skippedRoles are the ARIA landmarks of page furniture.
var skippedRoles = map[string]bool{
	"navigation": true, "banner": true, "contentinfo": true, "complementary": true, "search": true,
}

var rxHiddenStyle = regexp.MustCompile(`(?i)(display\s*:\s*none|visibility\s*:\s*hidden)`)

func skipped(n *html.Node) bool {
	if skippedTags[n.DataAtom] {
		return true
	}
	if n.DataAtom == 0 {
		// Foreign or custom elements: keep their text, but not svg/math content parsed
		// into another namespace.
		if n.Namespace != "" {
			return true
		}
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(strings.TrimSpace(a.Val), "true") {
				return true
			}
		case "role":
			if skippedRoles[strings.ToLower(strings.TrimSpace(a.Val))] {
				return true
			}
		case "style":
			if rxHiddenStyle.MatchString(a.Val) {
				return true
			}
		}
	}
	return false
}

// removeFurniture deletes from a page the elements renderText would skip anyway,
// except those readability and the date search read (the head, scripts holding
// JSON-LD), so that readability neither scores navigation nor carries a footer into
// the text on a node that has lost the attribute that marked it.
func removeFurniture(n *html.Node) {
	var doomed []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && skipped(c) && !keptForReaders[c.DataAtom] {
				doomed = append(doomed, c)
				continue
			}
			walk(c)
		}
	}
	walk(n)
	for _, d := range doomed {
		d.Parent.RemoveChild(d)
	}
}

var keptForReaders = map[atom.Atom]bool{
	atom.Head: true, atom.Title: true, atom.Meta: true, atom.Link: true, atom.Base: true,
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
}

// cloneTree copies a node and everything under it.
func cloneTree(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace, Attr: slices.Clone(n.Attr)}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.AppendChild(cloneTree(ch))
	}
	return c
}

func inPre(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && (p.DataAtom == atom.Pre || p.DataAtom == atom.Textarea) {
			return true
		}
	}
	return false
}

// invisible runes carry no text: controls, soft hyphens, zero-width spaces and BOMs.
// Zero-width joiners stay: some scripts and emoji need them.
func invisible(r rune) bool {
	switch r {
	case '\u00ad', '\u200b', '\u2060', '\ufeff':
		return true
	}
	return unicode.IsControl(r)
}

// plain turns a metadata string (a title, a byline) into one line of text. Some CMSs
// escape markup twice, so a title can arrive holding tags once the first escape is
// undone; those are dropped and their entities decoded.
func plain(s string) string {
	if rxTag.MatchString(s) {
		var b strings.Builder
		z := html.NewTokenizer(strings.NewReader(s))
		skip := 0
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			switch tt {
			case html.TextToken:
				if skip == 0 {
					b.Write(z.Text())
				}
			case html.StartTagToken, html.EndTagToken:
				name, _ := z.TagName()
				if a := atom.Lookup(name); a == atom.Script || a == atom.Style {
					if tt == html.StartTagToken {
						skip++
					} else if skip > 0 {
						skip--
					}
				}
				b.WriteByte(' ')
			}
		}
		s = b.String()
	}
	var w textWriter
	w.text(s, false)
	w.flush()
	return w.out.String()
}

var rxTag = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>`)
