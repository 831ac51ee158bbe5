package paging_test

import (
	"net/url"
	"testing"

	"github.com/ambitkit/ambit/paging"
	"github.com/google/go-cmp/cmp"
)

func values(q string) url.Values {
	v, err := url.ParseQuery(q)
	if err != nil {
		panic(err)
	}
	return v
}

func TestParse(t *testing.T) {
	key := func(p string, desc bool) paging.SortKey { return paging.SortKey{Path: split(p), Desc: desc} }
	tests := []struct {
		query string
		want  paging.Request
	}{
		{"", paging.Request{Size: paging.All}},
		{"fields=*", paging.Request{Size: paging.All}},
		// Ambari.
		{"page_size=10", paging.Request{Style: paging.Offsets, Size: 10}},
		{"from=5", paging.Request{Style: paging.Offsets, Size: 20, From: 5}},
		{"from=start&page_size=3", paging.Request{Style: paging.Offsets, Size: 3}},
		{"from=-4", paging.Request{Style: paging.Offsets, Size: 20}},
		{"to=end", paging.Request{Style: paging.Offsets, Size: 20, Backward: true, To: -1}},
		{"to=7&page_size=2", paging.Request{Style: paging.Offsets, Size: 2, Backward: true, To: 7}},
		{"to=-3", paging.Request{Style: paging.Offsets, Size: 20, Backward: true, To: -3}},
		{"page_size=0", paging.Request{Style: paging.Offsets, Size: 0}},
		{"page_size=4&page_size=9", paging.Request{Style: paging.Offsets, Size: 4}}, // the first counts
		// Sahara.
		{"limit=15", paging.Request{Style: paging.Markers, Size: 15}},
		{"limit=15&marker=d62ad147", paging.Request{Style: paging.Markers, Size: 15, Marker: "d62ad147"}},
		{"marker=d62ad147", paging.Request{Style: paging.Markers, Size: paging.All, Marker: "d62ad147"}},
		// ambit.
		{"page_token=abc", paging.Request{Style: paging.Tokens, Size: 20, Token: "abc"}},
		{"page_token=abc&page_size=5", paging.Request{Style: paging.Tokens, Size: 5, Token: "abc"}},
		{"page_token=abc&limit=7", paging.Request{Style: paging.Tokens, Size: 7, Token: "abc"}},
		// Sorting.
		{"sortBy=Hosts/cpu_count.desc,Hosts/host_name", paging.Request{Size: paging.All, Order: paging.Order{key("Hosts/cpu_count", true), key("Hosts/host_name", false)}}},
		{"sortBy=a.DESC,b.Asc,c.d.desc,v1.2", paging.Request{Size: paging.All, Order: paging.Order{key("a", true), key("b", false), key("c.d", true), key("v1.2", false)}}},
		{"sort_by=-created_at,name&limit=2", paging.Request{Style: paging.Markers, Size: 2, Order: paging.Order{key("created_at", true), key("name", false)}}},
		{"sortBy=", paging.Request{Size: paging.All}},
		{"sortBy=a,,b", paging.Request{Size: paging.All, Order: paging.Order{key("a", false), key("b", false)}}},
	}
	for _, tt := range tests {
		got, err := paging.Parse(values(tt.query), paging.Options{})
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.query, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got)\n%s", tt.query, diff)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		query string
		opts  paging.Options
		want  *paging.ParamError
	}{
		{"page_size=ten", paging.Options{}, &paging.ParamError{Param: "page_size", Value: "ten", Reason: "not an integer"}},
		{"page_size=1.5", paging.Options{}, &paging.ParamError{Param: "page_size", Value: "1.5", Reason: "not an integer"}},
		{"from=first", paging.Options{}, &paging.ParamError{Param: "from", Value: "first", Reason: `not an integer or "start"`}},
		{"from=Start", paging.Options{}, &paging.ParamError{Param: "from", Value: "Start", Reason: `not an integer or "start"`}},
		{"to=last", paging.Options{}, &paging.ParamError{Param: "to", Value: "last", Reason: `not an integer or "end"`}},
		{"limit=0", paging.Options{}, &paging.ParamError{Param: "limit", Value: "0", Reason: "must be a positive integer"}},
		{"limit=-1&marker=x", paging.Options{}, &paging.ParamError{Param: "limit", Value: "-1", Reason: "must be a positive integer"}},
		{"limit=x", paging.Options{}, &paging.ParamError{Param: "limit", Value: "x", Reason: "not an integer"}},
		{"marker=a&page_token=b", paging.Options{}, &paging.ParamError{Param: "marker", Value: "a", Reason: "cannot be combined with page_token"}},
		{"marker=a&from=2", paging.Options{}, &paging.ParamError{Param: "marker", Value: "a", Reason: "cannot be combined with from"}},
		{"page_token=t&to=end", paging.Options{}, &paging.ParamError{Param: "page_token", Value: "t", Reason: "cannot be combined with to"}},
		{"sortBy=a&sort_by=b", paging.Options{}, &paging.ParamError{Param: "sortBy", Value: "a", Reason: "cannot be combined with sort_by"}},
		{"sortBy=Hosts/host_name.", paging.Options{}, &paging.ParamError{Param: "sortBy", Value: "Hosts/host_name.", Reason: `the sort key "Hosts/host_name." has an empty direction: write .asc or .desc`}},
		{"sortBy=.desc", paging.Options{}, &paging.ParamError{Param: "sortBy", Value: ".desc", Reason: `the sort key ".desc" has an empty path segment`}},
		{"sort_by=-", paging.Options{}, &paging.ParamError{Param: "sort_by", Value: "-", Reason: `the sort key "-" has an empty path segment`}},
		{"sortBy=a//b", paging.Options{}, &paging.ParamError{Param: "sortBy", Value: "a//b", Reason: `the sort key "a//b" has an empty path segment`}},
		{"from=2&to=9", paging.Options{}, &paging.ParamError{Param: "from", Value: "2", Reason: "cannot be combined with to"}},
		{"page_size=-1", paging.Options{}, &paging.ParamError{Param: "page_size", Value: "-1", Reason: "must not be negative"}},
		{"page_size=101", paging.Options{MaxSize: 100}, &paging.ParamError{Param: "page_size", Value: "101", Reason: "larger than the maximum page size of 100"}},
		{"limit=500", paging.Options{MaxSize: 100}, &paging.ParamError{Param: "limit", Value: "500", Reason: "larger than the maximum page size of 100"}},
	}
	for _, tt := range tests {
		_, err := paging.Parse(values(tt.query), tt.opts)
		if diff := cmp.Diff(tt.want, err); diff != "" {
			t.Errorf("Parse(%q) (-want +got)\n%s", tt.query, diff)
		}
	}
	_, err := paging.Parse(values("page_size=ten"), paging.Options{})
	if want := `invalid page_size "ten": not an integer`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
}

func TestOrderString(t *testing.T) {
	o, _ := paging.ParseSortFlag("-created_at,name")
	if got := o.String(); got != "created_at.desc,name" {
		t.Errorf("String() = %q", got)
	}
}

func split(p string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return out
}
