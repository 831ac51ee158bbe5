package query

// Walk calls fn for e and then, in order, for each of its sub-expressions,
// depth first. When fn returns false, Walk does not descend into that
// expression's children.
func Walk(e Expr, fn func(Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	switch x := e.(type) {
	case *And:
		for _, t := range x.Terms {
			Walk(t, fn)
		}
	case *Or:
		for _, t := range x.Terms {
			Walk(t, fn)
		}
	case *Not:
		Walk(x.X, fn)
	}
}

// PathOf returns the property path a leaf expression tests, and false for
// And, Or and Not.
func PathOf(e Expr) (Path, bool) {
	switch x := e.(type) {
	case *Comparison:
		return x.Path, true
	case *In:
		return x.Path, true
	case *IsEmpty:
		return x.Path, true
	case *Matches:
		return x.Path, true
	}
	return nil, false
}

// Paths returns the distinct property paths e uses, in the order they first
// appear. A server checks them against the resource type and adds them to
// the response, as Ambari does.
func Paths(e Expr) []Path {
	var out []Path
	seen := map[string]bool{}
	Walk(e, func(x Expr) bool {
		if p, ok := PathOf(x); ok {
			if key := p.String(); !seen[key] {
				seen[key] = true
				out = append(out, p)
			}
		}
		return true
	})
	return out
}
