package sahara

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// kind is one of Sahara's kinds of stored objects.
type kind struct {
	path     string // in URLs: node-group-templates
	plural   string // the list's key: node_group_templates
	singular string // the object's key, and its category in the store
	required []string
	fields   []field
	always   []string // keys every answer has, null when unset (the CLI deletes them)
	hidden   []string // fields kept but never answered (a binary's data)
	mutable  []string // the fields an update may change; nil for all but hidden ones
	taken    string   // the error name of a duplicate name; "" for NAME_ALREADY_EXISTS
	live     bool     // statuses follow the domain: a list stores them first (refresh)
}

// coll is the kind's collection in the store.
func (k kind) coll() string { return "sahara_" + k.singular }

// field is a field of a kind, with its kind of value and its default.
type field struct {
	name string
	kind resource.Kind
	def  any
}

var (
	str  = func(name string) field { return field{name, resource.String, nil} }
	list = func(name string) field { return field{name, resource.List, nil} }
	flag = func(name string, def bool) field { return field{name, resource.Bool, def} }
	num  = func(name string, def float64) field { return field{name, resource.Number, def} }
	obj  = func(name string) field { return field{name, resource.Object, nil} }
)

// common are the fields every object has, which the server sets.
var common = []field{str("id"), str("tenant_id"), str("created_at"), str("updated_at")}

// The kinds whose objects are created by POST.
var kinds = []kind{nodeGroupTemplates, clusterTemplates, jobBinaries}

var (
	nodeGroupTemplates = kind{path: "node-group-templates", plural: "node_group_templates", singular: "node_group_template",
		required: []string{"name", "plugin_name", "hadoop_version", "node_processes", "flavor_id"},
		fields: []field{str("name"), str("plugin_name"), str("hadoop_version"), list("node_processes"), str("description"),
			str("flavor_id"), str("floating_ip_pool"), str("availability_zone"), flag("auto_security_group", false), list("security_groups"),
			num("volumes_per_node", 0), flag("volume_local_to_instance", false), str("volume_mount_prefix"), str("volume_type"),
			str("volumes_availability_zone"), num("volumes_size", 0), flag("use_autoconfig", true), flag("is_proxy_gateway", false),
			flag("is_default", false), flag("is_protected", false), flag("is_public", false), obj("node_configs")},
		always: []string{"volume_local_to_instance", "volume_mount_prefix", "volume_type", "volumes_availability_zone", "volumes_size",
			"floating_ip_pool", "availability_zone", "security_groups", "description"}}
	clusterTemplates = kind{path: "cluster-templates", plural: "cluster_templates", singular: "cluster_template",
		required: []string{"name", "plugin_name", "hadoop_version"},
		fields: []field{str("name"), str("plugin_name"), str("hadoop_version"), str("description"), list("node_groups"),
			list("anti_affinity"), flag("use_autoconfig", true), flag("is_default", false), flag("is_protected", false),
			flag("is_public", false), str("domain_name"), str("neutron_management_network"), obj("cluster_configs")},
		always: []string{"description", "domain_name", "neutron_management_network", "anti_affinity"}}
	jobBinaries = kind{path: "job-binaries", plural: "binaries", singular: "job_binary",
		required: []string{"name", "url"},
		fields:   []field{str("name"), str("url"), str("description"), obj("extra"), flag("is_public", false), flag("is_protected", false)},
		always:   []string{"description"}}
)

// typ is the store type of a kind: a category named after it, keyed by
// id, its name and plugin indexed.
func (k kind) typ() resource.Type {
	t := resource.Type{Name: camel(k.singular), Collection: k.coll(), Category: k.singular, Keys: []string{k.singular + "/id"}}
	for _, f := range append(slices.Clone(common), k.fields...) {
		p := resource.Property{Path: k.singular + "/" + f.name, Kind: f.kind, Default: f.def,
			Indexed: f.name == "name" || f.name == "plugin_name"}
		t.Properties = append(t.Properties, p)
	}
	return t
}

func camel(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "_") {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// face serves Sahara's objects from the store.
type face struct {
	store  *resource.Store
	limits server.Limits
	stacks []*cluster.Stack
	mgr    *cluster.Manager // nil on a server without clusters
	exec   cluster.Execution
	quiet  quiet // the projects whose statuses are known to be stored
}

// objects mounts a kind's routes.
func (f *face) objects(m *server.Mount, k kind) {
	list := m.Handle(http.MethodGet, "/"+k.path, func(c *server.Call) (server.Result, error) { return f.list(c, k) })
	create := m.Handle(http.MethodPost, "/"+k.path, func(c *server.Call) (server.Result, error) { return f.create(c, k) })
	show := m.Handle(http.MethodGet, "/"+k.path+"/:id", func(c *server.Call) (server.Result, error) {
		r, err := f.store.Get(c.Context(), k.ref(c))
		if err != nil {
			return server.Result{}, err
		}
		return server.OK(map[string]any{k.singular: k.view(r)}), nil
	})
	update := func(c *server.Call) (server.Result, error) { return f.update(c, k) }
	put := m.Handle(http.MethodPut, "/"+k.path+"/:id", update)
	patch := m.Handle(http.MethodPatch, "/"+k.path+"/:id", update)
	remove := m.Handle(http.MethodDelete, "/"+k.path+"/:id", func(c *server.Call) (server.Result, error) {
		return server.Status(http.StatusNoContent), f.store.Delete(c.Context(), k.ref(c))
	})
	k.describe(m.Document(), list, create, show, put, patch, remove)
}

func (k kind) ref(c *server.Call) resource.Ref {
	return resource.Ref{Type: k.coll(), Namespace: c.Namespace, Keys: []string{c.Param("id")}}
}

// view is an object as Sahara answers it: its fields, with the keys it
// always has.
func (k kind) view(r resource.Resource) map[string]any { return k.viewTree(r.Tree()) }

// list answers a kind's list: exact-match filters, then limit, marker and
// sort_by, with markers as Sahara computes them.
func (f *face) list(c *server.Call, k kind) (server.Result, error) {
	params := c.Request.URL.Query()
	page, err := paging.Parse(params, paging.Options{MaxSize: f.limits.MaxPage})
	if err != nil {
		return server.Result{}, paramError(err)
	}
	for i, key := range page.Order {
		page.Order[i].Path = append(query.Path{k.singular}, key.Path...)
	}
	var terms []query.Expr
	for name, vs := range params {
		switch name {
		case "limit", "marker", "sort_by":
			continue
		}
		if !slices.ContainsFunc(append(slices.Clone(common), k.fields...), func(fl field) bool { return fl.name == name }) {
			return server.Result{}, apierr.BadRequest("Unknown filter %s: filter on fields of a %s.", name, k.singular).WithField(name, -1)
		}
		terms = append(terms, &query.Comparison{Path: query.Path{k.singular, name}, Op: query.Eq, Value: query.NewLiteral(vs[0])})
	}
	if k.live {
		if err := f.refresh(c); err != nil {
			return server.Result{}, err
		}
	}
	q := resource.Query{Type: k.coll(), Namespace: c.Namespace, Page: page, Instance: true}
	if len(terms) > 0 {
		q.Predicate = &query.And{Terms: terms}
	}
	res, err := f.store.List(c.Context(), q)
	var re *resource.Error
	if errors.As(err, &re) && re.Field == "marker" {
		return server.Result{}, apierr.BadRequest("Marker %s is not found among the %s.", params.Get("marker"), strings.ReplaceAll(k.plural, "_", " ")).
			WithName("INVALID_REFERENCE").WithField("marker", -1)
	} else if err != nil {
		return server.Result{}, err
	}
	items := make([]any, len(res.Items))
	for i, it := range res.Items {
		items[i] = k.viewTree(it)
	}
	out := map[string]any{k.plural: items}
	if res.Next != "" || res.Prev != "" || params.Has("marker") {
		out["markers"] = map[string]any{"next": orNull(res.Next), "prev": orNull(res.Prev)}
	}
	return server.OK(out), nil
}

func (k kind) viewTree(t map[string]any) map[string]any {
	out, _ := t[k.singular].(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	for _, key := range k.always {
		if _, ok := out[key]; !ok {
			out[key] = nil
		}
	}
	for _, key := range k.hidden {
		delete(out, key)
	}
	return out
}

func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// paramError words a paging parameter's error.
func paramError(err error) error {
	pe, ok := err.(*paging.ParamError)
	if !ok {
		return err
	}
	return apierr.BadRequest("%v", pe).WithField(pe.Param, -1)
}

// create answers POST: 202 with the object, its id a new UUID.
func (f *face) create(c *server.Call, k kind) (server.Result, error) {
	body, err := readObject(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	var missing []string
	for _, name := range k.required {
		if _, ok := body[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return server.Result{}, apierr.BadRequest("'%s' is a required property", strings.Join(missing, "', '")).WithField(missing[0], -1)
	}
	return f.insert(c, k, body)
}

// insert stores a new object of a kind in the call's project, its name
// unique there, its id a new UUID, and answers 202 with it.
func (f *face) insert(c *server.Call, k kind, body map[string]any) (server.Result, error) {
	now := stamp()
	body["id"], body["tenant_id"], body["created_at"], body["updated_at"] = uuid(), c.Namespace, now, now
	var out resource.Resource
	err := f.store.Write(c.Context(), func(tx *resource.Tx) error {
		if err := f.unique(tx, c, k, body["name"], ""); err != nil {
			return err
		}
		rs, err := tx.Create(k.coll(), c.Namespace, map[string]any{k.singular: body})
		if err == nil {
			out = rs[0]
		}
		return err
	})
	if err != nil {
		return server.Result{}, err
	}
	return server.Result{Status: http.StatusAccepted, Body: map[string]any{k.singular: k.view(out)}}, nil
}

// update answers PUT and PATCH: the fields given change, 202 with the
// object.
func (f *face) update(c *server.Call, k kind) (server.Result, error) {
	body, err := readObject(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	for _, fixed := range []string{"id", "tenant_id", "created_at", "updated_at"} {
		delete(body, fixed)
	}
	for _, name := range slices.Sorted(maps.Keys(body)) {
		if slices.Contains(k.hidden, name) || k.mutable != nil && !slices.Contains(k.mutable, name) {
			return server.Result{}, apierr.BadRequest("The %s of a %s cannot be updated.", name, strings.ReplaceAll(k.singular, "_", " ")).WithField(name, -1)
		}
	}
	body["updated_at"] = stamp()
	var out resource.Resource
	err = f.store.Write(c.Context(), func(tx *resource.Tx) error {
		if name, ok := body["name"]; ok {
			if err := f.unique(tx, c, k, name, c.Param("id")); err != nil {
				return err
			}
		}
		var err error
		out, err = tx.Update(k.ref(c), map[string]any{k.singular: body}, 0)
		return err
	})
	if err != nil {
		return server.Result{}, err
	}
	return server.Result{Status: http.StatusAccepted, Body: map[string]any{k.singular: k.view(out)}}, nil
}

// unique refuses a name another object of the kind has in the project.
func (f *face) unique(tx *resource.Tx, c *server.Call, k kind, name any, self string) error {
	n, _ := name.(string)
	same, err := tx.Find(k.coll(), c.Namespace, nil,
		&query.Comparison{Path: query.Path{k.singular, "name"}, Op: query.Eq, Value: query.NewLiteral(n)})
	if err != nil {
		return err
	}
	for _, r := range same {
		if r.Keys()[0] != self {
			code := k.taken
			if code == "" {
				code = "NAME_ALREADY_EXISTS"
			}
			return apierr.BadRequest("%s with name '%s' already exists", strings.ReplaceAll(camel(k.singular), "_", " "), n).
				WithName(code).WithField("name", -1)
		}
	}
	return nil
}

// readObject reads a request's JSON object.
func readObject(r *http.Request) (map[string]any, error) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil || body == nil {
		return nil, apierr.BadRequest("The request body must be a JSON object.").WithField("body", -1)
	}
	return body, nil
}

// uuid is a random (version 4) UUID.
func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// stamp is a time as Sahara writes them.
func stamp() string { return time.Now().UTC().Format("2006-01-02T15:04:05") }
