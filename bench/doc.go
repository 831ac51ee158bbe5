// Package bench measures ambit against what a user would pick instead, on
// the same data, in the same process and run: predicate engines (expr,
// CEL, bexpr), SQLite for list queries, and a plain net/http handler for
// HTTP. Every case is checked for equal answers across engines before it
// is timed; a case whose answers differ is a failed benchmark.
//
// It is its own module, so that the alternatives never become dependencies
// of the library. bench/run runs everything and writes bench/RESULTS.md.
package bench
