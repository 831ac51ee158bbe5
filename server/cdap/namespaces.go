package cdap

import (
	"context"
	"net/http"
	"slices"
	"time"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

func (f *face) namespaceRoutes(m *server.Mount) {
	m.Handle(http.MethodGet, "", only(f.show))
	m.Handle(http.MethodPut, "", only(f.create))
	m.Handle(http.MethodPut, "/properties", only(f.properties))
	m.Handle(http.MethodGet, "/preferences", only(f.preferences))
	m.Handle(http.MethodPut, "/preferences", only(f.setPreferences))
	m.Handle(http.MethodDelete, "/preferences", only(f.deletePreferences))
}

// meta is a namespace as CDAP shows it (NamespaceMeta), and whether it
// exists: recorded through CDAP, holding resources made through another
// face, or default.
func (f *face) meta(ctx context.Context, ns string) (map[string]any, bool, error) {
	return f.metaOf(ctx, ns, false)
}

// metaOf is meta for a namespace known to hold resources when held is set.
func (f *face) metaOf(ctx context.Context, ns string, held bool) (map[string]any, bool, error) {
	out := map[string]any{"name": ns, "description": "", "config": map[string]any{}}
	r, err := f.store.Get(ctx, ref(Namespaces, ns, ns))
	if err == nil {
		t := r.Tree()["namespace"].(map[string]any)
		for _, k := range []string{"description", "generation", "config"} {
			if v, ok := t[k]; ok {
				out[k] = v
			}
		}
		return out, true, nil
	}
	if !resource.IsKind(err, resource.NotFound) {
		return nil, false, err
	}
	return out, held || ns == resource.Default || f.store.Holds(ns), nil
}

func ref(typ, ns, key string) resource.Ref {
	return resource.Ref{Type: typ, Namespace: ns, Keys: []string{key}}
}

// usable refuses names CDAP does not allow, and the reserved namespaces
// no user may name (system, cdap); default, reserved too, is everyone's.
func usable(ns string) error {
	if !names.MatchString(ns) {
		return apierr.BadRequest("Namespace id can contain only alphanumeric characters, '-' or '_'.").WithField("namespace", -1)
	}
	if ns == "system" || ns == "cdap" {
		return apierr.Forbidden("The namespace '%s' is reserved for CDAP itself.", ns)
	}
	return nil
}

// existing is the meta of a namespace that must exist: 404 otherwise.
func (f *face) existing(c *server.Call) (map[string]any, error) {
	if err := usable(c.Namespace); err != nil {
		return nil, err
	}
	meta, ok, err := f.meta(c.Context(), c.Namespace)
	if err == nil && !ok {
		err = apierr.NotFound("Namespace '%s' was not found.", c.Namespace)
	}
	return meta, err
}

// list answers GET /v3/namespaces: every namespace the caller is granted,
// by name, default first.
func (f *face) list(c *server.Call) (server.Result, error) {
	nss, err := f.store.Namespaces("")
	if err != nil {
		return server.Result{}, err
	}
	if !slices.Contains(nss, resource.Default) {
		nss = append(nss, resource.Default) // everyone's, listed first below
	}
	out := []any{}
	for _, ns := range nss {
		if !c.User.Can(ns) || ns == "system" || ns == "cdap" {
			continue
		}
		meta, _, err := f.metaOf(c.Context(), ns, true)
		if err != nil {
			return server.Result{}, err
		}
		if ns == resource.Default {
			out = append([]any{meta}, out...)
			continue
		}
		out = append(out, meta)
	}
	return server.OK(out), nil
}

func (f *face) show(c *server.Call) (server.Result, error) {
	meta, err := f.existing(c)
	if err != nil {
		return server.Result{}, err
	}
	return server.OK(meta), nil
}

// create answers PUT /v3/namespaces/{ns}, with an optional body: 200 and
// CDAP's text whether it was made now or existed.
func (f *face) create(c *server.Call) (server.Result, error) {
	ns := c.Namespace
	if err := usable(ns); err != nil {
		return server.Result{}, err
	}
	if ns == resource.Default {
		return server.Result{}, apierr.BadRequest("Cannot create the namespace '%s'. '%s' is a reserved namespace.", ns, ns).WithField("namespace", -1)
	}
	body, err := readObject(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	props, err := namespaceProps(body)
	if err != nil {
		return server.Result{}, err
	}
	_, exists, err := f.meta(c.Context(), ns)
	if err != nil {
		return server.Result{}, err
	}
	if exists {
		return text("Namespace '" + ns + "' already exists."), nil
	}
	props["name"] = ns
	props["generation"] = float64(time.Now().UnixMilli())
	if _, err := f.store.Create(c.Context(), Namespaces, ns, map[string]any{"namespace": props}); err != nil {
		if resource.IsKind(err, resource.Exists) {
			return text("Namespace '" + ns + "' already exists."), nil // a create at the same time
		}
		return server.Result{}, err
	}
	return text("Namespace '" + ns + "' created successfully."), nil
}

// namespaceProps reads a NamespaceMeta body's description and config.
func namespaceProps(body map[string]any) (map[string]any, error) {
	props := map[string]any{}
	if d, ok := body["description"]; ok {
		s, ok := d.(string)
		if !ok {
			return nil, apierr.BadRequest("description must be a string.").WithField("description", -1)
		}
		props["description"] = s
	}
	if cfg, ok := body["config"]; ok {
		m, err := stringMap(cfg, "config")
		if err != nil {
			return nil, err
		}
		props["config"] = m
	}
	return props, nil
}

// properties answers PUT /v3/namespaces/{ns}/properties: the description
// and config given replace the namespace's.
func (f *face) properties(c *server.Call) (server.Result, error) {
	meta, err := f.existing(c)
	if err != nil {
		return server.Result{}, err
	}
	body, err := readObject(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	props, err := namespaceProps(body)
	if err != nil {
		return server.Result{}, err
	}
	if err := f.upsert(c, meta, props); err != nil {
		return server.Result{}, err
	}
	return text("Updated properties for namespace '" + c.Namespace + "'."), nil
}

// upsert writes properties of a namespace's record, making it for a
// namespace that exists without one (default, or one another face made).
func (f *face) upsert(c *server.Call, meta map[string]any, props map[string]any) error {
	ns := c.Namespace
	return f.store.Write(c.Context(), func(tx *resource.Tx) error {
		_, err := tx.Update(ref(Namespaces, ns, ns), map[string]any{"namespace": props}, 0)
		if !resource.IsKind(err, resource.NotFound) {
			return err
		}
		props["name"] = ns
		if _, ok := props["generation"]; !ok {
			props["generation"] = meta["generation"]
		}
		_, err = tx.Create(Namespaces, ns, map[string]any{"namespace": props})
		return err
	})
}

func (f *face) preferences(c *server.Call) (server.Result, error) {
	if _, err := f.existing(c); err != nil {
		return server.Result{}, err
	}
	r, err := f.store.Get(c.Context(), ref(Namespaces, c.Namespace, c.Namespace))
	if resource.IsKind(err, resource.NotFound) {
		return server.OK(map[string]any{}), nil
	} else if err != nil {
		return server.Result{}, err
	}
	prefs, _ := r.Value("namespace/preferences").(map[string]any)
	if prefs == nil {
		prefs = map[string]any{}
	}
	return server.OK(prefs), nil
}

// setPreferences answers PUT …/preferences: a flat map of strings that
// replaces the namespace's.
func (f *face) setPreferences(c *server.Call) (server.Result, error) {
	meta, err := f.existing(c)
	if err != nil {
		return server.Result{}, err
	}
	body, err := readObject(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	prefs, err := stringMap(anyOf(body), "preferences")
	if err != nil {
		return server.Result{}, err
	}
	return server.Status(http.StatusOK), f.upsert(c, meta, map[string]any{"preferences": prefs})
}

func anyOf(m map[string]any) any {
	if m == nil {
		return nil
	}
	return m
}

func (f *face) deletePreferences(c *server.Call) (server.Result, error) {
	meta, err := f.existing(c)
	if err != nil {
		return server.Result{}, err
	}
	return server.Status(http.StatusOK), f.upsert(c, meta, map[string]any{"preferences": map[string]any{}})
}

// destroy answers DELETE /v3/unrecoverable/namespaces/{ns}: everything in
// the namespace goes, whichever face made it; default is emptied and kept.
func (f *face) destroy(c *server.Call) (server.Result, error) {
	ns := c.Param("namespace")
	switch {
	case !f.unrecoverable:
		return server.Result{}, apierr.Forbidden("Unrecoverable deletes of namespaces are not enabled on this server.")
	case c.User.Role != server.Administrator || !c.User.Can(ns):
		return server.Result{}, apierr.Forbidden("The user %s may not delete the namespace '%s': it takes an administrator granted it.", c.User.Name, ns)
	}
	if err := usable(ns); err != nil {
		return server.Result{}, err
	}
	if _, ok, err := f.meta(c.Context(), ns); err != nil {
		return server.Result{}, err
	} else if !ok {
		return server.Result{}, apierr.NotFound("Namespace '%s' was not found.", ns)
	}
	if f.mgr != nil {
		if err := f.mgr.In(ns).AbortUnfinished(c.Context(), "", "The namespace was deleted."); err != nil {
			return server.Result{}, err
		}
	}
	return server.Status(http.StatusOK), f.store.Write(c.Context(), func(tx *resource.Tx) error {
		_, err := tx.DeleteNamespace(ns)
		return err
	})
}
