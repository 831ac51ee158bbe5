package sahara

import (
	"encoding/base64"
	"io"
	"net/http"
	"strings"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// internals are job binaries kept by the server itself (internal-db://id
// urls), uploaded as raw data.
var internals = kind{path: "job-binary-internals", plural: "binaries", singular: "job_binary_internal",
	fields: []field{str("name"), num("datasize", 0), flag("is_public", false), flag("is_protected", false), str("data")},
	hidden: []string{"data"}}

// binaries mounts the internal binaries and the data of every binary.
func (f *face) binaries(m *server.Mount) {
	k := internals
	m.Handle(http.MethodGet, "/"+k.path, func(c *server.Call) (server.Result, error) { return f.list(c, k) })
	m.Handle(http.MethodGet, "/"+k.path+"/:id", func(c *server.Call) (server.Result, error) {
		r, err := f.store.Get(c.Context(), k.ref(c))
		if err != nil {
			return server.Result{}, err
		}
		return server.OK(map[string]any{k.singular: k.view(r)}), nil
	})
	m.Handle(http.MethodPatch, "/"+k.path+"/:id", func(c *server.Call) (server.Result, error) { return f.update(c, k) })
	m.Handle(http.MethodDelete, "/"+k.path+"/:id", func(c *server.Call) (server.Result, error) {
		return server.Status(http.StatusNoContent), f.store.Delete(c.Context(), k.ref(c))
	})
	// PUT /job-binary-internals/{name} uploads: the path names it, the
	// body is the data.
	m.Handle(http.MethodPut, "/"+k.path+"/:id", func(c *server.Call) (server.Result, error) {
		data, err := io.ReadAll(c.Request.Body)
		if err != nil {
			return server.Result{}, err
		}
		return f.insert(c, k, map[string]any{"name": c.Param("id"), "datasize": len(data), "data": base64.StdEncoding.EncodeToString(data)})
	})
	m.Handle(http.MethodGet, "/job-binaries/:id/data", func(c *server.Call) (server.Result, error) {
		jb, err := f.store.Get(c.Context(), jobBinaries.ref(c))
		if err != nil {
			return server.Result{}, err
		}
		url, _ := jb.Value("job_binary/url").(string)
		id, ok := strings.CutPrefix(url, "internal-db://")
		if !ok {
			return server.Result{}, apierr.BadRequest("The data of %s is not kept by this server: only internal-db:// binaries have data here.", url).
				WithName("INVALID_DATA").WithField("url", -1)
		}
		in, err := f.store.Get(c.Context(), resource.Ref{Type: k.coll(), Namespace: c.Namespace, Keys: []string{id}})
		if err != nil {
			return server.Result{}, err
		}
		data, _ := base64.StdEncoding.DecodeString(in.Value("job_binary_internal/data").(string))
		return server.Result{Status: http.StatusOK, Raw: data, ContentType: "application/octet-stream"}, nil
	})
}
