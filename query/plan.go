package query

// Conjuncts returns the terms of e's top-level conjunction: the terms of an
// And, or e itself. A planner picks one of them to drive an index and
// evaluates e on what that index yields. The empty predicate has none.
func Conjuncts(e Expr) []Expr {
	if a, ok := e.(*And); ok {
		return a.Terms
	}
	return []Expr{e}
}

// Constraint is a term that restricts one property in a way an index can
// answer: equality with one of Values, or a range between Min and Max.
type Constraint struct {
	Path Path
	// Values holds the one value of an equality, or the items of an in()
	// (or of an | of equalities on Path); nil for a range.
	Values []Literal
	// Min and Max bound a range; nil means unbounded on that side.
	Min, Max *Limit
}

// Limit is one end of a range.
type Limit struct {
	Value     Literal
	Inclusive bool
}

// IsRange reports whether c is a range rather than an equality.
func (c Constraint) IsRange() bool { return c.Values == nil }

// Constrain reports whether a conjunct is a constraint an index can answer:
// p=v, p.in(...), an | of such terms on one path, or p<v, p<=v, p>v, p>=v.
// !=, p= (null), .matches(), .isEmpty(), ! and & are not.
func Constrain(e Expr) (Constraint, bool) {
	switch x := e.(type) {
	case *Comparison:
		if x.Value.Null {
			return Constraint{}, false
		}
		lim := &Limit{Value: x.Value, Inclusive: x.Op == Le || x.Op == Ge}
		switch x.Op {
		case Eq:
			return Constraint{Path: x.Path, Values: []Literal{x.Value}}, true
		case Lt, Le:
			return Constraint{Path: x.Path, Max: lim}, true
		case Gt, Ge:
			return Constraint{Path: x.Path, Min: lim}, true
		}
	case *In:
		values := x.Values
		if values == nil {
			values = []Literal{} // an empty in() is an equality with nothing
		}
		return Constraint{Path: x.Path, Values: values}, true
	case *Or:
		return constrainOr(x)
	}
	return Constraint{}, false
}

// constrainOr turns a=1|a=2|a.in(3,4) into one equality with four values.
func constrainOr(o *Or) (Constraint, bool) {
	var c Constraint
	for i, t := range o.Terms {
		tc, ok := Constrain(t)
		if !ok || tc.IsRange() || (i > 0 && !samePath(tc.Path, c.Path)) {
			return Constraint{}, false
		}
		c.Path = tc.Path
		c.Values = append(c.Values, tc.Values...)
	}
	if c.Values == nil {
		c.Values = []Literal{}
	}
	return c, len(o.Terms) > 0
}

func samePath(a, b Path) bool { return len(a) == len(b) && a.HasPrefix(b) }
