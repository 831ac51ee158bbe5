// Package resource holds management resources in an indexed in-memory store
// and answers Ambari-style list queries over them fast.
//
// A [Type] is declared with plain Go values: its collection and display
// names, its key properties (the last is the id in URLs; a child type's
// keys start with its parent's), its properties with their kinds, which are
// indexed, read-only, required or defaulted, and its sub-resources. [New]
// builds a [Store] from a set of types; it is the only package of ambit that
// knows about github.com/hashicorp/go-memdb.
//
// # The store
//
// Each type is a memdb table, the store of record. Its unique id index
// holds the namespace and the keys in an order-preserving encoding
// (strings byte-wise, numbers as order-preserving floats), so that a prefix
// of it finds a parent's children and its order is the natural key order.
// Beside memdb, published with each of its snapshots, each type has an id
// tree (its records in that order, which gets and listings read) and a tree per
// indexed property, so that equalities, in() and ranges seek instead of
// scanning: copy-on-write B-trees of record pointers, a few bytes an entry
// where memdb's radix indexes took hundreds. Records keep declared
// properties in slots, values of the declared kinds (bodies may send
// numbers and booleans as strings, as Ambari's clients do), and short
// repeated values are shared.
//
// Writes are transactions ([Store.Write], or the Create, Update and Delete
// shortcuts): a batch is all or nothing, and readers always see a
// consistent state without waiting: they read the last published
// snapshot, and a write is published whole, once it is committed (and,
// with a backend, durable). A write makes its changes to memdb and the
// property indexes in id order, when it reads them or commits, so that a
// batch given in no order still writes neighbours together; a write of
// many records is committed to the writers' memdb in parts of a thousand,
// so that the cost of memdb's commit follows the write's size, not the
// store's. Every write has a
// version; resources carry the version that last changed them, and an
// update can require it (a stale one is a 412, never a lost update).
// Undeclared properties, bad values, duplicates and missing parents are
// API errors in Ambari's words (400, 400, 409, 404), naming every problem
// at once.
//
// # Listing
//
// [Store.List] takes a type, a namespace, a scope (the parent keys of a
// URL), a predicate, a sort order, a page request and a fields selection,
// and returns the rendered page with its paging metadata and its [Plan].
// The planner picks the cheapest access path from the scope and the
// predicate's top-level conjuncts: every key (a get), an indexed equality
// or in(), an indexed range, the leading keys (a parent's children), or a
// scan; the rest of the predicate is evaluated, bound to the type's slots,
// on what that path yields. An index is used only where its byte order
// answers the predicate exactly: a numeric literal against a string
// property compares numerically, so it scans. Listings in the order of
// their access path stream, and markers and tokens resume with an index
// seek; other orders sort only what the page needs, with a bounded heap.
//
// A predicate on a sub-resource's property (host_components/HostRoles/state
// on hosts) holds when some related resource satisfies it. As in Ambari,
// each leaf, or a negated leaf, is tested on its own: two leaves may be
// satisfied by different rows, and !p means "some row does not match".
//
// Items render as property trees with canonical hrefs, their keys always,
// the properties the predicate uses, and sub-resources as links or
// expanded, as the fields selection says. Unknown properties in the
// predicate, the fields or the sort order are one 400 naming them all.
package resource
