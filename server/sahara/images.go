package sahara

import (
	"net/http"
	"slices"

	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// images is Sahara's image registry: images are registered by id (an
// image service's) with the user their instances log in as, and tagged
// with the plugins and versions they serve.
var images = kind{path: "images", plural: "images", singular: "image",
	fields: []field{str("name"), str("status"), list("tags"), str("username"), str("description"), obj("metadata"),
		num("minDisk", 0), num("minRam", 0), num("progress", 100), str("created"), str("updated")},
	always: []string{"description", "tags"}}

var imagesType = images.coll()

// images mounts the registry's routes.
func (f *face) images(m *server.Mount) {
	k := images
	m.Handle(http.MethodGet, "/images", func(c *server.Call) (server.Result, error) {
		res, err := f.store.List(c.Context(), resource.Query{Type: imagesType, Namespace: c.Namespace, Instance: true})
		if err != nil {
			return server.Result{}, err
		}
		want := c.Request.URL.Query()["tags"] // every one of them
		out := []any{}
		for _, it := range res.Items {
			img := k.viewTree(it)
			if hasAll(img["tags"], want) {
				out = append(out, img)
			}
		}
		return server.OK(map[string]any{"images": out}), nil
	})
	m.Handle(http.MethodGet, "/images/:id", func(c *server.Call) (server.Result, error) {
		r, err := f.store.Get(c.Context(), k.ref(c))
		if err != nil {
			return server.Result{}, err
		}
		return server.OK(map[string]any{"image": k.view(r)}), nil
	})
	m.Handle(http.MethodPost, "/images/:id", func(c *server.Call) (server.Result, error) {
		body, err := readObject(c.Request)
		if err != nil {
			return server.Result{}, err
		}
		change := map[string]any{"username": body["username"], "description": body["description"], "updated": stamp()}
		return f.registerImage(c, change)
	})
	for _, op := range []string{"tag", "untag"} {
		m.Handle(http.MethodPost, "/images/:id/"+op, func(c *server.Call) (server.Result, error) {
			body, err := readObject(c.Request)
			if err != nil {
				return server.Result{}, err
			}
			given, _ := body["tags"].([]any)
			r, err := f.store.Get(c.Context(), k.ref(c))
			if err != nil {
				return server.Result{}, err
			}
			tags, _ := r.Value("image/tags").([]any)
			tags = slices.Clone(tags)
			for _, t := range given {
				i := slices.Index(tags, t)
				switch {
				case op == "tag" && i < 0:
					tags = append(tags, t)
				case op == "untag" && i >= 0:
					tags = slices.Delete(tags, i, i+1)
				}
			}
			return f.registerImage(c, map[string]any{"tags": tags, "updated": stamp()})
		})
	}
	m.Handle(http.MethodDelete, "/images/:id", func(c *server.Call) (server.Result, error) {
		return server.Status(http.StatusNoContent), f.store.Delete(c.Context(), k.ref(c))
	})
}

// registerImage creates an image's registration or changes it, and
// answers 202 with it.
func (f *face) registerImage(c *server.Call, change map[string]any) (server.Result, error) {
	for key, v := range change {
		if v == nil {
			delete(change, key)
		}
	}
	var out resource.Resource
	err := f.store.Write(c.Context(), func(tx *resource.Tx) error {
		ref := images.ref(c)
		if _, err := tx.Get(ref); err != nil {
			now := stamp()
			body := map[string]any{"id": c.Param("id"), "name": c.Param("id"), "status": "ACTIVE", "tags": []any{},
				"tenant_id": c.Namespace, "created": now, "updated": now}
			rs, err := tx.Create(imagesType, c.Namespace, map[string]any{"image": body})
			if err != nil {
				return err
			}
			out = rs[0]
		}
		var err error
		out, err = tx.Update(ref, map[string]any{"image": change}, 0)
		return err
	})
	if err != nil {
		return server.Result{}, err
	}
	return server.Result{Status: http.StatusAccepted, Body: map[string]any{"image": images.view(out)}}, nil
}

// hasAll reports whether a list of tags holds every wanted one.
func hasAll(tags any, want []string) bool {
	list, _ := tags.([]any)
	for _, w := range want {
		if !slices.Contains(list, any(w)) {
			return false
		}
	}
	return true
}
