package export

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/cyberkg/cyberkg/graph"
)

// cytoscape writes Cytoscape.js elements JSON ({"elements": {"nodes": [...], "edges":
// [...]}}), which cy.json() and Cytoscape desktop read. Every attribute is in data, with
// label the name (nodes) or relation type (edges).
func (x *exporter) cytoscape(ctx context.Context) error {
	w := x.w
	w.WriteString("{\"format_version\":\"1.0\",\"generated_by\":\"cyberkg\",\"elements\":{\"nodes\":[\n")
	first := true
	err := x.nodes(ctx, func(n *graph.Node) error {
		data := map[string]any{"id": n.ID, "label": n.Name}
		for i, v := range x.nodeValues(n) {
			setTyped(data, nodeAttrs[i], v)
		}
		return x.element(data, &first)
	})
	if err != nil {
		return err
	}
	w.WriteString("\n],\"edges\":[\n")
	first = true
	err = x.edges(ctx, false, func(e *graph.Edge, _ map[string]*graph.Node) error {
		data := map[string]any{"id": e.ID, "source": e.From, "target": e.To, "label": string(e.Type), "claims": e.Claims}
		for i, v := range edgeValues(e) {
			setTyped(data, edgeAttrs[i], v)
		}
		return x.element(data, &first)
	})
	if err != nil {
		return err
	}
	_, err = w.WriteString("\n]}}\n")
	return err
}

func (x *exporter) element(data map[string]any, first *bool) error {
	b, err := json.Marshal(map[string]any{"data": data})
	if err != nil {
		return err
	}
	if !*first {
		x.w.WriteString(",\n")
	}
	*first = false
	_, err = x.w.Write(b)
	return err
}

func setTyped(data map[string]any, a attr, v string) {
	if v == "" {
		return
	}
	switch a.typ {
	case "double":
		f, _ := strconv.ParseFloat(v, 64)
		data[a.key] = f
	case "int":
		i, _ := strconv.Atoi(v)
		data[a.key] = i
	default:
		data[a.key] = v
	}
}
