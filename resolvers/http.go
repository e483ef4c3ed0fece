package resolvers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Media types of GraphQL over HTTP (https://graphql.github.io/graphql-over-http/).
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// overHTTP is the one transport: GraphQL over HTTP as the spec and the graphql-http
// audit want it, POST for everything and GET for queries. gqlgen's own GET and POST
// transports answer some malformed requests with 200 and write "data": null on
// request errors, which the application/graphql-response+json media type forbids.
//
// Status codes: a request that is not GraphQL at all (no JSON, no query, parameters
// of the wrong type) is 400 whatever the client accepts; a GraphQL request error
// (parse, validation, variables, limits) is 400 for application/graphql-response+json
// and 200 for application/json, as the spec says; a missing or unknown token is 401,
// a role too weak 403; a mutation over GET 405; everything that ran is 200.
type overHTTP struct{}

var _ graphql.Transport = overHTTP{}

func (overHTTP) Supports(r *http.Request) bool {
	return r.Method == http.MethodGet || r.Method == http.MethodPost
}

// request is the body of a POST, or the parameters of a GET.
type request struct {
	Query         *string         `json:"query"`
	OperationName *string         `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

func (overHTTP) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	media := responseMedia(r.Header.Get("Accept"))
	raw, status, err := readParams(r)
	if err != nil {
		writeErrors(w, media, status, &gqlerror.Error{Message: err.Error(), Extensions: map[string]any{"code": CodeInvalid}})
		return
	}
	ctx := r.Context()
	oc, errs := exec.CreateOperationContext(ctx, raw)
	// A mutation over GET is refused as such, whoever sends it and whatever else is
	// wrong with it: GET must never change anything.
	if r.Method == http.MethodGet && oc != nil && oc.Operation != nil && oc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", "POST")
		writeErrors(w, media, http.StatusMethodNotAllowed, &gqlerror.Error{
			Message:    "GET requests may only run queries: send mutations with POST",
			Extensions: map[string]any{"code": CodeInvalid},
		})
		return
	}
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		writeErrors(w, media, requestErrorStatus(media, resp.Errors), resp.Errors...)
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	resp := responses(ctx)
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	b, err := json.Marshal(resp)
	if err != nil {
		// Every value the resolvers return encodes; this is a bug, and the client
		// still gets a well-formed answer.
		writeErrors(w, media, http.StatusInternalServerError, &gqlerror.Error{Message: "internal error", Extensions: map[string]any{"code": CodeInternal}})
		return
	}
	w.Write(b)
}

// errBadRequest is a request that is not GraphQL over HTTP.
type errBadRequest string

func (e errBadRequest) Error() string { return string(e) }

// readParams reads a GraphQL request from a GET's query string or a POST's JSON body,
// checking the type of every parameter; the status is for a request that fails.
func readParams(r *http.Request) (*graphql.RawParams, int, error) {
	var req request
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		for name, dst := range map[string]**string{"query": &req.Query, "operationName": &req.OperationName} {
			if v, ok := q[name]; ok {
				*dst = &v[0]
			}
		}
		for name, dst := range map[string]*json.RawMessage{"variables": &req.Variables, "extensions": &req.Extensions} {
			if v := q.Get(name); v != "" {
				*dst = json.RawMessage(v)
			}
		}
	} else {
		media, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || media != mediaJSON {
			return nil, http.StatusUnsupportedMediaType, errBadRequest("send the request as Content-Type: application/json")
		}
		if cs := params["charset"]; cs != "" && !strings.EqualFold(cs, "utf-8") {
			return nil, http.StatusUnsupportedMediaType, errBadRequest("the request must be UTF-8")
		}
		body, err := io.ReadAll(r.Body)
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			return nil, http.StatusRequestEntityTooLarge, errBadRequest("the request body is larger than " + strconv.FormatInt(tooLarge.Limit, 10) + " bytes")
		case err != nil:
			return nil, http.StatusBadRequest, errBadRequest("could not read the request body")
		case len(bytes.TrimSpace(body)) == 0:
			return nil, http.StatusBadRequest, errBadRequest("the request body is empty: send {\"query\": ...}")
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
			return nil, http.StatusBadRequest, errBadRequest("the request body is not a JSON object")
		}
		if err := json.Unmarshal(body, &req); err != nil {
			return nil, http.StatusBadRequest, errBadRequest("query and operationName must be strings, variables and extensions objects")
		}
	}
	raw := &graphql.RawParams{Headers: r.Header}
	raw.ReadTime.Start = graphql.Now()
	if req.OperationName != nil {
		raw.OperationName = *req.OperationName
	}
	var err error
	if raw.Variables, err = object(req.Variables); err != nil {
		return nil, http.StatusBadRequest, errBadRequest("variables must be a JSON object")
	}
	if raw.Extensions, err = object(req.Extensions); err != nil {
		return nil, http.StatusBadRequest, errBadRequest("extensions must be a JSON object")
	}
	if req.Query != nil {
		raw.Query = *req.Query
	} else if raw.Extensions["persistedQuery"] == nil {
		return nil, http.StatusBadRequest, errBadRequest("no query: send {\"query\": \"{ ... }\"}")
	}
	raw.ReadTime.End = graphql.Now()
	return raw, 0, nil
}

// object decodes an optional JSON object, keeping numbers exact as gqlgen expects.
func object(b json.RawMessage) (map[string]any, error) {
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, errors.New("not an object")
	}
	return m, nil
}

// responseMedia picks the response's media type from the Accept header: the
// graphql-response type when the client prefers it, JSON otherwise (also for */*, and
// when the client accepts neither: the spec lets a server answer JSON then).
func responseMedia(accept string) string {
	best, bestQ := mediaJSON, -1.0
	for part := range strings.SplitSeq(accept, ",") {
		media, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, err := strconv.ParseFloat(params["q"], 64); err == nil {
			q = v
		}
		switch media {
		case mediaGraphQLResponse, mediaJSON, "application/*", "*/*":
			if media == "application/*" || media == "*/*" {
				media = mediaJSON
			}
			if q > bestQ || (q == bestQ && media == mediaGraphQLResponse) {
				best, bestQ = media, q
			}
		}
	}
	return best
}

// requestErrorStatus is the status of a request that failed before it ran.
func requestErrorStatus(media string, errs gqlerror.List) int {
	for _, e := range errs {
		switch e.Extensions["code"] {
		case CodeUnauthenticated:
			return http.StatusUnauthorized
		case CodeForbidden:
			return http.StatusForbidden
		case errAPQNotFound:
			// Apollo's clients send the query again on this answer, whatever its status.
			return http.StatusOK
		}
	}
	if media == mediaGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// writeErrors answers a request that did not run: errors and no data entry.
func writeErrors(w http.ResponseWriter, media string, status int, errs ...*gqlerror.Error) {
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="cyberkg"`)
	}
	w.WriteHeader(status)
	b, _ := json.Marshal(struct {
		Errors gqlerror.List `json:"errors"`
	}{errs})
	w.Write(b)
}
