package neo4j

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/cyberkg/cyberkg/graph"
)

// Config says where the Neo4j server is. An empty Username means no authentication;
// an empty Database means the server's default database.
type Config struct {
	URI      string
	Username string
	Password string
	Database string
}

// ConfigFromEnv reads the variables Neo4j's own tools use: NEO4J_URI, NEO4J_USERNAME,
// NEO4J_PASSWORD and NEO4J_DATABASE.
func ConfigFromEnv() Config {
	return Config{
		URI:      os.Getenv("NEO4J_URI"),
		Username: os.Getenv("NEO4J_USERNAME"),
		Password: os.Getenv("NEO4J_PASSWORD"),
		Database: os.Getenv("NEO4J_DATABASE"),
	}
}

// connectTimeout bounds how long Open waits for the server: a user who forgot to start
// Neo4j should hear so in seconds, not after the driver's one-minute default.
const connectTimeout = 5 * time.Second

// Store is a graph.Store on a Neo4j server. It is safe for concurrent use.
type Store struct {
	driver neo4j.DriverWithContext
	uri    string // for messages; without credentials
	db     string
	// Sessions share bookmarks so that a read sees the writes before it even when a
	// routing URI sends it to another cluster member.
	bookmarks neo4j.BookmarkManager
}

var _ graph.Store = (*Store)(nil)

// Open connects to the server, checks that it answers, and creates the schema (see
// schema.go) if it is missing. An unreachable server is EUNAVAILABLE.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.URI == "" {
		return nil, graph.Errorf(graph.EINVALID, "no Neo4j URI: set NEO4J_URI (for example bolt://127.0.0.1:7687), or leave it unset to use the embedded store")
	}
	auth := neo4j.NoAuth()
	if cfg.Username != "" {
		auth = neo4j.BasicAuth(cfg.Username, cfg.Password, "")
	}
	uri := redact(cfg.URI)
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *neo4j.Config) {
		c.SocketConnectTimeout = connectTimeout
	})
	if err != nil {
		return nil, graph.Errorf(graph.EINVALID, "Neo4j URI %s: %v; want bolt://host:port or neo4j://host:port (+s or +ssc for TLS)", uri, err)
	}
	s := &Store{driver: driver, uri: uri, db: cfg.Database, bookmarks: neo4j.NewBookmarkManager(neo4j.BookmarkManagerConfig{})}
	vctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := driver.VerifyConnectivity(vctx); err != nil {
		driver.Close(context.WithoutCancel(ctx))
		return nil, s.unreachable(err)
	}
	if err := s.createSchema(ctx); err != nil {
		driver.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return s, nil
}

// Close releases the driver's connections.
func (s *Store) Close() error { return s.driver.Close(context.Background()) }

func (s *Store) createSchema(ctx context.Context) error {
	for _, stmt := range schema {
		// Schema and data cannot share a transaction, and schema statements are cheap
		// no-ops once the schema exists, so each goes alone.
		_, err := execute(ctx, s, neo4j.AccessModeWrite, "create schema", func(ctx context.Context, tx neo4j.ManagedTransaction) (struct{}, error) {
			_, err := run(ctx, tx, stmt, nil)
			return struct{}{}, err
		})
		if err != nil {
			return err
		}
	}
	// A fresh text index is populated in the background; searching before it is online
	// would silently scan.
	_, err := execute(ctx, s, neo4j.AccessModeRead, "wait for indexes", func(ctx context.Context, tx neo4j.ManagedTransaction) (struct{}, error) {
		_, err := run(ctx, tx, `CALL db.awaitIndexes(300)`, nil)
		return struct{}{}, err
	})
	return err
}

// unreachable explains a failed connectivity check to whoever has to fix it.
func (s *Store) unreachable(err error) error {
	if authFailure(err) {
		return graph.Errorf(graph.EUNAVAILABLE, "Neo4j at %s refused the credentials (%v): check NEO4J_USERNAME and NEO4J_PASSWORD", s.uri, err)
	}
	return graph.Errorf(graph.EUNAVAILABLE, "cannot reach Neo4j at %s (%v): start Neo4j there (a local test server: eval \"$(.ci/neo4j-start)\"), point NEO4J_URI at a running server, or unset NEO4J_URI to use the embedded store", s.uri, err)
}

func authFailure(err error) bool {
	var auth *neo4j.InvalidAuthenticationError
	var ne *neo4j.Neo4jError
	return errors.As(err, &auth) || (errors.As(err, &ne) && ne.Code == "Neo.ClientError.Security.Unauthorized")
}

// translate turns a driver error into a domain error where the user can act on it.
// Domain errors returned by transaction functions pass through unchanged: the driver
// only retries its own transient errors, so they were not retried either.
func (s *Store) translate(op string, err error) error {
	var ge *graph.Error
	var ce *neo4j.ConnectivityError
	var limit *neo4j.TransactionExecutionLimit
	var ne *neo4j.Neo4jError
	switch {
	case errors.As(err, &ge):
		return err
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("neo4j %s: %w", op, err)
	case errors.As(err, &ce):
		return graph.Errorf(graph.EUNAVAILABLE, "neo4j %s: lost the connection to %s (%v)", op, s.uri, err)
	case errors.As(err, &limit):
		return graph.Errorf(graph.EUNAVAILABLE, "neo4j %s: %s kept failing (%v)", op, s.uri, err)
	case authFailure(err):
		return s.unreachable(err)
	case errors.As(err, &ne):
		switch ne.Code {
		case "Neo.ClientError.Database.DatabaseNotFound":
			return graph.Errorf(graph.EUNAVAILABLE, "Neo4j at %s has no database %q: create it or set NEO4J_DATABASE to one that exists", s.uri, s.db)
		case "Neo.ClientError.Schema.ConstraintValidationFailed":
			// Only a writer that bypasses the write lock can get here.
			return graph.Errorf(graph.ECONFLICT, "neo4j %s: the graph was changed concurrently (%s); try again", op, ne.Msg)
		}
	}
	return fmt.Errorf("neo4j %s: %w", op, err)
}

// execute runs work in a managed transaction of the given mode on the configured
// database. The driver may call work again after a transient failure, so work must
// derive everything it returns from what it reads in tx.
func execute[T any](ctx context.Context, s *Store, mode neo4j.AccessMode, op string, work func(context.Context, neo4j.ManagedTransaction) (T, error)) (T, error) {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: mode, BookmarkManager: s.bookmarks})
	defer sess.Close(context.WithoutCancel(ctx))
	fn := func(tx neo4j.ManagedTransaction) (any, error) { return work(ctx, tx) }
	var out any
	var err error
	if mode == neo4j.AccessModeWrite {
		out, err = sess.ExecuteWrite(ctx, fn)
	} else {
		out, err = sess.ExecuteRead(ctx, fn)
	}
	if err != nil {
		var zero T
		return zero, s.translate(op, err)
	}
	return out.(T), nil
}

func run(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// redact drops any user info from a URI that is about to appear in a message.
func redact(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return "NEO4J_URI (unparsable)"
	}
	if u.User == nil {
		return uri
	}
	u.User = nil
	return u.String()
}
