package server

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
	"golang.org/x/crypto/bcrypt"
)

// Role is what a user may do.
type Role int

// The roles.
const (
	Administrator Role = iota // everything, in every namespace unless grants say otherwise
	ReadOnly                  // GET only, in its namespaces; writes are 403
	Operator                  // reads and writes in its namespaces
)

var roleNames = map[string]Role{"admin": Administrator, "read-only": ReadOnly, "operator": Operator}

// String names the role as the users file does.
func (r Role) String() string {
	for name, role := range roleNames {
		if role == r {
			return name
		}
	}
	return "Role(" + fmt.Sprint(int(r)) + ")"
}

// User is an API user; the password is stored as a bcrypt hash.
type User struct {
	Hash []byte
	Role Role
	// Grants are the namespaces the user may use; nil gives an
	// administrator every namespace and others resource.Default, an empty
	// list none. "*" grants every namespace.
	Grants []string
	// Disabled users cannot log in (Ambari's Users/active=false).
	Disabled bool
}

// Principal is who a request comes from, with what it may touch.
type Principal struct {
	Name   string
	Role   Role
	Grants []string
	All    bool // every namespace
	// Namespace is the home namespace a login chose (Basic user@ns), for
	// faces whose URLs name none; empty for the default choice.
	Namespace string
}

// principal is the principal of a user.
func (u User) principal(name string) Principal {
	p := Principal{Name: name, Role: u.Role, Grants: u.Grants}
	switch {
	case slices.Contains(u.Grants, "*"):
		p.All, p.Grants = true, nil
	case u.Grants == nil && u.Role == Administrator:
		p.All = true
	case u.Grants == nil: // none given: an empty list is none at all
		p.Grants = []string{resource.Default}
	}
	return p
}

// Home is the namespace a face whose URLs name none serves the principal
// (Ambari's): the one its login chose, else resource.Default when
// granted, else the first namespace granted, so that a user of one
// project sees its clusters there.
func (p Principal) Home() string {
	if p.Namespace != "" {
		return p.Namespace
	}
	if p.Can(resource.Default) || len(p.Grants) == 0 {
		return resource.Default
	}
	return p.Grants[0]
}

// Can reports whether the principal may use a namespace.
func (p Principal) Can(ns string) bool { return p.All || slices.Contains(p.Grants, ns) }

// Users maps user names to users.
type Users map[string]User

// Check reports whether a password is the user's.
func (u User) Check(password string) bool {
	return bcrypt.CompareHashAndPassword(u.Hash, []byte(password)) == nil
}

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

// forget drops a user's remembered password: it changed, or the user went.
func (v *verified) forget(name string) {
	v.mu.Lock()
	delete(v.sums, name)
	v.mu.Unlock()
}

// authenticate finds who a request comes from: a bearer token (in
// Authorization: Bearer or X-Auth-Token) or HTTP Basic credentials. A
// server without users lets everybody in as an administrator.
func (s *Server) authenticate(r *http.Request) (Principal, error) {
	if !s.auth {
		return Principal{Role: Administrator, All: true}, nil
	}
	if tok, ok := bearer(r); ok {
		p, err := s.tokens.verify(tok)
		if err != nil {
			return Principal{}, apierr.Unauthorized("The token is not valid or has expired: get a new one from /token.").WithName("INVALID_TOKEN")
		}
		u, known := s.accounts.Get(p.Name)
		if !known || u.Disabled {
			return Principal{}, apierr.Unauthorized("The token's user no longer exists or is not active.").WithName("INVALID_TOKEN")
		}
		return u.principal(p.Name), nil // the user's grants now, not the token's of then
	}
	name, password, ok := r.BasicAuth()
	if !ok {
		return Principal{}, apierr.Unauthorized("Authentication required.")
	}
	user, ns, scoped := strings.Cut(name, "@")
	if _, known := s.accounts.Get(name); known || !scoped || ns == "" {
		return s.basic(r, name, password)
	}
	// user@ns: an Ambari client has no other way to name a project.
	p, err := s.basic(r, user, password)
	if err != nil {
		return p, err
	}
	if !p.Can(ns) {
		return Principal{}, apierr.Forbidden("The user %s is not granted the namespace %s.", user, ns)
	}
	p.Namespace = ns
	return p, nil
}

// bearer is a request's bearer token, if it has one.
func bearer(r *http.Request) (string, bool) {
	if tok := r.Header.Get("X-Auth-Token"); tok != "" {
		return tok, true
	}
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(tok), true
	}
	return "", false
}

// basic checks HTTP Basic credentials. Comparisons take constant time:
// bcrypt's, and the cache's. Failed logins are limited per client and per
// user name: beyond the limit a login is a 429 before bcrypt runs, so that
// guessing costs the guesser time and the server no CPU.
func (s *Server) basic(r *http.Request, name, password string) (Principal, error) {
	user, known := s.accounts.Get(name)
	known = known && !user.Disabled
	sum := sha256.Sum256([]byte(password))
	s.verified.mu.Lock()
	cached, hit := s.verified.sums[name]
	s.verified.mu.Unlock()
	if known && hit && subtle.ConstantTimeCompare(cached[:], sum[:]) == 1 {
		return user.principal(name), nil
	}
	client := clientOf(r)
	if wait := s.logins.blocked(client, name); wait > 0 {
		return Principal{Name: name}, tooManyLogins(wait)
	}
	hash := user.Hash
	if !known {
		hash = s.dummy
	}
	if err := bcrypt.CompareHashAndPassword(hash, []byte(password)); !known || err != nil {
		s.logins.failed(client, name)
		return Principal{Name: name}, apierr.Unauthorized("Invalid username/password combination.")
	}
	s.verified.mu.Lock()
	s.verified.sums[name] = sum
	s.verified.mu.Unlock()
	return user.principal(name), nil
}

// LoadUsers reads users, one a line, as name:bcrypt-hash:role with role
// admin, operator or read-only (htpasswd's bcrypt format, plus a role;
// `ambit passwd` writes such lines), and optionally :ns1,ns2 after the
// role, the namespaces the user is granted ("*" for all; see User.Grants). Blank lines and lines starting with # are
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

// parseUser reads one name:bcrypt-hash:role[:grants] line.
func parseUser(line string) (User, string, error) {
	parts := strings.Split(line, ":")
	if len(parts) < 3 || len(parts) > 4 || parts[0] == "" {
		return User{}, "", errors.New("want name:bcrypt-hash:role, or name:bcrypt-hash:role:namespaces")
	}
	if _, err := bcrypt.Cost([]byte(parts[1])); err != nil {
		return User{}, "", fmt.Errorf("the password of %s is not a bcrypt hash", parts[0])
	}
	u := User{Hash: []byte(parts[1])}
	role, ok := roleNames[parts[2]]
	if !ok {
		return User{}, "", fmt.Errorf("role %q, want admin, operator or read-only", parts[2])
	}
	u.Role = role
	if len(parts) == 4 {
		for _, ns := range strings.Split(parts[3], ",") {
			if ns = strings.TrimSpace(ns); ns == "" {
				return User{}, "", fmt.Errorf("the grants of %s name an empty namespace", parts[0])
			}
			u.Grants = append(u.Grants, ns)
		}
	}
	return u, parts[0], nil
}

// Line is the users-file line of a user: name:bcrypt-hash:role, then
// :grants when it has some.
func Line(name string, u User) string {
	line := name + ":" + string(u.Hash) + ":" + u.Role.String()
	if len(u.Grants) > 0 {
		line += ":" + strings.Join(u.Grants, ",")
	}
	return line
}
