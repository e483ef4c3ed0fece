package discover

import (
	"errors"
	"net"
	"net/url"
	"strings"
)

// normalize returns the canonical form of an http(s) URL, used both as the item URL
// and as the key that stops a URL being fetched twice: lowercase scheme and host, no
// default port, no fragment, "/" for an empty path. It refuses anything that is not
// http(s) with a host, and URLs carrying a user name or password, which no article
// link needs and which can make a link look like it points somewhere it does not.
func normalize(u *url.URL) (*url.URL, bool) {
	if u == nil || u.Opaque != "" || u.User != nil {
		return nil, false
	}
	n := *u
	n.Scheme = strings.ToLower(n.Scheme)
	if n.Scheme != "http" && n.Scheme != "https" {
		return nil, false
	}
	host := strings.TrimRight(strings.ToLower(n.Hostname()), ".")
	if host == "" || strings.ContainsAny(host, " /\\@") {
		return nil, false
	}
	port := n.Port()
	if (n.Scheme == "http" && port == "80") || (n.Scheme == "https" && port == "443") {
		port = ""
	}
	switch {
	case port != "":
		n.Host = net.JoinHostPort(host, port)
	case strings.Contains(host, ":"):
		n.Host = "[" + host + "]"
	default:
		n.Host = host
	}
	n.Fragment, n.RawFragment = "", ""
	if n.Path == "" {
		n.Path, n.RawPath = "/", ""
	}
	n.ForceQuery = false
	return &n, true
}

// resolve resolves a reference found in a document against the document's URL and
// normalises it.
func resolve(base *url.URL, ref string) (*url.URL, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" || base == nil {
		return nil, false
	}
	r, err := url.Parse(ref)
	if err != nil {
		return nil, false
	}
	return normalize(base.ResolveReference(r))
}

// rule is one allowlist entry: a host (with its port when not the default) and a path
// prefix, and optionally a scheme.
type rule struct {
	scheme string
	host   string
	path   string
}

// parseRule reads "host/path-prefix" or "scheme://host/path-prefix".
func parseRule(s string) (rule, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return rule{}, errors.New("is empty")
	}
	explicit := strings.Contains(s, "://")
	if !explicit {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return rule{}, errors.New("is not a host and path")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return rule{}, errors.New("must be a host and path prefix, without query or fragment")
	}
	n, ok := normalize(u)
	if !ok {
		return rule{}, errors.New("must be an http or https host and path prefix")
	}
	if unsafePath(n.Path) {
		return rule{}, errors.New(`must not contain "." or ".." path segments or backslashes`)
	}
	r := rule{host: n.Host, path: n.Path}
	if explicit {
		r.scheme = n.Scheme
	}
	return r, nil
}

// match reports whether u lies inside the rule. Prefixes end at a path segment, so
// "/news" admits "/news" and "/news/x" but not "/newsletter".
func (r rule) match(u *url.URL) bool {
	if (r.scheme != "" && u.Scheme != r.scheme) || u.Host != r.host {
		return false
	}
	if r.path == "/" || u.Path == r.path {
		return true
	}
	return strings.HasPrefix(u.Path, strings.TrimSuffix(r.path, "/")+"/")
}

// allowed reports whether a normalised URL is inside the allowlist.
func allowed(rules []rule, u *url.URL) bool {
	if unsafePath(u.Path) {
		return false
	}
	for _, r := range rules {
		if r.match(u) {
			return true
		}
	}
	return false
}

// unsafePath reports a decoded path that a server might read as a step outside a
// prefix: resolution already removed literal dot segments, so any left came through
// escapes ("%2e%2e", "%2F"), and some servers treat a backslash as a slash.
func unsafePath(p string) bool {
	if strings.ContainsRune(p, '\\') {
		return true
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}
