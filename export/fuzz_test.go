package export_test

import (
	"context"
	"io"
	"net/url"
	"testing"

	"github.com/cyberkg/cyberkg/export"
	"github.com/cyberkg/cyberkg/graph"
)

// Whatever a client puts in the query string, /export answers with a selection or a
// clear error, and an export of any selection never panics.
func FuzzExportQuery(f *testing.F) {
	for _, q := range []string{
		"format=gexf&seed=Lazarus+Group&depth=2",
		"format=html&seed=Hidden%20Cobra&kind=incident,actor&from=2022&to=2023-06",
		"id=state:kp&id=incident:bybit-theft&format=csv",
		"seed=Ronin&depth=-3&minConfidence=NaN",
		"seed=%00&type=attributed-to&minCertainty=ASSERTED&limit=1",
	} {
		f.Add(q)
	}
	st := openWorld(f)
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		sel, format, err := export.ParseQuery(q)
		if err != nil {
			if graph.ErrorCode(err) != graph.EINVALID {
				t.Fatalf("%q: %v is not EINVALID", raw, err)
			}
			return
		}
		if sel.Depth > 2 {
			sel.Depth = 2 // keep each run short
		}
		_, err = export.Write(context.Background(), st, sel, format, io.Discard)
		if code := graph.ErrorCode(err); err != nil && code != graph.EINVALID && code != graph.ENOTFOUND {
			t.Fatalf("%q: %v (%s)", raw, err, code)
		}
	})
}
