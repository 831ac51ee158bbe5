package paging

import (
	"fmt"
	"net/url"
	"strconv"
)

// Style is the way a request pages.
type Style uint8

const (
	// Unpaged: no paging parameter was given. Everything is returned and
	// no total is written.
	Unpaged Style = iota
	// Offsets is Ambari's page_size, from and to.
	Offsets
	// Markers is Sahara's limit and marker.
	Markers
	// Tokens is ambit's page_token: an opaque cursor from a previous page.
	Tokens
)

// All is the Size of a request without a limit.
const All = -1

// DefaultSize is Ambari's page size when from or to is given without
// page_size.
const DefaultSize = 20

// Request is a parsed page request.
type Request struct {
	Style Style
	// Size is the most items a page holds; All for no limit. With Offsets,
	// 0 gives an empty page (with the total), as in Ambari.
	Size int
	// From is the zero-based index of the first item (Offsets, unless
	// Backward). A negative from is 0.
	From int
	// Backward says that the page ends at index To rather than starting
	// at From (Offsets with to= and no from=). To is -1 for the end; -2 or
	// less gives an empty page.
	Backward bool
	To       int
	// Marker is the id of the last item of the previous page (Markers);
	// empty for the first page.
	Marker string
	// Token is the cursor of the previous page (Tokens).
	Token string
	// Order is the requested sort order, from sortBy or sort_by.
	Order Order
}

// Options are the limits Parse applies.
type Options struct {
	// MaxSize, when positive, is the largest page size accepted: a larger
	// page_size or limit is an error. Ambari has no such limit, so zero
	// means none.
	MaxSize int
}

// ParamError reports a bad paging or sorting parameter.
type ParamError struct {
	Param  string // the parameter, e.g. page_size
	Value  string // its value as given
	Reason string
	// Expired is set for a page token that has expired (HTTP 410 Gone, as
	// Kubernetes answers an expired continue token).
	Expired bool
}

// Error reads `invalid page_size "x": <reason>`.
func (e *ParamError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s", e.Param, e.Value, e.Reason)
}

// Parse reads the paging and sorting parameters of a request: page_size,
// from and to (Ambari), limit and marker (Sahara), page_token (ambit), and
// sortBy (Ambari) or sort_by (Sahara). As in Ambari, only the first value
// of a repeated parameter counts.
//
// Styles do not mix: a marker with a page_token, or either of them with
// from or to, is an error, and so are sortBy and sort_by together, and
// from with to. A negative page_size is an error (Ambari lets from win
// over to and answers an empty page for a negative size). A
// page_token resumes with the page size of page_size or limit, or the
// default.
func Parse(v url.Values, o Options) (Request, error) {
	var r Request
	has := func(name string) bool { _, ok := v[name]; return ok }
	switch {
	case has("marker") && has("page_token"):
		return r, conflict("marker", v, "page_token")
	case (has("marker") || has("page_token")) && (has("from") || has("to")):
		name := "marker"
		if has("page_token") {
			name = "page_token"
		}
		other := "from"
		if !has("from") {
			other = "to"
		}
		return r, conflict(name, v, other)
	case has("sortBy") && has("sort_by"):
		return r, conflict("sortBy", v, "sort_by")
	case has("from") && has("to"):
		// Ambari lets from win; seed 003 says "either from or to can be
		// specified, not both", and a client that sends both has a bug
		// worth telling it about.
		return r, conflict("from", v, "to")
	}

	var err error
	switch {
	case has("page_token"):
		r.Style, r.Token = Tokens, v.Get("page_token")
		r.Size, err = size(v, o, DefaultSize)
	case has("marker") || has("limit"):
		r.Style, r.Marker = Markers, v.Get("marker")
		r.Size, err = size(v, o, All)
	case has("page_size") || has("from") || has("to"):
		r.Style = Offsets
		if r.Size, err = size(v, o, DefaultSize); err == nil {
			err = r.offsets(v)
		}
	default:
		r.Size = All
	}
	if err != nil {
		return Request{}, err
	}

	if has("sortBy") {
		r.Order, err = ParseSortBy(v.Get("sortBy"))
	} else if has("sort_by") {
		r.Order, err = ParseSortFlag(v.Get("sort_by"))
	}
	if err != nil {
		return Request{}, err
	}
	return r, nil
}

// size reads page_size or limit.
func size(v url.Values, o Options, def int) (int, error) {
	name := "page_size"
	if _, ok := v["limit"]; ok {
		name = "limit"
	} else if _, ok := v[name]; !ok {
		return def, nil
	}
	s := v.Get(name)
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		return 0, &ParamError{Param: name, Value: s, Reason: "not an integer"}
	case name == "limit" && n <= 0:
		return 0, &ParamError{Param: name, Value: s, Reason: "must be a positive integer"}
	case o.MaxSize > 0 && n > o.MaxSize:
		return 0, &ParamError{Param: name, Value: s, Reason: fmt.Sprintf("larger than the maximum page size of %d", o.MaxSize)}
	case n < 0:
		// Ambari answers an empty page; a negative size is always a
		// client's mistake.
		return 0, &ParamError{Param: name, Value: s, Reason: "must not be negative"}
	}
	return n, nil
}

// offsets reads from (which wins) or to.
func (r *Request) offsets(v url.Values) error {
	if _, ok := v["from"]; ok {
		s := v.Get("from")
		if s == "start" {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return &ParamError{Param: "from", Value: s, Reason: `not an integer or "start"`}
		}
		r.From = max(n, 0)
		return nil
	}
	if _, ok := v["to"]; ok {
		s := v.Get("to")
		r.Backward, r.To = true, -1
		if s == "end" {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return &ParamError{Param: "to", Value: s, Reason: `not an integer or "end"`}
		}
		r.To = n
	}
	return nil
}

func conflict(name string, v url.Values, other string) error {
	return &ParamError{Param: name, Value: v.Get(name), Reason: "cannot be combined with " + other}
}

// Paged reports whether the request pages at all. Ambari writes itemTotal
// only for paged requests.
func (r Request) Paged() bool { return r.Style != Unpaged }
