package neo4j

import (
	"context"
	"regexp"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/cyberkg/cyberkg/graph"
)

// stolenUSDCypher binds, for every incident in the period that some source gave a
// dollar value for, usd as graph.StolenUSD takes it: the amount its most confident
// STOLE edge reports (ties: more sources, then the larger figure). An incident of
// unknown date is outside any bounded period, as graph.ComputeStolenTotals has it
// (PERIOD stands for the period's conditions).
const stolenUSDCypher = `MATCH (i:Incident)-[s:STOLE]->(a:Amount)
WHERE a.usd IS NOT NULL PERIOD
WITH i, s, a ORDER BY s.confidence DESC, size(s.sources) DESC, a.usd DESC
WITH i, head(collect(a.usd)) AS usd
`

// totalsCypher groups those incidents, each once per group, as
// graph.ComputeStolenTotals does. $asserted keeps only the links some source asserts.
// INCIDENTS(x) stands for the incidents' column: their IDs, or only their number (see
// incidentsColumn).
var totalsCypher = map[graph.GroupBy]string{
	graph.ByYear: `WITH i, usd, toInteger(left(i.date, 4)) AS year
WHERE year IS NOT NULL AND year <> 0
RETURN toString(year) AS key, toString(year) AS label, sum(usd) AS usd, INCIDENTS(i.id)`,

	// Sectors the incident targeted, and those of the organizations it targeted;
	// UNION makes each sector count an incident once.
	graph.BySector: `CALL (i) {
	MATCH (i)-[t:TARGETED]->(x:Sector)
	WHERE NOT $asserted OR t.certainty = 'asserted'
	RETURN x
	UNION
	MATCH (i)-[t:TARGETED]->()-[c:IN_SECTOR]->(x:Entity)
	WHERE NOT $asserted OR (t.certainty = 'asserted' AND c.certainty = 'asserted')
	RETURN x
}
RETURN x.id AS key, x.name AS label, sum(usd) AS usd, INCIDENTS(i.id)`,

	// Who is responsible: the nodes the incidents are attributed to, then everything
	// up their sponsor and parent chains, walked once per attributed node, not once
	// per incident.
	graph.ByActor: responsibleCypher,
	graph.ByState: responsibleCypher,
}

const responsibleCypher = `MATCH (i)-[t:ATTRIBUTED_TO]->(x:Entity)
WHERE NOT $asserted OR t.certainty = 'asserted'
WITH x, collect({id: i.id, usd: usd}) AS hits
CALL (x) {
	MATCH (x)(()-[r:SPONSORED_BY|PART_OF WHERE NOT $asserted OR r.certainty = 'asserted']->()){0,}(y:Entity)
	RETURN DISTINCT y
}
WITH y, hits WHERE (y.id STARTS WITH 'state:') = $byState
UNWIND hits AS h
WITH DISTINCT y, h.id AS id, h.usd AS usd
RETURN y.id AS key, y.name AS label, sum(usd) AS usd, INCIDENTS(id)`

var incidentsColumn = regexp.MustCompile(`INCIDENTS\(([a-z.]+)\)`)

// StolenTotals sums on the server, in one query: only the groups cross the wire, each
// with the IDs of its incidents, or only their count when q.WithoutIncidents. The
// conformance suite holds it to the answers of
// graph.ComputeStolenTotals, which the embedded store gives.
func (s *Store) StolenTotals(ctx context.Context, q graph.TotalsQuery) ([]*graph.Total, error) {
	group, ok := totalsCypher[q.GroupBy]
	if !ok {
		return nil, graph.Errorf(graph.EINVALID, "group by %q: want STATE, ACTOR, YEAR or SECTOR", q.GroupBy)
	}
	// Each row is one incident in one group, so count(*) counts them without reading
	// their IDs.
	aggregate := `collect($1) AS incidents, count(*) AS count`
	if q.WithoutIncidents {
		aggregate = `[] AS incidents, count(*) AS count`
	}
	params := map[string]any{"asserted": q.Minimum == graph.Asserted, "byState": q.GroupBy == graph.ByState}
	period := ""
	if q.From != 0 {
		period += ` AND toInteger(left(i.date, 4)) >= $from`
		params["from"] = int64(q.From)
	}
	if q.To != 0 {
		period += ` AND toInteger(left(i.date, 4)) <= $to`
		params["to"] = int64(q.To)
	}
	usd := strings.Replace(stolenUSDCypher, " PERIOD", period, 1)
	return execute(ctx, s, neo4j.AccessModeRead, "stolen totals", func(ctx context.Context, tx neo4j.ManagedTransaction) ([]*graph.Total, error) {
		recs, err := run(ctx, tx, usd+incidentsColumn.ReplaceAllString(group, aggregate), params)
		if err != nil {
			return nil, err
		}
		out := make([]*graph.Total, 0, len(recs))
		for _, r := range recs {
			t := &graph.Total{Key: str(r.Values[0]), Label: str(r.Values[1]), USD: num(r.Values[2]), Incidents: strs(r.Values[3]),
				Count: int(r.Values[4].(int64))}
			if strings.TrimSpace(t.Label) == "" {
				t.Label = t.Key
			}
			out = append(out, t)
		}
		graph.SortTotals(out)
		return out, nil
	})
}
