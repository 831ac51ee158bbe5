// Package openshift is the OpenShift broker v1 face of an ambit server,
// under /broker/rest: domains (the store's namespaces), applications (the
// domain's clusters, their cartridges services of the stack, their events
// state changes) and cartridges (the stack's services), as the broker and
// its Ruby client rhc speak them.
//
// Every reply is the broker's envelope (status, type, data, messages,
// api_version, version, supported_api_versions), errors included; the
// version comes from a version= parameter of Accept or Content-Type (406
// for one it does not speak), and a reply at an older version leaves out
// what that version did not have. Accept: application/xml gives the same
// envelope as XML. Every resource carries links, made from the same
// declarations as the routes (actions), so that a link never points where
// nothing answers; nolinks=true drops them. GET /api needs no credentials;
// everything else takes Basic, challenged first, as rhc expects.
package openshift

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// Prefix is where the face is served.
const Prefix = "/broker/rest"

// Versions are the API versions the face speaks, oldest first.
var versions = []string{"1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"}

// Domains is the store type of domains' own properties.
const Domains = "openshift_domains"

// Types are the store types of the face: add them to the store
// (cluster.WithTypes) of a server that serves the face.
func Types() []resource.Type {
	return []resource.Type{{Name: "Domain", Collection: Domains, Category: "domain", Keys: []string{"domain/name"},
		Properties: []resource.Property{{Path: "domain/creation_time", Kind: resource.String},
			{Path: "domain/owner", Kind: resource.String}}}}
}

// Exit codes the broker's messages carry, which rhc reads.
const (
	exitDomainNotFound = 127
	exitAppNotFound    = 101
	exitDomainExists   = 103
)

// Face returns the face.
func Face() server.Face {
	return server.Face{Name: "openshift", Prefix: Prefix, Versions: versions, XML: encodeXML,
		Dialect: apierr.OpenShift{Version: versions[len(versions)-1], Supported: versions, ExitCode: exitCode},
		Mount:   mount}
}

func exitCode(e *apierr.Error) int {
	switch e.Name {
	case "DOMAIN_NOT_FOUND":
		return exitDomainNotFound
	case "APPLICATION_NOT_FOUND":
		return exitAppNotFound
	case "DOMAIN_EXISTS":
		return exitDomainExists
	}
	return 1
}

// face serves the broker's API over a cluster manager.
type face struct {
	store *resource.Store
	mgr   *cluster.Manager
	exec  cluster.Execution
	acts  []action // every action, declared once
}

func mount(m *server.Mount) {
	f := &face{store: m.Store()}
	f.mgr, f.exec = m.Cluster()
	f.acts = f.declare()
	for _, a := range f.acts {
		if a.handler == nil {
			continue // a link to a route another action declares
		}
		switch {
		case a.public:
			m.HandlePublic(a.method, a.route, a.handler)
		case a.global:
			m.HandleGlobal(a.method, a.route, a.handler)
		default:
			m.Handle(a.method, a.route, a.handler)
		}
	}
	f.describe(m)
}

// reply is a successful answer in the envelope, with info messages.
func reply(c *server.Call, status int, typ string, data any, messages ...string) server.Result {
	msgs := []any{}
	for _, text := range messages {
		msgs = append(msgs, map[string]any{"severity": "info", "text": text, "exit_code": 0, "field": nil})
	}
	return server.Result{Status: status, Body: map[string]any{
		"status": statusWord(status), "type": typ, "data": data, "messages": msgs,
		"api_version": number(c.Version), "version": c.Version, "supported_api_versions": supported(),
	}}
}

func statusWord(status int) string {
	return strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
}

// number is a version as the broker writes api_version: a JSON number.
func number(v string) any { return json.Number(v) }

func supported() []any {
	out := make([]any, len(versions))
	for i, v := range versions {
		out[i] = json.Number(v)
	}
	return out
}

// atLeast reports whether the call's version is v or later.
func atLeast(c *server.Call, v string) bool {
	for _, x := range versions {
		if x == v {
			return true
		}
		if x == c.Version {
			return false
		}
	}
	return false
}

// readBody reads a JSON object body, or the form rhc may post; nil for
// none.
func readBody(r *http.Request) (map[string]any, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, apierr.New(http.StatusRequestEntityTooLarge, "The request body is larger than the server's limit.")
	}
	if strings.TrimSpace(string(b)) == "" {
		return map[string]any{}, nil
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		if err := r.ParseForm(); err != nil {
			return nil, apierr.BadRequest("The form body does not read: %v.", err)
		}
		out := map[string]any{}
		for k, vs := range r.PostForm {
			if strings.HasSuffix(k, "[]") {
				list := make([]any, len(vs))
				for i, v := range vs {
					list[i] = v
				}
				out[strings.TrimSuffix(k, "[]")] = list
			} else {
				out[k] = vs[0]
			}
		}
		return out, nil
	}
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil || body == nil {
		return nil, apierr.BadRequest("The request body is not a JSON object.").WithField("body", -1)
	}
	return body, nil
}
