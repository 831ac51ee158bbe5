package fields_test

import (
	"testing"

	"github.com/ambitkit/ambit/fields"
	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tm := func(start, end, step int64) *fields.Temporal {
		return &fields.Temporal{Start: start, End: end, Step: step}
	}
	tests := []struct {
		in   string
		want fields.List
	}{
		{"Hosts/host_name,metrics/disk/*,host_components/HostRoles/*", fields.List{
			{Path: []string{"Hosts", "host_name"}, Offset: 0},
			{Path: []string{"metrics", "disk", "*"}, Offset: 16},
			{Path: []string{"host_components", "HostRoles", "*"}, Offset: 31},
		}},
		{"*", fields.List{{Path: []string{"*"}}}},
		{"*,-metrics", fields.List{{Path: []string{"*"}}, {Path: []string{"metrics"}, Exclude: true, Offset: 2}}},
		{"- metrics", fields.List{{Path: []string{"metrics"}, Exclude: true}}},
		{" a , ,b,", fields.List{{Path: []string{"a"}, Offset: 1}, {Path: []string{"b"}, Offset: 6}}},
		{"", nil},
		{" , ", nil},
		// Temporal ranges: seconds below 9 999 999 999, milliseconds above.
		{"metrics/jvm/gcCount[1360610225]", fields.List{{Path: []string{"metrics", "jvm", "gcCount"}, Temporal: tm(1360610225000, -1, -1)}}},
		{"metrics/jvm[1360610225,1360610300,15]", fields.List{{Path: []string{"metrics", "jvm"}, Temporal: tm(1360610225000, 1360610300000, 15)}}},
		{"m[1360610225000, 1360610300000]", fields.List{{Path: []string{"m"}, Temporal: tm(1360610225000, 1360610300000, -1)}}},
		{"m[9999999999,10000000000]", fields.List{{Path: []string{"m"}, Temporal: tm(9999999999000, 10000000000, -1)}}},
		{"a[1,2,3],b", fields.List{{Path: []string{"a"}, Temporal: tm(1000, 2000, 3)}, {Path: []string{"b"}, Offset: 9}}},
		{"a [1]", fields.List{{Path: []string{"a"}, Temporal: tm(1000, -1, -1)}}},
		{"*[1,2]", fields.List{{Path: []string{"*"}, Temporal: tm(1000, 2000, -1)}}},
	}
	for _, tt := range tests {
		got, err := fields.Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got)\n%s", tt.in, diff)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		want *fields.SyntaxError
	}{
		{"a[x]", &fields.SyntaxError{Offset: 2, Item: "a[x]", Reason: `the start of the time range, "x", is not a non-negative integer`}},
		{"ok,a[]", &fields.SyntaxError{Offset: 5, Item: "a[]", Reason: `the start of the time range, "", is not a non-negative integer`}},
		{"a[1,]", &fields.SyntaxError{Offset: 4, Item: "a[1,]", Reason: `the end of the time range, "", is not a non-negative integer`}},
		{"a[1,2,-3]", &fields.SyntaxError{Offset: 6, Item: "a[1,2,-3]", Reason: `the step of the time range, "-3", is not a non-negative integer`}},
		{"a[1,2", &fields.SyntaxError{Offset: 1, Item: "a[1,2", Reason: `"[" is never closed`}},
		{"x, a[1,2,3,4]", &fields.SyntaxError{Offset: 5, Item: "a[1,2,3,4]", Reason: "a time range has at most three numbers (start,end,step), not 4"}},
		{"a[1]x,b", &fields.SyntaxError{Offset: 4, Item: "a[1]x", Reason: `unexpected text after "]"`}},
		{"a//b", &fields.SyntaxError{Offset: 2, Item: "a//b", Reason: "a path has an empty segment"}},
		{"/a", &fields.SyntaxError{Offset: 0, Item: "/a", Reason: "a path has an empty segment"}},
		{"a/", &fields.SyntaxError{Offset: 2, Item: "a/", Reason: "a path has an empty segment"}},
		{"a/*/b", &fields.SyntaxError{Offset: 2, Item: "a/*/b", Reason: `"*" can only be a whole last segment`}},
		{"a/b*", &fields.SyntaxError{Offset: 2, Item: "a/b*", Reason: `"*" can only be a whole last segment`}},
		{"-", &fields.SyntaxError{Offset: 1, Item: "-", Reason: "a path is missing"}},
		{"[1]", &fields.SyntaxError{Offset: 0, Item: "[1]", Reason: "a path is missing"}},
		{"-metrics[1]", &fields.SyntaxError{Offset: 8, Item: "-metrics[1]", Reason: "an excluded item cannot ask for a time range"}},
	}
	for _, tt := range tests {
		_, err := fields.Parse(tt.in)
		if diff := cmp.Diff(tt.want, err); diff != "" {
			t.Errorf("Parse(%q) (-want +got)\n%s", tt.in, diff)
		}
	}
	_, err := fields.Parse("a[x]")
	if want := `fields item "a[x]" at offset 2: the start of the time range, "x", is not a non-negative integer`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
}

func TestListString(t *testing.T) {
	for in, want := range map[string]string{
		" a/b , -c,*[100,200,5] ,d[1360610225000]": "a/b,-c,*[100,200,5],d[1360610225]",
		"d[10000000001]":  "d[10000000001]",
		"d[10000001,500]": "d[10000001,500]",
	} {
		l := mustParse(t, in)
		if got := l.String(); got != want {
			t.Errorf("%q: String() = %q, want %q", in, got, want)
		}
		again := mustParse(t, l.String())
		for i := range again {
			again[i].Offset = l[i].Offset
		}
		if diff := cmp.Diff(l, again); diff != "" {
			t.Errorf("%q does not parse back (-first +second)\n%s", in, diff)
		}
	}
}

// FuzzParse checks that parsing never panics and that a parsed list prints
// to an expression that parses to the same items.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"Hosts/host_name,metrics/disk/*,host_components/HostRoles/*", "*,-metrics", "a[1,2,3],b", "a[x]",
		"a[1,2", "a[1]x,b", "a//b", "a/*/b", "-", " , ", "m[9999999999,10000000000]", "a[[1]]", "a]b[",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := fields.Parse(s)
		if err != nil {
			if _, ok := err.(*fields.SyntaxError); !ok {
				t.Fatalf("Parse(%q) error %T is not a *SyntaxError", s, err)
			}
			return
		}
		again, err := fields.Parse(l.String())
		if err != nil {
			t.Fatalf("Parse(%q) printed %q, which does not parse: %v", s, l.String(), err)
		}
		if len(again) != len(l) {
			t.Fatalf("Parse(%q) printed %q: %d items became %d", s, l.String(), len(l), len(again))
		}
		for i := range again {
			again[i].Offset = l[i].Offset
		}
		if diff := cmp.Diff(l, again); diff != "" {
			t.Fatalf("Parse(%q) printed %q (-first +second)\n%s", s, l.String(), diff)
		}
	})
}
