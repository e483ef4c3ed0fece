package export_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/cyberkg/cyberkg/export"
)

func TestSmoke(t *testing.T) {
	st := openWorld(t)
	for _, f := range export.Formats {
		var b bytes.Buffer
		res, err := export.Write(context.Background(), st, export.Selection{Seeds: []string{"Hidden Cobra"}, Depth: 3}, f, &b)
		if err != nil {
			t.Fatal(f, err)
		}
		t.Log(f, res)
		os.WriteFile("/tmp/smoke."+f.Extension(), b.Bytes(), 0o644)
	}
}
