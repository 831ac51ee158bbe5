package server_test

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPercentEncodedPaths: path parameters are percent-decoded as RFC 3986
// says, an encoded slash included, the namespace of the prefix too.
func TestPercentEncodedPaths(t *testing.T) {
	srv := core(t)
	admin := []string{"user", "admin"}
	for _, name := range []string{"a/b", "a b", "50%"} {
		if r := send(t, srv, "POST", "/test/v1/a%2Fns/widgets/"+url.PathEscape(name), "", admin...); r.status != 201 {
			t.Fatalf("POST %q = %d %s", name, r.status, r.body)
		}
	}
	tests := []struct {
		name, path string
		status     int
		want       string
	}{
		{"an encoded slash", "/test/v1/a%2Fns/widgets/a%2Fb", 200, "a/b"},
		{"an encoded space", "/test/v1/a%2Fns/widgets/a%20b", 200, "a b"},
		{"an encoded percent", "/test/v1/a%2Fns/widgets/50%25", 200, "50%"},
		{"a slash is a separator", "/test/v1/a%2Fns/widgets/a/b", 404, ""},
		{"another namespace", "/test/v1/a/widgets/a%2Fb", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := send(t, srv, "GET", tt.path, "", admin...)
			if r.status != tt.status {
				t.Fatalf("= %d %s, want %d", r.status, r.body, tt.status)
			}
			if tt.want != "" {
				if diff := cmp.Diff(tt.want, r.json(t)["name"]); diff != "" {
					t.Errorf("name (-want +got)\n%s", diff)
				}
			}
		})
	}
	if r := send(t, srv, "GET", "/test/v1/a%2Fns/widgets/%FF%2F", "", admin...); r.status != 400 {
		t.Errorf("invalid UTF-8 = %d %s", r.status, r.body)
	}
}
