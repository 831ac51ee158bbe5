// Package server is the HTTP core every face of ambit plugs into: one
// http.Handler, on julienschmidt/httprouter, that serves one store (and a
// cluster manager's domain) through faces mounted under their prefixes,
// one per API family (server/ambari at /api/v1 first).
//
// A [Face] declares its prefix, its routes, its error envelope, how it
// words the store's typed errors, and what it negotiates (XML, API
// versions, a .json suffix). Its handlers get a [Call] (who asks, in which
// namespace, for which media and version) and return a [Result] or an
// error; the core writes both (respond.go is the one place answers are
// written), so no face writes a status line or decides whether it has
// answered already.
//
// What the core does for every face, in order (server.go):
//
//   - /healthz answers beside the faces; a URL longer than WithMaxURL is a
//     414.
//   - Authentication: HTTP Basic against bcrypt-hashed users (a 401 with
//     WWW-Authenticate names the face's scheme, on the first request that
//     has no credentials, as OpenShift's client needs), and bearer tokens,
//     in Authorization: Bearer or X-Auth-Token, issued by GET or POST
//     /token for Basic credentials ({"access_token", "token_type":
//     "Bearer", "expires_in"}, CDAP's shape) and signed with the server's
//     key (WithTokenKey). Failed logins are limited per client and per
//     user (WithLoginLimit; 429 with Retry-After), and unknown users cost
//     as much bcrypt as wrong passwords. A server without WithUsers lets
//     everybody in as an administrator, for tests and embedding.
//   - Negotiation of Accept and Content-Type, once: JSON, XML where the
//     face writes it, version= parameters against the face's versions,
//     nolinks; a 406 in the face's envelope for what it cannot give.
//     Accept: application/problem+json gets errors as RFC 9457 problem
//     details on any face.
//   - Tenancy: the namespace is the prefix's parameter (/v1.1/:project_id)
//     or, on a face whose URLs name none (Ambari's), the user's home
//     namespace: the one a Basic login user@ns names, else
//     resource.Default when granted, else the first granted, so that a
//     Sahara project's clusters are an Ambari client's too. Users have a role (admin, operator, read-only)
//     and grants of namespaces (the users file's fourth field); what a
//     user is not granted answers 404 to reads, so that names do not
//     leak, and 403 to writes. Read-only users may not write.
//   - CSRF: faces that ask for it (Ambari) need X-Requested-By on writes,
//     unless WithoutCSRF.
//   - Limits: bodies (WithMaxBody, 413), pages (WithMaxPageSize) and
//     batches (WithMaxBatch), long-polls (WithMaxWait, WithMaxWaiters: 503
//     with Retry-After beyond). HEAD is GET without a body.
//   - Errors: the store's and the cluster domain's typed errors
//     (resource.Error) get their status here, in one place (errors.go),
//     and the face's wording; router 404s and 405s and panics answer in
//     the face's envelope, with nothing of Go's internals. Every request
//     is logged with log/slog, its query string included.
package server
