package query

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// The token types the grammar sees. The lexer turns each relation or
// function call into one Leaf token, so the grammar deals only with logic.
const (
	tokEOF lexer.TokenType = lexer.EOF - iota
	tokLeaf
	tokAnd
	tokOr
	tokNot
	tokLParen
	tokRParen
)

var symbols = map[string]lexer.TokenType{
	"EOF": tokEOF, "Leaf": tokLeaf, "And": tokAnd, "Or": tokOr,
	"Not": tokNot, "LParen": tokLParen, "RParen": tokRParen,
}

// state is what the lexer expects next; together with the checks in each
// state it is Ambari's token-order state machine, so every sequence that
// reaches the grammar is valid.
type state uint8

const (
	stOperand   state = iota // at the start, or after & | ( : a term, ! or (
	stAfterNot               // after a unary !: a term or (
	stAfterTerm              // after a term or ): & | ) or the end
)

// lex is the scanner of one predicate. The context-sensitive parts of
// Ambari's language live here: function arguments are raw bracket-balanced
// text, and values extend to the next operator. Terms become leaves.
type lex struct {
	src    string
	pos    int
	opts   *Parser
	limits Limits
	toks   []lexer.Token
	leaves []Expr
	opens  []int // offsets of the unclosed (
}

func (l *lex) run() error {
	if len(l.src) > l.limits.MaxLength {
		return &SyntaxError{Offset: l.limits.MaxLength, Token: l.src[l.limits.MaxLength:min(len(l.src), l.limits.MaxLength+16)],
			Reason: "the predicate is longer than the limit of " + strconv.Itoa(l.limits.MaxLength) + " bytes"}
	}
	st := stOperand
	for {
		l.skipSpace()
		if l.pos == len(l.src) {
			return l.end(st)
		}
		start := l.pos
		c := l.src[l.pos]
		var err error
		switch st {
		case stOperand, stAfterNot:
			st, err = l.operand(st, c, start)
		case stAfterTerm:
			st, err = l.afterTerm(c, start)
		}
		if err != nil {
			return err
		}
	}
}

func (l *lex) end(st state) error {
	switch {
	case st != stAfterTerm && len(l.toks) == 0:
		return nil // an empty predicate
	case st != stAfterTerm:
		return l.unexpected(l.pos, "", expectTerm(st))
	case len(l.opens) > 0:
		open := l.opens[len(l.opens)-1]
		return &SyntaxError{Offset: open, Token: "(", Reason: "this bracket is never closed"}
	}
	l.emit(tokEOF, l.pos, "")
	return nil
}

func expectTerm(st state) string {
	if st == stAfterNot {
		return `a property name or "("`
	}
	return `a property name, "!" or "("`
}

func (l *lex) operand(st state, c byte, start int) (state, error) {
	switch {
	case c == '!':
		if st == stAfterNot {
			return st, l.unexpected(start, "!", `a property name or "(" (write !(!x) for a double negation)`)
		}
		l.pos++
		l.emit(tokNot, start, "!")
		return stAfterNot, nil
	case c == '(':
		if len(l.opens) >= l.limits.MaxDepth {
			return st, &SyntaxError{Offset: start, Token: "(", Reason: "brackets nest deeper than the limit of " + strconv.Itoa(l.limits.MaxDepth)}
		}
		l.pos++
		l.opens = append(l.opens, start)
		l.emit(tokLParen, start, "(")
		return stOperand, nil
	case isDelimiter(c) || l.function() != "":
		return st, l.unexpected(start, l.delimiterAt(start), expectTerm(st))
	}
	return stAfterTerm, l.term()
}

func (l *lex) afterTerm(c byte, start int) (state, error) {
	switch c {
	case '&':
		l.pos++
		l.emit(tokAnd, start, "&")
		return stOperand, nil
	case '|':
		l.pos++
		l.emit(tokOr, start, "|")
		return stOperand, nil
	case ')':
		if len(l.opens) == 0 {
			return stAfterTerm, &SyntaxError{Offset: start, Token: ")", Reason: `no "(" to close`}
		}
		l.pos++
		l.opens = l.opens[:len(l.opens)-1]
		l.emit(tokRParen, start, ")")
		return stAfterTerm, nil
	}
	tok := l.delimiterAt(start)
	if tok == "" {
		tok = l.src[start:l.wordEnd(start)]
	}
	want := `"&", "|" or the end of the predicate`
	if len(l.opens) > 0 {
		want = `"&", "|" or ")"`
	}
	if c == '!' {
		want += ` ("!" can only start a term)`
	}
	return stAfterTerm, l.unexpected(start, tok, want)
}

// term reads a property name followed by a relational operator and a value,
// or by a function call, and adds the leaf.
func (l *lex) term() error {
	if len(l.leaves) >= l.limits.MaxTerms {
		return &SyntaxError{Offset: l.pos, Token: l.src[l.pos:l.wordEnd(l.pos)], Reason: "the predicate has more terms than the limit of " + strconv.Itoa(l.limits.MaxTerms)}
	}
	start := l.pos
	name := l.word()
	path, err := l.path(name, start)
	if err != nil {
		return err
	}
	l.skipSpace()
	opAt := l.pos
	if fn := l.function(); fn != "" {
		l.pos += len(fn)
		return l.call(path, fn, opAt, start)
	}
	op, ok := l.relation()
	if !ok {
		return l.unexpected(opAt, l.tokenAt(opAt), "an operator (=, !=, <, <=, >, >=) or .in(), .matches(), .isEmpty() after "+quote(name))
	}
	l.skipSpace()
	valAt := l.pos
	var lit Literal
	switch {
	case l.pos == len(l.src) || strings.IndexByte("&|)", l.src[l.pos]) >= 0:
		if op != Eq && op != Ne {
			return l.unexpected(valAt, l.tokenAt(valAt), "a value after "+quote(op.String()))
		}
		lit = Literal{Null: true} // p= means absent or null, p!= present
	case isDelimiter(l.src[l.pos]) || l.function() != "":
		return l.unexpected(valAt, l.tokenAt(valAt), "a value after "+quote(op.String()))
	default:
		lit = NewLiteral(l.normalize(path, l.word()))
	}
	l.leaf(&Comparison{Path: path, Op: op, Value: lit}, start)
	return nil
}

// call reads a function's argument, the raw text up to the bracket that
// balances the one the function opened, and adds the leaf.
func (l *lex) call(path Path, fn string, opAt, start int) error {
	argAt := l.pos
	depth := 1
	for ; l.pos < len(l.src); l.pos++ {
		switch l.src[l.pos] {
		case '(':
			depth++
		case ')':
			depth--
		}
		if depth == 0 {
			break
		}
	}
	if depth > 0 {
		return &SyntaxError{Offset: opAt, Token: fn, Reason: `the argument is never closed: expected ")"`}
	}
	arg := l.src[argAt:l.pos]
	l.pos++ // the closing )
	var e Expr
	switch fn {
	case ".in(":
		e = &In{Path: path, Values: l.items(path, arg)}
	case ".isEmpty(":
		if strings.TrimSpace(arg) != "" {
			return &SyntaxError{Offset: argAt, Token: arg, Reason: ".isEmpty() takes no argument"}
		}
		e = &IsEmpty{Path: path}
	case ".matches(":
		pattern := l.normalize(path, arg)
		if pattern == "" {
			return l.unexpected(argAt, ")", "a regular expression in .matches()")
		}
		// Compiled alone first, so that an error quotes the user's pattern.
		_, err := regexp.Compile(pattern)
		var re *regexp.Regexp
		if err == nil {
			re, err = regexp.Compile(`^(?:` + pattern + `)$`)
		}
		if err != nil {
			return &SyntaxError{Offset: argAt, Token: arg, Reason: "invalid regular expression: " + err.Error()}
		}
		e = &Matches{Path: path, Pattern: pattern, re: re}
	}
	l.leaf(e, start)
	return nil
}

// items splits an .in() argument as Ambari does: on commas, each item
// trimmed, trailing empty items dropped (so .in(,) is empty and matches
// nothing, while .in(a,,b) holds the empty string).
func (l *lex) items(path Path, arg string) []Literal {
	n := strings.Count(arg, ",") + 1
	out := make([]Literal, 0, n)
	for item := range strings.SplitSeq(arg, ",") {
		out = append(out, NewLiteral(l.normalize(path, strings.TrimSpace(item))))
	}
	for len(out) > 0 && out[len(out)-1].Text == "" {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (l *lex) normalize(p Path, v string) string {
	if l.opts.Normalize == nil {
		return v
	}
	return l.opts.Normalize(p, v)
}

func (l *lex) path(name string, at int) (Path, error) {
	p := Path(strings.Split(name, "/"))
	for i, seg := range p {
		if seg == "" {
			off := at + len(strings.Join(p[:i], "/"))
			return nil, &SyntaxError{Offset: off, Token: name, Reason: "a property path has an empty segment"}
		}
	}
	return p, nil
}

func (l *lex) leaf(e Expr, at int) {
	l.leaves = append(l.leaves, e)
	l.emit(tokLeaf, at, "")
}

func (l *lex) emit(t lexer.TokenType, at int, text string) {
	l.toks = append(l.toks, lexer.Token{Type: t, Value: text, Pos: lexer.Position{Offset: at}})
}

func (l *lex) skipSpace() {
	for l.pos < len(l.src) && (l.src[l.pos] == ' ' || l.src[l.pos] == '\t') {
		l.pos++
	}
}

// word reads up to the next delimiter and returns the text without the
// spaces around it.
func (l *lex) word() string {
	end := l.wordEnd(l.pos)
	w := strings.TrimRight(l.src[l.pos:end], " \t")
	l.pos = end
	return w
}

// wordEnd is the offset of the first delimiter at or after i.
func (l *lex) wordEnd(i int) int {
	for ; i < len(l.src); i++ {
		c := l.src[i]
		if isDelimiter(c) || (c == '.' && functionAt(l.src[i:]) != "") {
			return i
		}
	}
	return len(l.src)
}

// isDelimiter reports the characters that end a word.
func isDelimiter(c byte) bool {
	switch c {
	case '!', '&', '|', '<', '=', '>', '(', ')':
		return true
	}
	return false
}

var functions = [...]string{".matches(", ".in(", ".isEmpty("}

// function returns the function opener at the current position, if any.
func (l *lex) function() string { return functionAt(l.src[l.pos:]) }

func functionAt(s string) string {
	if len(s) == 0 || s[0] != '.' {
		return ""
	}
	for _, f := range functions {
		if strings.HasPrefix(s, f) {
			return f
		}
	}
	return ""
}

// relation reads a relational operator, longest first.
func (l *lex) relation() (Op, bool) {
	s := l.src[l.pos:]
	for _, o := range [...]Op{Le, Ge, Ne, Eq, Lt, Gt} {
		if strings.HasPrefix(s, opText[o]) {
			l.pos += len(opText[o])
			return o, true
		}
	}
	return 0, false
}

// delimiterAt returns the operator, bracket or function opener at i.
func (l *lex) delimiterAt(i int) string {
	s := l.src[i:]
	if f := functionAt(s); f != "" {
		return f
	}
	for _, t := range [...]string{"<=", ">=", "!="} {
		if strings.HasPrefix(s, t) {
			return t
		}
	}
	if len(s) > 0 && isDelimiter(s[0]) {
		return s[:1]
	}
	return ""
}

// tokenAt is the delimiter or word at i, for error messages.
func (l *lex) tokenAt(i int) string {
	if i >= len(l.src) {
		return ""
	}
	if d := l.delimiterAt(i); d != "" {
		return d
	}
	return l.src[i:l.wordEnd(i)]
}

func (l *lex) unexpected(at int, tok, expected string) error {
	return &SyntaxError{Offset: at, Token: tok, Expected: expected}
}

func quote(s string) string { return `"` + s + `"` }
