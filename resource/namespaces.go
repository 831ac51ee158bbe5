package resource

import (
	"slices"
)

// Namespaces returns the namespaces that hold resources of a type, sorted:
// one seek per namespace, however many resources each holds. With typ
// empty, it returns those that hold resources of any type, read from one
// snapshot.
func (s *Store) Namespaces(typ string) ([]string, error) {
	txn := s.read()
	if typ != "" {
		l, err := s.layout(typ)
		if err != nil {
			return nil, err
		}
		return namespacesOf(txn, l, nil)
	}
	var out []string
	for _, l := range s.order {
		var err error
		if out, err = namespacesOf(txn, l, out); err != nil {
			return nil, err
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// namespacesOf appends the namespaces that hold resources of l's type.
func namespacesOf(txn *reading, l *layout, out []string) ([]string, error) {
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

// DeleteNamespace removes every resource of every type in a namespace,
// within the transaction, and returns how many it removed. Hooks are not
// called: nothing of the namespace is left to keep consistent.
func (tx *Tx) DeleteNamespace(ns string) (int, error) {
	prefix := appendEncoded(nil, namespace(ns))
	n := 0
	for _, l := range tx.s.order {
		doomed := tx.trees.under(l, prefix)
		for _, r := range doomed {
			if err := tx.drop(l, r); err != nil {
				return n, err
			}
		}
		n += len(doomed)
	}
	return n, nil
}

// Holds reports whether a namespace holds any resource, of any type: one
// seek per type.
func (s *Store) Holds(ns string) bool {
	txn := s.read()
	prefix := appendEncoded(nil, namespace(ns))
	for _, l := range s.order {
		it, err := txn.LowerBound(l.t.Collection, idIndex, prefix)
		if err != nil {
			continue
		}
		if obj := it.Next(); obj != nil && string(obj.(*record).id[:min(len(prefix), len(obj.(*record).id))]) == string(prefix) {
			return true
		}
	}
	return false
}
