package server

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/ambitkit/ambit/resource"
	"golang.org/x/crypto/bcrypt"
)

// FuzzUsers reads random users files: never a panic; what loads has a
// bcrypt hash and a role, and writes back as the same line.
func FuzzUsers(f *testing.F) {
	h, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	hash := string(h)
	for _, s := range []string{
		"ops:" + hash + ":admin\n", "# c\n\nro:" + hash + ":read-only", "", "# only comments\n", "a:b:c", ":" + hash + ":admin",
		"ops:" + hash + ":root", "ops:" + hash + ":admin\nops:" + hash + ":admin\n", "a:b", "x:" + hash + ":admin:extra", "\r\n\t",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, file string) {
		users, err := LoadUsers(strings.NewReader(file))
		if err != nil {
			if users != nil {
				t.Fatalf("LoadUsers(%q) = %v with users", file, err)
			}
			return
		}
		if len(users) == 0 {
			t.Fatalf("LoadUsers(%q) loaded no users without an error", file)
		}
		for name, u := range users {
			if _, err := bcrypt.Cost(u.Hash); err != nil || (u.Role != Administrator && u.Role != ReadOnly) {
				t.Fatalf("LoadUsers(%q): %s has hash %q, role %d", file, name, u.Hash, u.Role)
			}
			again, err := LoadUsers(strings.NewReader(Line(name, u)))
			if err != nil || !bytes.Equal(again[name].Hash, u.Hash) || again[name].Role != u.Role {
				t.Fatalf("the line of %s does not read back: %v", name, err)
			}
		}
	})
}

// TestUnknownUsersCostAsMuch checks that the hash unknown users are
// compared against has the cost of the known users' hashes: a wrong name
// takes as long as a wrong password.
func TestUnknownUsersCostAsMuch(t *testing.T) {
	for _, cost := range []int{bcrypt.MinCost, bcrypt.DefaultCost, bcrypt.DefaultCost + 1} {
		h, err := bcrypt.GenerateFromPassword([]byte("pw"), cost)
		if err != nil {
			t.Fatal(err)
		}
		store, err := resource.New()
		if err != nil {
			t.Fatal(err)
		}
		s := New(store, WithUsers(Users{"a": {Hash: h}}))
		if got, _ := bcrypt.Cost(s.dummy); got != max(cost, bcrypt.DefaultCost) {
			t.Errorf("users at cost %d: the dummy hash costs %d", cost, got)
		}
	}
}

// BenchmarkLogin measures a failed login by an unknown name and by a known
// name with a wrong password: the two must cost the same.
func BenchmarkLogin(b *testing.B) {
	store, err := resource.New()
	if err != nil {
		b.Fatal(err)
	}
	admin, err := NewUser("secret", Administrator)
	if err != nil {
		b.Fatal(err)
	}
	s := New(store, WithUsers(Users{"admin": admin}), WithLoginLimit(0, 0))
	for _, user := range []string{"nobody", "admin"} {
		b.Run(user, func(b *testing.B) {
			b.ReportAllocs()
			r, _ := http.NewRequest("GET", "/api/v1/clusters", nil)
			r.SetBasicAuth(user, "wrong")
			for b.Loop() {
				if _, err := s.authenticate(r); err == nil {
					b.Fatal("a wrong password was accepted")
				}
			}
		})
	}
}
