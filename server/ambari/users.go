package ambari

import (
	"net/http"
	"slices"
	"strconv"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// Ambari's users and cluster privileges, served over the server's accounts:
// /users/{name} (Users/user_name, Users/password written only, Users/admin,
// Users/active) and /clusters/{c}/privileges (PrivilegeInfo/permission_name
// CLUSTER.ADMINISTRATOR, CLUSTER.OPERATOR or CLUSTER.USER for a
// principal_name of principal_type USER). A privilege on a cluster is a
// grant of the namespace the cluster lives in, with the role its
// permission names: a user created here logs in at once.

// users mounts the users and privileges routes.
func (f *face) users(m *server.Mount) {
	acc := m.Accounts()
	m.HandleGlobal(http.MethodGet, "/users", func(c *server.Call) (server.Result, error) {
		var items []any
		for _, name := range acc.Names() {
			if !self(c, name) {
				continue // a user sees itself; an administrator, everyone
			}
			items = append(items, map[string]any{"href": c.Base() + "/users/" + name, "Users": map[string]any{"user_name": name}})
		}
		return server.OK(map[string]any{"href": c.Self(), "items": orEmpty(items)}), nil
	})
	m.HandleGlobal(http.MethodGet, "/users/:name", func(c *server.Call) (server.Result, error) {
		name := c.Param("name")
		if !self(c, name) {
			return server.Result{}, apierr.NotFound("The requested resource doesn't exist: User not found, userName=%s", name)
		}
		u, ok := acc.Get(name)
		if !ok {
			return server.Result{}, apierr.NotFound("The requested resource doesn't exist: User not found, userName=%s", name)
		}
		return server.OK(map[string]any{"href": c.Self(), "Users": map[string]any{"user_name": name,
			"admin": u.Role == server.Administrator, "active": !u.Disabled, "ldap_user": false}}), nil
	})
	m.HandleGlobal(http.MethodPost, "/users/:name", func(c *server.Call) (server.Result, error) { return f.putUser(c, acc, true) })
	m.HandleGlobal(http.MethodPost, "/users", func(c *server.Call) (server.Result, error) { return f.putUser(c, acc, true) })
	m.HandleGlobal(http.MethodPut, "/users/:name", func(c *server.Call) (server.Result, error) { return f.putUser(c, acc, false) })
	m.HandleGlobal(http.MethodDelete, "/users/:name", func(c *server.Call) (server.Result, error) {
		if err := admin(c); err != nil {
			return server.Result{}, err
		}
		if found, err := acc.Delete(c.Param("name")); err != nil {
			return server.Result{}, err
		} else if !found {
			return server.Result{}, apierr.NotFound("The specified resource doesn't exist: User not found, userName=%s", c.Param("name"))
		}
		return server.Status(http.StatusOK), nil
	})
	m.Handle(http.MethodGet, "/clusters/:k0/privileges", func(c *server.Call) (server.Result, error) {
		if err := f.clusterExists(c); err != nil {
			return server.Result{}, err
		}
		var items []any
		for i, p := range privileges(acc, c.Namespace) {
			p["cluster_name"] = c.Param("k0")
			items = append(items, map[string]any{"href": c.Base() + "/clusters/" + c.Param("k0") + "/privileges/" + strconv.Itoa(i+1), "PrivilegeInfo": p})
		}
		return server.OK(map[string]any{"href": c.Self(), "items": orEmpty(items)}), nil
	})
	m.Handle(http.MethodPost, "/clusters/:k0/privileges", func(c *server.Call) (server.Result, error) {
		if err := admin(c); err != nil {
			return server.Result{}, err
		}
		if err := f.clusterExists(c); err != nil {
			return server.Result{}, err
		}
		bodies, err := readBodies(c.Request, f.limits.MaxBatch)
		if err != nil {
			return server.Result{}, err
		}
		for _, b := range bodies {
			if err := grant(acc, c.Namespace, b.props); err != nil {
				return server.Result{}, err
			}
		}
		return server.Status(http.StatusCreated), nil
	})
}

// putUser creates (POST) or changes (PUT) a user from Users/* properties,
// flat or nested.
func (f *face) putUser(c *server.Call, acc *server.Accounts, create bool) (server.Result, error) {
	bodies, err := readBodies(c.Request, f.limits.MaxBatch)
	if err != nil {
		return server.Result{}, err
	}
	if len(bodies) == 0 {
		bodies = []requestBody{{props: map[string]any{}}}
	}
	for _, b := range bodies {
		get := func(k string) any {
			if v, ok := b.props["Users/"+k]; ok {
				return v
			}
			return resource.Get(b.props, "Users/"+k)
		}
		name := c.Param("name")
		if name == "" {
			name, _ = get("user_name").(string)
		}
		if name == "" {
			return server.Result{}, apierr.BadRequest("A user needs a Users/user_name.").WithField("Users/user_name", -1)
		}
		if !self(c, name) || (create || get("admin") != nil || get("active") != nil) && admin(c) != nil {
			return server.Result{}, apierr.Forbidden("The user %s may not manage users.", c.User.Name)
		}
		u, exists := acc.Get(name)
		switch {
		case create && exists:
			return server.Result{}, apierr.Conflict("User %s already exists.", name)
		case !create && !exists:
			return server.Result{}, apierr.NotFound("The specified resource doesn't exist: User not found, userName=%s", name)
		case create:
			u = server.User{Role: server.ReadOnly, Grants: []string{}} // no cluster until a privilege says so
		}
		if pw, ok := get("password").(string); ok {
			if old, _ := get("old_password").(string); !create && c.User.Role != server.Administrator && !u.Check(old) {
				return server.Result{}, apierr.Forbidden("Users/old_password is not the user's password.").WithField("Users/old_password", -1)
			}
			nu, err := server.NewUser(pw, u.Role)
			if err != nil {
				return server.Result{}, err
			}
			u.Hash = nu.Hash
		} else if create {
			return server.Result{}, apierr.BadRequest("A new user needs a Users/password.").WithField("Users/password", -1)
		}
		if a, ok := get("admin").(bool); ok {
			u.Role = server.ReadOnly
			if a {
				u.Role, u.Grants = server.Administrator, nil
			}
		}
		if a, ok := get("active").(bool); ok {
			u.Disabled = !a
		}
		if err := acc.Put(name, u); err != nil {
			return server.Result{}, err
		}
	}
	if create {
		return server.Status(http.StatusCreated), nil
	}
	return server.Status(http.StatusOK), nil
}

// permissions maps Ambari's cluster permissions onto roles.
var permissions = map[string]server.Role{
	"CLUSTER.ADMINISTRATOR": server.Operator, "CLUSTER.OPERATOR": server.Operator, "CLUSTER.USER": server.ReadOnly,
}

// grant applies a privilege: the principal gets the namespace and the role
// its permission names.
func grant(acc *server.Accounts, ns string, props map[string]any) error {
	info, _ := props["PrivilegeInfo"].(map[string]any)
	perm, _ := info["permission_name"].(string)
	name, _ := info["principal_name"].(string)
	if typ, _ := info["principal_type"].(string); typ != "USER" {
		return apierr.BadRequest("PrivilegeInfo/principal_type %q: only USER principals are supported.", typ).WithField("PrivilegeInfo/principal_type", -1)
	}
	role, ok := permissions[perm]
	if !ok {
		return apierr.BadRequest("PrivilegeInfo/permission_name %q: want CLUSTER.ADMINISTRATOR, CLUSTER.OPERATOR or CLUSTER.USER.", perm).WithField("PrivilegeInfo/permission_name", -1)
	}
	u, ok := acc.Get(name)
	if !ok {
		return apierr.BadRequest("The principal %s is not a user.", name).WithField("PrivilegeInfo/principal_name", -1)
	}
	if u.Role == server.Administrator {
		return nil // has every privilege already
	}
	u.Role = role
	if !slices.Contains(u.Grants, ns) {
		u.Grants = append(slices.Clone(u.Grants), ns)
	}
	return acc.Put(name, u)
}

// privileges lists the privileges the accounts give on a namespace's
// clusters.
func privileges(acc *server.Accounts, ns string) []map[string]any {
	var out []map[string]any
	for _, name := range acc.Names() {
		u, _ := acc.Get(name)
		perm := ""
		switch {
		case u.Role == server.Administrator && (len(u.Grants) == 0 || slices.Contains(u.Grants, ns) || slices.Contains(u.Grants, "*")):
			perm = "CLUSTER.ADMINISTRATOR"
		case slices.Contains(u.Grants, ns) && u.Role == server.Operator:
			perm = "CLUSTER.OPERATOR"
		case slices.Contains(u.Grants, ns):
			perm = "CLUSTER.USER"
		}
		if perm != "" {
			out = append(out, map[string]any{"permission_name": perm, "principal_name": name, "principal_type": "USER"})
		}
	}
	return out
}

// admin refuses a caller that is not an administrator.
func admin(c *server.Call) error {
	if c.User.Role != server.Administrator {
		return apierr.Forbidden("The user %s may not manage users and privileges.", c.User.Name)
	}
	return nil
}

// self reports whether the caller may see or change the user name: its
// own account, or any as an administrator.
func self(c *server.Call, name string) bool {
	return c.User.Role == server.Administrator || c.User.Name == name
}

// clusterExists answers 404 for a cluster that is not there.
func (f *face) clusterExists(c *server.Call) error {
	_, err := f.store.Get(c.Context(), resource.Ref{Type: "clusters", Namespace: c.Namespace, Keys: []string{c.Param("k0")}})
	return err
}

func orEmpty(items []any) []any {
	if items == nil {
		return []any{}
	}
	return items
}
