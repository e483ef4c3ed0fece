package resolvers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/resolvers/exec"
)

// Limits on one operation. Field complexity is gqlgen's default (one per field, lists
// not multiplied); together with the depth bound that keeps one query from walking the
// whole graph. Issue 4 refines both with per-field costs.
const (
	MaxQueryComplexity = 500
	MaxQueryDepth      = 10 // fields nested in fields; introspection (__schema, __type) is not counted
)

// Error codes, in extensions.code of every error the API returns.
const (
	CodeNotFound    = "NOT_FOUND"
	CodeInvalid     = "INVALID" // the request is malformed: syntax, validation, arguments, limits
	CodeConflict    = "CONFLICT"
	CodeUnavailable = "UNAVAILABLE"
	CodeInternal    = "INTERNAL" // details are logged, never shown
)

var codes = map[string]string{
	graph.ENOTFOUND:    CodeNotFound,
	graph.EINVALID:     CodeInvalid,
	graph.ECONFLICT:    CodeConflict,
	graph.EUNAVAILABLE: CodeUnavailable,
	graph.EINTERNAL:    CodeInternal,
}

// errDepthLimit is the gqlgen-style code of a query nested too deep; like gqlgen's own
// codes it ends up in extensions.reason, under extensions.code INVALID.
const errDepthLimit = "DEPTH_LIMIT_EXCEEDED"

// Operations refused by a limit are refused before they run, like invalid ones: HTTP
// 422, not 200. (gqlgen leaves its complexity code unregistered, so it would be 200.)
func init() {
	errcode.RegisterErrorType(errDepthLimit, errcode.KindProtocol)
	errcode.RegisterErrorType("COMPLEXITY_LIMIT_EXCEEDED", errcode.KindProtocol)
}

// NewHandler returns the GraphQL endpoint over store, for POST and GET requests, with
// introspection on and the limits above. Errors carry extensions.code (CodeNotFound and
// the rest, mapped once from graph's error codes); internal errors and panics are
// logged to logger (nil: slog.Default) with the operation and shown only as "internal
// error".
func NewHandler(store graph.Store, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	r := &Resolver{store: store, logger: logger}
	srv := handler.New(exec.NewExecutableSchema(exec.Config{Resolvers: r}))
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.FixedComplexityLimit(MaxQueryComplexity))
	srv.Use(depthLimit(MaxQueryDepth))
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(withLoaders(ctx, store))
	})
	srv.SetErrorPresenter(r.presentError)
	srv.SetRecoverFunc(r.recoverPanic)
	return srv
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
	switch {
	case errors.Is(err, errRecovered):
		out.Message = "internal error"
		out.Extensions["code"] = CodeInternal
	case errors.As(err, &domain) && codes[domain.Code] != "" && domain.Code != graph.EINTERNAL:
		out.Message = domain.Message
		out.Extensions["code"] = codes[domain.Code]
		if domain.Code == graph.EUNAVAILABLE {
			r.logger.WarnContext(ctx, "graphql: store unavailable", append(operationAttrs(ctx), "err", err)...)
		}
	case in.Err == nil:
		// gqlgen's own error, about the request: it could not be parsed or validated,
		// a variable has the wrong type, or a limit was exceeded.
		out.Extensions["code"] = CodeInvalid
		if reason, ok := in.Extensions["code"].(string); ok {
			out.Extensions["reason"] = reason
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

// depthLimit rejects operations whose fields nest deeper than its value.
type depthLimit int

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit(0)

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	got := selectionDepth(oc.Operation.SelectionSet, oc.Doc.Fragments, map[string]int{})
	if got <= int(d) {
		return nil
	}
	err := gqlerror.Errorf("operation has depth %d, which exceeds the limit of %d", got, int(d))
	errcode.Set(err, errDepthLimit)
	return err
}

// selectionDepth returns how deep fields nest in set. Fragments are measured once each
// (memo); validation has already refused fragment cycles.
func selectionDepth(set ast.SelectionSet, frags ast.FragmentDefinitionList, memo map[string]int) int {
	deepest := 0
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if !strings.HasPrefix(sel.Name, "__") {
				deepest = max(deepest, 1+selectionDepth(sel.SelectionSet, frags, memo))
			}
		case *ast.InlineFragment:
			deepest = max(deepest, selectionDepth(sel.SelectionSet, frags, memo))
		case *ast.FragmentSpread:
			d, ok := memo[sel.Name]
			if !ok {
				memo[sel.Name] = 0 // a cycle, were there one, ends here
				if def := frags.ForName(sel.Name); def != nil {
					d = selectionDepth(def.SelectionSet, frags, memo)
				}
				memo[sel.Name] = d
			}
			deepest = max(deepest, d)
		}
	}
	return deepest
}
