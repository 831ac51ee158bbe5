package resource

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func fuzzLayout(t testing.TB) *layout {
	t.Helper()
	s, err := New(Type{Name: "Task", Collection: "tasks", Keys: []string{"Tasks/id"}, Properties: []Property{
		{Path: "Tasks/status", Kind: String}, {Path: "Tasks/exit_code", Kind: Number},
		{Path: "Tasks/done", Kind: Bool}, {Path: "Tasks/hosts", Kind: List}, {Path: "Tasks/config", Kind: Object},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return s.types["tasks"]
}

// FuzzDecode reads whatever bytes a damaged file holds as a record: an
// error, never a panic, and a record that decodes encodes back the same.
func FuzzDecode(f *testing.F) {
	l := fuzzLayout(f)
	r, err := l.created("proj1", map[string]any{"Tasks": map[string]any{"id": "7", "status": "COMPLETED", "exit_code": 0.5,
		"done": true, "hosts": []any{"h1"}, "config": map[string]any{"a": "b"}}}, 42)
	if err != nil {
		f.Fatal(err)
	}
	good, err := l.encode(r)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(r.id, good)
	f.Add(r.id, good[:len(good)/2])
	f.Add([]byte{}, []byte{})
	f.Add(r.id, []byte{recordFormat, 1, 0, 1, 200, 's', 1, 'x'})
	f.Fuzz(func(t *testing.T, key, value []byte) {
		rec, err := l.decode(key, value)
		if err != nil {
			return
		}
		again, err := l.encode(rec)
		if err != nil {
			t.Fatalf("a decoded record does not encode: %v", err)
		}
		back, err := l.decode(key, again)
		if err != nil {
			t.Fatalf("a record's encoding does not decode: %v", err)
		}
		if diff := cmp.Diff(l.tree(rec), l.tree(back)); diff != "" || back.version != rec.version || back.ns != rec.ns {
			t.Errorf("encode/decode changed the record (-first +again)\n%s", diff)
		}
	})
}
