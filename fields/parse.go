package fields

import (
	"fmt"
	"strconv"
	"strings"
)

// List is a parsed fields expression: its items in the order written.
type List []Item

// Item is one comma-separated item of a fields expression.
type Item struct {
	// Path holds the segments of the named property, category or
	// sub-resource. It ends in "*" for a wildcard: ["*"] alone means
	// everything, [host_components *] everything of each host component.
	Path []string
	// Exclude marks an item written -path: it removes what the path names
	// from what the other items (or the defaults) select.
	Exclude bool
	// Temporal is the time range of an item written path[start,end,step],
	// or nil.
	Temporal *Temporal
	// Offset is the byte offset of the item in the expression.
	Offset int
}

// Temporal is the time range asked for with path[start,end,step]. Start and
// End are in milliseconds since the epoch: as in Ambari, values below
// 9 999 999 999 are read as seconds and larger ones as milliseconds. End
// and Step are -1 when not given (the provider's "now" and default step);
// Step is in seconds.
type Temporal struct {
	Start, End, Step int64
}

// secondsLimit separates seconds from milliseconds in temporal bounds.
const secondsLimit = 9999999999

// SyntaxError reports a fields expression that does not parse.
type SyntaxError struct {
	// Offset is the byte offset of the problem in the expression.
	Offset int
	// Item is the offending item as written.
	Item string
	// Reason says what is wrong with it.
	Reason string
}

// Error reads `fields item "a[x]" at offset 2: <reason>`.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("fields item %q at offset %d: %s", e.Item, e.Offset, e.Reason)
}

// Parse parses a fields expression: comma-separated items, each a path
// a/b/c naming a property, a category or a sub-resource, * alone or as the
// last segment, an optional temporal suffix [start], [start,end] or
// [start,end,step], and an optional leading - that excludes instead of
// selects (an ambit extension). Commas inside [...] do not split items.
//
// Items are trimmed and empty items are ignored, a deliberate departure
// from Ambari, which keeps the spaces and then rejects the property.
func Parse(s string) (List, error) {
	var out List
	start, depth := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch s[i] {
			case '[':
				depth++
			case ']':
				depth = max(0, depth-1)
			}
			if s[i] != ',' || depth > 0 {
				continue
			}
		}
		raw := s[start:i]
		trimmed := strings.TrimSpace(raw)
		if trimmed != "" {
			at := start + strings.Index(raw, trimmed)
			item, err := parseItem(trimmed, at)
			if err != nil {
				return nil, err
			}
			out = append(out, item)
		}
		start = i + 1
	}
	return out, nil
}

func parseItem(s string, at int) (Item, error) {
	it := Item{Offset: at}
	fail := func(off int, format string, args ...any) (Item, error) {
		return Item{}, &SyntaxError{Offset: at + off, Item: s, Reason: fmt.Sprintf(format, args...)}
	}
	body, pathAt := s, 0
	if strings.HasPrefix(body, "-") {
		it.Exclude = true
		rest := strings.TrimLeft(body[1:], " \t")
		body, pathAt = rest, len(s)-len(rest)
	}
	if open := strings.IndexByte(body, '['); open >= 0 {
		off := pathAt + open
		end := strings.IndexByte(body[open:], ']')
		if end < 0 {
			return fail(off, `"[" is never closed`)
		}
		end += open
		if end != len(body)-1 {
			return fail(pathAt+end+1, `unexpected text after "]"`)
		}
		if it.Exclude {
			return fail(off, "an excluded item cannot ask for a time range")
		}
		t, err := parseTemporal(body[open+1:end], off+1)
		if err != nil {
			err.Item = s
			err.Offset += at
			return Item{}, err
		}
		it.Temporal = t
		body = strings.TrimRight(body[:open], " \t")
	}
	if body == "" {
		return fail(pathAt, "a path is missing")
	}
	it.Path = strings.Split(body, "/")
	pos := pathAt
	for i, seg := range it.Path {
		switch {
		case seg == "":
			return fail(pos, "a path has an empty segment")
		case strings.Contains(seg, "*") && (seg != "*" || i != len(it.Path)-1):
			return fail(pos, `"*" can only be a whole last segment`)
		}
		pos += len(seg) + 1
	}
	return it, nil
}

func parseTemporal(s string, at int) (*Temporal, *SyntaxError) {
	parts := strings.Split(s, ",")
	if len(parts) > 3 {
		return nil, &SyntaxError{Offset: at, Reason: fmt.Sprintf("a time range has at most three numbers (start,end,step), not %d", len(parts))}
	}
	t := &Temporal{End: -1, Step: -1}
	dst := []*int64{&t.Start, &t.End, &t.Step}
	pos := at
	for i, p := range parts {
		n, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil || n < 0 {
			what := "start"
			if i == 1 {
				what = "end"
			} else if i == 2 {
				what = "step"
			}
			return nil, &SyntaxError{Offset: pos, Reason: fmt.Sprintf("the %s of the time range, %q, is not a non-negative integer", what, strings.TrimSpace(p))}
		}
		if i < 2 && n <= secondsLimit {
			n *= 1000
		}
		*dst[i] = n
		pos += len(p) + 1
	}
	return t, nil
}

// String prints the item as it would be written.
func (it Item) String() string {
	var b strings.Builder
	if it.Exclude {
		b.WriteByte('-')
	}
	b.WriteString(strings.Join(it.Path, "/"))
	if t := it.Temporal; t != nil {
		fmt.Fprintf(&b, "[%d", written(t.Start))
		if t.End >= 0 {
			fmt.Fprintf(&b, ",%d", written(t.End))
			if t.Step >= 0 {
				fmt.Fprintf(&b, ",%d", t.Step)
			}
		}
		b.WriteByte(']')
	}
	return b.String()
}

// written is how a time in milliseconds is written so that it parses back
// to the same value: in seconds when it is a whole number of them.
func written(ms int64) int64 {
	if ms%1000 == 0 && ms/1000 <= secondsLimit {
		return ms / 1000
	}
	return ms
}

// String prints the list as a fields expression.
func (l List) String() string {
	parts := make([]string, len(l))
	for i, it := range l {
		parts[i] = it.String()
	}
	return strings.Join(parts, ",")
}
