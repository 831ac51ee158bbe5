package query

import (
	"regexp"
	"strings"
)

// Expr is a parsed predicate: one of *And, *Or, *Not, *Comparison, *In,
// *IsEmpty and *Matches. Expressions are immutable and safe for concurrent
// use, which is what lets a Cache share them.
type Expr interface {
	// Match reports whether the resource satisfies the expression.
	Match(r Resource) bool
	// String prints the canonical form, which parses back to an equal tree.
	String() string

	appendTo(b []byte, prec int) []byte
}

// And is true when every term is. An And with no terms is true: it is what
// an empty predicate parses to.
type And struct{ Terms []Expr }

// Or is true when some term is.
type Or struct{ Terms []Expr }

// Not negates X.
type Not struct{ X Expr }

// Comparison compares the property at Path with Value: p=v, p!=v, p<v, p<=v,
// p>v, p>=v. See Match for the typing rules.
type Comparison struct {
	Path  Path
	Op    Op
	Value Literal
}

// In is p.in(v1,v2,...): the property equals one of Values. With no values
// it matches nothing.
type In struct {
	Path   Path
	Values []Literal
}

// IsEmpty is p.isEmpty(): the property or category at Path holds nothing.
type IsEmpty struct{ Path Path }

// Matches is p.matches(regex): the property's string form matches Pattern
// as a whole (RE2 syntax, so matching takes linear time).
type Matches struct {
	Path    Path
	Pattern string
	re      *regexp.Regexp
}

// Op is a relational operator.
type Op uint8

// The relational operators.
const (
	Eq Op = iota // =
	Ne           // !=
	Lt           // <
	Le           // <=
	Gt           // >
	Ge           // >=
)

var opText = [...]string{Eq: "=", Ne: "!=", Lt: "<", Le: "<=", Gt: ">", Ge: ">="}

// String returns the operator as written in a predicate.
func (o Op) String() string { return opText[o] }

// Path names a property or category by its segments: Hosts/cpu_count is
// Path{"Hosts", "cpu_count"}. Paths are split once, when parsed.
type Path []string

// ParsePath splits a slash-separated property path. It does not check that
// segments are non-empty; the predicate parser does.
func ParsePath(s string) Path { return Path(strings.Split(s, "/")) }

// String returns the path joined by slashes.
func (p Path) String() string { return strings.Join(p, "/") }

// HasPrefix reports whether p starts with the segments of prefix.
func (p Path) HasPrefix(prefix Path) bool {
	if len(prefix) > len(p) {
		return false
	}
	for i, s := range prefix {
		if p[i] != s {
			return false
		}
	}
	return true
}

// Literal is a value written in a predicate. Its numeric reading is decided
// once, at parse time.
type Literal struct {
	// Text is the value as written (after normalisation).
	Text string
	// Numeric reports whether Text is a plain decimal literal: an optional
	// minus sign, digits, an optional fraction and an optional exponent.
	Numeric bool
	// Num is Text's value when Numeric.
	Num float64
	// Null marks the empty value of p= and p!=, which stands for "absent or
	// null" rather than for the empty string.
	Null bool
}

// NewLiteral returns the literal for text, deciding whether it is numeric.
func NewLiteral(text string) Literal {
	n, ok := parseDecimal(text)
	return Literal{Text: text, Numeric: ok, Num: n}
}
