package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// cacheVersion changes when cacheEntry changes shape; older files are
// ignored, which costs one unconditional GET each.
const cacheVersion = 1

// diskCache keeps, per URL, the validators and the body of the last 200 in
// one JSON file named by the SHA-256 of the URL. One small file per URL
// keeps writes independent (no lock, no database) and each one atomic
// (temp file + rename in the same directory).
type diskCache struct {
	dir string
}

// cacheEntry is the file format. Body is the decompressed but not
// transcoded body, so that a 304 goes through the same charset decoding as
// a 200.
type cacheEntry struct {
	Version      int         `json:"v"`
	URL          string      `json:"url"`
	ETag         string      `json:"etag,omitempty"`
	LastModified string      `json:"last_modified,omitempty"`
	Header       http.Header `json:"header"`
	Body         []byte      `json:"body"`
	Stored       time.Time   `json:"stored"`
}

func (c *diskCache) path(url string) string {
	sum := sha256.Sum256([]byte(url))
	return filepath.Join(c.dir, hex.EncodeToString(sum[:])+".json")
}

// load returns the entry for url, or nil if there is none or it cannot be
// read; a damaged entry only costs a full fetch.
func (c *diskCache) load(url string) *cacheEntry {
	if c == nil {
		return nil
	}
	b, err := os.ReadFile(c.path(url))
	if err != nil {
		return nil
	}
	var e cacheEntry
	if json.Unmarshal(b, &e) != nil || e.Version != cacheVersion || e.URL != url {
		return nil
	}
	if e.ETag == "" && e.LastModified == "" {
		return nil
	}
	return &e
}

// store writes e atomically: readers see the old file or the new one,
// never a half-written one.
func (c *diskCache) store(e *cacheEntry) error {
	if c == nil {
		return nil
	}
	e.Version = cacheVersion
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("cache %s: %w", e.URL, err)
	}
	tmp, err := os.CreateTemp(c.dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("cache %s: %w", e.URL, err)
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cache %s: %w", e.URL, err)
	}
	if err := os.Rename(tmp.Name(), c.path(e.URL)); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cache %s: %w", e.URL, err)
	}
	return nil
}

// drop forgets url, for a 200 that no longer carries validators.
func (c *diskCache) drop(url string) error {
	if c == nil {
		return nil
	}
	if err := os.Remove(c.path(url)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cache %s: %w", url, err)
	}
	return nil
}
