package resource

// Shaped reports whether List writes the items of q straight from their
// records, for tests.
func Shaped(s *Store, q Query) bool {
	l, err := s.layout(q.Type)
	if err != nil {
		return false
	}
	sel, err := l.selection(q)
	if err != nil {
		return false
	}
	return newShape(l, q, sel, q.JSON, &renderer{s: s, minimal: q.Minimal}) != nil
}

// ID is the id the store gives a record of a namespace and its keys, in
// the order of the type's keys, for tests.
func ID(ns string, keys ...any) []byte { return idOf(namespace(ns), keys) }
