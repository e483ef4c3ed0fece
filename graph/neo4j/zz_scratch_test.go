package neo4j

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func profTree(p neo4j.ProfiledPlan, d int) string {
	if p == nil {
		return ""
	}
	out := fmt.Sprintf("%s%s rows=%d hits=%d %v\n", strings.Repeat("  ", d), p.Operator(), p.Records(), p.DbHits(), p.Arguments()["Details"])
	for _, c := range p.Children() {
		out += profTree(c, d+1)
	}
	return out
}

var zzQueries = []struct {
	q string
	p map[string]any
}{}

func TestZZPlans(t *testing.T) {
	cfg := testConfig(t)
	ctx := context.Background()
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range zzQueries {
		var out string
		_, err := execute(ctx, s, neo4j.AccessModeWrite, "explain", func(ctx context.Context, tx neo4j.ManagedTransaction) (string, error) {
			res, err := tx.Run(ctx, "PROFILE "+q.q, q.p)
			if err != nil {
				return "", err
			}
			sum, err := res.Consume(ctx)
			if err != nil {
				return "", err
			}
			out = profTree(sum.Profile(), 0)
			for _, n := range sum.Notifications() {
				out += "NOTE " + n.Title() + ": " + n.Description() + "\n"
			}
			return out, fmt.Errorf("rollback")
		})
		t.Logf("%s\n%s%v", strings.SplitN(q.q, "\n", 2)[0], out, err)
	}
}
