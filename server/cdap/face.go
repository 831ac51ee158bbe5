// Package cdap is the CDAP v3 face of an ambit server: namespaces, their
// properties and preferences, and the thin objects CDAP's Go client (a
// Terraform provider) manages in them — applications, compute profiles
// and artifacts' metadata — under /v3, as CDAP's router serves them.
//
// A CDAP namespace is a namespace of the store: the one a Sahara project,
// an Ambari login user@ns, an OpenShift domain or an Ohara group names,
// under the same grants. Creating one through CDAP records its metadata;
// one that holds resources made through another face exists already.
//
// As CDAP answers: errors are plain text with CDAP's statuses (400, 401
// with WWW-Authenticate: Bearer, 403 for a namespace not granted or an
// operation that needs an administrator, 404, 405 with Allow, 409, 500,
// and 501 for a query parameter the API does not support); bodies are
// read whatever their Content-Type; path parameters are percent-decoded,
// %2F included. Tokens come from /token with Basic credentials.
package cdap

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// Prefix is where the face is served.
const Prefix = "/v3"

// The store types of the face's objects.
const (
	Namespaces = "cdap_namespaces"
	Apps       = "cdap_apps"
	Profiles   = "cdap_profiles"
	Artifacts  = "cdap_artifacts"
)

// Types are the store types of the face's objects: add them to the
// store (cluster.WithTypes) of a server that serves the face.
func Types() []resource.Type {
	str := func(path string) resource.Property { return resource.Property{Path: path, Kind: resource.String} }
	obj := func(path string) resource.Property { return resource.Property{Path: path, Kind: resource.Object} }
	return []resource.Type{
		{Name: "Namespace", Collection: Namespaces, Category: "namespace", Keys: []string{"namespace/name"},
			Properties: []resource.Property{str("namespace/description"), {Path: "namespace/generation", Kind: resource.Number},
				obj("namespace/config"), obj("namespace/preferences")}},
		{Name: "Application", Collection: Apps, Category: "app", Keys: []string{"app/name"},
			Properties: []resource.Property{str("app/description"), obj("app/artifact"), obj("app/config"),
				{Path: "app/version", Kind: resource.String, Default: "-SNAPSHOT"}}},
		{Name: "Profile", Collection: Profiles, Category: "profile", Keys: []string{"profile/name"},
			Properties: []resource.Property{str("profile/label"), str("profile/description"), obj("profile/provisioner"),
				{Path: "profile/status", Kind: resource.String, Default: "ENABLED", Indexed: true},
				{Path: "profile/scope", Kind: resource.String, Default: "USER"}, {Path: "profile/created", Kind: resource.Number}}},
		{Name: "Artifact", Collection: Artifacts, Category: "artifact", Keys: []string{"artifact/id"},
			Properties: []resource.Property{{Path: "artifact/name", Kind: resource.String, Indexed: true}, str("artifact/version"),
				{Path: "artifact/scope", Kind: resource.String, Default: "USER"}, obj("artifact/properties"),
				{Path: "artifact/parents", Kind: resource.List}}},
	}
}

// Option configures the face.
type Option func(*face)

// WithUnrecoverableDeletes lets administrators delete namespaces with
// DELETE /v3/unrecoverable/namespaces/{ns}, everything in them going with
// them, whichever face made it. CDAP keeps it off by default
// (enable.unrecoverable.reset), and so does ambit: without it the delete
// is a 403.
func WithUnrecoverableDeletes() Option { return func(f *face) { f.unrecoverable = true } }

// Faces returns the face: /v3/namespaces/{ns}/… in the namespace the URL
// names, and what is outside every namespace (the list of namespaces,
// their unrecoverable delete). Mount both.
func Faces(opts ...Option) []server.Face {
	f := &face{}
	for _, o := range opts {
		o(f)
	}
	base := server.Face{Name: "cdap", Dialect: apierr.CDAP{}, Challenge: "Bearer", Forbidden: true}
	in, out := base, base
	in.Prefix, in.Mount = Prefix+"/namespaces/:namespace", f.mountIn
	out.Prefix, out.Mount = Prefix, f.mountOut
	return []server.Face{in, out}
}

// face serves a store the CDAP way.
type face struct {
	unrecoverable bool
	store         *resource.Store
	mgr           *cluster.Manager // nil without one
}

func (f *face) mountIn(m *server.Mount) {
	f.store = m.Store()
	f.namespaceRoutes(m)
	f.appRoutes(m)
	f.profileRoutes(m)
	f.artifactRoutes(m)
	f.describeIn(m)
}

func (f *face) mountOut(m *server.Mount) {
	f.store = m.Store()
	f.mgr, _ = m.Cluster()
	m.HandleGlobal(http.MethodGet, "/namespaces", only(f.list))
	m.HandleGlobal(http.MethodDelete, "/unrecoverable/namespaces/:namespace", only(f.destroy))
	f.describeOut(m)
}

// only answers a query parameter with a 501, as CDAP does for queries
// its API does not support, naming the parameters; params are those the
// route takes.
func only(h server.Handler, params ...string) server.Handler {
	return func(c *server.Call) (server.Result, error) {
		var unknown []string
		for p := range c.Request.URL.Query() {
			if !slices.Contains(params, p) {
				unknown = append(unknown, p)
			}
		}
		if len(unknown) > 0 {
			slices.Sort(unknown)
			return server.Result{}, apierr.New(http.StatusNotImplemented, "The query parameters [%s] are not supported by this API.", strings.Join(unknown, ", ")).WithField(unknown[0], -1)
		}
		return h(c)
	}
}

// text is a 200 with CDAP's plain-text answer.
func text(format string) server.Result { return server.Result{Status: http.StatusOK, Text: format} }

// readObject reads an optional JSON object body, whatever its
// Content-Type, as CDAP does: nil for none.
func readObject(r *http.Request) (map[string]any, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, apierr.New(http.StatusRequestEntityTooLarge, "The request body is larger than the server's limit.")
	}
	if strings.TrimSpace(string(b)) == "" {
		return nil, nil
	}
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil || body == nil {
		return nil, apierr.BadRequest("Invalid json object provided in request body.").WithField("body", -1)
	}
	return body, nil
}

// strings of a JSON object whose values must all be strings, as CDAP's
// preferences and properties are.
func stringMap(v any, field string) (map[string]any, error) {
	if v == nil {
		return map[string]any{}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, apierr.BadRequest("%s must be a JSON object of strings.", field).WithField(field, -1)
	}
	for k, x := range m {
		if _, ok := x.(string); !ok {
			return nil, apierr.BadRequest("%s.%s must be a string.", field, k).WithField(field, -1)
		}
	}
	return m, nil
}

// names are what CDAP allows in the ids of namespaces, applications,
// profiles and artifacts (seed 002: letters, digits, - and _).
var names = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
