package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	apierr "github.com/ambitkit/ambit/errors"
)

// Tokens are bearer tokens the server issues at /token and verifies on
// every face: a payload naming the user, its role, its grants and when
// it expires, and an HMAC-SHA256 of it under the server's key, both in
// base64url, joined by a dot. The format is ours, not JWT: one algorithm
// and one issuer leave a JWT library nothing to do but add ways to get
// the algorithm wrong.
type tokens struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

// claims are what a token says.
type claims struct {
	User    string   `json:"u"`
	Role    Role     `json:"r"`
	Grants  []string `json:"g,omitempty"`
	All     bool     `json:"a,omitempty"` // every namespace
	Expires int64    `json:"e"`           // Unix seconds
}

// issue makes a token for a principal.
func (t *tokens) issue(p Principal) (string, error) {
	payload, err := json.Marshal(claims{User: p.Name, Role: p.Role, Grants: p.Grants, All: p.All,
		Expires: t.now().Add(t.ttl).Unix()})
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	body := enc.EncodeToString(payload)
	return body + "." + enc.EncodeToString(t.sign(body)), nil
}

func (t *tokens) sign(body string) []byte {
	mac := hmac.New(sha256.New, t.key)
	mac.Write([]byte(body))
	return mac.Sum(nil)
}

// errToken is a token that is not ours, was changed, or has expired: the
// client must get a new one.
var errToken = errors.New("invalid token")

// verify checks a token's signature and expiry and returns its principal.
func (t *tokens) verify(token string) (Principal, error) {
	body, sig, ok := strings.Cut(token, ".")
	enc := base64.RawURLEncoding
	got, err := enc.DecodeString(sig)
	if !ok || err != nil || !hmac.Equal(got, t.sign(body)) {
		return Principal{}, errToken
	}
	payload, err := enc.DecodeString(body)
	if err != nil {
		return Principal{}, errToken
	}
	var c claims
	if err := json.Unmarshal(payload, &c); err != nil || c.User == "" {
		return Principal{}, errToken
	}
	if t.now().Unix() >= c.Expires {
		return Principal{}, errToken
	}
	return Principal{Name: c.User, Role: c.Role, Grants: c.Grants, All: c.All}, nil
}

// issueToken answers GET or POST /token: Basic credentials get a token in
// CDAP's shape. It returns the user, for the log.
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request) string {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		s.fail(w, r, apierr.MethodNotAllowed("Method %s is not allowed on /token: use GET or POST with Basic credentials.", r.Method))
		return ""
	}
	if _, _, ok := r.BasicAuth(); !ok {
		s.fail(w, r, apierr.Unauthorized("A token is issued for Basic credentials."))
		return ""
	}
	p, err := s.authenticate(r)
	if err != nil {
		s.fail(w, r, err)
		return p.Name
	}
	tok, err := s.tokens.issue(p)
	if err != nil {
		s.fail(w, r, err)
		return p.Name
	}
	body, _ := json.Marshal(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(s.tokens.ttl.Seconds())})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	s.send(w, http.StatusOK, append(body, '\n'))
	return p.Name
}
