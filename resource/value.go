package resource

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// coerce turns a body value into the stored form of kind k: strings,
// float64, bool, map[string]any or []any. nil stays nil (absent). Ambari's
// clients send numbers and booleans as strings; they are accepted.
func coerce(k Kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case String:
		switch x := v.(type) {
		case string:
			if strings.IndexByte(x, 0) >= 0 {
				return nil, fmt.Errorf("a string may not hold a NUL byte")
			}
			return v, nil // the body's own box: boxing x again would allocate
		case bool:
			return strconv.FormatBool(x), nil
		}
		if f, ok := toNumber(v); ok {
			return strconv.FormatFloat(f, 'f', -1, 64), nil
		}
	case Number:
		if f, ok := toNumber(v); ok && !math.IsNaN(f) && !math.IsInf(f, 0) {
			if _, stored := v.(float64); stored {
				return v, nil
			}
			return f, nil
		}
		if s, ok := v.(string); ok {
			if f, ok := parseNumber(s); ok {
				return f, nil
			}
		}
	case Bool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			if b, err := strconv.ParseBool(x); err == nil {
				return b, nil
			}
		}
	case Object:
		if m, ok := v.(map[string]any); ok {
			return m, nil
		}
	case List:
		if l, ok := v.([]any); ok {
			return l, nil
		}
	}
	return nil, fmt.Errorf("%v is not a %s", v, k)
}

// parseNumber reads a Number from text, as a key in a URL or a string in
// a body gives one.
func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}

func toNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// appendEncoded appends v's index encoding, which sorts byte-wise in the
// value's natural order: strings byte-wise and NUL-terminated (so that no
// string's encoding is a prefix of another's), numbers as order-preserving
// big-endian floats, false before true.
func appendEncoded(b []byte, v any) []byte {
	switch x := v.(type) {
	case string:
		return append(append(b, x...), 0)
	case float64:
		bits := math.Float64bits(x)
		if bits>>63 == 0 {
			bits ^= 1 << 63
		} else {
			bits = ^bits
		}
		return binary.BigEndian.AppendUint64(b, bits)
	case bool:
		if x {
			return append(b, 1)
		}
		return append(b, 0)
	}
	return b
}

// Text is a value's plain text, as keys appear in URLs and messages.
func Text(v any) string { return text(v) }

func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		// Most numbers are integers (ids, counts): they are written as
		// FormatFloat writes them, faster.
		if i := int64(x); float64(i) == x && i > -1e15 && i < 1e15 && (i != 0 || !math.Signbit(x)) {
			return strconv.FormatInt(i, 10)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
