package server

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	apierr "github.com/ambitkit/ambit/errors"
	"golang.org/x/crypto/bcrypt"
)

// Role is what a user may do.
type Role int

// The roles.
const (
	Administrator Role = iota // everything
	ReadOnly                  // GET only; writes are 403
)

// User is an API user; the password is stored as a bcrypt hash.
type User struct {
	Hash []byte
	Role Role
}

// Users maps user names to users.
type Users map[string]User

// NewUser hashes a password with bcrypt.
func NewUser(password string, role Role) (User, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	return User{Hash: h, Role: role}, err
}

// dummyHash is compared against when the user is unknown, at the highest
// cost of the known users' hashes, so that a wrong name costs as much time
// as a wrong password and names cannot be told apart by timing.
func dummyHash(users Users) []byte {
	cost := bcrypt.DefaultCost
	for _, u := range users {
		if c, err := bcrypt.Cost(u.Hash); err == nil && c > cost {
			cost = c
		}
	}
	h, err := bcrypt.GenerateFromPassword([]byte("ambit: no such user"), cost)
	if err != nil { // only for a cost out of range, excluded above
		panic(err)
	}
	return h
}

// verified remembers the credentials bcrypt has accepted, as a SHA-256 of
// the password, so that a client does not pay bcrypt's deliberate cost
// (tens of milliseconds) on every request.
type verified struct {
	mu   sync.Mutex
	sums map[string][32]byte
}

// authenticate checks HTTP Basic credentials. Comparisons take constant
// time: bcrypt's, and the cache's. Failed logins are limited per client
// and per user name: beyond the limit a login is a 429 before bcrypt runs,
// so that guessing costs the guesser time and the server no CPU.
func (s *Server) authenticate(r *http.Request) (string, Role, error) {
	if s.users == nil {
		return "", Administrator, nil
	}
	name, password, ok := r.BasicAuth()
	if !ok {
		return "", 0, apierr.Unauthorized("Authentication required.")
	}
	user, known := s.users[name]
	sum := sha256.Sum256([]byte(password))
	s.verified.mu.Lock()
	cached, hit := s.verified.sums[name]
	s.verified.mu.Unlock()
	if known && hit && subtle.ConstantTimeCompare(cached[:], sum[:]) == 1 {
		return name, user.Role, nil
	}
	client := clientOf(r)
	if wait := s.logins.blocked(client, name); wait > 0 {
		return name, 0, tooManyLogins(wait)
	}
	hash := user.Hash
	if !known {
		hash = s.dummy
	}
	if err := bcrypt.CompareHashAndPassword(hash, []byte(password)); !known || err != nil {
		s.logins.failed(client, name)
		return name, 0, apierr.Unauthorized("Invalid username/password combination.")
	}
	s.verified.mu.Lock()
	s.verified.sums[name] = sum
	s.verified.mu.Unlock()
	return name, user.Role, nil
}

// LoadUsers reads users, one a line, as name:bcrypt-hash:role with role
// admin or read-only (htpasswd's bcrypt format, plus a role; `ambit
// passwd` writes such lines). Blank lines and lines starting with # are
// skipped. A file with no users is an error: a server given one would let
// nobody in, and was surely not meant to.
func LoadUsers(r io.Reader) (Users, error) {
	users := Users{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		u, name, err := parseUser(line)
		if err != nil {
			return nil, fmt.Errorf("users line %d: %w", n, err)
		}
		if _, dup := users[name]; dup {
			return nil, fmt.Errorf("users line %d: the user %s is given twice", n, name)
		}
		users[name] = u
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, fmt.Errorf("the users file has no users: want name:bcrypt-hash:role lines")
	}
	return users, nil
}

// parseUser reads one name:bcrypt-hash:role line.
func parseUser(line string) (User, string, error) {
	parts := strings.Split(line, ":")
	if len(parts) != 3 || parts[0] == "" {
		return User{}, "", fmt.Errorf("want name:bcrypt-hash:role")
	}
	if _, err := bcrypt.Cost([]byte(parts[1])); err != nil {
		return User{}, "", fmt.Errorf("the password of %s is not a bcrypt hash", parts[0])
	}
	u := User{Hash: []byte(parts[1])}
	switch parts[2] {
	case "admin":
		u.Role = Administrator
	case "read-only":
		u.Role = ReadOnly
	default:
		return User{}, "", fmt.Errorf("role %q, want admin or read-only", parts[2])
	}
	return u, parts[0], nil
}

// Line is the users-file line of a user: name:bcrypt-hash:role.
func Line(name string, u User) string {
	role := "admin"
	if u.Role == ReadOnly {
		role = "read-only"
	}
	return name + ":" + string(u.Hash) + ":" + role
}
