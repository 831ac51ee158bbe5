package fields

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the JSON encoding of the selected view of tree to dst,
// as json.Marshal(s.Select(tree)) would write it (keys sorted, HTML
// characters not escaped), without building the view. It fails on values
// JSON cannot hold, such as NaN.
func (s *Selection) AppendJSON(dst []byte, tree map[string]any) ([]byte, error) {
	e := encoder{buf: dst}
	e.selection(s, tree)
	return e.buf, e.err
}

type encoder struct {
	buf    []byte
	err    error
	comma  bool   // a member was written in the current object
	indent string // for AppendTree: the indent of one level, or ""
	depth  int
}

// AppendTree appends a JSON-shaped value (maps, slices, strings, numbers,
// booleans, nil) to dst as JSON, map keys sorted and HTML characters not
// escaped, as encoding/json writes it; with a non-empty indent, as
// json.MarshalIndent with that indent does. It is the fast way to write a
// rendered response.
//
// A json.RawMessage is written as it is: the caller encodes it for its
// place, as AppendIndent does.
func AppendTree(dst []byte, v any, indent string) ([]byte, error) {
	return AppendIndent(dst, v, indent, 0)
}

// AppendIndent is AppendTree for a value that starts depth levels deep in
// an indented document, so that it can be spliced into one.
func AppendIndent(dst []byte, v any, indent string, depth int) ([]byte, error) {
	e := encoder{buf: dst, indent: indent, depth: depth}
	e.value(v)
	return e.buf, e.err
}

// spaces indents the usual two spaces a level without a loop.
const spaces = "                                                                "

// newline starts a line at the current depth, when indenting.
func (e *encoder) newline() {
	if e.indent == "" {
		return
	}
	e.buf = append(e.buf, '\n')
	if n := e.depth * len(e.indent); e.indent == "  " && n <= len(spaces) {
		e.buf = append(e.buf, spaces[:n]...)
		return
	}
	for i := 0; i < e.depth; i++ {
		e.buf = append(e.buf, e.indent...)
	}
}

func (e *encoder) selection(s *Selection, tree map[string]any) {
	e.buf = append(e.buf, '{')
	e.comma = false
	whole := s.root.all && !s.root.excluded
	names := s.names
	if whole {
		names = sortedKeys(make([]string, 0, 16), tree)
	}
	for _, k := range names {
		v, ok := tree[k]
		switch {
		case !ok:
		case k == hrefKey:
			e.key(k)
			e.value(v)
		case s.isSub(k):
			if ss := s.subs[k]; ss != nil {
				e.key(k)
				e.sub(ss, v)
			}
		default:
			e.member(k, v, s.root.children[k], whole)
		}
	}
	e.buf = append(e.buf, '}')
	e.comma = true
}

func (e *encoder) sub(s *Selection, v any) {
	switch x := v.(type) {
	case map[string]any:
		e.selection(s, x)
	case []any:
		e.buf = append(e.buf, '[')
		for i, it := range x {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if m, ok := it.(map[string]any); ok {
				e.selection(s, m)
			} else {
				e.value(it)
			}
		}
		e.buf = append(e.buf, ']')
	default:
		e.value(v)
	}
}

// member writes k and what the selection keeps of v, as selectInto does.
func (e *encoder) member(k string, v any, c *node, whole bool) {
	switch keep, cw := decide(c, whole); keep {
	case keepWhole:
		e.key(k)
		e.value(v)
	case keepPart:
		if sub, ok := v.(map[string]any); ok {
			mark, comma := len(e.buf), e.comma
			e.key(k)
			if !e.object(c, sub, cw) {
				e.buf, e.comma = e.buf[:mark], comma // nothing selected: leave the member out
			}
		} else if c.key || cw {
			e.key(k)
			e.value(v)
		}
	}
}

// object writes what node n selects of m and reports whether it wrote a
// member.
func (e *encoder) object(n *node, m map[string]any, whole bool) bool {
	e.buf = append(e.buf, '{')
	e.comma = false
	names := n.sorted
	if whole {
		names = sortedKeys(make([]string, 0, 16), m)
	}
	for _, k := range names {
		if v, ok := m[k]; ok {
			e.member(k, v, n.children[k], whole)
		}
	}
	wrote := e.comma
	e.buf = append(e.buf, '}')
	e.comma = true
	return wrote
}

func (e *encoder) key(k string) {
	if e.comma {
		e.buf = append(e.buf, ',')
	}
	e.buf = appendString(e.buf, k)
	e.buf = append(e.buf, ':')
	e.comma = true
}

// value writes any JSON-shaped value, maps with sorted keys.
func (e *encoder) value(v any) {
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case string:
		e.buf = appendString(e.buf, x)
	case bool:
		e.buf = strconv.AppendBool(e.buf, x)
	case float64:
		e.float(x)
	case int:
		e.buf = strconv.AppendInt(e.buf, int64(x), 10)
	case int64:
		e.buf = strconv.AppendInt(e.buf, x, 10)
	case json.Number:
		e.buf = append(e.buf, x...)
	case json.RawMessage:
		e.buf = append(e.buf, x...)
	case map[string]any:
		e.buf = append(e.buf, '{')
		e.depth++
		for i, k := range sortedKeys(make([]string, 0, 16), x) {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.newline()
			e.buf = appendString(e.buf, k)
			e.buf = append(e.buf, ':')
			if e.indent != "" {
				e.buf = append(e.buf, ' ')
			}
			e.value(x[k])
		}
		e.depth--
		if len(x) > 0 {
			e.newline()
		}
		e.buf = append(e.buf, '}')
	case []map[string]any: // a rendered collection's items
		array(e, x, func(m map[string]any) { e.value(m) })
	case []json.RawMessage: // encoded items, not boxed one by one
		array(e, x, func(b json.RawMessage) { e.buf = append(e.buf, b...) })
	case []any:
		array(e, x, e.value)
	default:
		b, err := json.Marshal(x)
		if err != nil && e.err == nil {
			e.err = err
		}
		e.buf = append(e.buf, b...)
	}
	e.comma = true
}

// array writes a slice of JSON-shaped values, each on its line when
// indenting.
func array[T any](e *encoder, x []T, write func(T)) {
	e.buf = append(e.buf, '[')
	e.depth++
	for i, it := range x {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.newline()
		write(it)
	}
	e.depth--
	if len(x) > 0 {
		e.newline()
	}
	e.buf = append(e.buf, ']')
}

// float writes f as encoding/json does.
func (e *encoder) float(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		if e.err == nil {
			e.err = fmt.Errorf("fields: JSON cannot hold the number %v", f)
		}
		e.buf = append(e.buf, "null"...)
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	e.buf = strconv.AppendFloat(e.buf, f, format, -1, 64)
	if format == 'e' { // 1e-07, as encoding/json writes it, not 1e-007
		n := len(e.buf)
		if n >= 4 && e.buf[n-4] == 'e' && e.buf[n-3] == '-' && e.buf[n-2] == '0' {
			e.buf[n-2] = e.buf[n-1]
			e.buf = e.buf[:n-1]
		}
	}
}

// keys is reused when it has room: callers pass a small array on their
// stack, since most objects of a response are small.
func sortedKeys(keys []string, m map[string]any) []string {
	keys = keys[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

const hex = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does with
// HTML escaping off: invalid UTF-8 becomes U+FFFD, and U+2028 and U+2029
// are escaped for JavaScript.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
