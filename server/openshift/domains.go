package openshift

import (
	"context"
	"net/http"
	"regexp"
	"time"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// domainNames are the broker's: letters and digits, up to 16.
var domainNames = regexp.MustCompile(`^[A-Za-z0-9]{1,16}$`)

func (f *face) api(c *server.Call) (server.Result, error) {
	var data any // null without links, as the broker answers nolinks
	if links := f.links(c, "api", nil); links != nil {
		data = links
	}
	return reply(c, http.StatusOK, "links", data), nil
}

// user answers GET /user.
func (f *face) user(c *server.Call) (server.Result, error) {
	domains, err := f.domains(c.Context(), c.User)
	if err != nil {
		return server.Result{}, err
	}
	gears := 0
	for _, d := range domains {
		apps, err := f.apps(c.Context(), d)
		if err != nil {
			return server.Result{}, err
		}
		for _, a := range apps {
			gears += len(a.gears)
		}
	}
	view := map[string]any{"id": c.User.Name, "login": c.User.Name, "email": nil, "consumed_gears": gears, "max_gears": 100,
		"max_domains": 10, "capabilities": map[string]any{"gear_sizes": strs(gearSizes)}, "created_at": nil}
	return reply(c, http.StatusOK, "user", withLinks(view, f.links(c, "user", nil))), nil
}

// domains are the namespaces a principal is granted that exist: made
// through this face, or holding resources another face made.
func (f *face) domains(ctx context.Context, p server.Principal) ([]string, error) {
	nss, err := f.store.Namespaces("")
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, ns := range nss {
		if p.Can(ns) {
			out = append(out, ns)
		}
	}
	return out, ctx.Err()
}

// domain is the namespace a domain route names, when it exists and the
// caller may see it (404 with exit code 127 otherwise: its name does not
// leak); write asks that the caller may change it too.
func (f *face) domain(c *server.Call, write bool) (string, error) {
	ns := c.Param("domain")
	if !c.User.Can(ns) {
		return "", domainNotFound(ns)
	}
	if write && c.User.Role == server.ReadOnly {
		return "", apierr.Forbidden("The user %s may not change domains.", c.User.Name)
	}
	if !f.store.Holds(ns) {
		return "", domainNotFound(ns)
	}
	return ns, nil
}

func domainNotFound(ns string) error {
	return apierr.NotFound("Domain '%s' not found", ns).WithName("DOMAIN_NOT_FOUND")
}

// domainView is a domain as the broker shows it.
func (f *face) domainView(c *server.Call, ns string) map[string]any {
	created := any(nil)
	if r, err := f.store.Get(c.Context(), resource.Ref{Type: Domains, Namespace: ns, Keys: []string{ns}}); err == nil {
		created = r.Value("domain/creation_time")
	}
	view := map[string]any{"id": ns, "name": ns, "suffix": "ambit.local", "creation_time": created,
		"allowed_gear_sizes": strs(gearSizes), "members": []any{map[string]any{"id": c.User.Name, "login": c.User.Name, "role": "admin", "owner": true}}}
	return withLinks(view, f.links(c, "domain", map[string]string{"domain": ns}))
}

func (f *face) listDomains(c *server.Call) (server.Result, error) {
	domains, err := f.domains(c.Context(), c.User)
	if err != nil {
		return server.Result{}, err
	}
	out := []any{}
	for _, ns := range domains {
		out = append(out, f.domainView(c, ns))
	}
	return reply(c, http.StatusOK, "domains", out), nil
}

func (f *face) showDomain(c *server.Call) (server.Result, error) {
	ns, err := f.domain(c, false)
	if err != nil {
		return server.Result{}, err
	}
	return reply(c, http.StatusOK, "domain", f.domainView(c, ns)), nil
}

// addDomain answers POST /domains with the name as id (rhc sends it so at
// every version) or name.
func (f *face) addDomain(c *server.Call) (server.Result, error) {
	body, err := readBody(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	field := "name"
	name, _ := body["name"].(string)
	if name == "" {
		field = "id"
		name, _ = body["id"].(string)
	}
	if !domainNames.MatchString(name) {
		return server.Result{}, apierr.New(http.StatusUnprocessableEntity, "Invalid namespace. Namespace must only contain alphanumeric characters and be at most 16 characters long.").WithField(field, -1)
	}
	if c.User.Role == server.ReadOnly || !c.User.Can(name) {
		return server.Result{}, apierr.Forbidden("The user %s may not create the domain %s.", c.User.Name, name)
	}
	exists := apierr.New(http.StatusUnprocessableEntity, "Namespace '%s' is already in use. Please choose another.", name).WithField(field, -1).WithName("DOMAIN_EXISTS")
	if f.store.Holds(name) {
		return server.Result{}, exists
	}
	_, err = f.store.Create(c.Context(), Domains, name, map[string]any{"domain": map[string]any{"name": name,
		"creation_time": time.Now().UTC().Format(time.RFC3339), "owner": c.User.Name}})
	if resource.IsKind(err, resource.Exists) {
		return server.Result{}, exists
	} else if err != nil {
		return server.Result{}, err
	}
	return reply(c, http.StatusCreated, "domain", f.domainView(c, name), "Created domain "+name), nil
}

// updateDomain answers PUT /domain/{name}: a domain is a namespace, whose
// name cannot change; giving the same name is no change.
func (f *face) updateDomain(c *server.Call) (server.Result, error) {
	ns, err := f.domain(c, true)
	if err != nil {
		return server.Result{}, err
	}
	body, err := readBody(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	if name, _ := body["name"].(string); name != ns {
		return server.Result{}, apierr.New(http.StatusUnprocessableEntity, "A domain cannot be renamed here: its name is the namespace of everything in it.").WithField("name", -1)
	}
	return reply(c, http.StatusOK, "domain", f.domainView(c, ns)), nil
}

// deleteDomain answers DELETE /domain/{name} with {"force": bool}: a domain
// with applications is deleted only by force, which aborts their requests
// and deletes everything in the namespace, whichever face made it.
func (f *face) deleteDomain(c *server.Call) (server.Result, error) {
	ns, err := f.domain(c, true)
	if err != nil {
		return server.Result{}, err
	}
	body, err := readBody(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	force := body["force"] == true || body["force"] == "true"
	apps, err := f.apps(c.Context(), ns)
	if err != nil {
		return server.Result{}, err
	}
	if len(apps) > 0 && !force {
		return server.Result{}, apierr.New(http.StatusUnprocessableEntity, "Domain contains applications. Delete applications first or set force to true.").WithField("force", -1)
	}
	if f.mgr != nil {
		if err := f.mgr.In(ns).AbortUnfinished(c.Context(), "", "The domain was deleted."); err != nil {
			return server.Result{}, err
		}
	}
	if err := f.store.Write(c.Context(), func(tx *resource.Tx) error {
		_, err := tx.DeleteNamespace(ns)
		return err
	}); err != nil {
		return server.Result{}, err
	}
	return reply(c, http.StatusOK, "", nil, "Domain "+ns+" deleted."), nil
}

// listAll is every resource of a type in a namespace.
func (f *face) listAll(ctx context.Context, typ, ns string, scope map[string]string) ([]map[string]any, error) {
	res, err := f.store.List(ctx, resource.Query{Type: typ, Namespace: ns, Instance: true, Scope: scope, Page: paging.Request{Size: paging.All}})
	if err != nil {
		return nil, err
	}
	return res.Items, nil
}
