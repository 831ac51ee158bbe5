package errors_test

import (
	"bytes"
	"testing"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/google/go-cmp/cmp"
)

// FuzzDecode checks that Decode never panics, always yields an error status,
// and that what it reads survives a round trip through the Problem dialect,
// which carries every field.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"status":404,"message":"x"}`,
		`{"status":500,"message":null}`,
		`{"error_code":400,"error_name":"N","error_message":"m","field":"f","offset":2}`,
		`{"code":"java.lang.IllegalArgumentException","message":"m","stack":"s"}`,
		`{"status":"not_found","messages":[{"severity":"error","text":"t","field":null},{"severity":"error","text":"d","field":"f"}]}`,
		`{"type":"about:blank","title":"Gone","status":410,"detail":"d","errors":[{"field":"a","message":"b"}]}`,
		`{"status":"x","messages":null}`,
		`[1,2]`, `null`, `"text"`, ``, `<html>`, `{"offset":-5,"field":"x","message":""}`,
	} {
		f.Add(0, []byte(seed))
		f.Add(409, []byte(seed))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 0 || status > 999 {
			return
		}
		e := apierr.Decode(status, body)
		if e == nil || e.Status == 0 {
			t.Fatalf("Decode(%d, %q) = %#v", status, body, e)
		}
		if status != 0 && e.Status != status {
			t.Fatalf("status %d became %d", status, e.Status)
		}
		var buf bytes.Buffer
		if err := (apierr.Problem{}).Encode(&buf, e); err != nil {
			t.Fatal(err)
		}
		again := apierr.Decode(e.Status, buf.Bytes())
		if diff := cmp.Diff(e, again, compareErrors); diff != "" {
			t.Fatalf("round trip of %q (-first +second)\n%s", body, diff)
		}
	})
}
