package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/reference"
	"github.com/cyberkg/cyberkg/scrapers/eval"
	"github.com/cyberkg/cyberkg/scrapers/extract"
)

func (m *Main) runEval(ctx context.Context, args []string) error {
	fs := m.flags("eval")
	asJSON := fs.Bool("json", false, "print the scores as JSON")
	verbose := fs.Bool("verbose", false, "also show, file by file, the relations missed and the false positives, with evidence")
	// Flags may come after DIR too: "eval DIR --verbose".
	var dirs []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		dirs, args = append(dirs, fs.Arg(0)), fs.Args()[1:]
	}
	if len(dirs) != 1 {
		return graph.Errorf(graph.EINVALID, "eval takes one DIR of gold *.json files")
	}
	golds, err := eval.Load(dirs[0])
	if err != nil {
		return err
	}
	x := extract.New(reference.MustLoad())
	var failed error
	predict := func(g *eval.Gold) (res *extract.Result) {
		if failed != nil || ctx.Err() != nil {
			return nil
		}
		// A panic in the extractor is its bug: name the file that shows it rather than
		// take the process down with no clue.
		defer func() {
			if p := recover(); p != nil {
				failed = graph.Errorf(graph.EINTERNAL, "extract panicked on %s: %v", g.File, p)
				res = nil
			}
		}()
		return x.Extract(extract.Document{Text: g.Text, Title: g.Title, URL: g.URL, Published: g.Date})
	}
	rep := eval.Score(golds, predict)
	if failed != nil {
		return failed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if *asJSON {
		if !*verbose {
			rep.PerFile = nil
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	if err := rep.WriteText(m.Stdout); err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if *verbose {
		return rep.WriteFiles(m.Stdout)
	}
	return nil
}
