// Package query implements the query predicates of Apache Ambari's REST API
// v1: parse them, evaluate them against resources, split them out of URL
// query strings, and take them apart for a planner.
//
//	Hosts/host_status=HEALTHY&Hosts/cpu_count>=2|Hosts/os_type.in(rhel6,centos6)
//
// # The language
//
// A predicate compares properties, named by slash-separated paths
// (Hosts/cpu_count, metrics/jvm), with unquoted values:
//
//	p=v  p!=v  p<v  p<=v  p>v  p>=v      relations
//	p.in(v1,v2,...)                      equal to one of the items
//	p.matches(regex)                     the whole string form matches (RE2)
//	p.isEmpty()                          nothing is there
//	!x   x&y   x|y   (x)                 not, and, or, grouping
//
// ! binds tighter than &, which binds tighter than |; & and | are
// left-associative. A value runs to the next operator, so it cannot hold
// ! & | < = > ( ); a function argument is any bracket-balanced text, which
// is how a value can hold them: a.in(x&y), a.matches(x|y).
//
// # Evaluation
//
// Each comparison decides its typing when it runs, as Ambari does: it is
// numeric when the value written in the predicate is a plain decimal
// literal (an optional '-', digits, an optional fraction and exponent) and
// the resource's value is a number, or a string that is entirely such a
// literal; otherwise both are compared as strings, byte-wise and
// case-sensitively. So Hosts/cpu_count>10 is false for 4, and a version
// 2.10 equals 2.1. An absent property makes = < <= > >= and .matches false
// and != true; p= (no value) is true only when p is absent or null, and p!=
// when it is present. .in() with no items matches nothing. See
// Comparison.Match and IsEmpty.Match for the details.
//
// Expressions evaluate against any [Resource]; [Tree] adapts a JSON-shaped
// map[string]any without allocating. A store that keeps properties in fixed
// slots binds an expression to its [Layout] once with [Bind] and evaluates
// records with no path lookups at all.
//
// # Departures from Ambari
//
// Ambari's parser has accidents; this one does what its grammar intends and
// rejects the rest with a *SyntaxError naming the byte offset, the
// offending token and what was expected there. In detail:
//
//   - A trailing & or |, a ! between two terms and a bare word after &
//     crash Ambari's parser; they are syntax errors here.
//   - A bare word (?typo) is "no predicate" to Ambari, which returns
//     everything; it is a syntax error here.
//   - Ambari accepts a lone bracket as a value (a=( ); this does not.
//   - .isEmpty() works anywhere in an expression, not only last.
//   - Spaces around property names and values are not significant (Ambari
//     keeps them, and then reports an unknown property " a").
//   - p= and p!= may stand anywhere, not only at the end of the input.
//   - .in() with no items matches nothing instead of failing, because
//     clients send name.in() when their list happens to be empty.
//   - Limits on length, bracket depth and number of terms (see Limits)
//     make hostile input fail fast instead of exhausting the stack.
//   - Numbers never depend on a locale: 1,000 is a string.
//
// Ambari lower-cases values compared with host_name properties; that is an
// option here (Parser.Normalize with LowerHostNames).
//
// # URLs
//
// In Ambari the predicate is the whole query string, less the reserved
// parameters (fields, page_size, sortBy and so on), so & both separates
// parameters and means "and". [Split] separates them the way Ambari
// intends, without ever cutting a function argument.
package query
