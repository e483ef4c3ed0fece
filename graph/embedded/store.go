package embedded

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/cyberkg/cyberkg/graph"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

var _ graph.Store = (*Store)(nil)

const (
	// applicationID marks a SQLite file as a cyberkg store ("CKG1"), so Open can tell
	// its own files from someone else's database and refuse to touch the latter.
	applicationID = 0x434b4731
	// schemaVersion is kept in PRAGMA user_version; bump it with a migration.
	schemaVersion = 2
)

// The schema keeps each node and edge whole, as JSON, and indexes only what the Store
// contract looks up: names (Resolve, Search, alias conflicts), edge ends (Edges, walks)
// and which source backs which node or edge (RemoveSource). Tables are WITHOUT ROWID,
// clustered on their key, and names and citations carry no foreign keys: each b-tree
// fewer is a page fewer in every commit's WAL frames. RemoveSource deletes a node's
// names and citations itself (see retraction.deleteNode).
const schema = `
CREATE TABLE IF NOT EXISTS nodes (
	id         TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,
	name       TEXT NOT NULL,
	confidence REAL NOT NULL,
	data       BLOB NOT NULL
) WITHOUT ROWID;

-- Every normalised name a node answers to. role: 0 its name, 1 an alias, 2 another key
-- (a state's code); Search ranks by it as graph.KeyMatch does.
CREATE TABLE IF NOT EXISTS aliases (
	kind    TEXT NOT NULL,
	key     TEXT NOT NULL,
	node_id TEXT NOT NULL,
	role    INTEGER NOT NULL,
	PRIMARY KEY (kind, key)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS edges (
	id   TEXT PRIMARY KEY,
	type TEXT NOT NULL,
	src  TEXT NOT NULL REFERENCES nodes(id),
	dst  TEXT NOT NULL REFERENCES nodes(id),
	data BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_src ON edges(src, type);
CREATE INDEX IF NOT EXISTS edges_dst ON edges(dst, type);

-- Which sources have a claim on which node or edge, so that retracting a source reads
-- only what it touched.
CREATE TABLE IF NOT EXISTS node_sources (
	source_id TEXT NOT NULL,
	node_id   TEXT NOT NULL,
	PRIMARY KEY (source_id, node_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS edge_sources (
	source_id TEXT NOT NULL,
	edge_id   TEXT NOT NULL,
	PRIMARY KEY (source_id, edge_id)
) WITHOUT ROWID;
`

// migrations[v] takes a store from schema version v to v+1; a new file gets schema
// (version 1) and then every migration, so there is one way to any version.
var migrations = map[int]string{
	// 2: the API's lists. Keyset pages read incidents in date order and sources in
	// publication order, each from an index that holds only the nodes it serves, so
	// writes of other kinds never touch it (entities by name come from the names
	// table, already in order). The sort keys are virtual columns computed from the
	// JSON: nothing is stored twice. Unknown dates are '' and unknown publication
	// times -1, so that keys are never NULL and a cursor's row-value comparison always
	// holds or fails. Indexes of a WITHOUT ROWID table end with its key (id) anyway.
	// The audit trail: one row per entry, and the IDs it concerns, to find entries by
	// subject.
	1: `
ALTER TABLE nodes ADD COLUMN date TEXT GENERATED ALWAYS AS (coalesce(data->>'$.date', '')) VIRTUAL;
ALTER TABLE nodes ADD COLUMN published_ms INTEGER GENERATED ALWAYS AS
	(coalesce(CAST(round((julianday(data->>'$.published') - 2440587.5) * 86400000) AS INTEGER), -1)) VIRTUAL;
CREATE INDEX IF NOT EXISTS nodes_incident_date ON nodes(date) WHERE kind = 'Incident';
CREATE INDEX IF NOT EXISTS nodes_source_published ON nodes(published_ms) WHERE kind = 'Source';

CREATE TABLE IF NOT EXISTS audit (
	id     TEXT PRIMARY KEY,
	who    TEXT NOT NULL,
	action TEXT NOT NULL,
	data   BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_subjects (
	subject  TEXT NOT NULL,
	audit_id TEXT NOT NULL,
	PRIMARY KEY (subject, audit_id)
) WITHOUT ROWID;
`,
}

// Store is a graph.Store in one SQLite file. Reads go through a pool of read-only
// connections; writes through a single connection, so concurrent writers queue in
// database/sql instead of failing with SQLITE_BUSY.
type Store struct {
	path  string
	read  *sql.DB
	write *sql.DB

	// Statements used per batch or per lookup, prepared once.
	nodeByID, nodesByID             *sql.Stmt // on read
	loadNodes, loadKinds, loadNames *sql.Stmt // on write: what a batch meets in the store
	loadEdges                       *sql.Stmt
	putNode, putAlias, putEdge      *sql.Stmt
	citeNode, citeEdge              *sql.Stmt

	closeOnce sync.Once
	closeErr  error
}

// Open opens the store at path, creating the file, its parent directories and the
// schema when they do not exist. A path that is a directory, or a file that is not a
// cyberkg store, is EINVALID and is left untouched.
func Open(ctx context.Context, path string) (*Store, error) {
	if strings.TrimSpace(path) == "" {
		return nil, graph.Errorf(graph.EINVALID, "no path given for the embedded store")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("embedded: open %s: %w", path, err)
	}
	if err := checkFile(abs, path); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("embedded: open %s: %w", path, err)
	}
	s := &Store{path: path}
	// WAL lets readers run while the writer commits. synchronous=NORMAL does not fsync
	// on every commit: a killed process loses nothing committed (the WAL is in the OS
	// page cache), and a power cut loses at most the last commits, never consistency.
	// The graph is rebuilt from its sources, so that trade is worth the write speed.
	s.write, err = sql.Open("sqlite", dsn(abs, url.Values{
		"_busy_timeout": {"10000"},
		"_synchronous":  {"NORMAL"},
		"_foreign_keys": {"1"},
		"_txlock":       {"immediate"}, // take the write lock up front, not mid-transaction
		// 8 MB of page cache: more did not write faster in BenchmarkWrite100kFacts.
		// The WAL shrinks back to 64 MB after a big import instead of keeping its peak.
		"_pragma": {"cache_size(-8000)", "journal_size_limit(67108864)"},
	}))
	if err != nil {
		return nil, fmt.Errorf("embedded: open %s: %w", path, err)
	}
	s.write.SetMaxOpenConns(1) // the one writer: concurrent writes wait here for it
	if err := migrate(ctx, s.write, path); err != nil {
		s.write.Close()
		return nil, err
	}
	if err := useWAL(ctx, s.write, path); err != nil {
		s.write.Close()
		return nil, err
	}
	s.read, err = sql.Open("sqlite", dsn(abs, url.Values{
		"_busy_timeout": {"10000"},
		"_query_only":   {"1"},
		// Readers map the file instead of copying each page in with a read(2): the
		// syscalls were a fifth of the API's time on a 100k-incident graph. The map
		// is address space, not memory; the OS pages it in and out as it needs.
		"_pragma": {"mmap_size(4294967296)"},
	}))
	if err != nil {
		s.write.Close()
		return nil, fmt.Errorf("embedded: open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	s.read.SetMaxOpenConns(n)
	s.read.SetMaxIdleConns(n)
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("embedded: open %s: %w", path, err)
	}
	return s, nil
}

// dsn builds a file: URI, so a path holding '?' or '#' is not taken for parameters.
func dsn(abs string, params url.Values) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: params.Encode()}
	if !strings.HasPrefix(u.Path, "/") { // a Windows drive letter
		u.Path = "/" + u.Path
	}
	return u.String()
}

var sqliteHeader = []byte("SQLite format 3\x00")

// checkFile refuses what SQLite must not be let near: a directory, or a file that is
// not SQLite at all. An empty file is a new store.
func checkFile(abs, path string) error {
	f, err := os.Open(abs)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("embedded: open %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("embedded: open %s: %w", path, err)
	}
	if fi.IsDir() {
		return graph.Errorf(graph.EINVALID, "store path %s is a directory, not a file", path)
	}
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	switch {
	case n == 0 && err == io.EOF:
		return nil
	case err != nil && err != io.ErrUnexpectedEOF:
		return fmt.Errorf("embedded: open %s: %w", path, err)
	case !bytes.Equal(head[:n], sqliteHeader) || n < len(sqliteHeader):
		return graph.Errorf(graph.EINVALID, "store path %s is not a SQLite database", path)
	}
	return nil
}

// migrate creates the schema in a new file, brings an older store up to this code's
// version (in one transaction), and checks an existing file is ours and not newer.
func migrate(ctx context.Context, db *sql.DB, path string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("embedded: open %s: %w", path, err)
	}
	defer tx.Rollback()
	var app, version, objects int
	err = tx.QueryRowContext(ctx, `SELECT (SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)`).Scan(&app, &version, &objects)
	if err != nil {
		return fmt.Errorf("embedded: open %s: %w", path, err)
	}
	steps := []string{}
	switch {
	case app == 0 && objects == 0: // a new file
		steps = append(steps, schema, fmt.Sprintf("PRAGMA application_id = %d", applicationID))
		version = 1
	case app != applicationID:
		return graph.Errorf(graph.EINVALID, "store path %s is a SQLite database but not a cyberkg store", path)
	case version > schemaVersion:
		return graph.Errorf(graph.EINVALID, "store %s has schema version %d; this cyberkg knows up to %d", path, version, schemaVersion)
	case version == schemaVersion:
		return nil
	}
	for v := version; v < schemaVersion; v++ {
		steps = append(steps, migrations[v])
	}
	steps = append(steps, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion))
	for _, q := range steps {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("embedded: create schema in %s: %w", path, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("embedded: create schema in %s: %w", path, err)
	}
	return nil
}

// useWAL switches the file to write-ahead logging, once it is known to be ours: the
// mode is stored in the file, so it is not a connection parameter.
func useWAL(ctx context.Context, db *sql.DB, path string) error {
	// Where WAL is refused (some network file systems cannot share its index), SQLite
	// keeps the rollback journal: writes stay atomic, and readers wait for writers
	// through busy_timeout instead of running beside them.
	if _, err := db.ExecContext(ctx, "PRAGMA journal_mode = WAL"); err != nil {
		return fmt.Errorf("embedded: open %s: journal mode: %w", path, err)
	}
	return nil
}

// Lists of IDs travel as one JSON array parameter and are unpacked by json_each, so
// there is no limit on their length and the statements can be prepared once.
const (
	inList = `(SELECT value FROM json_each(?))`
)

func (s *Store) prepare(ctx context.Context) error {
	for _, p := range []struct {
		db   *sql.DB
		dst  **sql.Stmt
		text string
	}{
		{s.read, &s.nodeByID, `SELECT data FROM nodes WHERE id = ?`},
		{s.read, &s.nodesByID, `SELECT id, data FROM nodes WHERE id IN ` + inList},
		{s.write, &s.loadNodes, `SELECT id, data FROM nodes WHERE id IN ` + inList},
		{s.write, &s.loadKinds, `SELECT id, kind FROM nodes WHERE id IN ` + inList},
		{s.write, &s.loadEdges, `SELECT id, data FROM edges WHERE id IN ` + inList},
		{s.write, &s.loadNames, `SELECT a.kind, a.key, a.node_id, a.role FROM json_each(?) j
			JOIN aliases a ON a.kind = j.value->>0 AND a.key = j.value->>1`},
		{s.write, &s.putNode, `INSERT INTO nodes (id, kind, name, confidence, data) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET confidence = excluded.confidence, data = excluded.data`},
		{s.write, &s.putAlias, `INSERT INTO aliases (kind, key, node_id, role) VALUES (?, ?, ?, ?)
			ON CONFLICT (kind, key) DO UPDATE SET role = excluded.role WHERE node_id = excluded.node_id`},
		{s.write, &s.putEdge, `INSERT INTO edges (id, type, src, dst, data) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET data = excluded.data`},
		{s.write, &s.citeNode, `INSERT INTO node_sources (source_id, node_id) VALUES (?, ?) ON CONFLICT DO NOTHING`},
		{s.write, &s.citeEdge, `INSERT INTO edge_sources (source_id, edge_id) VALUES (?, ?) ON CONFLICT DO NOTHING`},
	} {
		st, err := p.db.PrepareContext(ctx, p.text)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", p.text, err)
		}
		*p.dst = st
	}
	return nil
}

// Close closes the store; closing it again does nothing. The last connection to close
// checkpoints the WAL into the database file.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.close() })
	return s.closeErr
}

func (s *Store) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{s.nodeByID, s.nodesByID, s.loadNodes, s.loadKinds, s.loadEdges, s.loadNames,
		s.putNode, s.putAlias, s.putEdge, s.citeNode, s.citeEdge} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	if s.write != nil {
		// Keep the query planner's statistics fresh for the next open; cheap when
		// nothing changed.
		_, err := s.write.Exec("PRAGMA optimize")
		errs = append(errs, err, s.write.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("embedded: close %s: %w", s.path, err)
	}
	return nil
}

// inTx runs fn in one write transaction and commits it only if fn succeeds.
func (s *Store) inTx(ctx context.Context, op string, fn func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("embedded: %s: begin: %w", op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("embedded: %s: commit: %w", op, err)
	}
	return nil
}

// idList encodes IDs for json_each.
func idList(ids []string) string {
	b, _ := json.Marshal(ids) // a []string always encodes
	return string(b)
}

// eachRow calls scan on every row of a query's result, then closes it. It takes the
// query's error too, so that a query and its scan read as one call.
func eachRow(rows *sql.Rows, err error, scan func(*sql.Rows) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanData reads (id, data) rows into decoded values keyed by ID.
func scanData[T any](rows *sql.Rows, err error) (map[string]*T, error) {
	out := map[string]*T{}
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var id string
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return err
		}
		v := new(T)
		if err := json.Unmarshal(data, v); err != nil {
			return fmt.Errorf("decode %s: %w", id, err)
		}
		out[id] = v
		return nil
	})
	return out, err
}
