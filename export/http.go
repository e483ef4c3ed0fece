package export

import (
	"cmp"
	"encoding/json"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// Handler serves GET /export (see ParseQuery for its parameters): it streams the file
// with its Content-Type and Content-Disposition: attachment. A bad selection is 400 (404
// for unknown seeds and IDs) with {"error": "...", "code": "EINVALID"}, before anything
// is written. Who may read is the caller's business: resolvers.ExportHandler wraps it
// with the API's tokens.
type Handler struct {
	Store  graph.Store
	Logger *slog.Logger
	// Concurrent caps the exports served at once (0: DefaultConcurrent); the others
	// wait until one ends or their client gives up.
	Concurrent int

	once  sync.Once
	slots chan struct{}
}

// DefaultConcurrent is how many exports a Handler serves at once by default.
const DefaultConcurrent = 4

// Error codes in the JSON body of a refused export.
var httpCodes = map[string]string{
	graph.EINVALID: "EINVALID", graph.ENOTFOUND: "ENOTFOUND", graph.ECONFLICT: "ECONFLICT",
	graph.EUNAVAILABLE: "EUNAVAILABLE", graph.EINTERNAL: "EINTERNAL",
}

var httpStatus = map[string]int{
	graph.EINVALID: http.StatusBadRequest, graph.ENOTFOUND: http.StatusNotFound, graph.ECONFLICT: http.StatusConflict,
	graph.EUNAVAILABLE: http.StatusServiceUnavailable, graph.EINTERNAL: http.StatusInternalServerError,
}

// WriteError answers with a JSON error: the domain error's message and code, or, for an
// internal error, a generic message (the details go to the log).
func WriteError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg, "code": code})
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := graph.ErrorCode(err)
	if code == graph.EINTERNAL && h.Logger != nil {
		h.Logger.ErrorContext(r.Context(), "export", "url", r.URL.String(), "err", err)
	}
	WriteError(w, httpStatus[code], httpCodes[code], graph.ErrorMessage(err))
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		WriteError(w, http.StatusMethodNotAllowed, "EINVALID", "use GET")
		return
	}
	h.once.Do(func() { h.slots = make(chan struct{}, cmp.Or(h.Concurrent, DefaultConcurrent)) })
	select {
	case h.slots <- struct{}{}:
		defer func() { <-h.slots }()
	case <-r.Context().Done():
		return
	}
	sel, f, err := ParseQuery(r.URL.Query())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	g, err := Resolve(r.Context(), h.Store, sel)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", f.MediaType())
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": g.Filename(f)}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	if g.Cut {
		// Asked for with cut=true: the file holds the limit's nearest nodes, not all.
		w.Header().Set("X-Cyberkg-Cut", strconv.Itoa(g.Len()))
	}
	if f == HTML || f == Markdown {
		// Opened in place by mistake, the report still runs nothing.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
	}
	if r.Method == http.MethodHead {
		return
	}
	// A large export outlasts the server's write timeout, which is set for API calls.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(30 * time.Minute))
	if _, err := g.Write(r.Context(), h.Store, f, w); err != nil {
		// The status is sent: abort the response so the client sees a broken transfer,
		// never a complete-looking file with a hole in it.
		if h.Logger != nil && !strings.Contains(err.Error(), "broken pipe") && r.Context().Err() == nil {
			h.Logger.ErrorContext(r.Context(), "export: write", "url", r.URL.String(), "err", err)
		}
		panic(http.ErrAbortHandler)
	}
}
