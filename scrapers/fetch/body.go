package fetch

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"
)

// acceptEncoding is what we advertise. Setting it ourselves stops net/http
// from decompressing behind our back, so the size cap below is applied to
// the bytes we actually keep, not to the compressed stream.
const acceptEncoding = "gzip, deflate"

// readBody decompresses r according to contentEncoding and returns it, at
// most limit decoded bytes. A longer body fails with ErrTooLarge; with
// keepPrefix the first limit bytes come back with the error (robots.txt,
// where a prefix is still usable). The compressed stream is also cut at
// 2*limit, so a stream of empty deflate blocks cannot keep us reading.
func readBody(r io.Reader, contentEncoding string, limit int64, keepPrefix bool) ([]byte, error) {
	raw := &capReader{r: r, left: 2 * limit}
	dec, err := decoder(raw, contentEncoding)
	if err != nil {
		return nil, err
	}
	if dec == nil { // empty compressed body
		return []byte{}, nil
	}
	return readCapped(dec, limit, keepPrefix)
}

// decoder returns a reader of the decoded body, or nil for an empty one.
func decoder(r io.Reader, contentEncoding string) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(contentEncoding)) {
	case "", "identity":
		return r, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r)
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		return zr, nil
	case "deflate":
		// RFC 9110 says zlib-wrapped, but some servers send raw deflate;
		// the zlib header is recognisable in two bytes.
		br := bufio.NewReader(r)
		head, err := br.Peek(2)
		if len(head) == 0 && errors.Is(err, io.EOF) {
			return nil, nil
		}
		if len(head) == 2 && head[0]&0x0f == 8 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, fmt.Errorf("deflate body: %w", err)
			}
			return zr, nil
		}
		return flate.NewReader(br), nil
	default:
		// We advertise only gzip and deflate; stacked or unknown codings
		// are not worth the attack surface.
		return nil, fmt.Errorf("unsupported Content-Encoding %q", contentEncoding)
	}
}

// readChunk is the unit readCapped allocates in.
const readChunk = 64 << 10

// readCapped reads r to EOF, keeping at most limit bytes. It reads into
// fixed chunks joined once at the end, so a body that never ends, however
// well it compresses, costs about the cap in allocations and no more.
func readCapped(r io.Reader, limit int64, keepPrefix bool) ([]byte, error) {
	var chunks [][]byte
	var total int64
	for {
		// limit+1: one byte past the cap is how we know it was passed.
		c := make([]byte, min(readChunk, limit+1-total))
		n, err := fill(r, c)
		total += int64(n)
		chunks = append(chunks, c[:n])
		if total > limit {
			tooLarge := fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
			if !keepPrefix {
				return nil, tooLarge
			}
			return join(chunks, limit), tooLarge
		}
		if errors.Is(err, io.EOF) {
			return join(chunks, total), nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// fill reads until c is full or r fails; unlike io.ReadFull it passes a
// decoder's io.ErrUnexpectedEOF (a truncated stream) through unchanged.
func fill(r io.Reader, c []byte) (n int, err error) {
	for n < len(c) && err == nil {
		var m int
		m, err = r.Read(c[n:])
		n += m
	}
	return n, err
}

func join(chunks [][]byte, size int64) []byte {
	if len(chunks) == 1 {
		return chunks[0][:size]
	}
	out := make([]byte, 0, size)
	for _, c := range chunks {
		out = append(out, c[:min(int64(len(c)), size-int64(len(out)))]...)
	}
	return out
}

// capReader fails with ErrTooLarge once more than left bytes were read.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// Look one byte ahead: a body of exactly the cap is fine.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w: compressed stream too long", ErrTooLarge)
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
