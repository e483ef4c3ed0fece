package importers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// stixObject holds the fields read from any object of an ATT&CK bundle: enough to tell
// an intrusion set and the collection that describes the bundle.
type stixObject struct {
	Type        string   `json:"type"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Aliases     []string `json:"aliases"`
	Modified    string   `json:"modified"`
	Revoked     bool     `json:"revoked"`
	Deprecated  bool     `json:"x_mitre_deprecated"`
	References  []struct {
		SourceName string `json:"source_name"`
		ExternalID string `json:"external_id"`
		URL        string `json:"url"`
	} `json:"external_references"`
}

// ATTACK reads a MITRE ATT&CK STIX 2.x bundle (enterprise-attack.json, mobile-attack.json,
// ics-attack.json) into a batch: a Source for src and a ThreatActor per intrusion set
// that is neither revoked nor deprecated (name; aliases without the name; description
// without its citation markers; external_references[source_name=mitre-attack]:
// ExternalID "mitre-attack" with its URL). ATT&CK has no structured sponsor field, so no
// SPONSORED_BY edge is made: a description saying "North Korean state-sponsored" is
// prose, not data.
//
// The bundle is decoded one object at a time, so the 40 MB enterprise file is never held
// whole. Input that is not a STIX bundle, or a bundle without intrusion sets, is EINVALID.
func ATTACK(r io.Reader, src Origin) (*graph.Batch, Report, error) {
	var rep Report
	cl, err := newClaimer(src, PublisherATTACK, PublisherATTACK)
	if err != nil {
		return nil, rep, err
	}
	b := &graph.Batch{Nodes: []*graph.Node{cl.source}}
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return nil, rep, attackInvalid("invalid JSON (%v)", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, rep, attackInvalid("%s", tokenKind(tok))
	}
	var bundleType any
	sawObjects, intrusionSets := false, 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, rep, attackInvalid("invalid JSON (%v)", err)
		}
		switch key, _ := tok.(string); key {
		case "type":
			if err := dec.Decode(&bundleType); err != nil {
				return nil, rep, attackInvalid("invalid JSON (%v)", err)
			}
		case "objects":
			sawObjects = true
			if tok, err := dec.Token(); err != nil {
				return nil, rep, attackInvalid("invalid JSON (%v)", err)
			} else if d, ok := tok.(json.Delim); !ok || d != '[' {
				return nil, rep, attackInvalid(`a bundle whose "objects" is %s`, tokenKind(tok))
			}
			for i := 0; dec.More(); i++ {
				var o stixObject
				if err := dec.Decode(&o); err != nil {
					if te := (*json.UnmarshalTypeError)(nil); errors.As(err, &te) {
						return nil, rep, attackInvalid("a bundle whose object %d does not fit (%v)", i, err)
					}
					return nil, rep, attackInvalid("invalid JSON (%v)", err)
				}
				switch o.Type {
				case "x-mitre-collection":
					if name := strings.TrimSpace(o.Name); name != "" {
						cl.source.Name, cl.source.Title = name, name
					}
					cl.source.Published = stixTime(o.Modified)
				case "intrusion-set":
					intrusionSets++
					if n := intrusionSet(cl, o); n != nil {
						b.Nodes = append(b.Nodes, n)
						rep.Actors++
					} else {
						rep.Skipped++
					}
				}
			}
			if _, err := dec.Token(); err != nil { // the closing ']'
				return nil, rep, attackInvalid("invalid JSON (%v)", err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, rep, attackInvalid("invalid JSON (%v)", err)
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, rep, attackInvalid("invalid JSON (%v)", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, rep, attackInvalid("data after the JSON value")
	}
	switch {
	case bundleType != "bundle" && bundleType != nil:
		return nil, rep, attackInvalid(`an object of type %s`, jsonText(bundleType))
	case bundleType == nil && !sawObjects:
		return nil, rep, attackInvalid(`an object without "type" and "objects"`)
	case !sawObjects:
		return nil, rep, attackInvalid(`a bundle without "objects"`)
	case intrusionSets == 0:
		return nil, rep, attackInvalid(`a bundle with no intrusion sets`)
	}
	rep.Entries = intrusionSets
	return b, rep, nil
}

// intrusionSet returns the threat actor of an intrusion set, or nil for one that ATT&CK
// has revoked or deprecated or that has no name.
func intrusionSet(cl *claimer, o stixObject) *graph.Node {
	name := strings.TrimSpace(o.Name)
	if o.Revoked || o.Deprecated || graph.Slug(name) == "" {
		return nil
	}
	var ids []graph.ExternalID
	what := "a group"
	for _, ref := range o.References {
		if ref.SourceName == "mitre-attack" && strings.TrimSpace(ref.ExternalID) != "" {
			id := attackID(strings.TrimSpace(ref.ExternalID), strings.TrimSpace(ref.URL))
			ids = append(ids, id)
			what = "group " + id.ID
			break
		}
	}
	return cl.actorNode(name, cleanDescription(o.Description), o.Aliases, ids, what, stixTime(o.Modified))
}

var (
	citation     = regexp.MustCompile(`\s*\(Citation:[^)]*\)`)
	markdownLink = regexp.MustCompile(`\[([^\]]+)\]\([^)\s]+\)`)
)

// cleanDescription turns ATT&CK's markdown into plain text: "[APT38](https://...)"
// becomes "APT38" and "(Citation: ...)" markers go, since the references they point at
// are not imported.
func cleanDescription(s string) string {
	s = citation.ReplaceAllString(s, "")
	s = markdownLink.ReplaceAllString(s, "$1")
	return strings.TrimSpace(s)
}

func stixTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func attackInvalid(format string, args ...any) error {
	return graph.Errorf(graph.EINVALID, `attack: expected a STIX bundle with "objects", got `+format, args...)
}

// tokenKind names the kind of a JSON token for an error message.
func tokenKind(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			return "a JSON array"
		case '{':
			return "an object"
		}
		return fmt.Sprintf("%q", string(t))
	case string:
		return "a JSON string"
	case bool:
		return "a JSON boolean"
	case nil:
		return "null"
	}
	return "a JSON number"
}
