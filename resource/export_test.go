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
