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

// Users maps user names to users. An empty Users authenticates nobody and
// lets everybody in as an administrator: it is for tests and embedding.
type Users map[string]User

// NewUser hashes a password with bcrypt.
func NewUser(password string, role Role) (User, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	return User{Hash: h, Role: role}, err
}

// dummy is compared against when the user is unknown, so that a wrong name
// costs as much time as a wrong password.
var dummy, _ = bcrypt.GenerateFromPassword([]byte("ambit: no such user"), bcrypt.MinCost)

// verified remembers the credentials bcrypt has accepted, as a SHA-256 of
// the password, so that a client does not pay bcrypt's deliberate cost
// (tens of milliseconds) on every request.
type verified struct {
	mu   sync.Mutex
	sums map[string][32]byte
}

// authenticate checks HTTP Basic credentials. Comparisons take constant
// time: bcrypt's, and the cache's.
func (s *Server) authenticate(r *http.Request) (string, Role, error) {
	if len(s.users) == 0 {
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
	hash := user.Hash
	if !known {
		hash = dummy
	}
	if err := bcrypt.CompareHashAndPassword(hash, []byte(password)); !known || err != nil {
		return name, 0, apierr.Unauthorized("Invalid username/password combination.")
	}
	s.verified.mu.Lock()
	s.verified.sums[name] = sum
	s.verified.mu.Unlock()
	return name, user.Role, nil
}

// LoadUsers reads users, one a line, as name:bcrypt-hash:role with role
// admin or read-only (htpasswd's bcrypt format, plus a role). Blank lines
// and lines starting with # are skipped.
func LoadUsers(r io.Reader) (Users, error) {
	users := Users{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, ":")
		if len(parts) != 3 || parts[0] == "" {
			return nil, fmt.Errorf("users line %d: want name:bcrypt-hash:role", n)
		}
		if _, err := bcrypt.Cost([]byte(parts[1])); err != nil {
			return nil, fmt.Errorf("users line %d: the password of %s is not a bcrypt hash: %w", n, parts[0], err)
		}
		u := User{Hash: []byte(parts[1])}
		switch parts[2] {
		case "admin":
			u.Role = Administrator
		case "read-only":
			u.Role = ReadOnly
		default:
			return nil, fmt.Errorf("users line %d: role %q, want admin or read-only", n, parts[2])
		}
		users[parts[0]] = u
	}
	return users, sc.Err()
}
