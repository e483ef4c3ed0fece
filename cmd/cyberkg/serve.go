package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/resolvers"
	"github.com/cyberkg/cyberkg/web"
)

type server struct {
	http *http.Server
	gql  *resolvers.Handler
	ln   net.Listener
	done chan error
}

func (s *server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if serveErr := <-s.done; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return errors.Join(err, s.gql.Close())
}

// URL returns the address the server listens on, once serve has run.
func (m *Main) URL() string {
	if m.server == nil {
		return ""
	}
	return "http://" + m.server.ln.Addr().String()
}

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.flags("serve")
	storePath := m.storeFlag(fs)
	addr := fs.String("addr", envOr(m.Getenv("CYBERKG_ADDR"), "127.0.0.1:8080"), "address to listen on")
	tokensFile := fs.String("tokens", m.Getenv("CYBERKG_TOKENS_FILE"),
		"file of API tokens, one ROLE:NAME:SECRET per line (ROLE reader, editor or admin; SECRET the token or sha256:<hex digest>); more entries in $CYBERKG_TOKENS, separated by newlines or ';'")
	publicRead := fs.Bool("public-read", envBool(m.Getenv("CYBERKG_PUBLIC_READ"), true), "let anyone read without a token ($CYBERKG_PUBLIC_READ)")
	graphiQL := fs.Bool("graphiql", envBool(m.Getenv("CYBERKG_GRAPHIQL"), true), "serve GraphiQL to browsers at /graphql ($CYBERKG_GRAPHIQL; embedded, no CDN)")
	timeout := fs.Duration("timeout", envDuration(m.Getenv("CYBERKG_TIMEOUT"), resolvers.DefaultTimeout), "longest a GraphQL request may run ($CYBERKG_TIMEOUT)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tokens, err := resolvers.LoadTokens(*tokensFile, m.Getenv("CYBERKG_TOKENS"))
	if err != nil {
		return err
	}
	if !*publicRead && tokens.Len() == 0 {
		return graph.Errorf(graph.EINVALID, "reading needs a token (CYBERKG_PUBLIC_READ=false) but no token is configured: set CYBERKG_TOKENS or --tokens")
	}
	s, err := m.openStore(ctx, *storePath)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	gql := resolvers.NewHandler(s, m.Logger, resolvers.Options{
		Tokens: tokens, TokenOnly: !*publicRead, NoGraphiQL: !*graphiQL, Timeout: *timeout, Now: m.Now,
	})
	mux := http.NewServeMux()
	mux.Handle("/graphql", gql)
	mux.Handle("/graphql/graphiql/", gql) // GraphiQL's files
	mux.Handle("GET /export", resolvers.ExportHandler(s, m.Logger, resolvers.Options{Tokens: tokens, TokenOnly: !*publicRead}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		c, err := s.Counts(r.Context())
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			m.Logger.Error("healthz", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			json.NewEncoder(w).Encode(map[string]string{"status": "unavailable"})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"status": "ok", "nodes": c.TotalNodes(), "edges": c.TotalEdges()})
	})
	mux.Handle("/", web.Handler()) // the explorer, for every other path
	srv := &server{
		http: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: *timeout + 30*time.Second},
		gql:  gql, ln: ln, done: make(chan error, 1),
	}
	go func() { srv.done <- srv.http.Serve(ln) }()
	m.server = srv
	m.Logger.Info("serving", "url", m.URL(), "explorer", m.URL()+"/", "graphql", m.URL()+"/graphql", "tokens", tokens.Len(), "public_read", *publicRead)
	return nil
}

// envBool reads a boolean setting ("true", "1", "false", "0"), def when unset or
// unreadable.
func envBool(v string, def bool) bool {
	if b, err := strconv.ParseBool(strings.TrimSpace(v)); err == nil {
		return b
	}
	return def
}

// envDuration reads a duration setting ("45s"), def when unset or unreadable.
func envDuration(v string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(strings.TrimSpace(v)); err == nil && d > 0 {
		return d
	}
	return def
}

func envOr(v, def string) string {
	if v != "" {
		return v
	}
	return def
}
