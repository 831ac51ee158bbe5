package paging

import (
	"fmt"
	"iter"
	"math"
)

// Page is one page of a listing and what a response says about it.
type Page[T any] struct {
	Items []T
	// Total is the number of items before paging, or -1 when it was not
	// counted. Ambari writes it as itemTotal.
	Total int
	// Next is the marker that returns the following page and Prev the one
	// that returns the previous page (Sahara's markers.next and
	// markers.prev); empty stands for null.
	Next, Prev string
	// NextToken resumes the listing after this page; empty on the last
	// page or when no Cursors were given.
	NextToken string
}

// Listing says how Apply serves a request beyond the request itself.
type Listing struct {
	// Cursors issues and reads page tokens; nil disables them.
	Cursors *Cursors
	// Binding is a canonical form of the query (predicate, order, scope)
	// that tokens are bound to.
	Binding string
	// Snapshot is the snapshot the source reads. A token that resumes a
	// listing must name the same one: the caller decodes the token first
	// (Cursors.Decode) to pick it.
	Snapshot uint64
	// Count asks for Total with markers and tokens too, which costs a walk
	// to the end. Offsets and unpaged requests always count it.
	Count bool
}

// Apply takes the page that r asks for from src:
//
//   - Offsets as in Ambari: from skips that many items (a negative from is
//     0) and takes Size; to=k takes the last Size items up to index k, to=-1
//     or end the last Size, and to<=-2 nothing. Total is always counted.
//     Only one page of items is held in memory, even for to=end.
//   - Markers as in Sahara: the items after the one whose id is the marker.
//     Next is the id of the last item when more follow; Prev is the id of
//     the item Size places before the marker, which returns the previous
//     page, or empty when the previous page is the first.
//   - Tokens: the items after the token's position.
//
// A marker that names no item and a bad token are *ParamErrors. Markers
// and tokens seek through src and never walk from the start.
func Apply[T any](r Request, src Source[T], l Listing) (Page[T], error) {
	switch r.Style {
	case Offsets:
		return offsetPage(r, src, l)
	case Markers:
		return markerPage(r, src, l)
	case Tokens:
		return tokenPage(r, src, l)
	}
	p := Page[T]{}
	for it := range src.All() {
		p.Items = append(p.Items, it)
	}
	p.Total = len(p.Items)
	return p, nil
}

func offsetPage[T any](r Request, src Source[T], l Listing) (Page[T], error) {
	p := Page[T]{Items: []T{}}
	n := 0
	counter, counted := src.(Counter)
	switch {
	case counted && !r.Backward:
		for it := range src.All() {
			if n >= Reach(r.From, r.Size) {
				break
			}
			if n >= r.From {
				p.Items = append(p.Items, it)
			}
			n++
		}
		n = counter.Count()
	case r.Size <= 0:
		for range src.All() {
			n++
		}
	case !r.Backward:
		for it := range src.All() {
			if n >= r.From && len(p.Items) < r.Size {
				p.Items = append(p.Items, it)
			}
			n++
		}
	case r.To >= -1:
		p.Items, n = lastN(src.All(), r.Size, r.To)
	default: // to <= -2: an empty page
		for range src.All() {
			n++
		}
	}
	p.Total = n
	last := r.From + len(p.Items)
	if r.Backward {
		last = min(r.To+1, n)
		if r.To == -1 {
			last = n
		}
	}
	if len(p.Items) > 0 && last < n {
		return p, p.token(src, l)
	}
	return p, nil
}

// Reach is the index just past a page that starts at from and holds size
// items (a negative size: none), saturating rather than overflowing: both
// are the client's numbers.
func Reach(from, size int) int {
	size = max(size, 0)
	if from > math.MaxInt-size {
		return math.MaxInt
	}
	return from + size
}

// lastN returns the last n items of seq whose index is at most to (-1: no
// bound), holding no more than n at a time, and how many items seq yielded.
func lastN[T any](seq iter.Seq[T], n, to int) ([]T, int) {
	var ring []T // grown by append: n is the client's number, not the data's size
	count, kept := 0, 0
	for it := range seq {
		if to < 0 || count <= to {
			if len(ring) < n {
				ring = append(ring, it)
			} else {
				ring[kept%n] = it
			}
			kept++
		}
		count++
	}
	if kept > n {
		start := kept % n
		ring = append(ring[start:], ring[:start]...)
	}
	return ring, count
}

func markerPage[T any](r Request, src Source[T], l Listing) (Page[T], error) {
	seq := src.All()
	var at Key
	if r.Marker != "" {
		item, ok := src.Find(r.Marker)
		if !ok {
			return Page[T]{}, &ParamError{Param: "marker", Value: r.Marker, Reason: "no item has this id"}
		}
		at = src.Key(item)
		seq = src.After(at)
	}
	p, more := take(seq, r.Size)
	if more {
		p.Next = src.ID(p.Items[len(p.Items)-1])
	}
	if at != nil && r.Size != All {
		p.Prev = prevMarker(src, at, r.Size)
	}
	p.count(src, l)
	if more {
		return p, p.token(src, l)
	}
	return p, nil
}

// prevMarker is the id of the item size places before position at, nearest
// first counting at itself as zero: the marker of the previous page.
func prevMarker[T any](src Source[T], at Key, size int) string {
	step := 0
	for it := range src.Before(at) {
		if step == size {
			return src.ID(it)
		}
		step++
	}
	return ""
}

func tokenPage[T any](r Request, src Source[T], l Listing) (Page[T], error) {
	seq := src.All()
	if r.Token != "" {
		if l.Cursors == nil {
			return Page[T]{}, &ParamError{Param: "page_token", Value: r.Token, Reason: "page tokens are not enabled"}
		}
		cur, err := l.Cursors.Decode(r.Token, l.Binding)
		if err != nil {
			return Page[T]{}, err
		}
		if cur.Snapshot != l.Snapshot {
			return Page[T]{}, fmt.Errorf("paging: the token reads snapshot %d but the listing serves %d", cur.Snapshot, l.Snapshot)
		}
		seq = src.After(cur.Key)
	}
	p, more := take(seq, r.Size)
	p.count(src, l)
	if more {
		return p, p.token(src, l)
	}
	return p, nil
}

// take returns up to size items of seq (all for All) and whether more
// follow.
func take[T any](seq iter.Seq[T], size int) (Page[T], bool) {
	p := Page[T]{Items: []T{}, Total: -1}
	for it := range seq {
		if size != All && len(p.Items) == size {
			return p, true
		}
		p.Items = append(p.Items, it)
	}
	return p, false
}

// count sets Total when the listing asks for it.
func (p *Page[T]) count(src Source[T], l Listing) {
	if !l.Count {
		return
	}
	p.Total = 0
	for range src.All() {
		p.Total++
	}
}

// token sets NextToken to resume after the last item.
func (p *Page[T]) token(src Source[T], l Listing) error {
	if l.Cursors == nil || len(p.Items) == 0 {
		return nil
	}
	t, err := l.Cursors.Encode(l.Binding, Cursor{Key: src.Key(p.Items[len(p.Items)-1]), Snapshot: l.Snapshot})
	p.NextToken = t
	return err
}
