package fields_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/ambitkit/ambit/fields"
	"github.com/google/go-cmp/cmp"
)

// TestAppendJSONMatchesSelect encodes every selection of the Select tests
// and compares with encoding/json's rendering of Select's result.
func TestAppendJSONMatchesSelect(t *testing.T) {
	host, _, component := types()
	cases := []struct {
		typ    fields.Type
		tree   map[string]any
		fields string
		def    fields.Default
	}{
		{component, namenodeTree(), "metrics/disk/disk_total", fields.Keys},
		{component, namenodeTree(), "metrics/disk/disk_total,metrics/cpu", fields.Keys},
		{component, namenodeTree(), "", fields.Everything},
		{host, hostTree(), "", fields.Everything},
		{host, hostTree(), "", fields.Keys},
		{host, hostTree(), "host_components", fields.Keys},
		{host, hostTree(), "host_components/*", fields.Keys},
		{host, hostTree(), "host_components/component/*", fields.Keys},
		{host, hostTree(), "*,-metrics", fields.Keys},
		{host, hostTree(), "metrics,-metrics/jvm/gcCount,-metrics/disk", fields.Keys},
		{host, hostTree(), "*,-Hosts", fields.Keys},
		{host, hostTree(), "host_components/HostRoles/state,Hosts/desired_configs/core-site/tag", fields.Keys},
		{host, hostTree(), "-*", fields.Everything},
		{host, hostTree(), "metrics/jvm/gcCount,-metrics/jvm", fields.Keys},
		{host, map[string]any{"Hosts": map[string]any{"host_name": "h\"<&>\u2028\x01\xff", "cpu_count": 1e-7, "os_type": []any{1.5e21, nil, true, int64(3), json.Number("7")}}}, "*", fields.Keys},
	}
	for _, c := range cases {
		s := fields.Resolve(mustParse(t, c.fields), c.typ, c.def)
		got, err := s.AppendJSON(nil, c.tree)
		if err != nil {
			t.Fatalf("%q: %v", c.fields, err)
		}
		want := marshal(t, s.Select(c.tree))
		if diff := cmp.Diff(want, string(got)); diff != "" {
			t.Errorf("%q (-Select +AppendJSON)\n%s", c.fields, diff)
		}
	}
}

func marshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return unescapeHTML(b)
}

// unescapeHTML undoes encoding/json's escaping of <, > and &, which
// AppendJSON, like Write in errors, does not do.
func unescapeHTML(b []byte) string {
	var s string
	for i := 0; i < len(b); i++ {
		switch {
		case i+5 < len(b) && string(b[i:i+6]) == `\u003c`:
			s += "<"
			i += 5
		case i+5 < len(b) && string(b[i:i+6]) == `\u003e`:
			s += ">"
			i += 5
		case i+5 < len(b) && string(b[i:i+6]) == `\u0026`:
			s += "&"
			i += 5
		default:
			s += string(b[i])
		}
	}
	return s
}

func TestAppendJSONRejectsNaN(t *testing.T) {
	host, _, _ := types()
	s := fields.Resolve(nil, host, fields.Everything)
	if _, err := s.AppendJSON(nil, map[string]any{"Hosts": map[string]any{"cpu_count": math.NaN()}}); err == nil {
		t.Error("NaN encoded without an error")
	}
}

// TestAppendTree compares AppendTree with encoding/json, compact and
// indented, on trees of every kind of value.
func TestAppendTree(t *testing.T) {
	trees := []any{
		hostTree(), namenodeTree(), map[string]any{}, []any{}, nil, "x", 1.5,
		map[string]any{"a": []any{map[string]any{}, []any{1.0, "b", nil, true}, map[string]any{"z": 1e21, "y": json.Number("3")}}},
		[]any{map[string]any{"k": "v\n\"<&>\u2028"}},
		map[string]any{"items": []map[string]any{{"a": 1.0}, {}}},
	}
	for i, tree := range trees {
		for _, indent := range []string{"", "  ", "\t"} {
			got, err := fields.AppendTree(nil, tree, indent)
			if err != nil {
				t.Fatal(err)
			}
			var want []byte
			if indent == "" {
				want, err = json.Marshal(tree)
			} else {
				want, err = json.MarshalIndent(tree, "", indent)
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(unescapeHTML(want), string(got)); diff != "" {
				t.Errorf("tree %d indent %q (-encoding/json +AppendTree)\n%s", i, indent, diff)
			}
		}
	}
}

// TestAppendIndentSplices checks that values encoded for their depth and
// spliced in as json.RawMessage make the same document as encoding it whole.
func TestAppendIndentSplices(t *testing.T) {
	items := []any{hostTree(), namenodeTree(), map[string]any{}}
	for _, indent := range []string{"", "  ", "\t"} {
		raw := make([]json.RawMessage, len(items))
		for i, it := range items {
			b, err := fields.AppendIndent(nil, it, indent, 2)
			if err != nil {
				t.Fatal(err)
			}
			raw[i] = json.RawMessage(b)
		}
		want, err := fields.AppendTree(nil, map[string]any{"href": "h", "items": items}, indent)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fields.AppendTree(nil, map[string]any{"href": "h", "items": raw}, indent)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("indent %q (-whole +spliced)\n%s", indent, diff)
		}
	}
}
