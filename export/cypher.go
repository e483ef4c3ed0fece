package export

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/neo4j"
)

// cypher writes a script that re-creates the subgraph in another Neo4j, in the data
// model of cyberkg's Neo4j store (graph/neo4j/schema.go): (:Entity:<Kind> {id, kind,
// name, ...}) nodes, typed relationships with their claims, sources, confidence and
// certainty, and each entity's (:Alias) name-lookup nodes, so that cyberkg can read the
// copy and find its entities by name, alias and code (Resolve, Search) as on the
// original. It first creates the store's constraints and indexes on entities and
// aliases, as graph/neo4j's Open does. One statement per line, each ending in a
// semicolon: cypher-shell -f runs it, and so does anything that splits it by line.
// Statements MERGE on IDs and alias keys, so running the script twice changes nothing.
// Every value is a literal, escaped (see cypherString); labels and relationship types
// come from the fixed kinds and types, never from the data.
func (x *exporter) cypher(ctx context.Context) error {
	w := x.w
	fmt.Fprintf(w, "// cyberkg export: %s\n", oneLine(strings.ReplaceAll(x.g.describe(), "\n", " ")))
	w.WriteString("// Run statement by statement, e.g. cypher-shell -f this-file.cypher\n")
	for _, stmt := range neo4j.EntitySchema {
		w.WriteString(stmt + ";\n")
	}
	// New indexes fill in the background; what follows should find them online.
	w.WriteString("CALL db.awaitIndexes(300);\n")
	err := x.nodes(ctx, func(n *graph.Node) error {
		if !n.Kind.Valid() {
			return graph.Errorf(graph.EINTERNAL, "node %s has an unknown kind %q", n.ID, n.Kind)
		}
		props, err := cypherNodeProps(n)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "MERGE (n:Entity {id: %s}) SET n:`%s` SET n = %s;\n", cypherString(n.ID), n.Kind, props); err != nil {
			return err
		}
		for _, a := range neo4j.AliasesOf(n) {
			if _, err := fmt.Fprintf(w, "MERGE (a:Alias {key: %s}) SET a = %s;\n", cypherString(a.Key), aliasProps(a)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = x.edges(ctx, false, func(e *graph.Edge, _ map[string]*graph.Node) error {
		if !e.Type.Valid() {
			return graph.Errorf(graph.EINTERNAL, "edge %s has an unknown type %q", e.ID, e.Type)
		}
		var p cypherMap
		p.add("id", cypherString(e.ID))
		p.add("confidence", cypherFloat(e.Confidence))
		p.add("certainty", cypherString(string(e.Certainty())))
		if err := p.claims(e.Claims); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "MATCH (a:Entity {id: %s}), (b:Entity {id: %s}) MERGE (a)-[r:`%s` {id: %s}]->(b) SET r = %s;\n",
			cypherString(e.From), cypherString(e.To), e.Type, cypherString(e.ID), p.String())
		return err
	})
	return err
}

// aliasProps is the property map of one of the store's alias nodes.
func aliasProps(a neo4j.Alias) string {
	var m cypherMap
	m.add("key", cypherString(a.Key))
	m.add("kind", cypherString(a.Kind))
	m.add("name", cypherString(a.Name))
	m.add("owner", cypherString(a.Owner))
	m.add("via", cypherString(a.Via))
	return m.String()
}

// cypherMap builds a map literal.
type cypherMap struct{ b strings.Builder }

func (m *cypherMap) add(key, literal string) {
	if m.b.Len() > 0 {
		m.b.WriteString(", ")
	}
	m.b.WriteString(key + ": " + literal)
}

func (m *cypherMap) str(key, v string) {
	if v != "" {
		m.add(key, cypherString(v))
	}
}

func (m *cypherMap) json(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	m.add(key, cypherString(string(b)))
	return nil
}

func (m *cypherMap) claims(claims []graph.Claim) error {
	if len(claims) == 0 {
		return nil
	}
	if err := m.json("claims", claims); err != nil {
		return err
	}
	var srcs []string
	for _, c := range claims {
		if !containsStr(srcs, c.SourceID) {
			srcs = append(srcs, c.SourceID)
		}
	}
	m.add("sources", cypherList(srcs))
	return nil
}

func (m *cypherMap) String() string { return "{" + m.b.String() + "}" }

// cypherNodeProps is the node's properties as the Neo4j store keeps them.
func cypherNodeProps(n *graph.Node) (string, error) {
	var m cypherMap
	m.add("id", cypherString(n.ID))
	m.add("kind", cypherString(string(n.Kind)))
	m.add("name", cypherString(n.Name))
	m.add("confidence", cypherFloat(n.Confidence))
	m.str("description", n.Description)
	m.str("code", n.Code)
	m.str("actorKind", string(n.ActorKind))
	m.str("incidentKind", string(n.IncidentKind))
	m.str("date", string(n.Date))
	m.str("url", n.URL)
	m.str("title", n.Title)
	m.str("publisher", n.Publisher)
	m.str("contentHash", n.ContentHash)
	if len(n.Aliases) > 0 {
		m.add("aliases", cypherList(n.Aliases))
	}
	if !n.Published.IsZero() {
		m.add("published", cypherTime(n.Published))
	}
	if !n.Fetched.IsZero() {
		m.add("fetched", cypherTime(n.Fetched))
	}
	if len(n.ExternalIDs) > 0 {
		if err := m.json("externalIds", n.ExternalIDs); err != nil {
			return "", err
		}
	}
	if n.Amount != nil {
		if err := m.json("amount", n.Amount); err != nil {
			return "", err
		}
		if n.Amount.ValueUSD != nil {
			m.add("usd", cypherFloat(*n.Amount.ValueUSD))
		}
	}
	if err := m.claims(n.Claims); err != nil {
		return "", err
	}
	return m.String(), nil
}

// cypherString writes s as a Cypher string literal: single-quoted, with backslashes,
// quotes and control characters escaped, so that no text can end the literal early.
// Other characters, all of Unicode, are written as they are (the script is UTF-8);
// invalid UTF-8 becomes U+FFFD.
func cypherString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`\'`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 || r == 0x85 {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('\'')
	return b.String()
}

func cypherList(items []string) string {
	parts := make([]string, len(items))
	for i, s := range items {
		parts[i] = cypherString(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// cypherFloat writes a float literal that Cypher reads as a float, never an integer.
func cypherFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func cypherTime(t time.Time) string {
	return "datetime(" + cypherString(t.UTC().Format(time.RFC3339Nano)) + ")"
}

func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
