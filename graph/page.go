package graph

import "unicode/utf8"

// Page sizes. A page may be empty (First 0) to ask for a count alone.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Cursor is a position in an ordered list: the sort key of one item and its ID, which
// breaks ties. A page starts right after its cursor, so items added or removed before
// it never shift the pages that follow, as offsets would. Which of Rank, Num and Text
// hold the key depends on the list; each list documents its own.
type Cursor struct {
	Rank int     `json:"r,omitempty"`
	Num  float64 `json:"n,omitempty"`
	Text string  `json:"t,omitempty"`
	ID   string  `json:"i"`
}

// Page asks for one page of an ordered list.
type Page struct {
	First int     // items wanted: 0 to MaxPageSize
	After *Cursor // start after this position; nil: at the start
	Count bool    // also count the whole list (Results.Total)
}

// Validate checks the page is one a store can serve: EINVALID otherwise.
func (p Page) Validate() error {
	if p.First < 0 || p.First > MaxPageSize {
		return Errorf(EINVALID, "page size %d: want 0 to %d", p.First, MaxPageSize)
	}
	if p.After != nil && (p.After.ID == "" || !utf8.ValidString(p.After.ID) || !utf8.ValidString(p.After.Text)) {
		return Errorf(EINVALID, "cursor without a valid ID")
	}
	return nil
}

// Results is one page of an ordered list.
type Results[T any] struct {
	Items   []T
	Cursors []Cursor // Cursors[i] is the position of Items[i]
	HasNext bool     // more items follow the last one
	Total   int      // items in the whole list when the Page asked for a count, else -1
	// Edges and Ends are what a query asked for along with its items, read in the same
	// round trip (IncidentQuery.Targets: the TARGETED edges of the page's items, ordered
	// by ID, and the nodes they target, each once, in no particular order); nil when it
	// asked for nothing more.
	Edges []*Edge
	Ends  []*Node
}

// Trim cuts a result that a store fetched with one item more than the page wants (the
// cheapest way to learn whether another page follows) to the page, and sets HasNext.
func (r *Results[T]) Trim(first int) *Results[T] {
	if len(r.Items) > first {
		r.Items, r.Cursors, r.HasNext = r.Items[:first], r.Cursors[:first], true
	}
	return r
}

// PageOf returns the page of an ordered list held in memory that p asks for; key gives
// an item's position, and less orders positions as the list is ordered. Lists the
// stores order (nodes, incidents, sources, search hits) are paged by the store; this
// serves small lists computed in Go, such as the incidents behind a total.
func PageOf[T any](items []T, p Page, key func(T) Cursor, less func(a, b Cursor) bool) *Results[T] {
	r := &Results[T]{Total: -1}
	if p.Count {
		r.Total = len(items)
	}
	start := 0
	if p.After != nil {
		for start < len(items) && !less(*p.After, key(items[start])) {
			start++
		}
	}
	end := min(len(items), start+p.First)
	for _, it := range items[start:end] {
		r.Items = append(r.Items, it)
		r.Cursors = append(r.Cursors, key(it))
	}
	r.HasNext = end < len(items)
	return r
}

// ByID orders cursors by ID alone.
func ByID(a, b Cursor) bool { return a.ID < b.ID }
