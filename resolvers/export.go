package resolvers

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/cyberkg/cyberkg/export"
	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/resolvers/model"
)

// exportSlots bounds the exports GraphQL runs at once, whatever a query asks: an
// operation may name exportSubgraph under many aliases, and each costs the field
// count the cost limit sees, but reads a whole subgraph. The others wait their turn,
// within the request's timeout.
var exportSlots = make(chan struct{}, 2)

func acquireExport(ctx context.Context) (release func(), err error) {
	select {
	case exportSlots <- struct{}{}:
		return func() { <-exportSlots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// maxInlineExport caps Export.content.
const maxInlineExport = 1 << 20

var errTooLarge = errors.New("export larger than the inline cap")

// capped is a buffer that refuses to grow past max.
type capped struct {
	strings.Builder
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if c.Len()+len(p) > c.max {
		return 0, errTooLarge
	}
	return c.Builder.Write(p)
}

// exportSelection is the API's selection as the export package takes it.
func exportSelection(s model.ExportSelection) export.Selection {
	sel := export.Selection{Seeds: s.Seeds, IDs: s.Ids, Kinds: s.Kinds, EdgeTypes: s.RelationTypes}
	if len(s.Seeds) > 0 {
		sel.Depth = 1
	}
	if s.Depth != nil {
		sel.Depth = *s.Depth
	}
	if s.From != nil {
		sel.From = graph.Date(*s.From)
	}
	if s.To != nil {
		sel.To = graph.Date(*s.To)
	}
	if s.MinCertainty != nil {
		sel.MinCertainty = *s.MinCertainty
	}
	if s.MinConfidence != nil {
		sel.MinConfidence = *s.MinConfidence
	}
	return sel
}

// ExportHandler serves GET /export (export.Handler) to the callers the GraphQL endpoint
// lets read: the same tokens, the same public-read setting, the same refusals (401 for
// a missing or unknown token when reading needs one), as JSON {"error", "code"}.
func ExportHandler(store graph.Store, logger *slog.Logger, opts Options) http.Handler {
	h := &export.Handler{Store: store, Logger: logger}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := authenticate(r, opts.Tokens)
		if err == nil && p.Role == 0 && opts.TokenOnly {
			err = &accessError{CodeUnauthenticated, "this server needs a token to read: send Authorization: Bearer <token>"}
		}
		if err != nil {
			var access *accessError
			errors.As(err, &access)
			w.Header().Set("WWW-Authenticate", `Bearer realm="cyberkg"`)
			export.WriteError(w, http.StatusUnauthorized, access.code, access.msg)
			return
		}
		h.ServeHTTP(w, r.WithContext(withPrincipal(r.Context(), p)))
	})
}
