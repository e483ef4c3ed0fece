package fetch

import (
	"errors"
	"fmt"
	"net/http"
)

// Sentinel errors for the cases a caller branches on. Get wraps them with the
// URL once, so test them with errors.Is.
var (
	// ErrDisallowed means robots.txt forbids our agent to fetch the URL, or
	// robots.txt could not be had (5xx, 429, unreachable), which RFC 9309
	// treats as a complete disallow. The URL itself was never requested.
	ErrDisallowed = errors.New("disallowed by robots.txt")

	// ErrTooLarge means the decompressed body exceeded Options.MaxBodyBytes.
	ErrTooLarge = errors.New("response body too large")

	// ErrForbiddenAddress means the host resolved to an address the SSRF
	// guard refuses (loopback, private, link-local, metadata, ...), or to a
	// port it does not allow. Checked at dial time, so it covers redirects
	// and DNS rebinding.
	ErrForbiddenAddress = errors.New("forbidden address")

	// ErrTooManyRedirects means the redirect chain was longer than
	// MaxRedirects.
	ErrTooManyRedirects = errors.New("too many redirects")

	// ErrRedirectLoop means a redirect pointed at a URL already visited in
	// the same chain.
	ErrRedirectLoop = errors.New("redirect loop")

	// ErrUnsupportedScheme means the URL, or a redirect target, is not
	// http or https.
	ErrUnsupportedScheme = errors.New("unsupported URL scheme")

	// ErrRetryTooLong means the server asked us (Retry-After) to come back
	// later than Options.MaxRetryWait; we fail rather than sleep that long.
	ErrRetryTooLong = errors.New("server asks to retry later than allowed")

	// ErrTimeout means one of the configured timeouts fired (dial, TLS
	// handshake, response header, or the whole request).
	ErrTimeout = errors.New("timeout")

	// ErrStatus matches any *StatusError; use errors.As for the code.
	ErrStatus = errors.New("unexpected HTTP status")
)

// StatusError reports a final HTTP status that is not a success: a 4xx, a
// 5xx left after the retries, or a 3xx we cannot follow.
type StatusError struct {
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s: %d %s", ErrStatus, e.Code, http.StatusText(e.Code))
}

// Is makes errors.Is(err, ErrStatus) true for every StatusError.
func (e *StatusError) Is(target error) bool { return target == ErrStatus }
