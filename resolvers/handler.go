package resolvers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/cyberkg/cyberkg/graph"
	refknowledge "github.com/cyberkg/cyberkg/graph/reference"
	"github.com/cyberkg/cyberkg/resolvers/exec"
	"github.com/cyberkg/cyberkg/resolvers/graphiql"
	"github.com/cyberkg/cyberkg/scrapers/extract"
	"github.com/cyberkg/cyberkg/scrapers/fetch"
)

// Limits on one operation and one request; see the header of schema/query.graphqls.
const (
	MaxQueryCost   = 20000
	MaxQueryDepth  = 12 // fields nested in fields; introspection (__schema, __type) is not counted
	MaxQueryTokens = 20000
	// MaxBodyBytes caps a POST body, DefaultTimeout a request, unless Options say
	// otherwise.
	MaxBodyBytes   = 1 << 20
	DefaultTimeout = 30 * time.Second
	// apqCacheSize is how many persisted queries the server remembers (an LRU).
	apqCacheSize = 1000
)

// Error codes, in extensions.code of every error the API returns.
const (
	CodeNotFound    = "NOT_FOUND"
	CodeInvalid     = "INVALID" // the request is malformed: syntax, validation, arguments, limits
	CodeConflict    = "CONFLICT"
	CodeUnavailable = "UNAVAILABLE"
	CodeTimeout     = "TIMEOUT"  // the request ran out of time (Options.Timeout)
	CodeInternal    = "INTERNAL" // details are logged, never shown
)

var codes = map[string]string{
	graph.ENOTFOUND:    CodeNotFound,
	graph.EINVALID:     CodeInvalid,
	graph.ECONFLICT:    CodeConflict,
	graph.EUNAVAILABLE: CodeUnavailable,
	graph.EINTERNAL:    CodeInternal,
}

// gqlgen-style codes of refused operations; like gqlgen's own codes they end up in
// extensions.reason, under extensions.code INVALID.
const (
	errDepthLimit = "DEPTH_LIMIT_EXCEEDED"
	errCostLimit  = "COMPLEXITY_LIMIT_EXCEEDED"
	// errAPQNotFound is what Apollo's clients look for to send the full query: it
	// stays the code, as they expect.
	errAPQNotFound = "PERSISTED_QUERY_NOT_FOUND"
)

// Operations refused by a limit or for want of a role are refused before they run,
// like invalid ones.
func init() {
	errcode.RegisterErrorType(errDepthLimit, errcode.KindProtocol)
	errcode.RegisterErrorType(errCostLimit, errcode.KindProtocol)
	errcode.RegisterErrorType(CodeUnauthenticated, errcode.KindProtocol)
	errcode.RegisterErrorType(CodeForbidden, errcode.KindProtocol)
}

// Options configure the handler beyond its store; the zero value serves public
// reading, no curation (there are no tokens), GraphiQL, and the default limits.
type Options struct {
	// Tokens are the API tokens accepted; nil: none.
	Tokens *Tokens
	// TokenOnly refuses reading without a token (CYBERKG_PUBLIC_READ=false).
	TokenOnly bool
	// Fetcher reads the URLs of ingestURL; nil: one with the SSRF guard on, so that
	// only public addresses are fetched. Tests pass one that allows loopback.
	Fetcher *fetch.Fetcher
	// Timeout bounds a request (0: DefaultTimeout); MaxBodyBytes a POST body (0:
	// MaxBodyBytes).
	Timeout      time.Duration
	MaxBodyBytes int64
	// NoGraphiQL turns off the GraphiQL page that browsers get at the endpoint.
	NoGraphiQL bool
	// Now is the clock of audit entries and sources (nil: time.Now).
	Now func() time.Time
}

// Handler is the GraphQL endpoint: GraphQL over HTTP (POST, and GET for queries),
// GraphiQL for browsers, tokens and roles, and the limits. Close releases what it
// holds (the fetcher's connections).
type Handler struct {
	opts    Options
	gql     http.Handler
	fetcher *fetch.Fetcher
	ownsFet bool
}

// NewHandler returns the GraphQL endpoint over store. Errors carry extensions.code
// (CodeNotFound and the rest, mapped once from graph's error codes, and the access
// codes); internal errors and panics are logged to logger (nil: slog.Default) with
// the operation and shown only as "internal error". opts may be omitted.
func NewHandler(store graph.Store, logger *slog.Logger, opts ...Options) *Handler {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if logger == nil {
		logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = MaxBodyBytes
	}
	h := &Handler{opts: o, fetcher: o.Fetcher}
	if h.fetcher == nil {
		// Never AllowPrivate here: these URLs come from clients.
		f, err := fetch.New(fetch.Options{Logger: logger, RequestTimeout: o.Timeout / 2})
		if err != nil {
			panic(err) // only a user agent without a contact URL fails, and this one has one
		}
		h.fetcher, h.ownsFet = f, true
	}
	r := &Resolver{store: store, logger: logger, now: o.Now, fetcher: h.fetcher,
		extractor: sync.OnceValue(func() *extract.Extractor { return extract.New(refknowledge.MustLoad()) })}
	srv := handler.New(exec.NewExecutableSchema(exec.Config{Resolvers: r}))
	srv.AddTransport(overHTTP{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(MaxQueryTokens)
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](apqCacheSize)})
	srv.Use(costLimit(MaxQueryCost))
	srv.Use(depthLimit(MaxQueryDepth))
	srv.Use(mutationsNeedEditors{})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(withLoaders(ctx, store))
	})
	srv.SetErrorPresenter(r.presentError)
	srv.SetRecoverFunc(r.recoverPanic)
	h.gql = srv
	return h
}

// ServeHTTP serves GraphiQL to browsers and GraphQL to everyone else, once the
// caller is known.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.opts.NoGraphiQL {
		switch {
		case graphiql.IsAsset(r):
			graphiql.ServeAsset(w, r)
			return
		case graphiql.WantsPage(r):
			graphiql.ServePage(w, r)
			return
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		writeErrors(w, responseMedia(r.Header.Get("Accept")), http.StatusMethodNotAllowed,
			&gqlerror.Error{Message: "use POST, or GET for queries", Extensions: map[string]any{"code": CodeInvalid}})
		return
	}
	p, err := authenticate(r, h.opts.Tokens)
	if err == nil && p.Role == 0 && h.opts.TokenOnly {
		err = &accessError{CodeUnauthenticated, "this server needs a token to read: send Authorization: Bearer <token>"}
	}
	if err != nil {
		var access *accessError
		errors.As(err, &access)
		writeErrors(w, responseMedia(r.Header.Get("Accept")), http.StatusUnauthorized,
			&gqlerror.Error{Message: access.msg, Extensions: map[string]any{"code": access.code}})
		return
	}
	ctx, cancel := context.WithTimeout(withPrincipal(r.Context(), p), h.opts.Timeout)
	defer cancel()
	r.Body = http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes)
	h.gql.ServeHTTP(w, r.WithContext(ctx))
}

// Close releases the handler's own fetcher.
func (h *Handler) Close() error {
	if h.ownsFet {
		h.fetcher.Close()
	}
	return nil
}

// mutationsNeedEditors refuses a mutation from a caller without an editor's token
// before it runs, so that the refusal is a request error (401 or 403), not a field's.
type mutationsNeedEditors struct{}

func (mutationsNeedEditors) ExtensionName() string                   { return "MutationsNeedEditors" }
func (mutationsNeedEditors) Validate(graphql.ExecutableSchema) error { return nil }

func (mutationsNeedEditors) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || oc.Operation.Operation != ast.Mutation {
		return nil
	}
	var access *accessError
	if err := require(ctx, RoleEditor, "changing the graph"); errors.As(err, &access) {
		e := gqlerror.Errorf("%s", access.msg)
		errcode.Set(e, access.code)
		return e
	}
	return nil
}

// errRecovered stands for a panic that recoverPanic has already logged.
var errRecovered = errors.New("recovered from panic")

func (r *Resolver) recoverPanic(ctx context.Context, v any) error {
	r.logger.ErrorContext(ctx, "graphql: panic", append(operationAttrs(ctx),
		"panic", fmt.Sprint(v), "stack", string(debug.Stack()))...)
	return errRecovered
}

// presentError is the one place errors become what the client sees.
func (r *Resolver) presentError(ctx context.Context, err error) *gqlerror.Error {
	var in *gqlerror.Error
	if !errors.As(err, &in) {
		in = gqlerror.WrapPath(graphql.GetPath(ctx), err)
	}
	out := &gqlerror.Error{Message: in.Message, Path: in.Path, Locations: in.Locations, Extensions: map[string]any{}}
	var domain *graph.Error
	var access *accessError
	switch {
	case errors.Is(err, errRecovered):
		out.Message = "internal error"
		out.Extensions["code"] = CodeInternal
	case errors.As(err, &access):
		out.Message = access.msg
		out.Extensions["code"] = access.code
	case errors.Is(err, context.DeadlineExceeded) || (in.Err != nil && ctx.Err() == context.DeadlineExceeded):
		out.Message = "the request took too long; ask for less (smaller pages, fewer levels)"
		out.Extensions["code"] = CodeTimeout
	case errors.Is(err, context.Canceled):
		out.Message = "the request was cancelled"
		out.Extensions["code"] = CodeUnavailable
	case errors.As(err, &domain) && codes[domain.Code] != "" && domain.Code != graph.EINTERNAL:
		out.Message = domain.Message
		out.Extensions["code"] = codes[domain.Code]
		if domain.Code == graph.EUNAVAILABLE {
			r.logger.WarnContext(ctx, "graphql: store unavailable", append(operationAttrs(ctx), "err", err)...)
		}
	case in.Err == nil:
		// gqlgen's own error, about the request: it could not be parsed or validated,
		// a variable has the wrong type, a limit was exceeded, a persisted query is
		// unknown, or the caller may not do it.
		reason, _ := in.Extensions["code"].(string)
		switch reason {
		case CodeUnauthenticated, CodeForbidden, errAPQNotFound:
			out.Extensions["code"] = reason
		default:
			out.Extensions["code"] = CodeInvalid
			if reason != "" {
				out.Extensions["reason"] = reason
			}
		}
	default:
		r.logger.ErrorContext(ctx, "graphql: internal error", append(operationAttrs(ctx), "err", err)...)
		out.Message = "internal error"
		out.Extensions["code"] = CodeInternal
	}
	return out
}

// operationAttrs describes the operation in ctx for the log.
func operationAttrs(ctx context.Context) []any {
	var attrs []any
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		name := oc.OperationName
		if name == "" && oc.Operation != nil {
			name = "anonymous " + string(oc.Operation.Operation)
		}
		q := oc.RawQuery
		if len(q) > 2000 {
			q = q[:2000] + "…"
		}
		attrs = append(attrs, "operation", name, "query", q)
	}
	if p := graphql.GetPath(ctx); len(p) > 0 {
		attrs = append(attrs, "path", p.String())
	}
	return attrs
}
