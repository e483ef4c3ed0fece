package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/cyberkg/cyberkg/resolvers"
)

type server struct {
	http *http.Server
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
	return err
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
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := m.openStore(ctx, *storePath)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/graphql", resolvers.NewHandler(s, m.Logger))
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
	srv := &server{
		http: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second},
		ln:   ln, done: make(chan error, 1),
	}
	go func() { srv.done <- srv.http.Serve(ln) }()
	m.server = srv
	m.Logger.Info("serving", "url", m.URL(), "graphql", m.URL()+"/graphql")
	return nil
}

func envOr(v, def string) string {
	if v != "" {
		return v
	}
	return def
}
