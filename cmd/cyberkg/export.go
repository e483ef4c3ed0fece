package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cyberkg/cyberkg/export"
	"github.com/cyberkg/cyberkg/graph"
)

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// runExport writes a subgraph to a file (or stdout) in one of export.Formats. The file
// appears only when the export is complete: it is written beside its final name and
// renamed, so a bad selection or a failure leaves no partial file.
func (m *Main) runExport(ctx context.Context, args []string) error {
	fs := m.flags("export")
	storePath := m.storeFlag(fs)
	var seeds, ids, kinds, types listFlag
	format := fs.String("format", "graphml", "graphml, gexf, cytoscape, csv, stix, cypher, markdown or html")
	fs.Var(&seeds, "seed", "start from this entity: a name, an alias or an ID (repeatable)")
	fs.Var(&ids, "id", "export this node as it is (repeatable)")
	depth := fs.Int("depth", -1, fmt.Sprintf("hops from the seeds, 0 to %d (default 1 with seeds)", graph.MaxDepth))
	fs.Var(&kinds, "kind", "keep only nodes of this kind: State, ThreatActor, Incident, Organization, Sector (repeatable or comma-separated)")
	fs.Var(&types, "type", "keep only relations of this type, e.g. ATTRIBUTED_TO (repeatable or comma-separated)")
	from := fs.String("from", "", "keep incidents dated from YYYY[-MM[-DD]]")
	to := fs.String("to", "", "keep incidents dated up to YYYY[-MM[-DD]]")
	minConfidence := fs.Float64("min-confidence", 0, "keep relations of at least this confidence (0 to 1)")
	asserted := fs.Bool("asserted", false, "keep only relations some source asserts (drop those only suspected)")
	out := fs.String("o", "-", "output file; - is stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return graph.Errorf(graph.EINVALID, "export: unexpected argument %q (seeds are given with --seed)", fs.Arg(0))
	}
	f, err := export.ParseFormat(*format)
	if err != nil {
		return err
	}
	sel := export.Selection{Seeds: seeds, IDs: ids, Depth: *depth, From: graph.Date(*from), To: graph.Date(*to), MinConfidence: *minConfidence}
	if sel.Depth < 0 {
		sel.Depth = 0
		if len(seeds) > 0 {
			sel.Depth = 1
		}
	}
	if *asserted {
		sel.MinCertainty = graph.Asserted
	}
	for _, k := range export.SplitList(kinds) {
		kind, err := export.ParseKind(k)
		if err != nil {
			return err
		}
		sel.Kinds = append(sel.Kinds, kind)
	}
	for _, t := range export.SplitList(types) {
		typ, err := export.ParseEdgeType(t)
		if err != nil {
			return err
		}
		sel.EdgeTypes = append(sel.EdgeTypes, typ)
	}
	if err := sel.Validate(); err != nil {
		return err
	}
	if *out == "-" && f.Binary() && isTerminal(m.Stdout) {
		return graph.Errorf(graph.EINVALID, "export: the %s format is a zip file: give -o FILE", f)
	}
	st, err := m.openStore(ctx, *storePath)
	if err != nil {
		return err
	}
	g, err := export.Resolve(ctx, st, sel)
	if err != nil {
		return err
	}
	if *out == "-" {
		res, err := g.Write(ctx, st, f, m.Stdout)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stderr, "exported %d nodes and %d relations as %s\n", res.Nodes, res.Edges, f)
		return nil
	}
	res, err := writeAtomically(*out, func(w io.Writer) (export.Result, error) { return g.Write(ctx, st, f, w) })
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "exported %d nodes and %d relations as %s to %s\n", res.Nodes, res.Edges, f, *out)
	return nil
}

// writeAtomically writes a file through a temporary file in the same directory, renamed
// into place only when write succeeds.
func writeAtomically(path string, write func(io.Writer) (export.Result, error)) (export.Result, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.partial")
	if err != nil {
		return export.Result{}, graph.Errorf(graph.EINVALID, "export: cannot write %s: %v", path, err)
	}
	res, err := write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return res, err
	}
	return res, nil
}

// isTerminal reports whether w is a terminal, where a binary file would be garbage.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
