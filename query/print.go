package query

// Precedence levels for printing: a term is bracketed when it binds looser
// than its place needs.
const (
	precOr = iota
	precAnd
	precNot
)

// String prints the terms joined by &; the empty And prints as "".
func (a *And) String() string { return string(a.appendTo(nil, precOr)) }

// String prints the terms joined by |.
func (o *Or) String() string { return string(o.appendTo(nil, precOr)) }

// String prints !x, bracketing x unless it is a single term.
func (n *Not) String() string { return string(n.appendTo(nil, precOr)) }

// String prints p, the operator and the value.
func (c *Comparison) String() string { return string(c.appendTo(nil, precOr)) }

// String prints p.in(v1,v2,...).
func (in *In) String() string { return string(in.appendTo(nil, precOr)) }

// String prints p.isEmpty().
func (e *IsEmpty) String() string { return string(e.appendTo(nil, precOr)) }

// String prints p.matches(pattern).
func (m *Matches) String() string { return string(m.appendTo(nil, precOr)) }

func (a *And) appendTo(b []byte, prec int) []byte {
	return appendJoined(b, a.Terms, '&', precAnd, prec)
}

func (o *Or) appendTo(b []byte, prec int) []byte {
	return appendJoined(b, o.Terms, '|', precOr, prec)
}

func appendJoined(b []byte, terms []Expr, sep byte, own, outer int) []byte {
	group := outer > own && len(terms) > 1
	if group {
		b = append(b, '(')
	}
	for i, t := range terms {
		if i > 0 {
			b = append(b, sep)
		}
		b = t.appendTo(b, own+1)
	}
	if group {
		b = append(b, ')')
	}
	return b
}

func (n *Not) appendTo(b []byte, _ int) []byte {
	b = append(b, '!')
	switch n.X.(type) {
	case *And, *Or, *Not:
		b = append(b, '(')
		b = n.X.appendTo(b, precOr)
		return append(b, ')')
	}
	return n.X.appendTo(b, precNot)
}

func (c *Comparison) appendTo(b []byte, _ int) []byte {
	b = appendPath(b, c.Path)
	b = append(b, c.Op.String()...)
	return append(b, c.Value.Text...)
}

func (in *In) appendTo(b []byte, _ int) []byte {
	b = appendPath(b, in.Path)
	b = append(b, ".in("...)
	for i, v := range in.Values {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, v.Text...)
	}
	return append(b, ')')
}

func (e *IsEmpty) appendTo(b []byte, _ int) []byte {
	return append(appendPath(b, e.Path), ".isEmpty()"...)
}

func (m *Matches) appendTo(b []byte, _ int) []byte {
	b = appendPath(b, m.Path)
	b = append(b, ".matches("...)
	b = append(b, m.Pattern...)
	return append(b, ')')
}

func appendPath(b []byte, p Path) []byte {
	for i, s := range p {
		if i > 0 {
			b = append(b, '/')
		}
		b = append(b, s...)
	}
	return b
}
