package fetch

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	// maxAttempts bounds the requests made for one URL (one hop) when the
	// server answers 429 or 5xx: the first one and two retries.
	maxAttempts = 3
	// backoffBase is the first backoff when no Retry-After is given; it
	// doubles per attempt, with jitter, and never exceeds MaxRetryWait.
	backoffBase = time.Second
)

// retryable reports whether a status is worth asking again: rate limiting
// and server errors.
func retryable(code int) bool {
	return code == http.StatusTooManyRequests || code >= 500 && code <= 599
}

// retryAfter parses a Retry-After header (RFC 9110 §10.2.3): delay-seconds
// or an HTTP-date. ok is false when the header is absent or unparseable.
func retryAfter(h string, now time.Time) (d time.Duration, ok bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(h, 10, 32); err == nil {
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(h)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// backoff is the wait before attempt n+1 (n counts from 1) with "equal
// jitter": half fixed, half random, so retries from many workers spread out
// but never come back sooner than half the nominal delay.
func backoff(n int, limit time.Duration) time.Duration {
	d := backoffBase << (n - 1)
	if d <= 0 || d > limit {
		d = limit
	}
	half := d / 2
	return half + rand.N(half+1)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
