package fields

// hrefKey is the member that carries an item's link; it is not a property
// and is always kept.
const hrefKey = "href"

// Select returns the selected view of a resource's property tree. Subtrees
// that are selected whole are shared with the input, not copied, and the
// input is never changed: trees in a store are shared and immutable.
//
// A top-level member named after a sub-resource is rendered through that
// sub-resource's selection (each item of a list, or a single map) when the
// sub-resource is included, and dropped when it is not. A top-level href is
// always kept.
func (s *Selection) Select(tree map[string]any) map[string]any {
	out := make(map[string]any, len(s.names))
	if href, ok := tree[hrefKey]; ok {
		out[hrefKey] = href
	}
	for name, ss := range s.subs {
		if v, ok := tree[name]; ok {
			out[name] = ss.selectSub(v)
		}
	}
	s.selectInto(out, s.root, tree, s.root.all && !s.root.excluded, true)
	return out
}

func (s *Selection) selectSub(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return s.Select(x)
	case []any:
		items := make([]any, len(x))
		for i, it := range x {
			if m, ok := it.(map[string]any); ok {
				items[i] = s.Select(m)
			} else {
				items[i] = it
			}
		}
		return items
	}
	return v
}

// selectInto adds to out the entries of m that node n selects; whole says
// that m is selected as a whole unless something beneath says otherwise.
func (s *Selection) selectInto(out map[string]any, n *node, m map[string]any, whole, top bool) {
	if whole {
		for k, v := range m {
			if top && (k == hrefKey || s.isSub(k)) {
				continue
			}
			selectEntry(out, k, v, n.children[k], whole)
		}
		return
	}
	for _, k := range n.sorted {
		if v, ok := m[k]; ok {
			selectEntry(out, k, v, n.children[k], whole)
		}
	}
}

// selectEntry adds what the selection keeps of entry k of a map.
func selectEntry(out map[string]any, k string, v any, c *node, whole bool) {
	switch keep, cw := decide(c, whole); keep {
	case keepWhole:
		out[k] = v
	case keepPart:
		if sub, ok := v.(map[string]any); ok {
			hint := len(c.sorted)
			if cw {
				hint = len(sub)
			}
			part := make(map[string]any, hint)
			(*Selection)(nil).selectInto(part, c, sub, cw, false)
			if len(part) > 0 {
				out[k] = part
			}
		} else if c.key || cw {
			out[k] = v
		}
	}
}

type keep uint8

const (
	drop      keep = iota
	keepWhole      // the value as it is
	keepPart       // what the child node selects of it
)

// decide says what becomes of a value whose node is c (nil when nothing was
// said of it) in a map that is selected whole or not; cw is whether the
// value itself is selected whole.
func decide(c *node, whole bool) (k keep, cw bool) {
	if c == nil {
		if whole {
			return keepWhole, true
		}
		return drop, false
	}
	cw = (whole || c.all) && !c.excluded
	if cw && !c.exclBelow {
		return keepWhole, true
	}
	return keepPart, cw
}
