package query

import (
	"fmt"
	"strconv"
)

// SyntaxError reports a predicate that does not parse, or that breaks a
// limit. Offset is the byte offset of the problem in the parsed string.
type SyntaxError struct {
	// Offset is the byte offset of Token in the input.
	Offset int
	// Token is the offending text; empty at the end of the input.
	Token string
	// Expected says what would have been valid there, when that is the
	// problem ("a property name").
	Expected string
	// Reason says what is wrong, when it is not a missing piece
	// ("invalid regular expression: missing closing )").
	Reason string
}

// Error reads "unexpected <token> at offset N: expected <what>", or
// "<token> at offset N: <reason>".
func (e *SyntaxError) Error() string {
	what := "end of input"
	if e.Token != "" {
		what = strconv.Quote(e.Token)
	}
	if e.Expected != "" {
		return fmt.Sprintf("unexpected %s at offset %d: expected %s", what, e.Offset, e.Expected)
	}
	return fmt.Sprintf("%s at offset %d: %s", what, e.Offset, e.Reason)
}
