// Package etcd keeps an ambit store's records in etcd, so that several
// servers serve one store: each holds the records in memory as a watch
// cache (a resource replica) and answers every query from it, and every
// write is one etcd transaction that compares the revisions of what it
// replaces, so that two servers never lose each other's updates.
//
// Records are kept one key each, under a prefix: PREFIX/TYPE/KEY, KEY the
// record's namespace and keys as the store encodes them; the store's
// version is the etcd revision, a record's version its mod_revision. It
// is a module of its own, so that the library does not pull in gRPC.
package etcd
