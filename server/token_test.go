package server

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestTokenLifetime checks expiry, tampering and keys with a fake clock.
func TestTokenLifetime(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	clock := func() time.Time { return now }
	tk := tokens{key: []byte("0123456789abcdef0123456789abcdef"), ttl: time.Hour, now: clock}
	p := Principal{Name: "alice", Role: Operator, Grants: []string{"a", "b"}}
	tok, err := tk.issue(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		after time.Duration
		with  tokens
		tok   string
		ok    bool
	}{
		{"fresh", 0, tk, tok, true},
		{"a second before expiry", time.Hour - time.Second, tk, tok, true},
		{"expired", time.Hour, tk, tok, false},
		{"another key", 0, tokens{key: []byte("another key of thirty-two bytes!"), ttl: time.Hour, now: clock}, tok, false},
		{"no signature", 0, tk, tok[:len(tok)-43], false},
		{"a signature of another payload", 0, tk, "eyJ1IjoiYm9iIn0" + tok[len(tok)-44:], false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			saved := now
			now = now.Add(tt.after)
			defer func() { now = saved }()
			got, err := tt.with.verify(tt.tok)
			if tt.ok != (err == nil) {
				t.Fatalf("verify = %v, want ok %v", err, tt.ok)
			}
			if tt.ok {
				if diff := cmp.Diff(p, got); diff != "" {
					t.Errorf("principal (-want +got)\n%s", diff)
				}
			}
		})
	}
}
