// Package openapi writes OpenAPI 3.1 documents (JSON Schema 2020-12) of the
// faces ambit serves: a document model small enough to read, and the JSON
// Schemas of resource types as their declarations say (categories as
// nested objects, kinds, read-only properties, defaults, what a create
// requires).
//
// It has no dependency beyond the standard library and the resource
// package: the server core fills a document from the routes each face
// declares and the face's descriptions of them, and serves it beside the
// face (/api/v1/openapi.json, …). Documents are checked against the live
// server, with kin-openapi, in the module under openapi/contract.
package openapi
