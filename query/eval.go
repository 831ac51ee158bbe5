package query

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Resource is anything a predicate can be evaluated against: it answers
// the value at a path. ok is false when there is no such property.
//
// Values are compared by kind: strings; numbers of any Go numeric type or
// json.Number; bools; nil (the same as absent); and, for isEmpty,
// map[string]any and []any.
type Resource interface {
	Get(p Path) (v any, ok bool)
}

// Tree is a JSON-shaped property tree, as encoding/json decodes one: each
// path segment indexes one map level.
type Tree map[string]any

// Get walks the path through nested maps.
func (t Tree) Get(p Path) (any, bool) {
	if len(p) == 0 {
		return nil, false
	}
	m := map[string]any(t)
	for _, seg := range p[:len(p)-1] {
		next, ok := m[seg].(map[string]any)
		if !ok {
			return nil, false
		}
		m = next
	}
	v, ok := m[p[len(p)-1]]
	return v, ok
}

// Match evaluates every term; it is true when all are.
func (a *And) Match(r Resource) bool {
	for _, t := range a.Terms {
		if !t.Match(r) {
			return false
		}
	}
	return true
}

// Match is true when some term is.
func (o *Or) Match(r Resource) bool {
	for _, t := range o.Terms {
		if t.Match(r) {
			return true
		}
	}
	return false
}

// Match negates X.
func (n *Not) Match(r Resource) bool { return !n.X.Match(r) }

// Match compares the resource's value with the literal.
//
// The comparison is numeric when the literal is a decimal number and the
// value is a number, or a string that is entirely a decimal number;
// otherwise it compares the literal with the value's string form, byte-wise
// and case-sensitively (booleans as true and false, numbers in their
// shortest form). An absent or null value makes =, <, <=, > and >= false and
// != true; p= (a Null literal) is true only for absent or null values. A
// map is a category, not a value: it compares as absent.
func (c *Comparison) Match(r Resource) bool {
	v, _ := r.Get(c.Path)
	return c.test(v)
}

func (c *Comparison) test(v any) bool {
	if _, category := v.(map[string]any); category {
		v = nil // as in Ambari, a category is not a property: it has no value
	}
	if c.Value.Null {
		return (v == nil) == (c.Op == Eq)
	}
	if v == nil {
		return c.Op == Ne
	}
	order, ok := compare(v, &c.Value)
	if !ok {
		return c.Op == Ne
	}
	switch c.Op {
	case Eq:
		return order == 0
	case Ne:
		return order != 0
	case Lt:
		return order < 0
	case Le:
		return order <= 0
	case Gt:
		return order > 0
	default:
		return order >= 0
	}
}

// Match is true when the value equals one of the items.
func (in *In) Match(r Resource) bool {
	v, _ := r.Get(in.Path)
	return in.test(v)
}

func (in *In) test(v any) bool {
	if v == nil {
		return false
	}
	for i := range in.Values {
		if order, ok := compare(v, &in.Values[i]); ok && order == 0 {
			return true
		}
	}
	return false
}

// Match is true when the value's string form matches the whole pattern.
// An absent value, a map or a list never matches.
func (m *Matches) Match(r Resource) bool {
	v, _ := r.Get(m.Path)
	return m.test(v)
}

func (m *Matches) test(v any) bool {
	if s, ok := v.(string); ok {
		return m.re.MatchString(s)
	}
	var buf [32]byte
	s, ok := stringOf(v, buf[:0])
	return ok && m.re.Match(s)
}

// Match is true when the path holds nothing: it is absent or null, an empty
// string or list, or a map (a category) with no properties directly in it.
// As in Ambari, sub-categories do not count: metrics.isEmpty() is true when
// every metric lives under metrics/jvm. Other values are not empty.
func (e *IsEmpty) Match(r Resource) bool {
	v, _ := r.Get(e.Path)
	return isEmptyValue(v)
}

func isEmptyValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, child := range x {
			if _, sub := child.(map[string]any); !sub {
				return false
			}
		}
		return true
	}
	return false
}

// compare orders a resource value against a literal: negative when the
// value is smaller. ok is false for values that do not compare (maps,
// lists, NaN).
func compare(v any, lit *Literal) (order int, ok bool) {
	if lit.Numeric {
		if n, isNum := numberOf(v); isNum {
			switch {
			case n < lit.Num:
				return -1, true
			case n > lit.Num:
				return 1, true
			case n == lit.Num:
				return 0, true
			}
			return 0, false // NaN
		}
	}
	if s, isStr := v.(string); isStr {
		return strings.Compare(s, lit.Text), true
	}
	var buf [32]byte
	s, isStr := stringOf(v, buf[:0])
	if !isStr {
		return 0, false
	}
	// Comparing string(s) directly does not copy s.
	switch {
	case string(s) < lit.Text:
		return -1, true
	case string(s) > lit.Text:
		return 1, true
	}
	return 0, true
}

// numberOf reads v as a number: a Go number, a json.Number, or a string
// that is entirely a decimal literal.
func numberOf(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case string:
		return parseDecimal(x)
	case json.Number:
		return parseDecimal(string(x))
	case float32:
		return float64(x), true
	case int32:
		return float64(x), true
	case int16:
		return float64(x), true
	case int8:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint8:
		return float64(x), true
	}
	return 0, false
}

// stringOf appends v's string form to buf: strings as they are, booleans as
// true and false, numbers in their shortest form. ok is false for maps,
// lists and other values, which have none.
func stringOf(v any, buf []byte) (s []byte, ok bool) {
	switch x := v.(type) {
	case string:
		return append(buf, x...), true
	case bool:
		return strconv.AppendBool(buf, x), true
	case json.Number:
		return append(buf, x...), true
	case float64:
		return strconv.AppendFloat(buf, x, 'g', -1, 64), true
	case float32:
		return strconv.AppendFloat(buf, float64(x), 'g', -1, 32), true
	case int:
		return strconv.AppendInt(buf, int64(x), 10), true
	case int64:
		return strconv.AppendInt(buf, x, 10), true
	case int32:
		return strconv.AppendInt(buf, int64(x), 10), true
	case int16:
		return strconv.AppendInt(buf, int64(x), 10), true
	case int8:
		return strconv.AppendInt(buf, int64(x), 10), true
	case uint:
		return strconv.AppendUint(buf, uint64(x), 10), true
	case uint64:
		return strconv.AppendUint(buf, x, 10), true
	case uint32:
		return strconv.AppendUint(buf, uint64(x), 10), true
	case uint16:
		return strconv.AppendUint(buf, uint64(x), 10), true
	case uint8:
		return strconv.AppendUint(buf, uint64(x), 10), true
	}
	return nil, false
}
