package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/reference"
	"github.com/cyberkg/cyberkg/scrapers"
	"github.com/cyberkg/cyberkg/scrapers/article"
	"github.com/cyberkg/cyberkg/scrapers/extract"
	"github.com/cyberkg/cyberkg/scrapers/fetch"
)

// MaxInput bounds what ingest and extract read: far more than any report.
const MaxInput = 10 << 20

func (m *Main) runIngest(ctx context.Context, args []string) error {
	fs := m.flags("ingest")
	storePath := m.storeFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return graph.Errorf(graph.EINVALID, "ingest takes one FILE, URL or - (stdin)")
	}
	// Read and check the input before touching the store: bad input changes nothing.
	in, err := m.readInput(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	s, err := m.openStore(ctx, *storePath)
	if err != nil {
		return err
	}
	outcome, res, sum, err := scrapers.Load(ctx, s, extract.New(reference.MustLoad()), in.doc, m.Now().Truncate(time.Second), in.hash, nil)
	if err != nil {
		return fmt.Errorf("ingest %s: %w", fs.Arg(0), err)
	}
	if outcome == scrapers.Unchanged {
		fmt.Fprintf(m.Stdout, "ingested %s\n  unchanged since it was last read; %s\n", in.doc.URL, sum)
		return nil
	}
	fmt.Fprintf(m.Stdout, "ingested %s\n  %s\n", in.doc.URL, sum)
	for _, r := range append(slices.Clone(res.Relations), res.SectorTargets...) {
		fmt.Fprintf(m.Stdout, "  %s %s -> %s (%s)\n", r.Type, r.From, r.To, r.Certainty)
	}
	return nil
}

func (m *Main) runExtract(ctx context.Context, args []string) error {
	fs := m.flags("extract")
	asJSON := fs.Bool("json", false, "print the facts as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return graph.Errorf(graph.EINVALID, "extract takes one FILE, URL or - (stdin)")
	}
	in, err := m.readInput(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	res := extract.New(reference.MustLoad()).Extract(in.doc)
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	for _, e := range res.Entities {
		fmt.Fprintf(m.Stdout, "%-12s %s  %q\n", e.Type, e.Name, e.Mentions)
	}
	for _, r := range res.Relations {
		by := ""
		if r.AttributedBy != nil {
			by = " according to " + *r.AttributedBy
		}
		fmt.Fprintf(m.Stdout, "%s %s -> %s (%s%s)\n    %q\n", r.Type, r.From, r.To, r.Certainty, by, r.Evidence)
	}
	return nil
}

type input struct {
	doc  extract.Document
	hash string
}

// readInput reads a report from a file, a URL or stdin ("-") and checks it is text or
// HTML of a sane size, in UTF-8 or a declared charset.
func (m *Main) readInput(ctx context.Context, arg string) (*input, error) {
	var (
		data        []byte
		contentType string
		where       string
		err         error
	)
	switch {
	case arg == "-":
		data, err = io.ReadAll(io.LimitReader(m.Stdin, MaxInput+1))
		where = "stdin"
	case strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://"):
		data, contentType, err = fetchURL(ctx, arg, MaxInput)
		where = arg
	default:
		data, err = readFile(arg)
		where = arg
	}
	if err != nil {
		return nil, err
	}
	if len(data) > MaxInput {
		return nil, graph.Errorf(graph.EINVALID, "%s is larger than %d MB: not a report", where, MaxInput>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, graph.Errorf(graph.EINVALID, "%s is empty", where)
	}
	sniffed := http.DetectContentType(data)
	if bytes.IndexByte(data, 0) >= 0 || !(strings.HasPrefix(sniffed, "text/") || strings.Contains(contentType, "html") || strings.HasPrefix(contentType, "text/")) {
		return nil, graph.Errorf(graph.EINVALID, "%s looks binary (%s), not text or HTML", where, sniffed)
	}
	sum := sha256.Sum256(data)
	hash := "sha256:" + hex.EncodeToString(sum[:])
	if isHTML := article.LooksLikeHTML(data) || strings.Contains(contentType, "html"); !isHTML && !utf8.Valid(data) {
		return nil, graph.Errorf(graph.EINVALID, "%s is not valid UTF-8 text", where)
	} else if isHTML {
		// HTML declares its charset; ReadPage wants UTF-8.
		r, err := charset.NewReader(bytes.NewReader(data), contentType)
		if err != nil {
			return nil, graph.Errorf(graph.EINVALID, "%s: unknown charset: %v", where, err)
		}
		if data, err = io.ReadAll(r); err != nil {
			return nil, graph.Errorf(graph.EINVALID, "%s: %v", where, err)
		}
		contentType = "text/html"
	}
	doc, err := scrapers.ReadPage(data, contentType, extract.Document{URL: sourceURL(arg, hash)})
	if err != nil {
		return nil, graph.Errorf(graph.EINVALID, "%s: no readable article: %v", where, err)
	}
	if strings.TrimSpace(doc.Text) == "" {
		return nil, graph.Errorf(graph.EINVALID, "%s has no readable text", where)
	}
	return &input{doc: doc, hash: hash}, nil
}

func readFile(path string) ([]byte, error) { return readFileMax(path, MaxInput) }

func readFileMax(path string, limit int64) ([]byte, error) {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, graph.Errorf(graph.EINVALID, "cannot read %s: %v", path, err)
	case fi.IsDir():
		return nil, graph.Errorf(graph.EINVALID, "%s is a directory, not a report", path)
	case fi.Size() > limit:
		return nil, graph.Errorf(graph.EINVALID, "%s is %.1f MB, larger than the %d MB limit", path, float64(fi.Size())/(1<<20), limit>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, graph.Errorf(graph.EINVALID, "cannot read %s: %v", path, err)
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// fetchURL gets one page for the command line through the scrapers' fetcher (robots.txt,
// size cap, charset decoding to UTF-8). Private addresses are allowed: the user typed
// the URL on their own machine.
func fetchURL(ctx context.Context, raw string, limit int64) ([]byte, string, error) {
	f, err := fetch.New(fetch.Options{AllowPrivate: true, MaxBodyBytes: limit})
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	r, err := f.Get(ctx, raw)
	if err != nil {
		return nil, "", graph.Errorf(graph.EUNAVAILABLE, "%v", err)
	}
	contentType := r.ContentType
	if r.Charset != "" {
		contentType += "; charset=utf-8" // the fetcher decoded it; never detect again
	}
	return r.Body, contentType, nil
}

// sourceURL names where a report came from: its URL, its file as a file:// URL, or, for
// stdin, its content hash, so the same text read twice is the same source.
func sourceURL(arg, hash string) string {
	switch {
	case arg == "-":
		return "urn:" + hash
	case strings.Contains(arg, "://"):
		return arg
	}
	abs, err := filepath.Abs(arg)
	if err != nil {
		abs = arg
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}
