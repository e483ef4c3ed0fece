package resolvers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/resolvers/model"
)

// Role is what a token may do; each role may do what the ones below it may.
type Role int

const (
	RoleReader Role = iota + 1 // read
	RoleEditor                 // read, change the graph, read the audit trail
	RoleAdmin                  // all that, and retract whole sources
)

var roleNames = map[string]Role{"reader": RoleReader, "editor": RoleEditor, "admin": RoleAdmin}

func (r Role) String() string {
	for name, v := range roleNames {
		if v == r {
			return name
		}
	}
	return "anonymous"
}

func (r Role) model() *model.Role {
	var m model.Role
	switch r {
	case RoleReader:
		m = model.RoleReader
	case RoleEditor:
		m = model.RoleEditor
	case RoleAdmin:
		m = model.RoleAdmin
	default:
		return nil
	}
	return &m
}

// Principal is who a request acts for: a token's name and role. The zero Principal is
// anonymous.
type Principal struct {
	Name string
	Role Role
}

// Tokens are the API tokens the server accepts. Only their SHA-256 digests are kept.
type Tokens struct {
	byDigest map[[sha256.Size]byte]Principal
}

// ParseTokens reads token entries, one per line (or separated by ';'), each
//
//	ROLE:NAME:SECRET
//
// where ROLE is reader, editor or admin, NAME identifies the token in the audit
// trail, and SECRET is the token itself (at least 16 characters) or, better,
// sha256:<hex digest of the token>, so that the file never holds a usable secret.
// Blank lines and lines starting with # are ignored. Errors say which entry is wrong
// but never echo a secret.
func ParseTokens(text string) (*Tokens, error) {
	t := &Tokens{byDigest: map[[sha256.Size]byte]Principal{}}
	names := map[string]bool{}
	for i, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ';' }) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		role, rest, ok1 := strings.Cut(line, ":")
		name, secret, ok2 := strings.Cut(rest, ":")
		r, known := roleNames[strings.ToLower(strings.TrimSpace(role))]
		name, secret = strings.TrimSpace(name), strings.TrimSpace(secret)
		switch {
		case !ok1 || !ok2:
			return nil, fmt.Errorf("token entry %d: want ROLE:NAME:SECRET", i+1)
		case !known:
			return nil, fmt.Errorf("token entry %d: role %q: want reader, editor or admin", i+1, role)
		case name == "":
			return nil, fmt.Errorf("token entry %d: no name", i+1)
		case names[name]:
			return nil, fmt.Errorf("token entry %d: the name %q is used twice", i+1, name)
		}
		var digest [sha256.Size]byte
		if hexDigest, ok := strings.CutPrefix(secret, "sha256:"); ok {
			b, err := hex.DecodeString(hexDigest)
			if err != nil || len(b) != sha256.Size {
				return nil, fmt.Errorf("token entry %d (%s): sha256: wants 64 hex digits", i+1, name)
			}
			copy(digest[:], b)
		} else {
			if len(secret) < 16 {
				return nil, fmt.Errorf("token entry %d (%s): the token is shorter than 16 characters", i+1, name)
			}
			digest = sha256.Sum256([]byte(secret))
		}
		if _, dup := t.byDigest[digest]; dup {
			return nil, fmt.Errorf("token entry %d (%s): the same token is given twice", i+1, name)
		}
		names[name] = true
		t.byDigest[digest] = Principal{Name: name, Role: r}
	}
	return t, nil
}

// LoadTokens reads the tokens from a file (when file is not empty) and from inline
// entries (CYBERKG_TOKENS), both in ParseTokens's format.
func LoadTokens(file, inline string) (*Tokens, error) {
	text := inline
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, graph.Errorf(graph.EINVALID, "tokens file: %v", err)
		}
		text = string(b) + "\n" + inline
	}
	t, err := ParseTokens(text)
	if err != nil {
		return nil, graph.Errorf(graph.EINVALID, "%v", err)
	}
	return t, nil
}

// Len returns how many tokens there are.
func (t *Tokens) Len() int {
	if t == nil {
		return 0
	}
	return len(t.byDigest)
}

// lookup returns the principal of a token. Tokens are looked up by the digest of what
// the client sent, so how long a lookup takes tells nothing about any secret.
func (t *Tokens) lookup(token string) (Principal, bool) {
	if t == nil || token == "" {
		return Principal{}, false
	}
	p, ok := t.byDigest[sha256.Sum256([]byte(token))]
	return p, ok
}

type principalKey struct{}

func withPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

func principal(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}

// Codes for access errors, in extensions.code.
const (
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeForbidden       = "FORBIDDEN"
)

// accessError refuses a request that lacks a token or the role it needs.
type accessError struct {
	code, msg string
}

func (e *accessError) Error() string { return e.msg }

// require checks the caller has at least the role: UNAUTHENTICATED without a token,
// FORBIDDEN with one of a lesser role.
func require(ctx context.Context, role Role, what string) error {
	p := principal(ctx)
	switch {
	case p.Role == 0:
		return &accessError{CodeUnauthenticated, what + " needs a token: send Authorization: Bearer <token>"}
	case p.Role < role:
		return &accessError{CodeForbidden, fmt.Sprintf("%s needs the role %s; the token %q is a %s's", what, role, p.Name, p.Role)}
	}
	return nil
}

// authenticate finds the caller of an HTTP request. An Authorization header that is
// not a known bearer token is refused (not taken as anonymous), so that a mistyped
// token fails loudly.
func authenticate(r *http.Request, tokens *Tokens) (Principal, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return Principal{}, nil
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return Principal{}, &accessError{CodeUnauthenticated, "Authorization: want Bearer <token>"}
	}
	p, ok := tokens.lookup(strings.TrimSpace(token))
	if !ok {
		return Principal{}, &accessError{CodeUnauthenticated, "unknown or revoked token"}
	}
	return p, nil
}
