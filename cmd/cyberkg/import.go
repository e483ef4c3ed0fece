package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/scrapers/importers"
)

// MaxCatalogue bounds an imported catalogue: ATT&CK's enterprise bundle is about 45 MB.
const MaxCatalogue = 200 << 20

func (m *Main) runImport(ctx context.Context, args []string) error {
	fs := m.flags("import")
	storePath := m.storeFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return graph.Errorf(graph.EINVALID, "import takes a format (misp-galaxy or attack) and a FILE or URL")
	}
	format, location := fs.Arg(0), fs.Arg(1)
	parse := map[string]func([]byte, importers.Origin) (*graph.Batch, importers.Report, error){
		"misp-galaxy": func(b []byte, o importers.Origin) (*graph.Batch, importers.Report, error) {
			return importers.MISPGalaxy(bytes.NewReader(b), o)
		},
		"attack": func(b []byte, o importers.Origin) (*graph.Batch, importers.Report, error) {
			return importers.ATTACK(bytes.NewReader(b), o)
		},
	}[format]
	if parse == nil {
		return graph.Errorf(graph.EINVALID, "unknown import format %q: want misp-galaxy or attack", format)
	}
	var data []byte
	var err error
	if strings.HasPrefix(location, "http://") || strings.HasPrefix(location, "https://") {
		data, _, err = fetchURL(ctx, location, MaxCatalogue)
	} else {
		data, err = readFileMax(location, MaxCatalogue)
	}
	if err != nil {
		return err
	}
	origin, err := importers.NewOrigin(location, "", m.Now().UTC().Truncate(time.Second))
	if err != nil {
		return err
	}
	// Parse fully before opening the store: a bad catalogue changes nothing.
	batch, report, err := parse(data, origin)
	if err != nil {
		return fmt.Errorf("import %s: %w", location, err)
	}
	s, err := m.openStore(ctx, *storePath)
	if err != nil {
		return err
	}
	batch, prep, err := importers.Prepare(ctx, s, batch)
	if err != nil {
		return fmt.Errorf("import %s: %w", location, err)
	}
	sum, err := graph.Ingest(ctx, s, batch)
	if err != nil {
		return fmt.Errorf("import %s: %w", location, err)
	}
	fmt.Fprintf(m.Stdout, "imported %s (%s)\n  %s\n%s\n", location, format, sum, report.Add(prep))
	return nil
}
