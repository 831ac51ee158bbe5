package ambari

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/google/go-cmp/cmp"
)

// FuzzBodies reads random request bodies: never a panic, every error a
// 400 naming an offset within the text, and a plain JSON object without
// repeated keys read as encoding/json reads it.
func FuzzBodies(f *testing.F) {
	for _, s := range []string{
		`{"Hosts":{"rack_info":"/r"}}`, `[{"a":1},{"b":2}]`, `{"a":1},{"b":2}`, `"{\"a\":1}"`, `""`, `"   "`,
		`5`, `[1]`, `true`, `null`, `{"a":1,"a":2}`, `{"Body":{"x":1},"RequestInfo":{"query":"a=1"}}`,
		`{"RequestInfo":"x"}`, "{\"a\":\"\xff\"}", `{"a":`, `[{"a":1}] x`, `{"a\"b":1,"a\"b":2}`, ` [ ] `, `,`, `"\u0000"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var bodies []requestBody
		var err error
		done := make(chan struct{})
		go func() { defer close(done); bodies, err = parseBodies(raw, 100) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("parseBodies(%q) hangs", raw)
		}
		if err != nil {
			var e *apierr.Error
			if !errors.As(err, &e) || e.Status != 400 {
				t.Fatalf("parseBodies(%q) = %v, want a 400", raw, err)
			}
			if e.Field == "body" && (e.Offset < 0 || e.Offset > len(raw)) {
				t.Fatalf("parseBodies(%q): offset %d outside the text", raw, e.Offset)
			}
			return
		}
		var want map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if len(bytes.TrimSpace(raw)) == 0 || bytes.TrimSpace(raw)[0] != '{' || dec.Decode(&want) != nil || dec.More() {
			return
		}
		if _, hasBody := want["Body"]; hasBody {
			return
		}
		delete(want, "RequestInfo")
		if len(bodies) != 1 {
			t.Fatalf("parseBodies(%q) = %d bodies", raw, len(bodies))
		}
		if diff := cmp.Diff(want, bodies[0].props); diff != "" {
			t.Fatalf("parseBodies(%q) (-encoding/json +ours)\n%s", raw, diff)
		}
	})
}
