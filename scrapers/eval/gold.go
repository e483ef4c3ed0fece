package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// MaxGoldFile bounds one gold file: far more than any annotated report.
const MaxGoldFile = 10 << 20

// Gold is one annotated document: its text and the facts an analyst extracted from it.
type Gold struct {
	File      string     `json:"-"` // base name of the file it was read from
	ID        string     `json:"id"`
	URL       string     `json:"url"`
	Title     string     `json:"title"`
	Published *string    `json:"published"` // ISO prefix, or null
	Date      time.Time  `json:"-"`         // Published parsed; zero when null
	Category  string     `json:"category"`
	Text      string     `json:"text"`
	Entities  []Entity   `json:"entities"`
	Relations []Relation `json:"relations"`
	Amounts   []Amount   `json:"amounts"`
	Optional  []Relation `json:"optional_relations"`
	Negative  []Relation `json:"negative_relations"`
}

// Entity is a gold entity: its canonical name and each surface string for it.
type Entity struct {
	Type     string   `json:"type"`
	Name     string   `json:"name"`
	Mentions []string `json:"mentions"`
	SameAs   names    `json:"same_as"`
	Role     string   `json:"role"`
}

// Relation is a gold, optional or negative relation between canonical names. For
// STOLE, To is the surface of an amount in the file's Amounts.
type Relation struct {
	Type         string  `json:"type"`
	From         string  `json:"from"`
	To           string  `json:"to"`
	Evidence     string  `json:"evidence"`
	Certainty    string  `json:"certainty"`
	AttributedBy *string `json:"attributed_by"`
	Reason       string  `json:"reason"`
}

// Amount is a gold monetary or crypto quantity. Value is in the native unit; a range
// ("$200 million to $300 million") has no Value and a two-element ValueUSDRange.
type Amount struct {
	Surface       string    `json:"surface"`
	Value         *float64  `json:"value"`
	ValueUSD      *float64  `json:"value_usd"`
	ValueUSDRange []float64 `json:"value_usd_range"`
	Currency      string    `json:"currency"`
	Incident      *string   `json:"incident"`
	Kind          string    `json:"kind"`
}

// names is same_as, which a file may give as one name or as a list.
type names []string

func (n *names) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*n = nil
		return nil
	}
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*n = names{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("same_as: want a name or a list of names")
	}
	*n = many
	return nil
}

// Load reads every *.json file in dir as a gold file, in name order. A dir without
// one is EINVALID; so is a malformed file, with its name in the message.
func Load(dir string) ([]*Gold, error) {
	fi, err := os.Stat(dir)
	switch {
	case err != nil:
		return nil, graph.Errorf(graph.EINVALID, "cannot read gold directory %s: %v", dir, err)
	case !fi.IsDir():
		return nil, graph.Errorf(graph.EINVALID, "%s is not a directory of gold *.json files", dir)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, graph.Errorf(graph.EINVALID, "list %s: %v", dir, err)
	}
	var golds []*Gold
	for _, p := range paths {
		if fi, err := os.Stat(p); err != nil || fi.IsDir() {
			continue
		}
		data, err := readMax(p, MaxGoldFile)
		if err != nil {
			return nil, err
		}
		g, err := Parse(filepath.Base(p), data)
		if err != nil {
			return nil, err
		}
		golds = append(golds, g)
	}
	if len(golds) == 0 {
		return nil, graph.Errorf(graph.EINVALID, "no gold *.json files in %s", dir)
	}
	return golds, nil
}

func readMax(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, graph.Errorf(graph.EINVALID, "cannot read %s: %v", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, graph.Errorf(graph.EINVALID, "cannot read %s: %v", path, err)
	}
	if int64(len(data)) > limit {
		return nil, graph.Errorf(graph.EINVALID, "%s is larger than %d MB: not a gold file", path, limit>>20)
	}
	return data, nil
}

// Parse reads one gold file; name is used in errors and reports.
func Parse(name string, data []byte) (*Gold, error) {
	g, err := parse(data)
	if err != nil {
		return nil, graph.Errorf(graph.EINVALID, "gold file %s: %v", name, err)
	}
	g.File = name
	return g, nil
}

func parse(data []byte) (*Gold, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var g Gold
	if err := dec.Decode(&g); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value")
	}
	if strings.TrimSpace(g.Text) == "" {
		return nil, errors.New("no text")
	}
	if g.Published != nil && *g.Published != "" {
		t, err := parsePublished(*g.Published)
		if err != nil {
			return nil, err
		}
		g.Date = t
	}
	for i, e := range g.Entities {
		if strings.TrimSpace(e.Type) == "" || norm(e.Name) == "" {
			return nil, fmt.Errorf("entity %d: want a type and a name", i)
		}
	}
	lists := []struct {
		name string
		rels []Relation
	}{{"relations", g.Relations}, {"optional_relations", g.Optional}, {"negative_relations", g.Negative}}
	for _, l := range lists {
		for i, r := range l.rels {
			if strings.TrimSpace(r.Type) == "" || norm(r.From) == "" || norm(r.To) == "" {
				return nil, fmt.Errorf("%s %d: want type, from and to", l.name, i)
			}
		}
	}
	for i, a := range g.Amounts {
		if norm(a.Surface) == "" {
			return nil, fmt.Errorf("amount %d: no surface", i)
		}
		if a.ValueUSDRange != nil && (len(a.ValueUSDRange) != 2 || a.ValueUSDRange[0] > a.ValueUSDRange[1]) {
			return nil, fmt.Errorf("amount %q: value_usd_range wants [low, high]", a.Surface)
		}
	}
	return &g, nil
}

// parsePublished reads an ISO date or date-time prefix: 2023, 2023-07, 2023-07-27, or
// a full RFC 3339 time.
func parsePublished(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("published %q: want an ISO date prefix (YYYY, YYYY-MM, YYYY-MM-DD) or RFC 3339", s)
}

// amount returns the gold amount whose surface is s.
func (g *Gold) amount(s string) (Amount, bool) {
	i := slices.IndexFunc(g.Amounts, func(a Amount) bool { return norm(a.Surface) == norm(s) })
	if i < 0 {
		return Amount{}, false
	}
	return g.Amounts[i], true
}
