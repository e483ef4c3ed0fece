package graph

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// NodeID returns the stable ID of a node of the given kind and name: the same entity
// named the same way always gets the same ID, in every store and every run. States are
// keyed by their ISO code (pass it as name), sources by URL.
func NodeID(kind NodeKind, name string) string {
	switch kind {
	case KindState:
		return "state:" + strings.ToLower(strings.TrimSpace(name))
	case KindSource:
		sum := sha256.Sum256([]byte(strings.TrimSpace(name)))
		return "source:" + hex.EncodeToString(sum[:8])
	}
	return idPrefix[kind] + ":" + Slug(name)
}

// KindPrefix returns how the IDs of a kind begin ("state:"): an ID tells its kind.
func KindPrefix(k NodeKind) string {
	switch k {
	case KindState:
		return "state:"
	case KindSource:
		return "source:"
	}
	return idPrefix[k] + ":"
}

// KindOfID returns the kind an ID's prefix names; ok is false when it names none.
func KindOfID(id string) (k NodeKind, ok bool) {
	for _, k := range NodeKinds {
		if strings.HasPrefix(id, KindPrefix(k)) {
			return k, true
		}
	}
	return "", false
}

var idPrefix = map[NodeKind]string{
	KindActor:        "actor",
	KindIncident:     "incident",
	KindOrganization: "org",
	KindSector:       "sector",
	KindAmount:       "amount",
}

// AmountID returns the ID of an amount reported for an incident. Amounts are scoped to
// their incident so that two thefts of "$100 million" never meet in the graph.
func AmountID(incidentID string, a Amount) string {
	v := strconv.FormatFloat(a.Value, 'f', -1, 64)
	return "amount:" + strings.TrimPrefix(incidentID, "incident:") + ":" + v + "-" + strings.ToLower(a.Currency)
}

// EdgeID returns the stable ID of the edge of type t between from and to. For symmetric
// types the ends are ordered, so A-B and B-A are one edge.
func EdgeID(t EdgeType, from, to string) string {
	if t.Symmetric() && to < from {
		from, to = to, from
	}
	return string(t) + ":" + from + ">" + to
}

// ParseEdgeID splits an ID made by EdgeID into its type and ends; ok is false for
// anything EdgeID would not make.
func ParseEdgeID(id string) (t EdgeType, from, to string, ok bool) {
	typ, ends, found := strings.Cut(id, ":")
	if !found {
		return "", "", "", false
	}
	from, to, found = strings.Cut(ends, ">")
	t = EdgeType(typ)
	if !found || !t.Valid() || from == "" || to == "" || EdgeID(t, from, to) != id {
		return "", "", "", false
	}
	return t, from, to, true
}

// Slug turns a name into an ID fragment: lower-case letters and digits joined by "-".
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range Normalize(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// ClaimConfidence returns the weight of a single claim: an asserted claim outweighs a
// hedged one, and a named claimant (the FBI said) outweighs an unattributed statement.
func ClaimConfidence(c Certainty, claimant string) float64 {
	w := 0.7
	if c == Hedged {
		w = 0.35
	}
	if claimant != "" {
		w += 0.1
	}
	return math.Round(w*1000) / 1000
}

// AggregateConfidence combines claims into one confidence in [0,1]: each source counts
// once, with its strongest claim, and independent sources reinforce each other
// (noisy-or), so ten outlets repeating a claim raise it but never to certainty.
func AggregateConfidence(claims []Claim) float64 {
	best := map[string]float64{}
	for _, c := range claims {
		best[c.SourceID] = max(best[c.SourceID], clamp01(c.Confidence))
	}
	if len(best) == 0 {
		return 0
	}
	doubt := 1.0
	for _, w := range best {
		doubt *= 1 - w
	}
	return math.Round(min(1-doubt, 0.99)*1000) / 1000
}

func clamp01(f float64) float64 {
	if math.IsNaN(f) {
		return 0
	}
	return min(max(f, 0), 1)
}

// MergeClaims returns old with the claims of in added. A claim with the same source,
// quote and claimant replaces the earlier one but keeps its first report time (a source
// without a publication date is dated by when it was first read), so re-reading a source
// changes nothing.
func MergeClaims(old, in []Claim) []Claim {
	out := slices.Clone(old)
	for _, c := range in {
		if i := slices.IndexFunc(out, func(o Claim) bool { return o.key() == c.key() }); i >= 0 {
			if first := out[i].Reported; !first.IsZero() && (c.Reported.IsZero() || !c.Reported.Before(first)) {
				c.Reported = first
			}
			out[i] = c
			continue
		}
		out = append(out, c)
	}
	return out
}

// MergeNode folds in into existing and reports whether anything changed. The existing
// name stays canonical; aliases, external IDs and claims are unioned; empty fields are
// filled; a date is replaced only by a more precise date that agrees with it.
func MergeNode(existing, in *Node) (*Node, bool, error) {
	if existing == nil {
		n := *in
		n.Aliases = cleanAliases(n.Name, n.Aliases)
		n.Confidence = AggregateConfidence(n.Claims)
		return &n, true, nil
	}
	if existing.Kind != in.Kind {
		return nil, false, Errorf(ECONFLICT, "node %s is a %s, not a %s", existing.ID, existing.Kind, in.Kind)
	}
	n := *existing
	n.Aliases = cleanAliases(n.Name, append(slices.Clone(existing.Aliases), in.Names()...))
	n.Description = cmp.Or(n.Description, in.Description)
	n.Code = cmp.Or(n.Code, in.Code)
	n.ActorKind = cmp.Or(n.ActorKind, in.ActorKind)
	if n.IncidentKind == "" || n.IncidentKind == IncidentOther {
		n.IncidentKind = cmp.Or(in.IncidentKind, n.IncidentKind)
	}
	if len(in.Date) > len(n.Date) && strings.HasPrefix(string(in.Date), string(n.Date)) {
		n.Date = in.Date
	}
	n.ExternalIDs = slices.Clone(existing.ExternalIDs)
	for _, x := range in.ExternalIDs {
		if !slices.ContainsFunc(n.ExternalIDs, func(y ExternalID) bool { return x.System == y.System && x.ID == y.ID }) {
			n.ExternalIDs = append(n.ExternalIDs, x)
		}
	}
	n.URL = cmp.Or(n.URL, in.URL)
	n.Title = cmp.Or(n.Title, in.Title)
	n.Publisher = cmp.Or(n.Publisher, in.Publisher)
	n.Published = cmp.Or(n.Published, in.Published)
	n.Fetched = cmp.Or(n.Fetched, in.Fetched)             // the first fetch; re-reading is not news
	n.ContentHash = cmp.Or(in.ContentHash, n.ContentHash) // the latest version read
	if n.Amount == nil {
		n.Amount = in.Amount
	}
	n.Claims = MergeClaims(existing.Claims, in.Claims)
	n.Confidence = AggregateConfidence(n.Claims)
	return &n, !reflect.DeepEqual(&n, existing), nil
}

// MergeEdge folds in's claims into existing and reports whether anything changed.
func MergeEdge(existing, in *Edge) (*Edge, bool) {
	if existing == nil {
		e := *in
		e.Confidence = AggregateConfidence(e.Claims)
		return &e, true
	}
	e := *existing
	e.Claims = MergeClaims(existing.Claims, in.Claims)
	e.Confidence = AggregateConfidence(e.Claims)
	return &e, !reflect.DeepEqual(&e, existing)
}

// cleanAliases drops empty aliases, the name itself and repeats (compared normalised).
func cleanAliases(name string, aliases []string) []string {
	seen := map[string]bool{Normalize(name): true}
	var out []string
	for _, a := range aliases {
		a = strings.TrimSpace(a)
		if k := Normalize(a); k != "" && !seen[k] {
			seen[k] = true
			out = append(out, a)
		}
	}
	return out
}

// AliasKeys returns the normalised names under which a node can be found.
func (n *Node) AliasKeys() []string {
	var keys []string
	for _, s := range n.Names() {
		if k := Normalize(s); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	if n.Kind == KindState && n.Code != "" {
		if k := Normalize(n.Code); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}
