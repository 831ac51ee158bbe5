package query_test

import (
	"net/url"
	"testing"

	"github.com/ambitkit/ambit/query"
	"github.com/google/go-cmp/cmp"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		raw        string
		extra      []string
		wantPred   string
		wantParams url.Values
	}{
		{"Hosts/cpu_count>=2&Hosts/os_type.in(rhel8,centos7)&fields=Hosts/host_name,metrics/disk/*&page_size=10&from=start",
			nil, "Hosts/cpu_count>=2&Hosts/os_type.in(rhel8,centos7)",
			url.Values{"fields": {"Hosts/host_name,metrics/disk/*"}, "page_size": {"10"}, "from": {"start"}}},
		{"fields=*&_=1700000000", nil, "", url.Values{"fields": {"*"}, "_": {"1700000000"}}},
		{"", nil, "", url.Values{}},
		{"format=minimal&minimal_response=true&sortBy=Hosts/host_name.desc&doAs=admin&to=end", nil, "",
			url.Values{"format": {"minimal"}, "minimal_response": {"true"}, "sortBy": {"Hosts/host_name.desc"}, "doAs": {"admin"}, "to": {"end"}}},
		// Percent-decoding: parameters part by part, the predicate as a whole.
		{"Hosts/host_name=c6401%2Eambari&fields=Hosts%2Fhost_name", nil, "Hosts/host_name=c6401.ambari", url.Values{"fields": {"Hosts/host_name"}}},
		{"a=%26&b=1", nil, "a=&&b=1", url.Values{}}, // %26 is an operator, as in Ambari
		{"a=x+y", nil, "a=x y", url.Values{}},
		// An & inside brackets never separates parameters.
		{"a.in(x&fields=y)&fields=z", nil, "a.in(x&fields=y)", url.Values{"fields": {"z"}}},
		{"(a=1&fields=x)&b=2", nil, "(a=1&fields=x)&b=2", url.Values{}},
		{"a.matches%28x&y%29&page_size=5", nil, "a.matches(x&y)", url.Values{"page_size": {"5"}}},
		// Caller-supplied names, such as Sahara's.
		{"limit=15&marker=d62ad147&sort_by=-created_at&name=c1", []string{"limit", "marker", "sort_by"}, "name=c1",
			url.Values{"limit": {"15"}, "marker": {"d62ad147"}, "sort_by": {"-created_at"}}},
		{"limit=15", nil, "limit=15", url.Values{}}, // not reserved unless asked
		// Exact, case-sensitive names; only name=value forms.
		{"Fields=x&fields", nil, "Fields=x&fields", url.Values{}},
		{"a=1|fields=x", nil, "a=1|fields=x", url.Values{}}, // stays: an unknown property later
		{"fields=a&fields=b", nil, "", url.Values{"fields": {"a", "b"}}},
		{"fields=a=b", nil, "", url.Values{"fields": {"a=b"}}},
		// Empty parts stay in the predicate, so a stray & is a syntax error there.
		{"a=1&", nil, "a=1&", url.Values{}},
		{"a=1&&fields=x", nil, "a=1&", url.Values{"fields": {"x"}}},
		{"fields=x&", nil, "", url.Values{"fields": {"x"}}},
		{"a=1)&fields=x", nil, "a=1)", url.Values{"fields": {"x"}}}, // a stray ) does not swallow the rest
	}
	for _, tt := range tests {
		pred, params, err := query.Split(tt.raw, tt.extra...)
		if err != nil {
			t.Errorf("Split(%q): %v", tt.raw, err)
			continue
		}
		if pred != tt.wantPred {
			t.Errorf("Split(%q) predicate = %q, want %q", tt.raw, pred, tt.wantPred)
		}
		if diff := cmp.Diff(tt.wantParams, params); diff != "" {
			t.Errorf("Split(%q) params (-want +got)\n%s", tt.raw, diff)
		}
	}
}

func TestSplitErrors(t *testing.T) {
	tests := map[string]*query.SyntaxError{
		"a=%zz":             {Offset: 2, Token: "%zz", Reason: "a malformed percent-escape"},
		"fields=x&a=1%2":    {Offset: 12, Token: "%2", Reason: "a malformed percent-escape"},
		"a=%41&b=%":         {Offset: 8, Token: "%", Reason: "a malformed percent-escape"},
		"page_size=%G1&a=1": {Offset: 10, Token: "%G1", Reason: "a malformed percent-escape"},
	}
	for raw, want := range tests {
		_, _, err := query.Split(raw)
		if diff := cmp.Diff(want, err); diff != "" {
			t.Errorf("Split(%q) (-want +got)\n%s", raw, diff)
		}
	}
}

func TestReservedIsACopy(t *testing.T) {
	r := query.Reserved()
	want := []string{"fields", "format", "page_size", "from", "to", "minimal_response", "sortBy", "doAs", "_"}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	r[0] = "changed"
	if query.Reserved()[0] != "fields" {
		t.Error("Reserved returned the package's own slice")
	}
}
