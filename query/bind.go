package query

// Layout places a resource type's properties at fixed slots of a record, so
// that an expression can be bound to slots once instead of looking up paths
// for every resource.
type Layout interface {
	// Slot returns the slot of the property at p.
	Slot(p Path) (slot int, ok bool)
	// Category returns the slots of the properties directly in category p;
	// .isEmpty() on a category tests them.
	Category(p Path) []int
}

// Bound is an expression bound to a Layout. It evaluates against records:
// slices of values in the layout's slot order, nil for absent. A Bound is
// immutable and safe for concurrent use.
type Bound struct{ root matcher }

// Match reports whether the record satisfies the expression, with the same
// semantics as Expr.Match.
func (b *Bound) Match(rec []any) bool { return b.root.match(rec) }

type matcher interface{ match(rec []any) bool }

// Bind binds e to layout l. Paths that l does not know evaluate as absent.
func Bind(e Expr, l Layout) *Bound { return &Bound{root: bind(e, l)} }

func bind(e Expr, l Layout) matcher {
	slot := func(p Path) int {
		if i, ok := l.Slot(p); ok {
			return i
		}
		return -1
	}
	switch x := e.(type) {
	case *And:
		return boundAnd(bindAll(x.Terms, l))
	case *Or:
		return boundOr(bindAll(x.Terms, l))
	case *Not:
		return boundNot{bind(x.X, l)}
	case *Comparison:
		return boundComparison{slot(x.Path), x}
	case *In:
		return boundIn{slot(x.Path), x}
	case *Matches:
		return boundMatches{slot(x.Path), x}
	case *IsEmpty:
		if i := slot(x.Path); i >= 0 {
			return boundEmptyProperty(i)
		}
		return boundEmptyCategory(l.Category(x.Path))
	}
	panic("query: Bind of an unknown expression type")
}

func bindAll(terms []Expr, l Layout) []matcher {
	out := make([]matcher, len(terms))
	for i, t := range terms {
		out[i] = bind(t, l)
	}
	return out
}

// at returns the record's value at slot i; absent slots are nil.
func at(rec []any, i int) any {
	if uint(i) < uint(len(rec)) {
		return rec[i]
	}
	return nil
}

type (
	boundAnd           []matcher
	boundOr            []matcher
	boundNot           struct{ x matcher }
	boundEmptyProperty int
	boundEmptyCategory []int
	boundComparison    struct {
		slot int
		c    *Comparison
	}
	boundIn struct {
		slot int
		in   *In
	}
	boundMatches struct {
		slot int
		m    *Matches
	}
)

func (b boundAnd) match(rec []any) bool {
	for _, t := range b {
		if !t.match(rec) {
			return false
		}
	}
	return true
}

func (b boundOr) match(rec []any) bool {
	for _, t := range b {
		if t.match(rec) {
			return true
		}
	}
	return false
}

func (b boundNot) match(rec []any) bool           { return !b.x.match(rec) }
func (b boundComparison) match(rec []any) bool    { return b.c.test(at(rec, b.slot)) }
func (b boundIn) match(rec []any) bool            { return b.in.test(at(rec, b.slot)) }
func (b boundMatches) match(rec []any) bool       { return b.m.test(at(rec, b.slot)) }
func (b boundEmptyProperty) match(rec []any) bool { return isEmptyValue(at(rec, int(b))) }

func (b boundEmptyCategory) match(rec []any) bool {
	for _, i := range b {
		if at(rec, i) != nil {
			return false
		}
	}
	return true
}
