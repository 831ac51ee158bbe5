// Package ambari is the Apache Ambari API v1 face of an ambit server: the
// store's types served under /api/v1 with Ambari's conventions, in the
// user's home namespace (default, or the project of a user granted only
// projects: the clusters Sahara clients create there).
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
//     or RequestInfo.query, which wins), all or none. A PUT of several
//     property maps (with or without their own RequestInfo) runs as a
//     batch: each in order, each outcome reported.
//   - DELETE removes an instance or every match, with its children, all or
//     none; with a cluster manager, only what is in a removable state
//     (409 otherwise), and with everything that goes with it.
//   - Instance GETs carry an ETag (the resource's version); PUT and DELETE
//     honour If-Match as RFC 9110 says (strong comparison, lists, *; 412
//     otherwise), on every target of a collection write at once.
//
// Bad input is a 400 in Ambari's envelope naming the parameter or field,
// and for a body the byte offset in the text the client sent: malformed
// JSON, invalid UTF-8, elements that are not objects, keys given twice,
// from with to, negative page sizes, pages above the server's page limit
// and bodies above its batch limit.
//
// Collection responses are written straight from the store's records
// (resource.Query.JSON), and a paged listing repeated with no write in
// between takes its itemTotal from the store's memo rather than counting
// again.
//
// An extension for clients that follow a request: a GET of an instance with
// the header X-Ambit-Wait (a duration such as 30s, at most the server's
// WithMaxWait) and If-None-Match holding the ETag the client has waits
// until the resource changes or the duration ends, then answers as usual.
//
// With a cluster manager (server.WithCluster), the cluster domain's
// semantics apply: a PUT of a state on services, components or host
// components answers 202 with the href of the request that does the work
// (and runs it on the manager), or 200 with an empty body when nothing
// needs doing. When the driver's tasks take no time (the simulator with a
// zero duration, as servertest and -task-duration 0 have it), the request
// has ended by the time the 202 is written, so that a client's first poll
// reads COMPLETED; a PUT of Requests/request_status=ABORTED aborts a request;
// creates, updates and deletes go through the manager from every URL form
// (instance, collection, several bodies, query-create), so the domain's
// rules hold whichever a client uses.
package ambari

import (
	"crypto/rand"

	"github.com/ambitkit/ambit/cluster"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/server"
)

// Prefix is where the face is served.
const Prefix = "/api/v1"

// Version is the server version clients read from
// /api/v1/services/AMBARI/components/AMBARI_SERVER.
const Version = "2.7.8"

// Face is the Ambari face, for server.WithFaces: Ambari's envelope and
// wording, Basic authentication, the X-Requested-By header on writes, and
// JSON indented with two spaces.
func Face() server.Face {
	return server.Face{Name: "ambari", Prefix: Prefix, Dialect: apierr.Ambari{}, Words: words, CSRF: true, Indent: "  ",
		Mount: func(m *server.Mount) {
			mgr, x := m.Cluster()
			secret := make([]byte, 32)
			_, _ = rand.Read(secret) // never fails (crypto/rand)
			f := &face{store: m.Store(), cluster: mgr, exec: x, preds: m.Predicates(), limits: m.Limits(),
				cursors: &paging.Cursors{Secret: secret}}
			f.routes(m)
			f.users(m)
		}}
}

// mgr is the cluster manager in the call's namespace.
func (f *face) mgr(c *server.Call) *cluster.Manager { return f.cluster.In(c.Namespace) }
