package query

import (
	"net/url"
	"slices"
	"strings"
)

// reserved are the parameters Ambari takes out of the query string before
// the rest becomes the predicate.
var reserved = [...]string{"fields", "format", "page_size", "from", "to", "minimal_response", "sortBy", "doAs", "_"}

// Reserved returns the names of the parameters that Split always separates
// from the predicate: fields, format, page_size, from, to,
// minimal_response, sortBy, doAs and _ (the cache-buster of some clients).
func Reserved() []string { return slices.Clone(reserved[:]) }

// Split separates a raw URL query string into the predicate and the other
// parameters. It splits the string on the & that separate parameters,
// percent-decodes each part, and sets aside those of the form name=value
// whose name is reserved (see Reserved) or one of extra, such as Sahara's
// limit, marker and sort_by. The remaining parts, joined by &, are the
// predicate.
//
// An & inside brackets is part of the predicate, not a separator, so a
// function argument such as .in(a&b) is never cut. As in Ambari, the
// predicate is decoded as a whole: %26 in a predicate is an & operator.
// Names match exactly, case-sensitively. A reserved name joined to a term by
// | rather than & stays in the predicate, where it is an unknown property.
//
// A malformed percent-escape is a *SyntaxError with its offset in rawQuery.
func Split(rawQuery string, extra ...string) (predicate string, params url.Values, err error) {
	params = url.Values{}
	var pred []string
	start, depth := 0, 0
	for i := 0; i <= len(rawQuery); i++ {
		if i < len(rawQuery) && (rawQuery[i] != '&' || depth > 0) {
			depth = max(0, depth+bracket(rawQuery, i))
			continue
		}
		part, err := unescape(rawQuery, start, i)
		if err != nil {
			return "", nil, err
		}
		name, value, isParam := strings.Cut(part, "=")
		if isParam && (slices.Contains(reserved[:], name) || slices.Contains(extra, name)) {
			params.Add(name, value)
		} else {
			pred = append(pred, part)
		}
		start = i + 1
	}
	if len(pred) == 1 && pred[0] == "" {
		pred = nil // an empty query string
	}
	return strings.Join(pred, "&"), params, nil
}

// bracket is +1 for an opening bracket at i, -1 for a closing one, written
// plainly or percent-encoded, and 0 for anything else.
func bracket(s string, i int) int {
	switch {
	case s[i] == '(':
		return 1
	case s[i] == ')':
		return -1
	case s[i] == '%' && i+2 < len(s) && s[i+1] == '2':
		switch s[i+2] {
		case '8':
			return 1
		case '9':
			return -1
		}
	}
	return 0
}

// unescape percent-decodes raw[start:end], + as a space.
func unescape(raw string, start, end int) (string, error) {
	seg := raw[start:end]
	for i := 0; i < len(seg); i++ {
		if seg[i] == '%' && (i+2 >= len(seg) || !isHex(seg[i+1]) || !isHex(seg[i+2])) {
			return "", &SyntaxError{Offset: start + i, Token: seg[i:min(i+3, len(seg))], Reason: "a malformed percent-escape"}
		}
	}
	return url.QueryUnescape(seg)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
