package query_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ambitkit/ambit/query"
)

// resource is the tree the evaluation cases run against.
func resource() map[string]any {
	return map[string]any{
		"Hosts": map[string]any{
			"host_name": "C6401",
			"cpu_count": 4.0,
			"cpu_str":   "4",
			"version":   "2.10",
			"release":   "1.10.2",
			"name":      "abc",
			"os":        "centos6",
			"big":       int64(1 << 53),
			"below":     int64(1<<53 - 1),
			"small":     int8(-3),
			"ram":       uint32(2048),
			"flag":      true,
			"empty":     "",
			"null":      nil,
			"jnum":      json.Number("12.5"),
			"list":      []any{},
			"tags":      []any{"a"},
		},
		"metrics":  map[string]any{"jvm": map[string]any{"gc": 1.0}},
		"emptycat": map[string]any{},
	}
}

var matchCases = []struct {
	pred string
	want bool
}{
	// Numeric when the literal is a decimal and the value is a number or a
	// string that is entirely one.
	{"Hosts/cpu_count=4", true},
	{"Hosts/cpu_count=4.0", true},
	{"Hosts/cpu_count=04", true},
	{"Hosts/cpu_count=4e0", true},
	{"Hosts/cpu_count>=2", true},
	{"Hosts/cpu_count<2", false},
	{"Hosts/cpu_count>4", false},
	{"Hosts/cpu_count<=4", true},
	{"Hosts/cpu_count>10", false}, // as strings "4" > "10"; numerically not
	{"Hosts/cpu_str>10", false},
	{"Hosts/cpu_str=4.0", true},
	{"Hosts/version=2.1", true}, // 2.10 reads as a decimal
	{"Hosts/jnum>12.25", true},
	{"Hosts/small<-2", true},
	{"Hosts/ram=2048", true},
	{"Hosts/big=9007199254740992", true},
	{"Hosts/below<9007199254740992", true},
	{"Hosts/below=9007199254740992", false},
	// Otherwise strings, byte-wise and case-sensitive.
	{"Hosts/name>2.5", true}, // "abc" > "2.5"
	{"Hosts/release>1.9", false},
	{"Hosts/release=1.10.2", true},
	{"Hosts/cpu_count=four", false},
	{"Hosts/cpu_count=+4", false}, // +4 is not a decimal literal: "4" != "+4"
	{"Hosts/os=centos6", true},
	{"Hosts/os=CentOS6", false},
	{"Hosts/os<d", true},
	{"Hosts/flag=true", true},
	{"Hosts/flag=TRUE", false},
	{"Hosts/flag!=false", true},
	{"Hosts/host_name=c6401", false}, // no normalisation by default
	// Absent and null.
	{"Hosts/missing=x", false},
	{"Hosts/missing!=x", true},
	{"Hosts/missing<1", false},
	{"Hosts/missing>=1", false},
	{"Hosts/missing=", true},
	{"Hosts/missing!=", false},
	{"Hosts/null=", true},
	{"Hosts/null!=", false},
	{"Hosts/null!=x", true},
	{"Hosts/empty=", false}, // an empty string is not null
	{"Hosts/empty!=", true},
	{"Hosts/os=", false},
	{"Hosts/os!=", true},
	{"Nope/deeper/still=1", false},
	{"metrics=x", false}, // a category has no value to compare
	{"metrics!=x", true},
	{"metrics=", true},
	{"metrics!=", false},
	// in()
	{"Hosts/os.in(rhel6,centos6)", true},
	{"Hosts/os.in(rhel6)", false},
	{"Hosts/cpu_count.in(3,4.0)", true},
	{"Hosts/missing.in(x)", false},
	{"Hosts/os.in()", false},
	{"Hosts/os.in(,)", false},
	{"Hosts/empty.in(a,,b)", true},
	// matches(): whole string, against the string form.
	{"Hosts/os.matches(cent.*)", true},
	{"Hosts/os.matches(cent)", false},
	{"Hosts/os.matches(.*os.*|cent.*)", true},
	{"Hosts/cpu_count.matches(4)", true},
	{"Hosts/flag.matches(t.*e)", true},
	{"Hosts/missing.matches(.*)", false},
	{"metrics.matches(.*)", false},
	// isEmpty(): sub-categories do not count.
	{"metrics.isEmpty()", true},
	{"metrics/jvm.isEmpty()", false},
	{"emptycat.isEmpty()", true},
	{"nothing.isEmpty()", true},
	{"Hosts/empty.isEmpty()", true},
	{"Hosts/null.isEmpty()", true},
	{"Hosts/name.isEmpty()", false},
	{"Hosts/cpu_count.isEmpty()", false},
	{"Hosts/list.isEmpty()", true},
	{"Hosts/tags.isEmpty()", false},
	{"Hosts.isEmpty()", false},
	// Logic.
	{"Hosts/os=x|Hosts/cpu_count=4&Hosts/flag=false", false},
	{"(Hosts/os=x|Hosts/cpu_count=4)&Hosts/flag=true", true},
	{"!Hosts/missing=x", true},
	{"!(Hosts/os=centos6&Hosts/cpu_count=4)", false},
	{"!(!Hosts/os=centos6)", true},
	{"Hosts/os.isEmpty()|Hosts/cpu_count=4", true},
	{"", true},
}

func TestMatch(t *testing.T) {
	tree := query.Tree(resource())
	for _, tt := range matchCases {
		e, err := query.Parse(tt.pred)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.pred, err)
		}
		if got := e.Match(tree); got != tt.want {
			t.Errorf("%q: Match = %v, want %v", tt.pred, got, tt.want)
		}
	}
}

// TestBoundAgreesWithTree evaluates every case again through a slot layout.
func TestBoundAgreesWithTree(t *testing.T) {
	layout, rec := flatten(resource())
	for _, tt := range matchCases {
		e, err := query.Parse(tt.pred)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.pred, err)
		}
		if got := query.Bind(e, layout).Match(rec); got != tt.want {
			t.Errorf("%q: bound Match = %v, want %v", tt.pred, got, tt.want)
		}
	}
}

func TestMatchNormalized(t *testing.T) {
	p := query.Parser{Normalize: query.LowerHostNames}
	tree := query.Tree{"Hosts": map[string]any{"host_name": "c6401.ambari.apache.org"}}
	for pred, want := range map[string]bool{
		"Hosts/host_name=C6401.AMBARI.apache.org":           true,
		"Hosts/host_name.in(X,C6401.Ambari.Apache.Org)":     true,
		"Hosts/host_name.matches(C6401.*)":                  true,
		"Hosts/host_name!=C6401.ambari.apache.org":          false,
		"Hosts/host_name=c6401.ambari.apache.org&Hosts/x!=": false,
	} {
		e, err := p.Parse(pred)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.Match(tree); got != want {
			t.Errorf("%q: Match = %v, want %v", pred, got, want)
		}
	}
}

func TestTreeGet(t *testing.T) {
	tree := query.Tree(resource())
	if _, ok := tree.Get(nil); ok {
		t.Error("Get(nil) found something")
	}
	if v, ok := tree.Get(path("Hosts/null")); !ok || v != nil {
		t.Errorf("Get(Hosts/null) = %v, %v; want nil, true", v, ok)
	}
	if _, ok := tree.Get(path("Hosts/os/deeper")); ok {
		t.Error("Get walked through a string")
	}
	if v, _ := tree.Get(path("metrics/jvm/gc")); v != 1.0 {
		t.Errorf("Get(metrics/jvm/gc) = %v", v)
	}
}

// slots is a Layout over the leaf paths of a tree.
type slots map[string]int

func (s slots) Slot(p query.Path) (int, bool) { i, ok := s[p.String()]; return i, ok }

func (s slots) Category(p query.Path) []int {
	var out []int
	prefix := p.String() + "/"
	for k, i := range s {
		if rest, ok := strings.CutPrefix(k, prefix); ok && !strings.Contains(rest, "/") {
			out = append(out, i)
		}
	}
	return out
}

// flatten lays a tree out as a record: one slot per property that is not a
// map.
func flatten(t map[string]any) (slots, []any) {
	layout := slots{}
	var rec []any
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok {
				walk(prefix+k+"/", sub)
				continue
			}
			layout[prefix+k] = len(rec)
			rec = append(rec, v)
		}
	}
	walk("", t)
	return layout, rec
}
