package export

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/cyberkg/cyberkg/graph"
)

// ParseKind reads a node kind as people write it: "State", "threat-actor",
// "THREAT_ACTOR", "actor", "org"; EINVALID otherwise.
func ParseKind(s string) (graph.NodeKind, error) {
	key := strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(s)))
	switch key {
	case "actor", "threatactor":
		return graph.KindActor, nil
	case "org", "organisation", "organization", "victim":
		return graph.KindOrganization, nil
	}
	for _, k := range graph.NodeKinds {
		if strings.ToLower(string(k)) == key {
			return k, nil
		}
	}
	return "", graph.Errorf(graph.EINVALID, "unknown kind %q: want one of %s", s, joinKinds())
}

// ParseEdgeType reads a relation type: "ATTRIBUTED_TO", "attributed-to"; EINVALID
// otherwise.
func ParseEdgeType(s string) (graph.EdgeType, error) {
	t := graph.EdgeType(strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "-", "_")))
	if !t.Valid() {
		var names []string
		for _, t := range graph.EdgeTypes {
			names = append(names, string(t))
		}
		return "", graph.Errorf(graph.EINVALID, "unknown relation type %q: want one of %s", s, strings.Join(names, ", "))
	}
	return t, nil
}

// SplitList reads repeated values (flags, query parameters), each of which may also be a
// comma-separated list, and drops empty ones.
func SplitList(values []string) []string {
	var out []string
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// ParseQuery reads a selection and a format from the parameters of GET /export:
//
//	format=F&seed=S&seed=S2&depth=N&kind=K&type=T&from=YYYY-MM-DD&to=YYYY-MM-DD
//	&minConfidence=0.5&minCertainty=asserted&id=ID&id=ID2&limit=N&cut=true
//
// kind and type may repeat or hold comma-separated lists; seed and id repeat (names
// may hold commas). depth defaults to 1 with seeds, 0 without. Every mistake is
// EINVALID naming the parameter; the selection is not yet validated (see
// Selection.Validate).
func ParseQuery(q url.Values) (Selection, Format, error) {
	var sel Selection
	for key := range q {
		switch key {
		case "format", "seed", "id", "depth", "kind", "type", "from", "to", "minConfidence", "minCertainty", "limit", "cut":
		default:
			return sel, "", graph.Errorf(graph.EINVALID, "unknown parameter %q: want format, seed, id, depth, kind, type, from, to, minConfidence, minCertainty, limit or cut", key)
		}
	}
	f, err := ParseFormat(cmpOr(q.Get("format"), string(GraphML)))
	if err != nil {
		return sel, "", err
	}
	sel.Seeds = q["seed"]
	sel.IDs = q["id"]
	if len(sel.Seeds) > 0 {
		sel.Depth = 1
	}
	if v := q.Get("depth"); v != "" {
		if sel.Depth, err = strconv.Atoi(v); err != nil {
			return sel, "", graph.Errorf(graph.EINVALID, "depth %q is not a whole number", v)
		}
	}
	if v := q.Get("limit"); v != "" {
		if sel.Limit, err = strconv.Atoi(v); err != nil {
			return sel, "", graph.Errorf(graph.EINVALID, "limit %q is not a whole number", v)
		}
	}
	if v := q.Get("cut"); v != "" {
		if sel.Cut, err = strconv.ParseBool(v); err != nil {
			return sel, "", graph.Errorf(graph.EINVALID, "cut %q: want true or false", v)
		}
	}
	for _, k := range SplitList(q["kind"]) {
		kind, err := ParseKind(k)
		if err != nil {
			return sel, "", err
		}
		sel.Kinds = append(sel.Kinds, kind)
	}
	for _, t := range SplitList(q["type"]) {
		typ, err := ParseEdgeType(t)
		if err != nil {
			return sel, "", err
		}
		sel.EdgeTypes = append(sel.EdgeTypes, typ)
	}
	sel.From, sel.To = graph.Date(q.Get("from")), graph.Date(q.Get("to"))
	if v := q.Get("minConfidence"); v != "" {
		if sel.MinConfidence, err = strconv.ParseFloat(v, 64); err != nil {
			return sel, "", graph.Errorf(graph.EINVALID, "minConfidence %q is not a number", v)
		}
	}
	if v := q.Get("minCertainty"); v != "" {
		sel.MinCertainty = graph.Certainty(strings.ToLower(v))
	}
	return sel, f, nil
}

// Query writes a selection and a format as the parameters ParseQuery reads: the
// download URL of an export is "/export?" + Query(sel, f).Encode().
func Query(sel Selection, f Format) url.Values {
	q := url.Values{"format": {string(f)}}
	for _, s := range sel.Seeds {
		q.Add("seed", s)
	}
	for _, id := range sel.IDs {
		q.Add("id", id)
	}
	if len(sel.Seeds) > 0 || sel.Depth != 0 {
		q.Set("depth", strconv.Itoa(sel.Depth))
	}
	for _, k := range sel.Kinds {
		q.Add("kind", string(k))
	}
	for _, t := range sel.EdgeTypes {
		q.Add("type", string(t))
	}
	if sel.From != "" {
		q.Set("from", string(sel.From))
	}
	if sel.To != "" {
		q.Set("to", string(sel.To))
	}
	if sel.MinConfidence != 0 {
		q.Set("minConfidence", num(sel.MinConfidence))
	}
	if sel.MinCertainty != "" {
		q.Set("minCertainty", string(sel.MinCertainty))
	}
	if sel.Limit != 0 {
		q.Set("limit", strconv.Itoa(sel.Limit))
	}
	if sel.Cut {
		q.Set("cut", "true")
	}
	return q
}
