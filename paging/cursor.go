package paging

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Cursors issues and reads page tokens: opaque, tamper-evident cursors that
// resume a listing exactly after the last item of a page.
//
// A token holds the position of that item (its Key), a hash of the query it
// belongs to, an expiry and a snapshot id. It is signed with HMAC-SHA256
// under Secret, so a client can neither forge nor alter one, and a token
// replayed with another query (predicate, order or scope) is refused.
type Cursors struct {
	// Secret signs tokens; it must not be empty.
	Secret []byte
	// TTL is how long a token stays valid; zero means an hour.
	TTL time.Duration
	// Now tells the time; nil means time.Now.
	Now func() time.Time
}

// Cursor is what a page token carries.
type Cursor struct {
	// Key is the position of the last item of the page the token follows.
	Key Key
	// Snapshot identifies the snapshot the listing is served from, so that
	// every page of one listing comes from one consistent state.
	Snapshot uint64
	// Expires is when the token stops being valid.
	Expires time.Time
}

type payload struct {
	Key      []string `json:"k"`
	Binding  string   `json:"b"`
	Snapshot uint64   `json:"s,omitempty"`
	Expires  int64    `json:"e"`
}

var errNoSecret = errors.New("paging: Cursors has no secret")

// Encode issues a token for cur, bound to binding: a canonical form of the
// query (predicate, order, scope). A zero Expires is set to now plus TTL.
func (c *Cursors) Encode(binding string, cur Cursor) (string, error) {
	if len(c.Secret) == 0 {
		return "", errNoSecret
	}
	if cur.Expires.IsZero() {
		ttl := c.TTL
		if ttl <= 0 {
			ttl = time.Hour
		}
		cur.Expires = c.now().Add(ttl)
	}
	p := payload{Binding: bindingHash(binding), Snapshot: cur.Snapshot, Expires: cur.Expires.Unix()}
	for _, v := range cur.Key {
		s, err := encodeValue(v)
		if err != nil {
			return "", err
		}
		p.Key = append(p.Key, s)
	}
	body, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(body) + "." + enc.EncodeToString(c.sign(body)), nil
}

// Decode reads a token issued by Encode for the same binding. A token that
// is malformed, signed with another secret or bound to another query is a
// *ParamError; so is an expired one, with Expired set.
func (c *Cursors) Decode(token, binding string) (Cursor, error) {
	if len(c.Secret) == 0 {
		return Cursor{}, errNoSecret
	}
	bad := func(reason string) (Cursor, error) {
		return Cursor{}, &ParamError{Param: "page_token", Value: token, Reason: reason}
	}
	b64, sig64, ok := strings.Cut(token, ".")
	enc := base64.RawURLEncoding
	body, err1 := enc.DecodeString(b64)
	sig, err2 := enc.DecodeString(sig64)
	if !ok || err1 != nil || err2 != nil {
		return bad("not a page token")
	}
	if !hmac.Equal(sig, c.sign(body)) {
		return bad("not a page token issued by this server")
	}
	var p payload
	if err := json.Unmarshal(body, &p); err != nil {
		return bad("not a page token")
	}
	if p.Binding != bindingHash(binding) {
		return bad("issued for a different query: a token resumes only the listing that produced it")
	}
	cur := Cursor{Snapshot: p.Snapshot, Expires: time.Unix(p.Expires, 0)}
	if !c.now().Before(cur.Expires) {
		return Cursor{}, &ParamError{Param: "page_token", Value: token, Reason: "has expired: start the listing again", Expired: true}
	}
	for _, s := range p.Key {
		v, err := decodeValue(s)
		if err != nil {
			return bad("not a page token")
		}
		cur.Key = append(cur.Key, v)
	}
	return cur, nil
}

func (c *Cursors) sign(body []byte) []byte {
	m := hmac.New(sha256.New, c.Secret)
	m.Write(body)
	return m.Sum(nil)
}

func (c *Cursors) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func bindingHash(binding string) string {
	sum := sha256.Sum256([]byte(binding))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// encodeValue writes a key value with its kind, so that it decodes to a
// value that compares the same: z null, t/f bool, i integer, n number,
// s string.
func encodeValue(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "z", nil
	case bool:
		if x {
			return "t", nil
		}
		return "f", nil
	case string:
		return "s" + x, nil
	case int:
		return "i" + strconv.Itoa(x), nil
	case int64:
		return "i" + strconv.FormatInt(x, 10), nil
	}
	if f, ok := number(v); ok {
		return "n" + strconv.FormatFloat(f, 'g', -1, 64), nil
	}
	return "", fmt.Errorf("paging: a key value of type %T cannot go in a page token", v)
}

func decodeValue(s string) (any, error) {
	if s == "" {
		return nil, errors.New("empty value")
	}
	switch rest := s[1:]; s[0] {
	case 'z':
		return nil, nil
	case 't':
		return true, nil
	case 'f':
		return false, nil
	case 's':
		return rest, nil
	case 'i':
		return strconv.ParseInt(rest, 10, 64)
	case 'n':
		return strconv.ParseFloat(rest, 64)
	}
	return nil, errors.New("unknown kind")
}
