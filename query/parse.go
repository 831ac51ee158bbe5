package query

import (
	"fmt"
	"io"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Limits bound what a predicate may cost to parse and evaluate. A zero field
// takes its value from DefaultLimits.
type Limits struct {
	MaxLength int // bytes of predicate text
	MaxDepth  int // nesting of brackets
	MaxTerms  int // relations and function calls
}

// DefaultLimits are generous for real clients and small enough that a
// hostile predicate is rejected in microseconds.
var DefaultLimits = Limits{MaxLength: 16 << 10, MaxDepth: 32, MaxTerms: 512}

func (l Limits) orDefault() Limits {
	if l.MaxLength <= 0 {
		l.MaxLength = DefaultLimits.MaxLength
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxTerms <= 0 {
		l.MaxTerms = DefaultLimits.MaxTerms
	}
	return l
}

// Parser parses predicates with options. The zero Parser is ready to use,
// with DefaultLimits and no normalisation. A Parser must not be changed
// while it is in use.
type Parser struct {
	// Normalize, when set, rewrites every value (and .in() item and
	// .matches() pattern) before it is stored, given the property's path.
	// LowerHostNames is Ambari's normalisation.
	Normalize func(p Path, value string) string
	// Limits bound the input; zero fields take DefaultLimits.
	Limits Limits
}

// LowerHostNames lower-cases values compared with properties whose path
// ends in host_name (Hosts/host_name, HostRoles/host_name), as Ambari does:
// host names are case-insensitive, and Ambari stores them in lower case.
func LowerHostNames(p Path, value string) string {
	if len(p) > 1 && p[len(p)-1] == "host_name" {
		return strings.ToLower(value)
	}
	return value
}

// Parse parses a predicate with the zero Parser. The empty predicate parses
// to an empty And, which matches everything.
func Parse(s string) (Expr, error) {
	var p Parser
	return p.Parse(s)
}

// Parse parses a predicate. Every malformed predicate gives a *SyntaxError
// naming the offset, the offending token and what was expected there.
func (p *Parser) Parse(s string) (Expr, error) {
	// Most terms are ten bytes or more; sizing for that saves regrowing.
	n := len(s)/10 + 2
	l := lex{src: s, opts: p, limits: p.Limits.orDefault(), toks: make([]lexer.Token, 0, 2*n), leaves: make([]Expr, 0, n)}
	if err := l.run(); err != nil {
		return nil, err
	}
	if len(l.toks) == 0 {
		return &And{}, nil
	}
	peek, err := lexer.Upgrade(&tokens{toks: l.toks})
	if err != nil {
		return nil, err
	}
	tree, err := grammar.ParseFromLexer(peek)
	if err != nil {
		// The lexer checks the order of every token, so the grammar accepts
		// whatever reaches it; this is a bug, reported rather than hidden.
		return nil, &SyntaxError{Offset: 0, Token: s, Reason: fmt.Sprintf("internal parser error: %v", err)}
	}
	b := builder{leaves: l.leaves}
	return b.or(tree), nil
}

// The grammar of the logical structure. Precedence is ! over & over |, all
// left-associative; brackets group. Terms arrive as single Leaf tokens.
type (
	orNode struct {
		Terms []*andNode `parser:"@@ ( Or @@ )*"`
	}
	andNode struct {
		Terms []*unaryNode `parser:"@@ ( And @@ )*"`
	}
	unaryNode struct {
		Leaf  bool       `parser:"  @Leaf"`
		Not   *unaryNode `parser:"| Not @@"`
		Group *orNode    `parser:"| LParen @@ RParen"`
	}
)

// grammar is built once; a participle parser is safe for concurrent use.
var grammar = participle.MustBuild[orNode](participle.Lexer(tokenDef{}))

// tokenDef hands participle the tokens the lexer made.
type tokenDef struct{}

// Symbols names the token types for the grammar.
func (tokenDef) Symbols() map[string]lexer.TokenType { return symbols }

// Lex is never used: Parse hands participle tokens it lexed itself.
func (tokenDef) Lex(string, io.Reader) (lexer.Lexer, error) {
	return nil, fmt.Errorf("query: tokens come from the predicate lexer")
}

type tokens struct {
	toks []lexer.Token
	i    int
}

// Next returns the next token, and EOF from then on.
func (t *tokens) Next() (lexer.Token, error) {
	tok := t.toks[t.i]
	if t.i < len(t.toks)-1 {
		t.i++
	}
	return tok, nil
}

// builder turns the grammar's tree into an Expr, taking the leaves in the
// order the lexer made them, which is the order the grammar meets them.
type builder struct {
	leaves []Expr
	next   int
}

func (b *builder) or(n *orNode) Expr {
	if len(n.Terms) == 1 {
		return b.and(n.Terms[0])
	}
	or := &Or{Terms: make([]Expr, 0, len(n.Terms))}
	for _, t := range n.Terms {
		e := b.and(t)
		if inner, ok := e.(*Or); ok { // (a|b)|c is a|b|c
			or.Terms = append(or.Terms, inner.Terms...)
		} else {
			or.Terms = append(or.Terms, e)
		}
	}
	return or
}

func (b *builder) and(n *andNode) Expr {
	if len(n.Terms) == 1 {
		return b.unary(n.Terms[0])
	}
	and := &And{Terms: make([]Expr, 0, len(n.Terms))}
	for _, t := range n.Terms {
		e := b.unary(t)
		if inner, ok := e.(*And); ok { // (a&b)&c is a&b&c
			and.Terms = append(and.Terms, inner.Terms...)
		} else {
			and.Terms = append(and.Terms, e)
		}
	}
	return and
}

func (b *builder) unary(n *unaryNode) Expr {
	switch {
	case n.Not != nil:
		return &Not{X: b.unary(n.Not)}
	case n.Group != nil:
		return b.or(n.Group)
	}
	e := b.leaves[b.next]
	b.next++
	return e
}
