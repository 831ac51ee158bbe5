package query_test

import (
	"strings"
	"testing"

	"github.com/ambitkit/ambit/query"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var exprOpts = cmp.Options{cmpopts.IgnoreUnexported(query.Matches{}), cmpopts.EquateEmpty()}

func path(s string) query.Path { return query.ParsePath(s) }

func cmpr(p string, op query.Op, v string) *query.Comparison {
	return &query.Comparison{Path: path(p), Op: op, Value: query.NewLiteral(v)}
}

func isNull(p string, op query.Op) *query.Comparison {
	return &query.Comparison{Path: path(p), Op: op, Value: query.Literal{Null: true}}
}

func in(p string, items ...string) *query.In {
	e := &query.In{Path: path(p)}
	for _, it := range items {
		e.Values = append(e.Values, query.NewLiteral(it))
	}
	return e
}

func and(t ...query.Expr) *query.And { return &query.And{Terms: t} }
func or(t ...query.Expr) *query.Or   { return &query.Or{Terms: t} }
func not(x query.Expr) *query.Not    { return &query.Not{X: x} }

func TestParse(t *testing.T) {
	a1, b2, c3, d4 := cmpr("a", query.Eq, "1"), cmpr("b", query.Eq, "2"), cmpr("c", query.Eq, "3"), cmpr("d", query.Eq, "4")
	tests := []struct {
		in   string
		want query.Expr
	}{
		// Relations.
		{"Hosts/cpu_count>=2", cmpr("Hosts/cpu_count", query.Ge, "2")},
		{"a=1", a1},
		{"a!=1", cmpr("a", query.Ne, "1")},
		{"a<1", cmpr("a", query.Lt, "1")},
		{"a<=1", cmpr("a", query.Le, "1")},
		{"a>1", cmpr("a", query.Gt, "1")},
		{"metrics/disk/disk_free>-2.5e3", cmpr("metrics/disk/disk_free", query.Gt, "-2.5e3")},
		{"Hosts/host_name=C6401.Ambari.Apache.Org", cmpr("Hosts/host_name", query.Eq, "C6401.Ambari.Apache.Org")},
		// Empty values: p= is "absent or null", p!= is "present", anywhere.
		{"a=", isNull("a", query.Eq)},
		{"a!=", isNull("a", query.Ne)},
		{"a=&b=2", and(isNull("a", query.Eq), b2)},
		{"(a!=)|b=2", or(isNull("a", query.Ne), b2)},
		// Precedence: ! over & over |, left to right, flattened.
		{"a=1&b=2|c=3", or(and(a1, b2), c3)},
		{"a=1|b=2&c=3", or(a1, and(b2, c3))},
		{"a=1|b=2|c=3", or(a1, b2, c3)},
		{"a=1&b=2&c=3&d=4", and(a1, b2, c3, d4)},
		{"(a=1&b=2)&(c=3&d=4)", and(a1, b2, c3, d4)},
		{"(a=1|b=2)&c=3", and(or(a1, b2), c3)},
		{"a=1&(b=2|c=3)&d=4", and(a1, or(b2, c3), d4)},
		{"((a=1))", a1},
		{"!a=1&b=2", and(not(a1), b2)},
		{"!a=1|b=2", or(not(a1), b2)},
		{"!(a=1|b=2)", not(or(a1, b2))},
		{"!(!a=1)", not(not(a1))},
		{"a=1&!b=2", and(a1, not(b2))},
		// Functions.
		{"Hosts/os_type.in(rhel6,centos6)", in("Hosts/os_type", "rhel6", "centos6")},
		{"a.in( x , y )", in("a", "x", "y")},
		{"a.in(x)", in("a", "x")},
		{"a.in(a,,b)", in("a", "a", "", "b")},
		{"a.in(,)", in("a")},
		{"a.in()", in("a")},
		{"a.in(x,)", in("a", "x")},
		{"a.in(x&y,z|w,p=q)", in("a", "x&y", "z|w", "p=q")},
		{"a.in(f(x),y)", in("a", "f(x)", "y")},
		{"metrics/jvm.isEmpty()", &query.IsEmpty{Path: path("metrics/jvm")}},
		{"a.isEmpty()&b=2", and(&query.IsEmpty{Path: path("a")}, b2)},
		{"(a.isEmpty())", &query.IsEmpty{Path: path("a")}},
		{"!metrics/jvm.isEmpty()", not(&query.IsEmpty{Path: path("metrics/jvm")})},
		{"Hosts/host_name.matches(c64.*)", &query.Matches{Path: path("Hosts/host_name"), Pattern: "c64.*"}},
		{"a.matches((x|y)&z)", &query.Matches{Path: path("a"), Pattern: "(x|y)&z"}},
		{"a.matches( x )", &query.Matches{Path: path("a"), Pattern: " x "}},
		// Spaces around names and values are insignificant; inside, kept.
		{" a = 1 & ( b = 2 ) ", and(a1, b2)},
		{"Hosts/os type=red hat", cmpr("Hosts/os type", query.Eq, "red hat")},
		// Names may hold dots, colons and brackets that are not operators.
		{"a.b:c[0]=1", cmpr("a.b:c[0]", query.Eq, "1")},
		{"a.In=1", cmpr("a.In", query.Eq, "1")},
		// The empty predicate matches everything.
		{"", and()},
		{"   ", and()},
	}
	for _, tt := range tests {
		got, err := query.Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, exprOpts); diff != "" {
			t.Errorf("Parse(%q) (-want +got)\n%s", tt.in, diff)
		}
	}
}

func TestParseNormalize(t *testing.T) {
	p := query.Parser{Normalize: query.LowerHostNames}
	tests := []struct {
		in   string
		want query.Expr
	}{
		{"Hosts/host_name=C6401.Ambari.Apache.Org", cmpr("Hosts/host_name", query.Eq, "c6401.ambari.apache.org")},
		{"HostRoles/host_name.in(H1,h2)", in("HostRoles/host_name", "h1", "h2")},
		{"Hosts/host_name.matches(C64.*)", &query.Matches{Path: path("Hosts/host_name"), Pattern: "c64.*"}},
		// Only paths ending in /host_name, matched case-sensitively.
		{"host_name=H1", cmpr("host_name", query.Eq, "H1")},
		{"Hosts/HOST_NAME=H1", cmpr("Hosts/HOST_NAME", query.Eq, "H1")},
		{"Hosts/os_type=RHEL", cmpr("Hosts/os_type", query.Eq, "RHEL")},
	}
	for _, tt := range tests {
		got, err := p.Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		if diff := cmp.Diff(tt.want, got, exprOpts); diff != "" {
			t.Errorf("Parse(%q) (-want +got)\n%s", tt.in, diff)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		want query.SyntaxError
	}{
		// Ambari overflows its stack on these three.
		{"x=1&", query.SyntaxError{Offset: 4, Expected: `a property name, "!" or "("`}},
		{"x=1|", query.SyntaxError{Offset: 4, Expected: `a property name, "!" or "("`}},
		{"x=1!y=2", query.SyntaxError{Offset: 3, Token: "!", Expected: `"&", "|" or the end of the predicate ("!" can only start a term)`}},
		{"x=1&bare", query.SyntaxError{Offset: 8, Expected: `an operator (=, !=, <, <=, >, >=) or .in(), .matches(), .isEmpty() after "bare"`}},
		// A bare word is not "no predicate".
		{"typo", query.SyntaxError{Offset: 4, Expected: `an operator (=, !=, <, <=, >, >=) or .in(), .matches(), .isEmpty() after "typo"`}},
		{"Hosts/os_type rhel", query.SyntaxError{Offset: 18, Expected: `an operator (=, !=, <, <=, >, >=) or .in(), .matches(), .isEmpty() after "Hosts/os_type rhel"`}},
		{"a.In(x)", query.SyntaxError{Offset: 4, Token: "(", Expected: `an operator (=, !=, <, <=, >, >=) or .in(), .matches(), .isEmpty() after "a.In"`}},
		{"a=1&=2", query.SyntaxError{Offset: 4, Token: "=", Expected: `a property name, "!" or "("`}},
		{"&a=1", query.SyntaxError{Offset: 0, Token: "&", Expected: `a property name, "!" or "("`}},
		{"!!a=1", query.SyntaxError{Offset: 1, Token: "!", Expected: `a property name or "(" (write !(!x) for a double negation)`}},
		{"!", query.SyntaxError{Offset: 1, Expected: `a property name or "("`}},
		{"a==1", query.SyntaxError{Offset: 2, Token: "=", Expected: `a value after "="`}},
		{"a<", query.SyntaxError{Offset: 2, Expected: `a value after "<"`}},
		{"a>=&b=1", query.SyntaxError{Offset: 3, Token: "&", Expected: `a value after ">="`}},
		{"a=1 b=2", query.SyntaxError{Offset: 5, Token: "=", Expected: `"&", "|" or the end of the predicate`}},
		{"(a=1)(b=2)", query.SyntaxError{Offset: 5, Token: "(", Expected: `"&", "|" or the end of the predicate`}},
		// Lone brackets are not values.
		{"a=(", query.SyntaxError{Offset: 2, Token: "(", Expected: `a value after "="`}},
		{"a=)", query.SyntaxError{Offset: 2, Token: ")", Reason: `no "(" to close`}}, // a= is a null test
		{"a=x.in(y)", query.SyntaxError{Offset: 3, Token: ".in(", Expected: `"&", "|" or the end of the predicate`}},
		// Brackets.
		{"(a=1", query.SyntaxError{Offset: 0, Token: "(", Reason: "this bracket is never closed"}},
		{"((a=1)", query.SyntaxError{Offset: 0, Token: "(", Reason: "this bracket is never closed"}},
		{"a=1)", query.SyntaxError{Offset: 3, Token: ")", Reason: `no "(" to close`}},
		{"()", query.SyntaxError{Offset: 1, Token: ")", Expected: `a property name, "!" or "("`}},
		{"(a=1&)", query.SyntaxError{Offset: 5, Token: ")", Expected: `a property name, "!" or "("`}},
		{"(a=1)!", query.SyntaxError{Offset: 5, Token: "!", Expected: `"&", "|" or the end of the predicate ("!" can only start a term)`}},
		{"(a=1!", query.SyntaxError{Offset: 4, Token: "!", Expected: `"&", "|" or ")" ("!" can only start a term)`}},
		// Functions.
		{"a.in(x", query.SyntaxError{Offset: 1, Token: ".in(", Reason: `the argument is never closed: expected ")"`}},
		{"a.in(", query.SyntaxError{Offset: 1, Token: ".in(", Reason: `the argument is never closed: expected ")"`}},
		{"a.matches(x(y)", query.SyntaxError{Offset: 1, Token: ".matches(", Reason: `the argument is never closed: expected ")"`}},
		{"a.isEmpty(x)", query.SyntaxError{Offset: 10, Token: "x", Reason: ".isEmpty() takes no argument"}},
		{"a.matches()", query.SyntaxError{Offset: 10, Token: ")", Expected: "a regular expression in .matches()"}},
		{"a.matches([)", query.SyntaxError{Offset: 10, Token: "[", Reason: "invalid regular expression: error parsing regexp: missing closing ]: `[`"}},
		{"a.matches(x\\)", query.SyntaxError{Offset: 10, Token: "x\\", Reason: "invalid regular expression: error parsing regexp: trailing backslash at end of expression: ``"}},
		{"a.isEmpty", query.SyntaxError{Offset: 9, Expected: `an operator (=, !=, <, <=, >, >=) or .in(), .matches(), .isEmpty() after "a.isEmpty"`}},
		// Paths.
		{"a//b=1", query.SyntaxError{Offset: 1, Token: "a//b", Reason: "a property path has an empty segment"}},
		{"/a=1", query.SyntaxError{Offset: 0, Token: "/a", Reason: "a property path has an empty segment"}},
		{"a/=1", query.SyntaxError{Offset: 1, Token: "a/", Reason: "a property path has an empty segment"}},
	}
	for _, tt := range tests {
		_, err := query.Parse(tt.in)
		got, ok := err.(*query.SyntaxError)
		if !ok {
			t.Errorf("Parse(%q) error = %v, want a *SyntaxError", tt.in, err)
			continue
		}
		if diff := cmp.Diff(&tt.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got)\n%s", tt.in, diff)
		}
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := query.Parse("Hosts/cpu_count>=2&&Hosts/os_type=rhel6")
	want := `unexpected "&" at offset 19: expected a property name, "!" or "("`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	_, err = query.Parse("a.isEmpty(x)")
	want = `"x" at offset 10: .isEmpty() takes no argument`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestLimits(t *testing.T) {
	// Ten thousand brackets are refused by the default length limit, and
	// with that lifted, by the depth limit: never by the stack.
	deep := strings.Repeat("(", 10000) + "a=1" + strings.Repeat(")", 10000)
	_, err := query.Parse(deep)
	want := &query.SyntaxError{Offset: 16384, Token: strings.Repeat(")", 16), Reason: "the predicate is longer than the limit of 16384 bytes"}
	if diff := cmp.Diff(want, err); diff != "" {
		t.Errorf("deep nesting (-want +got)\n%s", diff)
	}
	long := query.Parser{Limits: query.Limits{MaxLength: 1 << 20}}
	_, err = long.Parse(deep)
	want = &query.SyntaxError{Offset: 32, Token: "(", Reason: "brackets nest deeper than the limit of 32"}
	if diff := cmp.Diff(want, err); diff != "" {
		t.Errorf("deep nesting (-want +got)\n%s", diff)
	}

	p := query.Parser{Limits: query.Limits{MaxTerms: 3, MaxLength: 40, MaxDepth: 2}}
	if _, err := p.Parse("((a=1)|b=2)&c=3"); err != nil {
		t.Errorf("within limits: %v", err)
	}
	tests := []struct {
		in   string
		want *query.SyntaxError
	}{
		{"a=1&b=2&c=3&d=4", &query.SyntaxError{Offset: 12, Token: "d", Reason: "the predicate has more terms than the limit of 3"}},
		{"(((a=1)))", &query.SyntaxError{Offset: 2, Token: "(", Reason: "brackets nest deeper than the limit of 2"}},
		{strings.Repeat("a", 41) + "=1", &query.SyntaxError{Offset: 40, Token: "a=1", Reason: "the predicate is longer than the limit of 40 bytes"}},
	}
	for _, tt := range tests {
		_, err := p.Parse(tt.in)
		if diff := cmp.Diff(tt.want, err); diff != "" {
			t.Errorf("Parse(%q) (-want +got)\n%s", tt.in, diff)
		}
	}
}

// TestRoundTrip prints every tree of TestParse's kind and parses it back.
func TestRoundTrip(t *testing.T) {
	for _, s := range roundTripCorpus {
		e, err := query.Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		printed := e.String()
		again, err := query.Parse(printed)
		if err != nil {
			t.Errorf("Parse(String()) of %q = %q: %v", s, printed, err)
			continue
		}
		if diff := cmp.Diff(e, again, exprOpts); diff != "" {
			t.Errorf("%q printed as %q (-first +second)\n%s", s, printed, diff)
		}
		if again.String() != printed {
			t.Errorf("String() is not canonical: %q then %q", printed, again.String())
		}
	}
}

var roundTripCorpus = []string{
	"Hosts/host_status=HEALTHY&Hosts/cpu_count>=2|Hosts/os_type.in(rhel6,centos6)",
	"a=1&b=2|c=3", "a=1|b=2&c=3", "(a=1|b=2)&c=3", "!(a=1|b=2)&!c=3", "!(!a=1)", "!(!(a=1&b=2))",
	"a=&b!=", "a.in(a,,b)|b.in()", "a.in(f(x),(y))", "a.matches((x|y)&z)&b.isEmpty()",
	"((a=1|b=2)&(c=3|d=4))|!(e=5&f=6)", " a = 1 ", "a.in( x , y )", "x=-1.5e-3", "p/q/r<=abc",
	"(a=1|(b=2|c=3))&(d=4&(e=5&f=6))",
}

func TestString(t *testing.T) {
	tests := map[string]string{
		" a = 1 & ( b = 2 ) ":       "a=1&b=2",
		"((a=1|b=2))&c=3":           "(a=1|b=2)&c=3",
		"a=1|(b=2&c=3)":             "a=1|b=2&c=3",
		"!(a=1)":                    "!a=1",
		"!(a.isEmpty())":            "!a.isEmpty()",
		"a.in( x , y ,)":            "a.in(x,y)",
		"(a=1|(b=2|c=3))&(d=4&e=5)": "(a=1|b=2|c=3)&d=4&e=5",
		"":                          "",
	}
	for in, want := range tests {
		e, err := query.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.String(); got != want {
			t.Errorf("Parse(%q).String() = %q, want %q", in, got, want)
		}
	}
}
