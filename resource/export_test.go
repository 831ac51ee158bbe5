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
	return newShape(l, q, sel, q.JSON) != nil
}

// BoundHistory sets how many writes and changes a store's history keeps,
// for tests.
func BoundHistory(s *Store, writes, changes int) {
	s.history.mu.Lock()
	s.history.maxWrites, s.history.maxChanges = writes, changes
	s.history.mu.Unlock()
}
