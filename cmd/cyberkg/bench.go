package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	neo4jdriver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/reference"
	"github.com/cyberkg/cyberkg/graph/synthetic"
)

// The bench command loads a synthetic graph and times the four questions
// through the GraphQL server that `serve` runs, in-process on 127.0.0.1:0 and asked
// over HTTP as a client would, and, on Neo4j, the hand-written Cypher that returns the
// same answer, run with the driver directly. Before timing, it checks that the two
// answers agree.

type benchConfig struct {
	opt        synthetic.Options
	clients    int
	duration   time.Duration
	warmup     time.Duration
	state      string // ISO code
	actor      string // a name
	queries    string // which of "abcd"
	reuse      bool
	cpuprofile string
}

func (m *Main) runBench(ctx context.Context, args []string) (err error) {
	fs := m.flags("bench")
	var cfg benchConfig
	fs.IntVar(&cfg.opt.Incidents, "incidents", synthetic.DefaultIncidents, "incidents in the synthetic graph")
	fs.Int64Var(&cfg.opt.Seed, "seed", 1, "seed of the synthetic graph")
	fs.IntVar(&cfg.opt.BatchSize, "batch", synthetic.DefaultBatchSize, "incidents per write while loading")
	fs.IntVar(&cfg.clients, "clients", 8, "concurrent clients")
	fs.DurationVar(&cfg.duration, "duration", 20*time.Second, "how long each query is timed, on each path")
	// The bench never takes $CYBERKG_STORE: that is where a user's real graph lives.
	storePath := fs.String("store", "", "embedded store to load into (must be empty unless --reuse); default: a temporary one, removed afterwards")
	fs.BoolVar(&cfg.reuse, "reuse", false, "use a store that is not empty; the synthetic graph is loaded unless it is there already")
	fs.StringVar(&cfg.state, "state", "KP", "(a): the state whose attributed incidents are read")
	fs.StringVar(&cfg.actor, "actor", "Lazarus Group", "(b): the actor whose neighbourhood is read")
	fs.StringVar(&cfg.queries, "queries", "abcd", "which queries to time")
	fs.StringVar(&cfg.cpuprofile, "cpuprofile", "", "write a CPU profile of the timed requests (client and server, API and Cypher) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return graph.Errorf(graph.EINVALID, "bench takes no arguments, only flags")
	case cfg.opt.Incidents < 1 || cfg.clients < 1 || cfg.duration <= 0 || cfg.opt.BatchSize < 1:
		return graph.Errorf(graph.EINVALID, "bench: --incidents, --clients, --batch and --duration must be positive")
	case strings.Trim(cfg.queries, "abcd") != "" || cfg.queries == "":
		return graph.Errorf(graph.EINVALID, "bench: --queries takes letters among a, b, c and d")
	}
	cfg.warmup = min(cfg.duration/5, 3*time.Second)

	neo := m.Getenv("NEO4J_URI") != ""
	where, tmp := "", ""
	// The server and the store live as long as the bench, unlike serve's.
	defer func() {
		err = errors.Join(err, m.Close())
		if tmp != "" {
			err = errors.Join(err, os.RemoveAll(tmp))
		}
	}()
	if !neo && *storePath == "" {
		if tmp, err = os.MkdirTemp("", "cyberkg-bench-"); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		*storePath = filepath.Join(tmp, "graph.db")
		where = " (temporary, removed afterwards)"
	}
	// The server is the serve command's own: same handler, same store, same limits. It
	// listens on loopback only and serves synthetic facts, so reading needs no token.
	if err := m.runServe(ctx, []string{"--store", *storePath, "--addr", "127.0.0.1:0", "--public-read=true"}); err != nil {
		return err
	}
	s := m.store
	out := m.Stdout
	if neo {
		fmt.Fprintf(out, "cyberkg bench: Neo4j at %s (database %q)\n", withoutUser(m.Getenv("NEO4J_URI")), m.Getenv("NEO4J_DATABASE"))
	} else {
		fmt.Fprintf(out, "cyberkg bench: embedded store %s%s\n", *storePath, where)
	}

	if err := m.benchLoad(ctx, cfg); err != nil {
		return err
	}
	b := &bench{cfg: cfg, store: s, out: out, http: &http.Client{Transport: &http.Transport{
		MaxIdleConns: 2 * cfg.clients, MaxIdleConnsPerHost: 2 * cfg.clients, DisableCompression: true,
	}}, url: m.URL() + "/graphql"}
	if neo {
		d, err := neo4jdriver.NewDriverWithContext(m.Getenv("NEO4J_URI"), neo4jAuth(m.Getenv), func(c *neo4jdriver.Config) {
			c.MaxConnectionPoolSize = max(100, 2*cfg.clients)
		})
		if err != nil {
			return fmt.Errorf("bench: Neo4j driver: %w", err)
		}
		defer d.Close(context.WithoutCancel(ctx))
		b.cypher = &cypherClient{driver: d, db: m.Getenv("NEO4J_DATABASE")}
	}
	return b.run(ctx)
}

// withoutUser drops credentials from a URI about to be printed.
func withoutUser(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return "NEO4J_URI"
	}
	u.User = nil
	return u.String()
}

func neo4jAuth(getenv func(string) string) neo4jdriver.AuthToken {
	if u := getenv("NEO4J_USERNAME"); u != "" {
		return neo4jdriver.BasicAuth(u, getenv("NEO4J_PASSWORD"), "")
	}
	return neo4jdriver.NoAuth()
}

// benchLoad loads the synthetic graph, after making sure the store holds nothing but
// the reference knowledge (or that --reuse was given), and prints how fast it went.
func (m *Main) benchLoad(ctx context.Context, cfg benchConfig) error {
	s, out := m.store, m.Stdout
	before, err := s.Counts(ctx)
	if err != nil {
		return err
	}
	refSources := 0
	for _, n := range reference.MustLoad().Batch().Nodes {
		if n.Kind == graph.KindSource {
			refSources++
		}
	}
	inc, src := before.Nodes[graph.KindIncident], before.Nodes[graph.KindSource]
	if (inc > 0 || src > refSources) && !cfg.reuse {
		return graph.Errorf(graph.ECONFLICT, "bench: the store is not empty (%d incidents, %d sources beyond the reference knowledge) and bench would mix "+
			"synthetic facts into it: give it an empty store (the default is a temporary one; for Neo4j, an empty NEO4J_DATABASE), or --reuse to load into this one anyway",
			inc, max(0, src-refSources))
	}
	fmt.Fprintf(out, "synthetic graph: %d incidents, seed %d\n", cfg.opt.Incidents, cfg.opt.Seed)
	if done, err := synthetic.Loaded(ctx, s, cfg.opt); err != nil {
		return err
	} else if done {
		fmt.Fprintf(out, "load: skipped, the store holds this graph already (--reuse)\n")
	} else {
		opt := cfg.opt
		start, last := time.Now(), time.Now()
		opt.Progress = func(n int) {
			if time.Since(last) >= 10*time.Second {
				last = time.Now()
				fmt.Fprintf(m.Stderr, "bench: loaded %d of %d incidents in %s\n", n, opt.Incidents, time.Since(start).Round(time.Second))
			}
		}
		sum, err := synthetic.Load(ctx, s, opt)
		if err != nil {
			return err
		}
		took := time.Since(start)
		facts := sum.NodesCreated + sum.NodesUpdated + sum.EdgesCreated + sum.EdgesUpdated
		fmt.Fprintf(out, "load: %d nodes and %d edges (%d facts) in %s, batches of %d incidents: %.0f facts/s, %.0f incidents/s\n",
			sum.NodesCreated+sum.NodesUpdated, sum.EdgesCreated+sum.EdgesUpdated, facts, took.Round(time.Millisecond), opt.BatchSize,
			float64(facts)/took.Seconds(), float64(opt.Incidents)/took.Seconds())
	}
	c, err := s.Counts(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "graph: %d nodes (%s), %d edges (%s)\n", c.TotalNodes(), countList(c.Nodes), c.TotalEdges(), countList(c.Edges))
	return nil
}

func countList[K ~string](m map[K]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", m[k], k))
		}
	}
	return strings.Join(parts, ", ")
}

type bench struct {
	cfg    benchConfig
	store  graph.Store
	out    io.Writer
	http   *http.Client
	url    string
	cypher *cypherClient // nil on the embedded store
}

// benchQuery is one of the four questions, asked two ways.
type benchQuery struct {
	letter, title string
	// api asks through the API (or, for (b) while the API has no neighbourhood, the
	// store); i numbers the request, for queries that vary.
	api func(ctx context.Context, i int) (answer, error)
	// cypher asks Neo4j directly; nil on the embedded store.
	cypher func(ctx context.Context, i int) (answer, error)
	// direct answers from the store's own methods, to check the API on the embedded
	// store; nil where api is the store.
	direct func(ctx context.Context, i int) (answer, error)
	// variants is how many different requests i cycles through.
	variants int
	note     string
}

// answer is what a query returned, reduced to what both ways of asking must agree on.
type answer struct {
	rows, items int
	usd         float64
	keys        []string  // in the order returned, unless the query has no order
	units       [2]string // what rows and items count ("incidents", "targets")
}

func (a answer) String() string {
	s := fmt.Sprintf("%d %s", a.rows, a.units[0])
	if a.units[1] != "" {
		s += fmt.Sprintf(", %d %s", a.items, a.units[1])
	}
	if a.usd != 0 {
		s += fmt.Sprintf(", $%.4g", a.usd)
	}
	return s
}

func (a answer) same(b answer) error {
	switch {
	case a.rows != b.rows || a.items != b.items:
		return fmt.Errorf("%s, against %s", a, b)
	case math.Abs(a.usd-b.usd) > 1e-9*math.Max(math.Abs(a.usd), math.Abs(b.usd)):
		return fmt.Errorf("$%f, against $%f", a.usd, b.usd)
	}
	for i := range min(len(a.keys), len(b.keys)) {
		if a.keys[i] != b.keys[i] {
			return fmt.Errorf("item %d is %q, against %q", i, a.keys[i], b.keys[i])
		}
	}
	if len(a.keys) != len(b.keys) {
		return fmt.Errorf("%d items listed, against %d", len(a.keys), len(b.keys))
	}
	return nil
}

func (b *bench) run(ctx context.Context) error {
	stateID := graph.NodeID(graph.KindState, b.cfg.state)
	ids, err := b.store.Resolve(ctx, graph.KindActor, []string{b.cfg.actor})
	if err != nil {
		return err
	}
	actorID := ids[graph.Normalize(b.cfg.actor)]
	if actorID == "" {
		return graph.Errorf(graph.ENOTFOUND, "bench: no actor %q in the graph", b.cfg.actor)
	}
	hasNeighborhood, err := b.apiHasField(ctx, "neighborhood")
	if err != nil {
		return err
	}
	all := []*benchQuery{
		b.stateIncidents(stateID),
		b.neighborhood(actorID, hasNeighborhood),
		b.search(),
		b.stolenByYear(),
	}
	var queries []*benchQuery
	for _, q := range all {
		if strings.Contains(b.cfg.queries, q.letter) {
			queries = append(queries, q)
		}
	}
	fmt.Fprintf(b.out, "API: %s (the serve command's handler, in-process), asked over HTTP\n", b.url)
	against := "the hand-written Cypher"
	if b.cypher == nil {
		against = "the store's own methods (no Cypher on the embedded store)"
	}
	fmt.Fprintf(b.out, "\nanswers, checked before timing against %s:\n", against)
	for _, q := range queries {
		if err := b.check(ctx, q); err != nil {
			return err
		}
	}

	fmt.Fprintf(b.out, "\ntiming: %d clients, %s per query and path, in %d alternating turns, after a %s warm-up\n\n", b.cfg.clients, b.cfg.duration, rounds, b.cfg.warmup)
	type row struct{ api, cypher *stats }
	rows := make([]row, len(queries))
	if b.cfg.cpuprofile != "" {
		f, err := os.Create(b.cfg.cpuprofile)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	for i, q := range queries {
		api, cy, err := b.measure(ctx, q.api, q.cypher)
		if err != nil {
			pprof.StopCPUProfile()
			return fmt.Errorf("bench (%s) %s: %w", q.letter, q.title, err)
		}
		rows[i] = row{api, cy}
	}
	pprof.StopCPUProfile()

	// Numbers align right, the queries left.
	titles := make([]string, len(queries))
	width := len("query")
	var notes []string
	for i, q := range queries {
		titles[i] = "(" + q.letter + ") " + q.title
		if q.note != "" {
			titles[i] += " *"
			notes = append(notes, "* "+q.note)
		}
		width = max(width, utf8.RuneCountInString(titles[i]))
	}
	var cells bytes.Buffer
	tw := tabwriter.NewWriter(&cells, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "API p50\tAPI p99\tAPI req/s\tCypher p50\tCypher p99\tCypher req/s\tp50 API/Cypher\t")
	for _, r := range rows {
		cy := "-\t-\t-\t-"
		if r.cypher != nil {
			ratio := float64(r.api.p50) / float64(r.cypher.p50)
			verdict := "ok"
			if ratio > 1.2 {
				verdict = "over 1.2"
			}
			cy = fmt.Sprintf("%s\t%s\t%.1f\t%.2f (%s)", ms(r.cypher.p50), ms(r.cypher.p99), r.cypher.perSec, ratio, verdict)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.1f\t%s\t\n", ms(r.api.p50), ms(r.api.p99), r.api.perSec, cy)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for i, line := range strings.Split(strings.TrimSuffix(cells.String(), "\n"), "\n") {
		title := "query"
		if i > 0 {
			title = titles[i-1]
		}
		fmt.Fprintf(b.out, "%-*s%s\n", width, title, strings.TrimRight(line, " "))
	}
	fmt.Fprintln(b.out)
	for _, n := range notes {
		fmt.Fprintln(b.out, n)
	}
	fmt.Fprintln(b.out, "p50/p99: latency percentiles of every request timed; req/s: requests completed per second, all clients together.")
	return nil
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) + "ms" }

// check asks each variant of q both ways and fails unless the answers agree.
func (b *bench) check(ctx context.Context, q *benchQuery) error {
	ref := q.cypher
	if ref == nil {
		ref = q.direct
	}
	var got []string
	for i := range max(1, q.variants) {
		a, err := q.api(ctx, i)
		if err != nil {
			return fmt.Errorf("bench (%s) %s: %w", q.letter, q.title, err)
		}
		got = append(got, a.String())
		if ref == nil {
			continue
		}
		r, err := ref(ctx, i)
		if err != nil {
			return fmt.Errorf("bench (%s) %s, reference answer: %w", q.letter, q.title, err)
		}
		if err := a.same(r); err != nil {
			return graph.Errorf(graph.EINTERNAL, "bench (%s) %s: the answers differ: %v", q.letter, q.title, err)
		}
	}
	verdict := "same"
	if ref == nil {
		verdict = "not cross-checked"
	}
	fmt.Fprintf(b.out, "  (%s) %s: %s: %s\n", q.letter, q.title, strings.Join(got, "; "), verdict)
	return nil
}

type stats struct {
	p50, p99 time.Duration
	perSec   float64 // requests completed per second, all clients together
}

// rounds is how many turns the API and the Cypher take at each query: the machine's
// load drifts (other work shares its cores), and alternating short turns lets both
// paths meet the same drift, so that their ratio means something.
const rounds = 5

// measure warms up both ways of asking, then times them in alternating turns for the
// configured duration each, from every client; cypher may be nil.
func (b *bench) measure(ctx context.Context, api, cypher func(context.Context, int) (answer, error)) (apiStats, cypherStats *stats, err error) {
	ops := []func(context.Context, int) (answer, error){api}
	if cypher != nil {
		ops = append(ops, cypher)
	}
	for _, op := range ops {
		if _, err := timeClients(ctx, b.cfg.clients, b.cfg.warmup, op); err != nil {
			return nil, nil, err
		}
	}
	all := make([]*timing, len(ops))
	for range rounds {
		for i, op := range ops {
			t, err := timeClients(ctx, b.cfg.clients, b.cfg.duration/rounds, op)
			if err != nil {
				return nil, nil, err
			}
			all[i] = all[i].add(t)
		}
	}
	apiStats = all[0].stats()
	if cypher != nil {
		cypherStats = all[1].stats()
	}
	return apiStats, cypherStats, nil
}

// timing is the latencies of the requests completed, and the time they took.
type timing struct {
	latencies []time.Duration
	elapsed   time.Duration
}

func (t *timing) add(u *timing) *timing {
	if t == nil {
		return u
	}
	return &timing{append(t.latencies, u.latencies...), t.elapsed + u.elapsed}
}

func (t *timing) stats() *stats {
	slices.Sort(t.latencies)
	at := func(p float64) time.Duration {
		return t.latencies[max(0, int(math.Ceil(p*float64(len(t.latencies))))-1)]
	}
	return &stats{p50: at(0.5), p99: at(0.99), perSec: float64(len(t.latencies)) / t.elapsed.Seconds()}
}

func timeClients(ctx context.Context, clients int, d time.Duration, op func(context.Context, int) (answer, error)) (*timing, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		mu        sync.Mutex
		latencies []time.Duration
		next      atomic.Int64
		wg        sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for range clients {
		wg.Go(func() {
			var mine []time.Duration
			for ctx.Err() == nil && time.Now().Before(deadline) {
				t0 := time.Now()
				if _, err := op(ctx, int(next.Add(1)-1)); err != nil {
					cancel(err)
					break
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	if len(latencies) == 0 {
		return nil, errors.New("no request completed")
	}
	return &timing{latencies, elapsed}, nil
}

// graphql posts a query and decodes its data into out; any error in the response is one.
func (b *bench) graphql(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	// The data is decoded once, straight into out, as a client would: the Cypher
	// path's driver reads its records once too.
	res := struct {
		Data   any `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}{Data: out}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return fmt.Errorf("HTTP %d: %w", resp.StatusCode, err)
	}
	if len(res.Errors) > 0 {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, res.Errors[0].Message)
	}
	return nil
}

// apiHasField reports whether the GraphQL Query type has the named field.
func (b *bench) apiHasField(ctx context.Context, name string) (bool, error) {
	var out struct {
		Type struct {
			Fields []struct{ Name string } `json:"fields"`
		} `json:"__type"`
	}
	if err := b.graphql(ctx, `{ __type(name: "Query") { fields { name } } }`, nil, &out); err != nil {
		return false, fmt.Errorf("bench: introspection: %w", err)
	}
	return slices.ContainsFunc(out.Type.Fields, func(f struct{ Name string }) bool { return f.Name == name }), nil
}

type cypherClient struct {
	driver neo4jdriver.DriverWithContext
	db     string
}

// read runs one query in a managed read transaction, as the store does.
func (c *cypherClient) read(ctx context.Context, query string, params map[string]any) ([]*neo4jdriver.Record, error) {
	sess := c.driver.NewSession(ctx, neo4jdriver.SessionConfig{DatabaseName: c.db, AccessMode: neo4jdriver.AccessModeRead})
	defer sess.Close(context.WithoutCancel(ctx))
	recs, err := sess.ExecuteRead(ctx, func(tx neo4jdriver.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, query, params)
		if err != nil {
			return nil, err
		}
		return res.Collect(ctx)
	})
	if err != nil {
		return nil, err
	}
	return recs.([]*neo4jdriver.Record), nil
}

// (a) The first page of a state's attributed incidents, each with its targets: the
// victims and their sectors.

// benchPage is the page size (a) asks for: the API's largest.
const benchPage = graph.MaxPageSize

const stateIncidentsQuery = `query StateIncidents($code: String!, $first: Int!) {
  state(code: $code) {
    attributedIncidents(first: $first) { totalCount nodes { name targets { entity { name kind } } } }
  }
}`

// stateIncidentsCypher follows SPONSORED_BY and PART_OF up to graph.MaxDepth steps to
// the state, as graph.Hierarchy does, counts the incidents and returns the first page in
// the API's order (most recent first, ties by ID in the same direction), each with its
// targets, strongest first.
const stateIncidentsCypher = `MATCH (s:Entity {id: $state})
MATCH (r:Entity)-[:SPONSORED_BY|PART_OF]->{0,6}(s)
WITH collect(DISTINCT r) AS responsible
CALL (responsible) {
  UNWIND responsible AS r
  MATCH (i:Incident)-[:ATTRIBUTED_TO]->(r)
  RETURN count(DISTINCT i) AS total
}
CALL (responsible) {
  UNWIND responsible AS r
  MATCH (i:Incident)-[:ATTRIBUTED_TO]->(r)
  WITH DISTINCT i
  ORDER BY coalesce(i.date, '') DESC, i.id DESC
  LIMIT $first
  RETURN collect(i) AS page
}
UNWIND range(0, size(page) - 1) AS k
WITH total, k, page[k] AS i
CALL (i) {
  MATCH (i)-[t:TARGETED]->(e:Entity)
  WITH t, e ORDER BY t.confidence DESC, t.id
  RETURN collect(e {.name, .kind}) AS targets
}
RETURN total, i.name AS name, targets
ORDER BY k`

func (b *bench) stateIncidents(stateID string) *benchQuery {
	what := [2]string{"incidents", "targets on the first page"}
	q := &benchQuery{letter: "a", title: fmt.Sprintf("state %s → attributed incidents (count, first %d) → victims, sectors", strings.ToUpper(b.cfg.state), benchPage)}
	q.api = func(ctx context.Context, _ int) (answer, error) {
		var out struct {
			State *struct {
				AttributedIncidents struct {
					TotalCount int
					Nodes      []struct {
						Name    string
						Targets []struct {
							Entity struct{ Name, Kind string }
						}
					}
				}
			}
		}
		if err := b.graphql(ctx, stateIncidentsQuery, map[string]any{"code": b.cfg.state, "first": benchPage}, &out); err != nil {
			return answer{}, err
		}
		if out.State == nil {
			return answer{}, graph.Errorf(graph.ENOTFOUND, "no state %s", b.cfg.state)
		}
		a := answer{units: what, rows: out.State.AttributedIncidents.TotalCount}
		for _, x := range out.State.AttributedIncidents.Nodes {
			a.items += len(x.Targets)
			a.keys = append(a.keys, x.Name)
		}
		return a, nil
	}
	if b.cypher != nil {
		q.cypher = func(ctx context.Context, _ int) (answer, error) {
			recs, err := b.cypher.read(ctx, stateIncidentsCypher, map[string]any{"state": stateID, "first": benchPage})
			if err != nil {
				return answer{}, err
			}
			a := answer{units: what}
			for _, r := range recs {
				a.rows = int(r.Values[0].(int64))
				a.items += len(r.Values[2].([]any))
				a.keys = append(a.keys, r.Values[1].(string))
			}
			return a, nil
		}
	}
	q.direct = func(ctx context.Context, _ int) (answer, error) {
		found, err := graph.FindIncidents(ctx, b.store, graph.IncidentFilter{State: stateID}, graph.IncidentOrder{Desc: true},
			graph.Page{First: benchPage, Count: true})
		if err != nil {
			return answer{}, err
		}
		a := answer{units: what, rows: found.Total}
		var ids []string
		for _, n := range found.Items {
			a.keys = append(a.keys, n.Name)
			ids = append(ids, n.ID)
		}
		if len(ids) > 0 {
			targets, err := b.store.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.Targeted}, From: ids})
			if err != nil {
				return answer{}, err
			}
			a.items = len(targets)
		}
		return a, nil
	}
	return q
}

// (b) An actor's neighbourhood, two hops deep.

// benchNeighbors is how many entities (b) asks for: the API's largest neighbourhood.
const benchNeighbors = 500

const neighborhoodQuery = `query Neighborhood($id: ID!, $limit: Int!) {
  neighborhood(id: $id, depth: 2, limit: $limit) { nodes { id } edges { id } }
}`

// neighborhoodCypher returns what the API's neighborhood does: the start, then the
// entities within two hops by distance and ID up to the limit, and the relations among
// them. The API reaches entities only, through entities only; in this model the only
// other nodes on relations are amounts, at the end of STOLE, so leaving STOLE out is
// the same. It walks breadth-first as a Neo4j user would for a capped neighbourhood:
// the first hop's nearest by ID, and the second hop only for the room the first left,
// so that a hub whose first hop fills the limit costs one hop, not every two-hop walk.
const neighborhoodCypher = `MATCH (s:Entity {id: $id})
CALL (s) {
  MATCH (s)-[:ATTRIBUTED_TO|SPONSORED_BY|PART_OF|COLLABORATES_WITH|TARGETED|LOCATED_IN|IN_SECTOR]-(n:Entity)
  WITH DISTINCT n ORDER BY n.id LIMIT $limit
  RETURN collect(n) AS one
}
CALL (s, one) {
  UNWIND CASE WHEN size(one) < $limit THEN one ELSE [] END AS m
  MATCH (m)-[:ATTRIBUTED_TO|SPONSORED_BY|PART_OF|COLLABORATES_WITH|TARGETED|LOCATED_IN|IN_SECTOR]-(n:Entity)
  WHERE n <> s AND NOT n IN one
  WITH DISTINCT n ORDER BY n.id LIMIT $limit
  RETURN collect(n) AS two
}
WITH [s] + one + two[..$limit - size(one)] AS nodes
WITH nodes, [n IN nodes | n.id] AS ids
CALL (nodes, ids) {
  UNWIND nodes AS a
  MATCH (a)-[r:ATTRIBUTED_TO|SPONSORED_BY|PART_OF|COLLABORATES_WITH|TARGETED|LOCATED_IN|IN_SECTOR]->(b:Entity)
  WHERE b.id IN ids
  RETURN collect(r {.*, type: type(r), from: a.id, to: b.id}) AS rels
}
RETURN [n IN nodes | properties(n)] AS nodes, rels`

func (b *bench) neighborhood(actorID string, apiHasIt bool) *benchQuery {
	what := [2]string{"entities", "relations"}
	q := &benchQuery{letter: "b", title: "neighbourhood of " + b.cfg.actor + ", depth 2"}
	opt := graph.NeighborhoodOptions{Depth: 2, NodeKinds: entityKinds, Limit: benchNeighbors}
	store := func(ctx context.Context, _ int) (answer, error) {
		g, err := b.store.Neighborhood(ctx, actorID, opt)
		if err != nil {
			return answer{}, err
		}
		a := answer{units: what, rows: len(g.Nodes), items: len(g.Edges)}
		for _, n := range g.Nodes {
			a.keys = append(a.keys, n.ID)
		}
		return a, nil
	}
	if apiHasIt {
		q.api = func(ctx context.Context, _ int) (answer, error) {
			var out struct {
				Neighborhood *struct {
					Nodes []struct{ ID string }
					Edges []struct{ ID string }
				}
			}
			if err := b.graphql(ctx, neighborhoodQuery, map[string]any{"id": actorID, "limit": benchNeighbors}, &out); err != nil {
				return answer{}, err
			}
			if out.Neighborhood == nil {
				return answer{}, graph.Errorf(graph.ENOTFOUND, "no node %s", actorID)
			}
			a := answer{units: what, rows: len(out.Neighborhood.Nodes), items: len(out.Neighborhood.Edges)}
			for _, n := range out.Neighborhood.Nodes {
				a.keys = append(a.keys, n.ID)
			}
			return a, nil
		}
		q.direct = store
	} else {
		q.api = store
		q.note = "(b) API: Store.Neighborhood called in-process, not over HTTP: the GraphQL API has no neighborhood field."
	}
	if b.cypher != nil {
		q.cypher = func(ctx context.Context, _ int) (answer, error) {
			recs, err := b.cypher.read(ctx, neighborhoodCypher, map[string]any{"id": actorID, "limit": benchNeighbors - 1})
			if err != nil {
				return answer{}, err
			}
			if len(recs) == 0 {
				return answer{}, graph.Errorf(graph.ENOTFOUND, "no node %s", actorID)
			}
			nodes, rels := recs[0].Values[0].([]any), recs[0].Values[1].([]any)
			a := answer{units: what, rows: len(nodes), items: len(rels)}
			for _, n := range nodes {
				a.keys = append(a.keys, n.(map[string]any)["id"].(string))
			}
			return a, nil
		}
	}
	return q
}

// (c) Search by name.

// benchSearches are searched for in turn: an actor family, words in victims' names and
// in incidents'. Each fills a page with exact, prefix and substring matches, so the
// API never goes on to typo matches, which the hand-written Cypher does not attempt.
var benchSearches = []string{"panda", "bank", "exchange", "heist", "intrusion"}

const searchQuery = `query Search($q: String!) { search(query: $q) { nodes { id name kind } } }`

// searchCypher ranks as graph.KeyMatch does: exact name, exact alias (or a state's
// code), name prefix, alias prefix, then containment; then confidence, name and ID.
const searchCypher = `MATCH (a:Alias)
WHERE a.name CONTAINS $text AND a.kind IN $kinds AND (a.via <> 'code' OR a.name = $text)
WITH a.owner AS id, min(
  CASE WHEN a.via = 'code' THEN 1 WHEN a.name = $text THEN 0 WHEN a.name STARTS WITH $text THEN 2 ELSE 4 END +
  CASE a.via WHEN 'alias' THEN 1 ELSE 0 END) AS rank
MATCH (n:Entity {id: id})
RETURN n.id AS id, n.name AS name, n.kind AS kind
ORDER BY rank, n.confidence DESC, n.name, n.id
LIMIT $limit`

var entityKinds = []graph.NodeKind{graph.KindState, graph.KindActor, graph.KindIncident, graph.KindOrganization, graph.KindSector}

func (b *bench) search() *benchQuery {
	what := [2]string{"hits"}
	q := &benchQuery{letter: "c", title: "search " + strings.Join(benchSearches, ", "), variants: len(benchSearches)}
	q.api = func(ctx context.Context, i int) (answer, error) {
		var out struct {
			Search struct {
				Nodes []struct{ ID, Name, Kind string }
			}
		}
		if err := b.graphql(ctx, searchQuery, map[string]any{"q": benchSearches[i%len(benchSearches)]}, &out); err != nil {
			return answer{}, err
		}
		a := answer{units: what, rows: len(out.Search.Nodes)}
		for _, x := range out.Search.Nodes {
			a.keys = append(a.keys, x.ID)
		}
		return a, nil
	}
	if b.cypher != nil {
		kinds := make([]string, len(entityKinds))
		for i, k := range entityKinds {
			kinds[i] = string(k)
		}
		q.cypher = func(ctx context.Context, i int) (answer, error) {
			text := graph.Normalize(benchSearches[i%len(benchSearches)])
			recs, err := b.cypher.read(ctx, searchCypher, map[string]any{"text": text, "kinds": kinds, "limit": graph.DefaultSearchLimit})
			if err != nil {
				return answer{}, err
			}
			a := answer{units: what, rows: len(recs)}
			for _, r := range recs {
				a.keys = append(a.keys, r.Values[0].(string))
			}
			return a, nil
		}
	}
	q.direct = func(ctx context.Context, i int) (answer, error) {
		found, err := b.store.Search(ctx, graph.SearchQuery{Text: benchSearches[i%len(benchSearches)], Kinds: entityKinds})
		if err != nil {
			return answer{}, err
		}
		a := answer{units: what, rows: len(found)}
		for _, n := range found {
			a.keys = append(a.keys, n.ID)
		}
		return a, nil
	}
	return q
}

// (d) Stolen totals per year: the sum and the number of incidents behind it.

const stolenQuery = `query StolenByYear { stolenTotals(groupBy: YEAR) { key label usd count } }`

// stolenCypher takes, per incident, the dollar amount graph.StolenUSD takes: the most
// confident STOLE edge to an amount with a dollar value, then the one with more
// sources, then the larger figure.
const stolenCypher = `MATCH (i:Incident)-[s:STOLE]->(a:Amount)
WHERE a.usd IS NOT NULL
WITH i, s, a ORDER BY s.confidence DESC, size(s.sources) DESC, a.usd DESC
WITH i, head(collect(a.usd)) AS usd
WITH toInteger(left(i.date, 4)) AS year, usd
WHERE year IS NOT NULL AND year > 0
WITH year, sum(usd) AS usd, count(*) AS count
RETURN toString(year) AS key, usd, count
ORDER BY usd DESC, key`

func (b *bench) stolenByYear() *benchQuery {
	what := [2]string{"years", "incidents"}
	q := &benchQuery{letter: "d", title: "stolen totals by year, with incident counts"}
	// Sums may differ in the last bits with the order of addition: keys carry whole
	// dollars, in year order.
	totals := func(rows map[string][2]float64) answer {
		a := answer{units: what, rows: len(rows)}
		for _, k := range slices.Sorted(maps.Keys(rows)) {
			a.items += int(rows[k][1])
			a.usd += rows[k][0]
			a.keys = append(a.keys, fmt.Sprintf("%s: $%.0f in %d", k, rows[k][0], int(rows[k][1])))
		}
		return a
	}
	q.api = func(ctx context.Context, _ int) (answer, error) {
		var out struct {
			StolenTotals []struct {
				Key   string
				USD   float64 `json:"usd"`
				Count int
			}
		}
		if err := b.graphql(ctx, stolenQuery, nil, &out); err != nil {
			return answer{}, err
		}
		rows := map[string][2]float64{}
		for _, t := range out.StolenTotals {
			rows[t.Key] = [2]float64{t.USD, float64(t.Count)}
		}
		return totals(rows), nil
	}
	if b.cypher != nil {
		q.cypher = func(ctx context.Context, _ int) (answer, error) {
			recs, err := b.cypher.read(ctx, stolenCypher, nil)
			if err != nil {
				return answer{}, err
			}
			rows := map[string][2]float64{}
			for _, r := range recs {
				rows[r.Values[0].(string)] = [2]float64{r.Values[1].(float64), float64(r.Values[2].(int64))}
			}
			return totals(rows), nil
		}
	}
	q.direct = func(ctx context.Context, _ int) (answer, error) {
		found, err := b.store.StolenTotals(ctx, graph.TotalsQuery{GroupBy: graph.ByYear})
		if err != nil {
			return answer{}, err
		}
		rows := map[string][2]float64{}
		for _, t := range found {
			rows[t.Key] = [2]float64{t.USD, float64(len(t.Incidents))}
		}
		return totals(rows), nil
	}
	return q
}
