package resource

// Namespaces returns the namespaces that hold resources of a type, sorted:
// one seek per namespace, however many resources each holds.
func (s *Store) Namespaces(typ string) ([]string, error) {
	l, err := s.layout(typ)
	if err != nil {
		return nil, err
	}
	txn := s.read()
	var out []string
	from := []byte{}
	for {
		it, err := txn.LowerBound(l.t.Collection, idIndex, from)
		if err != nil {
			return nil, err
		}
		obj := it.Next()
		if obj == nil {
			return out, nil
		}
		ns := obj.(*record).ns
		out = append(out, ns)
		// A namespace's ids start with its NUL-terminated name: the next
		// namespace's are at or after the name followed by 0x01.
		from = append([]byte(ns), 1)
	}
}
