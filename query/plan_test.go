package query_test

import (
	"testing"

	"github.com/ambitkit/ambit/query"
	"github.com/google/go-cmp/cmp"
)

func lits(texts ...string) []query.Literal {
	out := []query.Literal{}
	for _, s := range texts {
		out = append(out, query.NewLiteral(s))
	}
	return out
}

func TestConstrain(t *testing.T) {
	type result struct {
		C  query.Constraint
		OK bool
	}
	limit := func(v string, incl bool) *query.Limit {
		return &query.Limit{Value: query.NewLiteral(v), Inclusive: incl}
	}
	tests := []struct {
		pred string
		want []result // one per conjunct
	}{
		{"Tasks/status=FAILED", []result{{query.Constraint{Path: path("Tasks/status"), Values: lits("FAILED")}, true}}},
		{"Hosts/os_type.in(rhel6,centos6)", []result{{query.Constraint{Path: path("Hosts/os_type"), Values: lits("rhel6", "centos6")}, true}}},
		{"a.in()", []result{{query.Constraint{Path: path("a"), Values: lits()}, true}}},
		{"a=1|a=2|a.in(3,4)", []result{{query.Constraint{Path: path("a"), Values: lits("1", "2", "3", "4")}, true}}},
		{"a=1|b=2", []result{{}}},
		{"a=1|a>2", []result{{}}},
		{"Tasks/start_time>=100&Tasks/start_time<200&Tasks/role=DATANODE", []result{
			{query.Constraint{Path: path("Tasks/start_time"), Min: limit("100", true)}, true},
			{query.Constraint{Path: path("Tasks/start_time"), Max: limit("200", false)}, true},
			{query.Constraint{Path: path("Tasks/role"), Values: lits("DATANODE")}, true},
		}},
		{"a>x&a<=y", []result{
			{query.Constraint{Path: path("a"), Min: limit("x", false)}, true},
			{query.Constraint{Path: path("a"), Max: limit("y", true)}, true},
		}},
		{"a!=1&a=&!a=1&a.matches(x)&a.isEmpty()&(a=1|b=2)", []result{{}, {}, {}, {}, {}, {}}},
		{"", []result{}},
	}
	for _, tt := range tests {
		e, err := query.Parse(tt.pred)
		if err != nil {
			t.Fatal(err)
		}
		got := []result{}
		for _, c := range query.Conjuncts(e) {
			con, ok := query.Constrain(c)
			got = append(got, result{con, ok})
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got)\n%s", tt.pred, diff)
		}
	}
}

func TestConjuncts(t *testing.T) {
	e, _ := query.Parse("a=1&(b=2|c=3)&!d=4")
	got := []string{}
	for _, c := range query.Conjuncts(e) {
		got = append(got, c.String())
	}
	if diff := cmp.Diff([]string{"a=1", "b=2|c=3", "!d=4"}, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	single, _ := query.Parse("a=1|b=2")
	if n := len(query.Conjuncts(single)); n != 1 {
		t.Errorf("an | is one conjunct, got %d", n)
	}
}

func TestPaths(t *testing.T) {
	e, err := query.Parse("Hosts/cpu_count>=2&(host_components/HostRoles/state=STARTED|!Hosts/cpu_count=8)&metrics/jvm.isEmpty()&Hosts/os.matches(x)&Hosts/os.in(a)")
	if err != nil {
		t.Fatal(err)
	}
	want := []query.Path{path("Hosts/cpu_count"), path("host_components/HostRoles/state"), path("metrics/jvm"), path("Hosts/os")}
	if diff := cmp.Diff(want, query.Paths(e)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestWalkSkipsChildren(t *testing.T) {
	e, _ := query.Parse("a=1&!(b=2|c=3)&d=4")
	var visited []string
	query.Walk(e, func(x query.Expr) bool {
		visited = append(visited, x.String())
		_, isNot := x.(*query.Not)
		return !isNot
	})
	want := []string{"a=1&!(b=2|c=3)&d=4", "a=1", "!(b=2|c=3)", "d=4"}
	if diff := cmp.Diff(want, visited); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestPathHelpers(t *testing.T) {
	p := path("host_components/HostRoles/state")
	if !p.HasPrefix(path("host_components")) || p.HasPrefix(path("host_components/X")) || path("a").HasPrefix(p) {
		t.Error("HasPrefix is wrong")
	}
	if p.String() != "host_components/HostRoles/state" {
		t.Errorf("String() = %q", p.String())
	}
	if query.Ge.String() != ">=" || query.Ne.String() != "!=" {
		t.Error("Op.String is wrong")
	}
}

func TestNewLiteral(t *testing.T) {
	tests := []struct {
		text string
		num  float64
		ok   bool
	}{
		{"2", 2, true}, {"02", 2, true}, {"2.0", 2, true}, {"-3", -3, true}, {"1E3", 1000, true},
		{"1e3", 1000, true}, {"1.5e-2", 0.015, true}, {"1e+2", 100, true},
		{".5", 0, false}, {"5.", 0, false}, {"+1", 0, false}, {"0x10", 0, false}, {"1,000", 0, false},
		{"NaN", 0, false}, {"Infinity", 0, false}, {"1 ", 0, false}, {"1_000", 0, false}, {"", 0, false},
		{"-", 0, false}, {"1e", 0, false}, {"1e400", 0, false}, {"--1", 0, false},
	}
	for _, tt := range tests {
		l := query.NewLiteral(tt.text)
		if l.Numeric != tt.ok || l.Num != tt.num || l.Text != tt.text {
			t.Errorf("NewLiteral(%q) = %+v, want numeric %v %v", tt.text, l, tt.ok, tt.num)
		}
	}
}
