package paging

import (
	"strings"
)

// SortKey is one key of a sort order: a property path and a direction.
type SortKey struct {
	Path []string
	Desc bool
}

// Order is a sort order, most significant key first.
type Order []SortKey

// String prints the order in Ambari's sortBy syntax.
func (o Order) String() string {
	parts := make([]string, len(o))
	for i, k := range o {
		parts[i] = strings.Join(k.Path, "/")
		if k.Desc {
			parts[i] += ".desc"
		}
	}
	return strings.Join(parts, ",")
}

// ParseSortBy parses Ambari's sortBy: comma-separated property paths, each
// with an optional .asc or .desc suffix (any case). The suffix is cut at the
// last dot, and only when what follows is asc or desc, so paths may hold
// dots themselves (a path is checked against the resource type by the
// caller). An empty value is no order.
func ParseSortBy(s string) (Order, error) {
	return parseOrder("sortBy", s, func(item string) (SortKey, error) {
		path, desc := item, false
		if dot := strings.LastIndexByte(item, '.'); dot >= 0 {
			switch dir := strings.ToLower(item[dot+1:]); dir {
			case "asc":
				path = item[:dot]
			case "desc":
				path, desc = item[:dot], true
			case "":
				return SortKey{}, &ParamError{Param: "sortBy", Value: s, Reason: "the sort key " + quote(item) + " has an empty direction: write .asc or .desc"}
			}
		}
		return SortKey{Path: strings.Split(path, "/"), Desc: desc}, nil
	})
}

// ParseSortFlag parses Sahara's sort_by: comma-separated property paths,
// each descending when it starts with a minus sign.
func ParseSortFlag(s string) (Order, error) {
	return parseOrder("sort_by", s, func(item string) (SortKey, error) {
		path, desc := strings.CutPrefix(item, "-")
		return SortKey{Path: strings.Split(path, "/"), Desc: desc}, nil
	})
}

func parseOrder(param, s string, key func(string) (SortKey, error)) (Order, error) {
	var o Order
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, err := key(item)
		if err != nil {
			return nil, err
		}
		for _, seg := range k.Path {
			if seg == "" {
				return nil, &ParamError{Param: param, Value: s, Reason: "the sort key " + quote(item) + " has an empty path segment"}
			}
		}
		o = append(o, k)
	}
	return o, nil
}

func quote(s string) string { return `"` + s + `"` }
