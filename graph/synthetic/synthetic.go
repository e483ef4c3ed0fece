package synthetic

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/reference"
)

const (
	// DefaultIncidents is the scale the benchmarks are quoted at.
	DefaultIncidents = 100_000
	// DefaultBatchSize is how many incidents go in one batch when none is asked for:
	// about seven thousand nodes and edges, a transaction both stores write quickly.
	DefaultBatchSize = 1000

	// FirstYear and LastYear bound incident dates.
	FirstYear = 2010
	LastYear  = 2025
)

// ManifestURL is the source written last by a complete load; its content hash names the
// options the graph was generated with (see Loaded).
const ManifestURL = "https://synthetic.example/manifest"

// Options choose the graph.
type Options struct {
	// Incidents is how many incidents to generate; <= 0: DefaultIncidents.
	Incidents int
	// Seed picks the graph: the same seed and incident count give the same facts.
	Seed int64
	// BatchSize is roughly how many incidents go in one batch (a batch ends with the
	// report it is in, so it may hold a few more); <= 0: DefaultBatchSize. It changes
	// how the facts are split, never the facts.
	BatchSize int
	// Progress, when set, is called by Load after each batch with the number of
	// incidents written so far.
	Progress func(incidents int)
}

func (o Options) withDefaults() Options {
	if o.Incidents <= 0 {
		o.Incidents = DefaultIncidents
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	return o
}

// Load writes the graph into s, batch after batch, and returns what changed. The
// reference knowledge goes first, so a store that already holds it (every store
// cyberkg opens does) changes only by the synthetic facts. On error the batches
// written so far stay.
func Load(ctx context.Context, s graph.Store, opt Options) (graph.Summary, error) {
	var sum graph.Summary
	incidents := 0
	for b := range Batches(opt) {
		got, err := s.Write(ctx, b)
		if err != nil {
			return sum, fmt.Errorf("load synthetic graph: %w", err)
		}
		sum = sum.Add(got)
		for _, n := range b.Nodes {
			if n.Kind == graph.KindIncident {
				incidents++
			}
		}
		if opt.Progress != nil {
			opt.Progress(incidents)
		}
	}
	return sum, nil
}

// Loaded reports whether s holds a complete load of the graph these options generate.
func Loaded(ctx context.Context, s graph.Store, opt Options) (bool, error) {
	n, err := s.Node(ctx, graph.NodeID(graph.KindSource, ManifestURL))
	switch graph.ErrorCode(err) {
	case "":
		return n.ContentHash == manifestHash(opt.withDefaults()), nil
	case graph.ENOTFOUND:
		return false, nil
	}
	return false, err
}

func manifestHash(opt Options) string {
	return fmt.Sprintf("synthetic:v1:seed=%d:incidents=%d", opt.Seed, opt.Incidents)
}

// Batches returns the graph as batches for Store.Write, in an order in which every edge's
// ends are written before or with it: the reference knowledge, the generated actors,
// the victim organisations, the incidents with their reports, and a manifest (see
// Loaded). Batches are generated as they are consumed, so a large graph is never held
// whole in memory.
func Batches(opt Options) iter.Seq[*graph.Batch] {
	opt = opt.withDefaults()
	return func(yield func(*graph.Batch) bool) {
		g := newGenerator(opt)
		if !yield(g.ref.Normalized()) || !yield(g.generated.Normalized()) {
			return
		}
		for chunk := range slices.Chunk(g.orgs, opt.BatchSize) {
			if !yield(g.orgBatch(chunk).Normalized()) {
				return
			}
		}
		b := &graph.Batch{}
		pending := 0
		for done := 0; done < opt.Incidents; {
			n := min(3+g.rng.IntN(10), opt.Incidents-done)
			g.report(b, done, n)
			done += n
			if pending += n; pending >= opt.BatchSize {
				if !yield(b.Normalized()) {
					return
				}
				b, pending = &graph.Batch{}, 0
			}
		}
		b.Nodes = append(b.Nodes, source(ManifestURL, "cyberkg synthetic graph", "cyberkg", time.Date(LastYear+1, 1, 1, 0, 0, 0, 0, time.UTC), manifestHash(opt)))
		yield(b.Normalized())
	}
}

// actor is a threat actor incidents can be attributed to.
type actor struct {
	id, name string
	state    string // the state that sponsors it or its parents; "" for criminal groups
}

// org is a potential victim.
type org struct {
	id, name   string
	sector     string // sector node ID
	sectorName string
	state      string // state node ID
	financial  bool
}

type generator struct {
	opt Options
	rng *rand.Rand
	ref *graph.Batch

	stateNames map[string]string // state ID -> name
	sectors    map[string]string // sector name -> ID
	actors     []*actor          // reference then generated, in order
	generated  *graph.Batch      // the generated actors and their structure
	byState    map[string]*table[*actor]
	orgs       []*org
	financial  *table[*org]
	anyOrg     *table[*org]
	years      *table[int]
	kinds      *table[graph.IncidentKind]
	culprits   map[graph.IncidentKind]*table[string] // kind -> state ID ("" criminal)
	catalogue  *graph.Node
	directory  *graph.Node
	reports    int
}

func newGenerator(opt Options) *generator {
	k := reference.MustLoad()
	g := &generator{
		opt:        opt,
		rng:        rand.New(rand.NewPCG(uint64(opt.Seed), 0x6379626572_6b67)), // "cyberkg"
		ref:        k.Batch(),
		stateNames: map[string]string{},
		sectors:    map[string]string{},
		byState:    map[string]*table[*actor]{},
		years:      &table[int]{},
		kinds:      &table[graph.IncidentKind]{},
		culprits:   map[graph.IncidentKind]*table[string]{},
		catalogue:  source("https://synthetic.example/actors", "Synthetic threat actor catalogue", "cyberkg synthetic", time.Date(FirstYear, 1, 1, 0, 0, 0, 0, time.UTC), ""),
		directory:  source("https://synthetic.example/organizations", "Synthetic organisation directory", "cyberkg synthetic", time.Date(FirstYear, 1, 1, 0, 0, 0, 0, time.UTC), ""),
	}
	for _, s := range k.States {
		g.stateNames[graph.NodeID(graph.KindState, s.Code)] = s.Name
	}
	for _, s := range k.Sectors {
		g.sectors[s.Name] = graph.NodeID(graph.KindSector, s.Name)
	}
	for y := FirstYear; y <= LastYear; y++ {
		g.years.add(y, math.Pow(1.2, float64(y-FirstYear))) // fifteen times as many in 2025 as in 2010
	}
	for _, kw := range kindWeights {
		g.kinds.add(kw.kind, kw.w)
	}
	for kind, ws := range culpritWeights {
		t := &table[string]{}
		for _, w := range ws {
			id := ""
			if w.code != "" {
				id = graph.NodeID(graph.KindState, w.code)
				if g.stateNames[id] == "" {
					continue
				}
			}
			t.add(id, w.w)
		}
		g.culprits[kind] = t
	}
	g.referenceActors(k)
	g.generateActors()
	g.generateOrgs()
	return g
}

// referenceActors lists the real actors under the state each is reached from. Groups
// come first, so that they, not agencies, carry most incidents.
func (g *generator) referenceActors(k *reference.Knowledge) {
	sponsor := map[string]string{}
	parent := map[string]string{}
	for _, a := range k.Actors {
		sponsor[a.Name], parent[a.Name] = a.Sponsor, a.PartOf
	}
	stateOf := func(name string) string {
		for range graph.MaxDepth {
			if code := sponsor[name]; code != "" {
				return graph.NodeID(graph.KindState, code)
			}
			if name = parent[name]; name == "" {
				break
			}
		}
		return ""
	}
	var groups, others []*actor
	for _, a := range k.Actors {
		x := &actor{id: graph.NodeID(graph.KindActor, a.Name), name: a.Name, state: stateOf(a.Name)}
		if x.state == "" {
			continue
		}
		if a.Kind == string(graph.ActorGroup) {
			groups = append(groups, x)
		} else {
			others = append(others, x)
		}
	}
	g.actors = append(groups, others...)
}

// generateActors adds 40 actors plus one per thousand incidents (at most 400), each
// sponsored by a state or none (criminal groups), some part of a larger actor, some of
// those reaching their state only through it.
func (g *generator) generateActors() {
	n := min(40+g.opt.Incidents/1000, 400)
	sponsors := &table[string]{}
	for _, w := range sponsorWeights {
		switch id := graph.NodeID(graph.KindState, w.code); {
		case w.code == "":
			sponsors.add("", w.w)
		case g.stateNames[id] != "":
			sponsors.add(id, w.w)
		}
	}
	g.generated = &graph.Batch{Nodes: []*graph.Node{g.catalogue}}
	say := func(quote string) []graph.Claim {
		return []graph.Claim{claim(g.catalogue, "Synthetic actor catalogue says "+quote, "", graph.Asserted)}
	}
	for i := 1; i <= n; i++ {
		// Stratified: every sponsor gets its share of the actors, even at small scales.
		state := sponsors.at((float64(i-1) + g.rng.Float64()) / float64(n))
		animal := animals[state]
		if animal == "" {
			animal = "Falcon"
		}
		name := fmt.Sprintf("%s %s %d", adjectives[g.rng.IntN(len(adjectives))], animal, i)
		kind := graph.ActorGroup
		switch r := g.rng.Float64(); {
		case r < 0.05:
			kind = graph.ActorIndividual
		case r < 0.15 && state != "":
			kind = graph.ActorUnit
		}
		a := &graph.Node{Kind: graph.KindActor, ActorKind: kind, Name: name, Aliases: []string{fmt.Sprintf("TA-S%03d", i)},
			Description: "A threat actor invented by the synthetic graph generator.", Claims: say(name + " is a threat actor.")}
		a.ID = a.DefaultID()
		g.generated.Nodes = append(g.generated.Nodes, a)
		x := &actor{id: a.ID, name: name, state: state}
		var peers []*actor
		for _, p := range g.actors {
			if p.state == state {
				peers = append(peers, p)
			}
		}
		direct := true
		if len(peers) > 0 && g.chance(0.4) {
			p := peers[g.rng.IntN(len(peers))]
			g.generated.Edges = append(g.generated.Edges, &graph.Edge{Type: graph.PartOf, From: a.ID, To: p.id,
				Claims: say(fmt.Sprintf("%s is part of %s.", name, p.name))})
			direct = g.chance(0.3) // the others reach their state through the parent only
		}
		if state != "" && direct {
			g.generated.Edges = append(g.generated.Edges, &graph.Edge{Type: graph.SponsoredBy, From: a.ID, To: state,
				Claims: say(fmt.Sprintf("%s works for the state of %s.", name, g.stateNames[state]))})
		}
		g.actors = append(g.actors, x)
	}
	// Incidents fall on a state's actors by a Zipf law: a few carry most of them.
	for _, a := range g.actors {
		t := g.byState[a.state]
		if t == nil {
			t = &table[*actor]{}
			g.byState[a.state] = t
		}
		t.add(a, 1/float64(len(t.items)+1))
	}
}

// generateOrgs makes the victim pool: one organisation per twenty incidents, at least
// a hundred, each in a reference sector and a state.
func (g *generator) generateOrgs() {
	n := max(100, g.opt.Incidents/20)
	sectors := &table[string]{}
	for _, name := range slices.Sorted(maps.Keys(sectorNouns)) { // map order must not reach the rng
		if g.sectors[name] != "" {
			w := 1.0
			if financialSectors[name] {
				w = 3
			}
			sectors.add(name, w)
		}
	}
	countries := &table[string]{}
	for _, w := range victimCountries {
		if id := graph.NodeID(graph.KindState, w.code); g.stateNames[id] != "" {
			countries.add(id, w.w)
		}
	}
	g.financial, g.anyOrg = &table[*org]{}, &table[*org]{}
	for i := 1; i <= n; i++ {
		sector := sectors.pick(g.rng)
		name := fmt.Sprintf("%s %s %d", prefixes[g.rng.IntN(len(prefixes))], sectorNouns[sector], i)
		o := &org{id: graph.NodeID(graph.KindOrganization, name), name: name, sector: g.sectors[sector],
			sectorName: sector, state: countries.pick(g.rng), financial: financialSectors[sector]}
		g.orgs = append(g.orgs, o)
		g.anyOrg.add(o, 1)
		if o.financial {
			g.financial.add(o, 1)
		}
	}
}

func (g *generator) orgBatch(orgs []*org) *graph.Batch {
	b := &graph.Batch{Nodes: []*graph.Node{g.directory}}
	for _, o := range orgs {
		c := claim(g.directory, fmt.Sprintf("Synthetic directory says %s is in the %s sector, in %s.", o.name, o.sectorName, g.stateNames[o.state]), "", graph.Asserted)
		b.Nodes = append(b.Nodes, &graph.Node{ID: o.id, Kind: graph.KindOrganization, Name: o.name, Claims: []graph.Claim{c}})
		b.Edges = append(b.Edges,
			&graph.Edge{Type: graph.InSector, From: o.id, To: o.sector, Claims: []graph.Claim{c}},
			&graph.Edge{Type: graph.LocatedIn, From: o.id, To: o.state, Claims: []graph.Claim{c}})
	}
	return b
}

// incident is one incident while its report is being written.
type incident struct {
	node    *graph.Node
	when    time.Time
	victims []*org
	culprit *actor // nil: unattributed
	amount  *graph.Amount
	country bool // the victim's state counts as a target too
}

// report adds to b one report covering n incidents, numbered from first, and sometimes
// a second report on some of them that confirms, contradicts or hedges.
func (g *generator) report(b *graph.Batch, first, n int) {
	incs := make([]*incident, n)
	var latest time.Time
	for i := range incs {
		incs[i] = g.incident(first + i)
		if incs[i].when.After(latest) {
			latest = incs[i].when
		}
	}
	g.reports++
	num := g.reports
	published := latest.Add(time.Duration(1+g.rng.IntN(60*24)) * time.Hour)
	src := source(fmt.Sprintf("https://reports.synthetic.example/%d", num),
		fmt.Sprintf("Synthetic report %d: %s and %d more", num, incs[0].node.Name, n-1),
		publishers[g.rng.IntN(len(publishers))], published, "")
	b.Nodes = append(b.Nodes, src)
	es := edgeSet{}
	for _, inc := range incs {
		g.say(b, &es, src, num, inc, inc.culprit, inc.amount, g.certainty(0.75))
	}
	if g.chance(0.3) {
		g.reports++
		num2 := g.reports
		src2 := source(fmt.Sprintf("https://blog.synthetic.example/%d", num2),
			fmt.Sprintf("Synthetic report %d: a second look", num2),
			publishers[g.rng.IntN(len(publishers))], published.Add(time.Duration(1+g.rng.IntN(30*24))*time.Hour), "")
		b.Nodes = append(b.Nodes, src2)
		for _, inc := range incs {
			if !g.chance(0.5) {
				continue
			}
			culprit, amount, certainty := inc.culprit, inc.amount, g.certainty(0.6)
			switch r := g.rng.Float64(); {
			case r < 0.35: // another culprit
				culprit = g.culprit(inc.node.IncidentKind)
			case r < 0.5 && amount != nil && amount.ValueUSD != nil: // another figure
				v := roundSig(*amount.ValueUSD*(0.5+g.rng.Float64()), 3)
				amount = usdAmount(v, g.chance(0.5))
			}
			g.say(b, &es, src2, num2, inc, culprit, amount, certainty)
		}
	}
	for _, inc := range incs {
		b.Nodes = append(b.Nodes, inc.node)
	}
	b.Nodes = append(b.Nodes, es.amounts...)
	b.Edges = append(b.Edges, es.edges...)
}

// incident draws an incident: its kind, date, victims, culprit and, for thefts, amount.
func (g *generator) incident(i int) *incident {
	kind := g.kinds.pick(g.rng)
	year := g.years.pick(g.rng)
	month := time.Month(1 + g.rng.IntN(12))
	days := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
	when := time.Date(year, month, 1+g.rng.IntN(days), 0, 0, 0, 0, time.UTC)
	date := when.Format("2006-01-02")
	switch r := g.rng.Float64(); {
	case r < 0.05:
		date = date[:4]
	case r < 0.3:
		date = date[:7]
	}
	inc := &incident{when: when}
	pool := g.anyOrg
	if kind == graph.IncidentTheft && g.chance(0.9) {
		pool = g.financial
	}
	victims := 1
	if r := g.rng.Float64(); r < 0.1 {
		victims = 3
	} else if r < 0.4 {
		victims = 2
	}
	for range victims {
		if o := pool.pick(g.rng); !slices.Contains(inc.victims, o) {
			inc.victims = append(inc.victims, o)
		}
	}
	name := fmt.Sprintf("%s %s #%d", inc.victims[0].name, kindNouns[kind], i+1)
	inc.node = &graph.Node{Kind: graph.KindIncident, Name: name, IncidentKind: kind, Date: graph.Date(date)}
	inc.node.ID = inc.node.DefaultID()
	inc.country = (kind == graph.IncidentEspionage || kind == graph.IncidentSabotage) && g.chance(0.25)
	if g.chance(0.85) {
		inc.culprit = g.culprit(kind)
	}
	if kind == graph.IncidentTheft {
		// Log-normal: a median of $3 million, one in a hundred above $200 million.
		usd := roundSig(max(10_000, math.Exp(math.Log(3e6)+1.8*g.rng.NormFloat64())), 3)
		approx := g.chance(0.6)
		inc.amount = usdAmount(usd, approx)
		if g.chance(0.1) { // reported in crypto only: counts in no dollar total
			coin, price := "ETH", 2500.0
			if g.chance(0.4) {
				coin, price = "BTC", 40000
			}
			v := roundSig(usd/price, 3)
			surface := strconv.FormatFloat(v, 'f', -1, 64) + " " + coin
			if approx {
				surface = "about " + surface
			}
			inc.amount = &graph.Amount{Value: v, Currency: coin, Approximate: approx, Surface: surface}
		}
	}
	return inc
}

// culprit picks who an incident of this kind is attributed to: an actor of a state
// likely for the kind, or now and then the state itself.
func (g *generator) culprit(kind graph.IncidentKind) *actor {
	state := g.culprits[kind].pick(g.rng)
	t := g.byState[state]
	switch {
	case state != "" && (t == nil || g.chance(0.05)):
		return &actor{id: state, name: g.stateNames[state], state: state}
	case t == nil: // no criminal group was generated
		return g.actors[g.rng.IntN(len(g.actors))]
	}
	return t.pick(g.rng)
}

func (g *generator) certainty(asserted float64) graph.Certainty {
	if g.chance(asserted) {
		return graph.Asserted
	}
	return graph.Hedged
}

// say records what report num (src) says about inc: the incident and its victims, who
// did it, and what was stolen.
func (g *generator) say(b *graph.Batch, es *edgeSet, src *graph.Node, num int, inc *incident, culprit *actor, amount *graph.Amount, certainty graph.Certainty) {
	n := inc.node
	var names []string
	for _, v := range inc.victims {
		names = append(names, v.name)
	}
	when := inc.when.Format("January 2006")
	if n.Date.Precision() == graph.PrecisionYear {
		when = inc.when.Format("2006")
	}
	what := claim(src, fmt.Sprintf("Synthetic report %d says %s suffered %s in %s.", num, strings.Join(names, " and "), kindPhrases[n.IncidentKind], when), "", graph.Asserted)
	n.Claims = append(n.Claims, what)
	for _, v := range inc.victims {
		es.add(graph.Targeted, n.ID, v.id, what)
		es.add(graph.Targeted, n.ID, v.sector, what)
	}
	if inc.country {
		es.add(graph.Targeted, n.ID, inc.victims[0].state, what)
	}
	if culprit != nil {
		claimant := ""
		if g.chance(0.6) {
			claimant = claimants[g.rng.IntN(len(claimants))]
		}
		var quote string
		switch {
		case certainty == graph.Asserted && claimant != "":
			quote = fmt.Sprintf("Synthetic report %d says %s attributed the %s to %s.", num, claimant, n.Name, culprit.name)
		case certainty == graph.Asserted:
			quote = fmt.Sprintf("Synthetic report %d says the %s was carried out by %s.", num, n.Name, culprit.name)
		case claimant != "":
			quote = fmt.Sprintf("Synthetic report %d says %s suspects %s of the %s.", num, claimant, culprit.name, n.Name)
		default:
			quote = fmt.Sprintf("Synthetic report %d says %s is believed to be behind the %s.", num, culprit.name, n.Name)
		}
		es.add(graph.AttributedTo, n.ID, culprit.id, claim(src, quote, claimant, certainty))
	}
	if amount != nil {
		c := claim(src, fmt.Sprintf("Synthetic report %d says %s was stolen in the %s.", num, amount.Surface, n.Name), "", certainty)
		id := graph.AmountID(n.ID, *amount)
		es.addAmount(id, amount, c)
		es.add(graph.Stole, n.ID, id, c)
	}
}

// edgeSet collects a report group's edges and amounts, one per ID, claims merged.
type edgeSet struct {
	edges   []*graph.Edge
	byID    map[string]*graph.Edge
	amounts []*graph.Node
	amount  map[string]*graph.Node
}

func (s *edgeSet) add(t graph.EdgeType, from, to string, c graph.Claim) {
	if s.byID == nil {
		s.byID = map[string]*graph.Edge{}
	}
	id := graph.EdgeID(t, from, to)
	if e := s.byID[id]; e != nil {
		e.Claims = append(e.Claims, c)
		return
	}
	e := &graph.Edge{ID: id, Type: t, From: from, To: to, Claims: []graph.Claim{c}}
	s.byID[id] = e
	s.edges = append(s.edges, e)
}

// addAmount adds the amount node, or the claim to it when it is there already.
func (s *edgeSet) addAmount(id string, a *graph.Amount, c graph.Claim) {
	if s.amount == nil {
		s.amount = map[string]*graph.Node{}
	}
	if n := s.amount[id]; n != nil {
		n.Claims = append(n.Claims, c)
		return
	}
	n := &graph.Node{ID: id, Kind: graph.KindAmount, Name: a.Surface, Amount: a, Claims: []graph.Claim{c}}
	s.amount[id] = n
	s.amounts = append(s.amounts, n)
}

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

func source(url, title, publisher string, published time.Time, hash string) *graph.Node {
	return &graph.Node{ID: graph.NodeID(graph.KindSource, url), Kind: graph.KindSource, Name: title, URL: url,
		Title: title, Publisher: publisher, Published: published.UTC(), Fetched: published.Add(time.Hour).UTC(), ContentHash: hash}
}

func claim(src *graph.Node, quote, claimant string, c graph.Certainty) graph.Claim {
	return graph.Claim{SourceID: src.ID, Quote: quote, Claimant: claimant, Certainty: c,
		Confidence: graph.ClaimConfidence(c, claimant), Reported: src.Published}
}

func usdAmount(v float64, approx bool) *graph.Amount {
	s := "$" + humanUSD(v)
	if approx {
		s = "about " + s
	}
	return &graph.Amount{Value: v, Currency: "USD", ValueUSD: &v, Approximate: approx, Surface: s}
}

// humanUSD writes a dollar figure as reporting does: "1.23 billion", "45.6 million",
// "870,000".
func humanUSD(v float64) string {
	switch {
	case v >= 1e9:
		return strconv.FormatFloat(roundSig(v/1e9, 3), 'f', -1, 64) + " billion"
	case v >= 1e6:
		return strconv.FormatFloat(roundSig(v/1e6, 3), 'f', -1, 64) + " million"
	}
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// roundSig rounds to n significant digits, exactly as they would be printed.
func roundSig(v float64, n int) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', n, 64), 64)
	return r
}

// table picks items at random in proportion to their weights.
type table[T any] struct {
	items []T
	cum   []float64
}

func (t *table[T]) add(item T, w float64) {
	if w <= 0 {
		return
	}
	if n := len(t.cum); n > 0 {
		w += t.cum[n-1]
	}
	t.items = append(t.items, item)
	t.cum = append(t.cum, w)
}

func (t *table[T]) pick(r *rand.Rand) T { return t.at(r.Float64()) }

// at returns the item at u in [0,1) of the cumulative weights.
func (t *table[T]) at(u float64) T {
	x := u * t.cum[len(t.cum)-1]
	i, _ := slices.BinarySearch(t.cum, x)
	if i < len(t.cum)-1 && t.cum[i] == x {
		i++ // x falls at the end of item i's share: it belongs to the next
	}
	return t.items[i]
}
