package query_test

import (
	"testing"

	"github.com/ambitkit/ambit/query"
	"github.com/google/go-cmp/cmp"
)

func seedPredicates(f *testing.F) {
	for _, s := range roundTripCorpus {
		f.Add(s)
	}
	for _, c := range matchCases {
		f.Add(c.pred)
	}
	for _, s := range []string{
		"x=1&", "x=1!y=2", "x=1&bare", "typo", "!!a=1", "a=(", "a.in(x", "((((a=1", "a=1)",
		"a.isEmpty(x)", "a.matches([)", "a//b=1", "a.in(((", "a.matches(\\))", "\x00=\xff", "a=1&&b=2",
	} {
		f.Add(s)
	}
}

// FuzzParse checks that parsing never panics, that every tree prints to a
// string that parses back to the same tree, and that evaluating it on a
// tree and on a slot record agree.
func FuzzParse(f *testing.F) {
	seedPredicates(f)
	tree := query.Tree(resource())
	layout, rec := flatten(resource())
	f.Fuzz(func(t *testing.T, s string) {
		e, err := query.Parse(s)
		if err != nil {
			if _, ok := err.(*query.SyntaxError); !ok {
				t.Fatalf("Parse(%q) error %T is not a *SyntaxError", s, err)
			}
			return
		}
		printed := e.String()
		again, err := query.Parse(printed)
		if err != nil {
			t.Fatalf("Parse(%q) printed %q, which does not parse: %v", s, printed, err)
		}
		if diff := cmp.Diff(e, again, exprOpts); diff != "" {
			t.Fatalf("Parse(%q) printed %q, which parses differently (-first +second)\n%s", s, printed, diff)
		}
		if e.Match(tree) != query.Bind(e, layout).Match(rec) {
			t.Fatalf("%q: tree and bound evaluation disagree", s)
		}
	})
}

// FuzzSplit checks that splitting never panics and never loses a reserved
// parameter into the predicate or the other way round.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"Hosts/cpu_count>=2&fields=Hosts/host_name&page_size=10", "a.in(x&fields=y)&fields=z", "a=%zz",
		"a=%26&b=1", "(a=1&fields=x)&b=2", "a.matches%28x&y%29&page_size=5", "fields=x&", "a=1)&fields=x", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		pred, params, err := query.Split(raw)
		if err != nil {
			if _, ok := err.(*query.SyntaxError); !ok {
				t.Fatalf("Split(%q) error %T is not a *SyntaxError", raw, err)
			}
			return
		}
		for name := range params {
			found := false
			for _, r := range query.Reserved() {
				found = found || r == name
			}
			if !found {
				t.Fatalf("Split(%q) took %q, which is not reserved", raw, name)
			}
		}
		_, _ = query.Parse(pred)
	})
}
