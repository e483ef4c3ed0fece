package neo4j

func init() {
	rows := []map[string]any{}
	for i := 0; i < 3; i++ {
		rows = append(rows, map[string]any{"from": "incident:synthetic-incident-" + string(rune('1'+i)), "to": "actor:synthetic-group-1"})
	}
	zzQueries = append(zzQueries,
		struct{ q string; p map[string]any }{`UNWIND $edges0 AS e MATCH (a:Entity {id: e.from})-[r:ATTRIBUTED_TO]->(b:Entity {id: e.to}) USING INDEX a:Entity(id) USING INDEX b:Entity(id) RETURN 'edge' AS what, r {.*, type: type(r), from: e.from, to: e.to} AS p`, map[string]any{"edges0": rows}},
		struct{ q string; p map[string]any }{`UNWIND $rows AS row MATCH (n:Entity {id: row.id}) SET n = row`, map[string]any{"rows": []map[string]any{{"id": "actor:synthetic-group-1"}}}},
	)
}
