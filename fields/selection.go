package fields

import (
	"slices"
	"strings"
)

// Default is what a request selects when it names no fields, or names only
// exclusions.
type Default uint8

const (
	// Keys selects the key properties only. Ambari answers collection
	// requests so (each item with its href).
	Keys Default = iota
	// Everything selects every property and every sub-resource as links.
	// Ambari answers instance requests so.
	Everything
)

// Selection is a fields expression resolved against a type: which
// properties and categories are returned, which sub-resources are included
// and how, which time ranges are asked for, and which paths the type does
// not know. Key properties are always selected.
//
// A Selection is built by Resolve and Add and must not change while it is
// used by Select or AppendJSON, which are safe for concurrent use.
type Selection struct {
	typ  Type
	root *node
	subs map[string]*Selection
	// names are the top-level members to look for when not everything is
	// selected, in order: selected properties, href and sub-resources.
	names []string
	// Unknown lists the paths the type does not know, as written, so that
	// one error can name them all.
	Unknown []string
}

// node is a place in the tree of selected properties.
type node struct {
	all       bool // everything beneath is selected
	excluded  bool // nothing beneath is, but keys
	key       bool // a key property: always selected
	exclBelow bool // a descendant is excluded, so the subtree cannot be shared
	temporal  *Temporal
	children  map[string]*node
	sorted    []string // children's names in order, for encoding
}

func (n *node) child(name string) *node {
	if c := n.children[name]; c != nil {
		return c
	}
	if n.children == nil {
		n.children = map[string]*node{}
	}
	c := &node{}
	n.children[name] = c
	return c
}

func (n *node) at(path []string) *node {
	for _, seg := range path {
		n = n.child(seg)
	}
	return n
}

// Resolve resolves a parsed fields expression against a type. Inclusions
// apply first, or the default when there are none, then exclusions, so
// *,-metrics and -metrics,* mean the same.
func Resolve(l List, t Type, def Default) *Selection {
	s := newSelection(t)
	included := false
	for _, it := range l {
		if !it.Exclude {
			s.resolve(it.Path, it.Temporal, it.Path)
			included = true
		}
	}
	if !included && def == Everything {
		s.include([]string{"*"}, nil)
	}
	for _, it := range l {
		if it.Exclude {
			s.resolveExclude(it.Path, it.Path)
		}
	}
	s.finish()
	return s
}

func newSelection(t Type) *Selection {
	s := &Selection{typ: t, root: &node{}, subs: map[string]*Selection{}}
	for _, k := range t.Keys() {
		s.root.at(k).key = true
	}
	return s
}

// Add selects more paths, such as the properties a predicate uses, which
// Ambari adds to the response. Paths the type does not know are added to
// Unknown.
func (s *Selection) Add(paths ...[]string) {
	for _, p := range paths {
		s.resolve(p, nil, p)
	}
	s.finish()
}

// resolve includes path, or records full as unknown.
func (s *Selection) resolve(path []string, t *Temporal, full []string) {
	if !known(s.typ, path) {
		s.Unknown = append(s.Unknown, strings.Join(full, "/"))
		return
	}
	s.include(path, t)
}

func (s *Selection) resolveExclude(path, full []string) {
	if !known(s.typ, path) {
		s.Unknown = append(s.Unknown, "-"+strings.Join(full, "/"))
		return
	}
	s.exclude(path)
}

// known reports whether a path resolves against t: *, a sub-resource and a
// path known beneath it, or a property or category with an optional /*.
func known(t Type, path []string) bool {
	if len(path) == 1 && path[0] == "*" {
		return true
	}
	if sub, ok := t.Sub(path[0]); ok {
		return len(path) == 1 || known(sub, path[1:])
	}
	return t.Known(trimStar(path))
}

func trimStar(path []string) []string {
	if len(path) > 1 && path[len(path)-1] == "*" {
		return path[:len(path)-1]
	}
	return path
}

// include applies Ambari's rules of partial response to a known path.
func (s *Selection) include(path []string, t *Temporal) {
	switch {
	case len(path) == 1 && path[0] == "*":
		s.root.all = true
		if t != nil {
			s.root.temporal = t
		}
		for _, name := range s.typ.Subs() {
			s.sub(name)
		}
	case s.isSub(path[0]):
		ss := s.sub(path[0])
		if len(path) > 1 {
			ss.include(path[1:], t)
			ss.finish()
		}
	default:
		n := s.root.at(trimStar(path))
		n.all = true
		if t != nil {
			n.temporal = t
		}
	}
}

func (s *Selection) exclude(path []string) {
	switch {
	case len(path) == 1 && path[0] == "*":
		s.root.excluded = true
		clear(s.subs)
	case s.isSub(path[0]):
		if len(path) == 1 {
			delete(s.subs, path[0])
		} else if ss := s.subs[path[0]]; ss != nil {
			ss.exclude(path[1:])
			ss.finish()
		}
	default:
		s.root.at(trimStar(path)).excluded = true
	}
}

func (s *Selection) isSub(name string) bool {
	_, ok := s.typ.Sub(name)
	return ok
}

// sub returns the selection of a sub-resource, including it as links (its
// keys) if it was not included yet.
func (s *Selection) sub(name string) *Selection {
	if ss := s.subs[name]; ss != nil {
		return ss
	}
	t, _ := s.typ.Sub(name)
	ss := newSelection(t)
	ss.finish()
	s.subs[name] = ss
	return ss
}

// finish computes what selecting needs: which subtrees hold exclusions and
// the order of every node's children.
func (s *Selection) finish() {
	finishNode(s.root)
	s.names = append(slices.Clone(s.root.sorted), hrefKey)
	for name := range s.subs {
		s.names = append(s.names, name)
	}
	slices.Sort(s.names)
	s.names = slices.Compact(s.names)
}

func finishNode(n *node) bool {
	n.exclBelow = false
	n.sorted = n.sorted[:0]
	for name, c := range n.children {
		if finishNode(c) || c.excluded {
			n.exclBelow = true
		}
		n.sorted = append(n.sorted, name)
	}
	slices.Sort(n.sorted)
	return n.exclBelow
}

// Sub returns the selection of an included sub-resource.
func (s *Selection) Sub(name string) (*Selection, bool) {
	ss, ok := s.subs[name]
	return ss, ok
}

// Subs returns the names of the included sub-resources, in order.
func (s *Selection) Subs() []string {
	names := make([]string, 0, len(s.subs))
	for name := range s.subs {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// LinksOnly reports whether the selection holds nothing but the key
// properties: a sub-resource rendered as links (keys and href).
func (s *Selection) LinksOnly() bool {
	return len(s.subs) == 0 && !s.root.all && !hasNonKey(s.root)
}

func hasNonKey(n *node) bool {
	for _, c := range n.children {
		if c.all || hasNonKey(c) {
			return true
		}
	}
	return false
}

// Includes reports whether the property at path is selected.
func (s *Selection) Includes(path []string) bool {
	n, whole := s.root, s.root.all && !s.root.excluded
	for _, seg := range path {
		c := n.children[seg]
		if c == nil {
			return whole
		}
		if c.key {
			return true
		}
		whole = (whole || c.all) && !c.excluded
		n = c
	}
	return whole
}

// Partly reports whether the selection names paths beneath path, to keep
// or to exclude them: the value at path is then not simply kept whole or
// dropped whole, and a caller that writes whole values only must select
// within it.
func (s *Selection) Partly(path []string) bool {
	n := s.root
	for _, seg := range path {
		if n = n.children[seg]; n == nil {
			return false
		}
	}
	return len(n.children) > 0
}

// Temporal returns the time range asked for the property or category at
// path: its own, or that of the nearest category above it (or of *).
func (s *Selection) Temporal(path []string) (*Temporal, bool) {
	n, t := s.root, s.root.temporal
	for _, seg := range path {
		if n = n.children[seg]; n == nil {
			break
		}
		if n.temporal != nil {
			t = n.temporal
		}
	}
	return t, t != nil
}
