// Package contract checks the OpenAPI documents of ambit's faces against
// the live server: each document loads and validates with kin-openapi, and
// the requests real clients send, replayed against a running server, are
// validated with their answers against the document (openapi3filter), so
// that a document cannot drift from the server. It is a module of its own,
// so that the library never depends on kin-openapi.
package contract
