package paging

import (
	"cmp"
	"encoding/json"
	"strconv"
)

// Key is an item's position in an order: its values for the order's sort
// keys, then the values of its identity (the resource's key properties),
// which make every position unique. Values are nil (absent), bool, a Go
// number, json.Number or string.
type Key []any

// Compare orders two keys by o: each of the first len(o) values in its
// key's direction, the rest ascending. Keys are compared value by value,
// never as one concatenated string, so no two positions collide.
func (o Order) Compare(a, b Key) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		c := CompareValues(a[i], b[i])
		if i < len(o) && o[i].Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

// CompareValues orders two values: absent (nil) first, then booleans (false
// before true), numbers numerically, strings byte-wise, and anything else
// last, as equal. Values of different kinds order by kind, so the order is
// total.
func CompareValues(a, b any) int {
	switch x := a.(type) { // the common pairs first: sorts call this often
	case float64:
		if y, ok := b.(float64); ok {
			return cmp.Compare(x, y)
		}
	case string:
		if y, ok := b.(string); ok {
			return cmp.Compare(x, y)
		}
	}
	ka, kb := kindOf(a), kindOf(b)
	if ka != kb {
		return cmp.Compare(ka, kb)
	}
	switch ka {
	case kindBool:
		return cmp.Compare(boolInt(a.(bool)), boolInt(b.(bool)))
	case kindNumber:
		if x, ok := a.(int64); ok { // ids beyond 2^53 stay distinct
			if y, ok := b.(int64); ok {
				return cmp.Compare(x, y)
			}
		}
		x, _ := number(a)
		y, _ := number(b)
		return cmp.Compare(x, y)
	case kindString:
		return cmp.Compare(a.(string), b.(string))
	}
	return 0
}

const (
	kindNil = iota
	kindBool
	kindNumber
	kindString
	kindOther
)

func kindOf(v any) int {
	switch v.(type) {
	case nil:
		return kindNil
	case bool:
		return kindBool
	case string:
		return kindString
	}
	if _, ok := number(v); ok {
		return kindNumber
	}
	return kindOther
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float32:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint:
		return float64(x), true
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		return f, err == nil
	}
	return 0, false
}
