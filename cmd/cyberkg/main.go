// Command cyberkg is the cyber-incident knowledge graph in one binary: it reads public
// reporting into the graph (ingest, import), serves it (serve) and explains what it
// would extract (extract).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/embedded"
	"github.com/cyberkg/cyberkg/graph/neo4j"
	"github.com/cyberkg/cyberkg/graph/reference"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(m.Stderr, "cyberkg:", userMessage(err))
		}
		os.Exit(exitCode(err))
	}
	if m.server != nil {
		<-ctx.Done()
	}
	if err := m.Close(); err != nil {
		fmt.Fprintln(m.Stderr, "cyberkg:", userMessage(err))
		os.Exit(1)
	}
}

// Main is the program, with its inputs and outputs as fields so tests can run it.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Logger         *slog.Logger
	Now            func() time.Time // when a source is read

	store  graph.Store
	server *server
}

// NewMain returns a Main wired to the process.
func NewMain() *Main {
	return &Main{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)), Now: time.Now,
	}
}

const usage = `cyberkg: a knowledge graph of state-linked cyber incidents

Usage:
  cyberkg ingest  [--store PATH] FILE|URL|-       read a report and add its facts
  cyberkg extract [--json] FILE|URL|-             show the facts a report states, without storing
  cyberkg import  [--store PATH] misp-galaxy|attack FILE|URL
                                                  add threat actors from MISP galaxy or MITRE ATT&CK
  cyberkg scrape  [--store PATH] --config FILE | --feed URL | --url URL
                                                  read articles from configured sources, a feed or a page
  cyberkg serve   [--store PATH] [--addr 127.0.0.1:8080] [--tokens FILE] [--public-read=true] [--graphiql=true] [--timeout 30s]
                                                  serve the GraphQL API (/graphql) and /healthz
  cyberkg export  [--store PATH] --format graphml|gexf|cytoscape|csv|stix|cypher|markdown|html
                  --seed NAME|ID [--seed ...] [--depth 1] [--id ID ...] [--kind K] [--type T]
                  [--from DATE] [--to DATE] [--min-confidence 0.5] [--asserted] [-o FILE|-]
                                                  write a subgraph for Gephi, yEd, NetworkX, OpenCTI, Neo4j or a report
  cyberkg eval    [--json] [--verbose] DIR        score extract against the gold *.json files in DIR
  cyberkg bench   [--incidents 100000] [--seed 1] [--clients 8] [--duration 20s] [--store PATH] [--reuse]
                                                  load a synthetic graph into an empty store and time the API

The store is the embedded database at --store, $CYBERKG_STORE, or
~/.local/share/cyberkg/graph.db. When NEO4J_URI is set, Neo4j is used instead
(NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE).
`

// Run runs one command. serve returns once the server listens; Close stops it.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "ingest":
		return m.runIngest(ctx, args[1:])
	case "extract":
		return m.runExtract(ctx, args[1:])
	case "import":
		return m.runImport(ctx, args[1:])
	case "serve":
		return m.runServe(ctx, args[1:])
	case "scrape":
		return m.runScrape(ctx, args[1:])
	case "eval":
		return m.runEval(ctx, args[1:])
	case "bench":
		return m.runBench(ctx, args[1:])
	case "export":
		return m.runExport(ctx, args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	fmt.Fprint(m.Stderr, usage)
	return graph.Errorf(graph.EINVALID, "unknown command %q", args[0])
}

// Close releases the server and the store.
func (m *Main) Close() error {
	var errs []error
	if m.server != nil {
		errs = append(errs, m.server.Close())
		m.server = nil
	}
	if m.store != nil {
		errs = append(errs, m.store.Close())
		m.store = nil
	}
	return errors.Join(errs...)
}

func (m *Main) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	return fs
}

// storeFlag registers --store, falling back to $CYBERKG_STORE.
func (m *Main) storeFlag(fs *flag.FlagSet) *string {
	return fs.String("store", m.Getenv("CYBERKG_STORE"), "path of the embedded store (ignored when NEO4J_URI is set)")
}

// openStore opens Neo4j when NEO4J_URI is set, else the embedded store, and makes sure
// the reference knowledge is loaded.
func (m *Main) openStore(ctx context.Context, path string) (graph.Store, error) {
	var s graph.Store
	if uri := m.Getenv("NEO4J_URI"); uri != "" {
		n, err := neo4j.Open(ctx, neo4j.Config{URI: uri, Username: m.Getenv("NEO4J_USERNAME"), Password: m.Getenv("NEO4J_PASSWORD"), Database: m.Getenv("NEO4J_DATABASE")})
		if err != nil {
			return nil, err
		}
		s = n
	} else {
		if path == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return nil, graph.Errorf(graph.EINVALID, "no --store given and no home directory: %v", err)
			}
			path = filepath.Join(home, ".local", "share", "cyberkg", "graph.db")
		}
		e, err := embedded.Open(ctx, path)
		if err != nil {
			return nil, err
		}
		s = e
	}
	if err := loadReference(ctx, s); err != nil {
		s.Close()
		return nil, err
	}
	m.store = s
	return s, nil
}

// loadReference ingests the built-in knowledge unless this version is already stored.
func loadReference(ctx context.Context, s graph.Store) error {
	k, err := reference.Load()
	if err != nil {
		return err
	}
	src, err := s.Node(ctx, graph.NodeID(graph.KindSource, reference.FileURL))
	if err == nil && src.ContentHash == k.Hash {
		return nil
	}
	if err != nil && graph.ErrorCode(err) != graph.ENOTFOUND {
		return err
	}
	if _, err := graph.Ingest(ctx, s, k.Batch()); err != nil {
		return fmt.Errorf("load reference knowledge: %w", err)
	}
	return nil
}

// userMessage is what the user sees for an error: its context and what to fix.
func userMessage(err error) string { return err.Error() }

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}
