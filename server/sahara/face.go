// Package sahara is the OpenStack Sahara v1.1 face of an ambit server:
// /v1.1/{project_id} for OpenStack's data-processing clients.
//
// The project is a namespace of the store, granted to users as any other
// (a project the user is not granted is a 403); the token comes in
// X-Auth-Token (from the core's /token), and Basic works for curl users.
// Answers are Sahara's: POST and PATCH 202, DELETE 204, each object in
// {"<singular>": {...}}, lists in {"<plural>": [...]} with
// "markers": {"prev", "next"} when paged (limit, marker, sort_by=-x),
// exact-match filters as query parameters, every id a UUID, names unique
// per project and kind, and every failure {error_code, error_name,
// error_message}. The .json suffix works on every URL.
//
// It serves plugins (one per loaded stack: its versions, node processes
// per service, configuration defaults), node group templates, cluster
// templates, job binaries (and the data of those the server keeps, job
// binary internals, uploaded raw), the image registry (register, tag,
// untag, list by tags), and clusters: each a cluster of the domain in the
// project's namespace, created from node groups or a cluster template,
// scaled by resizing or adding node groups, and deleted with its
// instances, its status and provision_progress following the domain's
// request. Its objects live in the server's store:
// give the manager their types with cluster.WithTypes(sahara.Types()...).
package sahara

import (
	"net/http"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// Prefix is where the face is served; the project follows it.
const Prefix = "/v1.1/:project_id"

// Face is the Sahara face, for server.WithFaces.
func Face() server.Face {
	return server.Face{Name: "sahara", Prefix: Prefix, Dialect: apierr.Sahara{}, Words: words, Challenge: "Bearer",
		JSONSuffix: true, Forbidden: true, Indent: "    ",
		ErrorNames: map[int]string{http.StatusBadRequest: "VALIDATION_ERROR", http.StatusUnauthorized: "UNAUTHORIZED",
			http.StatusForbidden: "FORBIDDEN", http.StatusNotFound: "NOT_FOUND", http.StatusMethodNotAllowed: "METHOD_NOT_ALLOWED"},
		Mount: mount}
}

// Types are the store types of the face's objects.
func Types() []resource.Type {
	out := make([]resource.Type, 0, len(kinds)+3)
	for _, k := range append(kinds, images, internals, clusters) {
		out = append(out, k.typ())
	}
	return out
}

func mount(m *server.Mount) {
	f := &face{store: m.Store(), limits: m.Limits()}
	if mgr, exec := m.Cluster(); mgr != nil {
		f.stacks, f.mgr, f.exec = mgr.Stacks(), mgr, exec
	}
	for _, k := range kinds {
		f.objects(m, k)
	}
	f.plugins(m)
	f.images(m)
	f.binaries(m)
	f.clusterRoutes(m)
}

// words says the store's errors as Sahara does.
func words(e *resource.Error) string {
	if e.Kind == resource.NotFound && len(e.Keys) == 1 {
		return "Object with {'id': '" + e.Keys[0].Value + "'} not found"
	}
	return e.Msg
}
