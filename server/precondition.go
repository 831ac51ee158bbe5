package server

import (
	"net/http"
	"strconv"
	"strings"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
)

// Precondition is a write's If-Match header, read as RFC 9110 §13.1.1
// says: "*" matches any existing resource; otherwise a list of entity tags
// of which one must match the resource's ETag by strong comparison, so a
// weak tag (W/"59") never matches, and neither does anything that is not
// an entity tag.
type Precondition struct {
	given bool
	any   bool
	tags  []string // the opaque tags, quotes included, of the strong ones
	raw   string
}

// IfMatch reads a request's If-Match header (every field line of it).
func IfMatch(r *http.Request) Precondition {
	lines := r.Header.Values("If-Match")
	if len(lines) == 0 {
		return Precondition{}
	}
	p := Precondition{given: true, raw: strings.Join(lines, ", ")}
	for _, line := range lines {
		for _, t := range splitTags(line) {
			switch {
			case t == "*":
				p.any = true
			case strings.HasPrefix(t, "W/"):
				// weak: matches nothing under strong comparison
			case len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' && !strings.Contains(t[1:len(t)-1], `"`):
				p.tags = append(p.tags, t)
			}
		}
	}
	return p
}

// splitTags splits a list of entity tags on the commas between them; a
// comma inside quotes is part of a tag.
func splitTags(s string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" || len(out) > 0 {
		out = append(out, t)
	}
	return out
}

// ETag is the ETag of a resource version: the version, quoted.
func ETag(version uint64) string { return `"` + strconv.FormatUint(version, 10) + `"` }

// Check returns the test a resource must pass before a write changes it:
// a 412 unless it matches. It is nil when no If-Match was given, so that
// writes without one take no check at all.
func (p Precondition) Check() func(resource.Resource) error {
	if !p.given {
		return nil
	}
	return func(r resource.Resource) error {
		if p.any {
			return nil
		}
		tag := ETag(r.Version())
		for _, t := range p.tags {
			if t == tag {
				return nil
			}
		}
		return apierr.New(http.StatusPreconditionFailed, "If-Match %s does not match the %s's current ETag %s.", p.raw, typeName(r), tag).
			WithName("PRECONDITION_FAILED").WithField("If-Match", -1)
	}
}

// typeName is how messages name a resource's type: the collection's
// singular, host_component.
func typeName(r resource.Resource) string {
	return strings.TrimSuffix(r.Ref().Type, "s")
}
