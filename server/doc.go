// Package server serves a resource store over HTTP with the conventions of
// Apache Ambari's API v1, on julienschmidt/httprouter.
//
// Routes are derived from the store's types: a collection and an instance
// route for every type under its parent's instances
// (/api/v1/clusters/:cluster/hosts/:host/host_components/:component), and
// under the instances of types that declare it as a sub-resource
// (/api/v1/clusters/c1/services/HDFS/components/DATANODE/host_components).
//
//   - GET takes a predicate, fields, page_size/from/to (with itemTotal),
//     limit/marker, page_token, sortBy or sort_by, and minimal_response or
//     format, with Ambari's error messages; an instance URL with a
//     predicate that matches nothing is 200 with no items.
//   - POST creates (201; 409 on a duplicate; 404 when the parent is
//     missing). A batch — an array whose elements carry their own
//     RequestInfo — runs every element in array order and answers 200 with
//     each element's status and body (Ambari runs them in no defined order
//     and stops at the first that does not answer 200). A POST with a
//     predicate creates the body's child resources under every match
//     (Ambari's query-create). Bodies are read as real clients send them: any
//     Content-Type, objects without brackets, a Body wrapper beside
//     RequestInfo, a JSON string holding JSON, or no body.
//   - PUT updates an instance or every match of a predicate (from the URL,
//     or RequestInfo.query, which wins); If-Match is honoured (412). A PUT
//     of several property maps (with or without their own RequestInfo)
//     runs as a batch: each in order, each outcome reported.
//   - DELETE removes an instance or every match, with its children, all or
//     none; with a cluster manager, only what is in a removable state
//     (409 otherwise), and with everything that goes with it.
//   - Instance GETs carry an ETag (the resource's version); PUT and DELETE
//     honour If-Match as RFC 9110 says (strong comparison, lists, *; 412
//     otherwise), on every target of a collection write at once. A PUT on
//     a collection is all or nothing. HEAD is GET without the body.
//
// Bad input is a 400 in Ambari's envelope naming the parameter or field,
// and for a body the byte offset in the text the client sent: malformed
// JSON, invalid UTF-8, elements that are not objects, keys given twice,
// from with to, negative page sizes, pages above WithMaxPageSize and bodies
// above WithMaxBatch elements. Failed logins are limited per client and
// per user name (WithLoginLimit; 429 with Retry-After), and unknown users
// cost as much bcrypt as wrong passwords.
//
// Collection responses are written straight from the store's records
// (resource.Query.JSON), and a paged listing repeated with no write in
// between takes its itemTotal from the store's memo rather than counting
// again.
//
// An extension for clients that follow a request: a GET of an instance with
// the header X-Ambit-Wait (a duration such as 30s, at most WithMaxWait) and
// If-None-Match holding the ETag the client has waits until the resource
// changes or the duration ends, then answers as usual.
//
// With WithCluster, the cluster domain's semantics apply: a PUT of a state
// on services, components or host components answers 202 with the href of
// the request that does the work (and runs it), or 200 with an empty body
// when nothing needs doing; a PUT of Requests/request_status=ABORTED aborts
// a request; POST of clusters, hosts, services, host components,
// configurations and custom-command requests go through the manager, from
// every URL form (instance, collection, several bodies, query-create), so
// the domain's rules hold whichever a client uses. Requests run on the
// manager's goroutines (cluster.Manager.Go): close the manager to stop them.
//
// HTTP Basic authentication checks bcrypt-hashed passwords (401 with
// WWW-Authenticate); read-only users get 403 on writes. Writes need the
// X-Requested-By header unless CSRF protection is off. Errors use Ambari's
// envelope; a panic is a 500 without internal text, logged. Every request
// is logged with log/slog. /healthz answers outside the API prefix.
package server
