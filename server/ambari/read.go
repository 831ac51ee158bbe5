package ambari

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/fields"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// parsed is a request's query string, parsed as Ambari's
// QueryParser and BaseService do.
type parsed struct {
	pred    query.Expr
	fields  fields.List
	page    paging.Request
	minimal bool
	explain bool // ambit's extension: answer the listing's plan too
	// blueprint asks for a cluster as a blueprint (format=blueprint).
	blueprint bool
}

// parseQuery reads the predicate, fields, paging, sorting and renderer,
// with Ambari's messages: the predicate's error wins over the others.
func (f *face) parseQuery(r *http.Request) (parsed, error) {
	var p parsed
	pred, params, err := query.Split(r.URL.RawQuery, "page_token", "limit", "marker", "sort_by", "explain", "nolinks")
	if err != nil {
		return p, apierr.BadRequest("Unable to compile query predicate: %v", err).WithCause(err)
	}
	if !utf8.ValidString(pred) {
		return p, apierr.BadRequest("Unable to compile query predicate: it is not valid UTF-8.").WithField("predicate", -1)
	}
	for name, vs := range params {
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return p, apierr.BadRequest("Invalid Request: the parameter %s is not valid UTF-8.", name).WithField(name, -1)
			}
		}
	}
	if format := params.Get("format"); format != "" && format != "default" && format != "minimal" && format != "blueprint" {
		return p, apierr.BadRequest("Invalid Request: Invalid renderer name %s", format).WithField("format", -1)
	}
	p.blueprint = params.Get("format") == "blueprint"
	for _, name := range []string{"minimal_response", "explain"} {
		if m, ok := params[name]; ok && !strings.EqualFold(m[0], "true") && !strings.EqualFold(m[0], "false") {
			return p, apierr.BadRequest("Invalid Request: %s %q is neither true nor false.", name, m[0]).WithField(name, -1)
		}
	}
	p.explain = strings.EqualFold(params.Get("explain"), "true")
	p.minimal = strings.EqualFold(params.Get("minimal_response"), "true") || params.Get("format") == "minimal"
	if pred != "" {
		e, err := f.preds.Parse(pred)
		var se *query.SyntaxError
		if errors.As(err, &se) {
			return p, apierr.BadRequest("Unable to compile query predicate: %v", se).WithField("predicate", se.Offset).WithCause(err)
		} else if err != nil {
			return p, err
		}
		p.pred = e
	}
	if p.page, err = paging.Parse(params, paging.Options{MaxSize: f.limits.MaxPage}); err != nil {
		e := apierr.BadRequest("Invalid Request: %v", err).WithCause(err)
		if pe, ok := errors.AsType[*paging.ParamError](err); ok {
			e = e.WithField(pe.Param, -1)
		}
		return p, e
	}
	if p.fields, err = fields.Parse(params.Get("fields")); err != nil {
		offset := -1
		if se, ok := errors.AsType[*fields.SyntaxError](err); ok {
			offset = se.Offset // kept all the way out, as a predicate's is
		}
		return p, apierr.BadRequest("%v", err).WithField("fields", offset).WithCause(err)
	}
	return p, nil
}

// list answers GET on a collection or an instance.
func (f *face) list(c *server.Call, a at) (server.Result, error) {
	r := c.Request
	p, err := f.parseQuery(r)
	if err != nil {
		return server.Result{}, err
	}
	scope, err := f.scope(r.Context(), a)
	if err != nil {
		return server.Result{}, err
	}
	single := a.instance && p.pred == nil
	if p.blueprint {
		if f.cluster == nil || a.rt.typ.Collection != cluster.Clusters || !single {
			return server.Result{}, apierr.BadRequest("Invalid Request: format=blueprint exports one cluster: /clusters/{cluster}?format=blueprint").WithField("format", -1)
		}
		bp, err := f.mgr(c).Blueprint(c.Context(), a.params[0])
		return server.OK(bp), err
	}
	if a.rt.typ.Collection == cluster.Configurations && p.fields == nil && !single {
		p.fields = configFields(p.pred)
	}
	if single {
		if err := f.wait(c, a, scope); err != nil {
			return server.Result{}, err
		}
	}
	q := resource.Query{
		Type: a.rt.typ.Collection, Namespace: a.ns, Scope: scope, Predicate: p.pred, Page: p.page,
		Fields: p.fields, Instance: a.instance, Base: c.Base(), Minimal: p.minimal,
	}
	if p.page.Style == paging.Tokens {
		q.Cursors = f.cursors // page tokens: every page from the first page's snapshot
	}
	var release func()
	if !single {
		bp := c.Buffer()
		release = func() { c.Release(bp) }
		q.JSON = &resource.Encoding{Indent: "  ", Depth: 2, Buffer: bp} // {"items": [here]}
		if f.compact(c) {
			q.JSON.Indent = ""
		}
	}
	res, err := f.store.List(r.Context(), q)
	if err != nil {
		if release != nil {
			release()
		}
		return server.Result{}, err
	}
	if single {
		if len(res.Items) == 0 {
			return server.Result{}, notFound(a.rt.typ, scope, "requested")
		}
		item := res.Items[0]
		item["href"] = c.Self()
		return server.Result{Status: http.StatusOK, Body: item, Header: http.Header{"Etag": {server.ETag(res.Versions[0])}}}, nil
	}
	out := map[string]any{"items": res.JSON}
	if !p.minimal { // a minimal response has no hrefs at all, its own included
		out["href"] = c.Self()
	}
	if p.page.Paged() && res.Total >= 0 { // markers and tokens do not count
		out["itemTotal"] = strconv.Itoa(res.Total) // a string, as Ambari writes it
	}
	switch {
	case res.NextToken != "":
		out["next_page_token"] = res.NextToken
		out["next"] = withParam(c.Self(), "page_token", res.NextToken)
	case res.Next != "":
		out["next"] = withParam(c.Self(), "marker", res.Next)
	}
	if p.explain {
		out["plan"] = map[string]any{"access": res.Plan.Access, "index": res.Plan.Index,
			"examined": res.Plan.Examined, "sorted": res.Plan.Sorted}
	}
	return server.Result{Status: http.StatusOK, Body: out, Release: release}, nil
}

// configFields are the fields of a configuration listing, as Ambari writes
// them: type, tag and version, and the properties when the predicate names
// a type and a tag (configurations?type=core-site&tag=version1, the href
// of each configuration).
func configFields(pred query.Expr) fields.List {
	named := map[string]bool{}
	if pred != nil {
		for _, p := range query.Paths(pred) {
			named[strings.Join(p, "/")] = true
		}
	}
	list := "type,tag,version"
	if named["type"] && named["tag"] {
		list += ",properties,properties_attributes"
	}
	l, _ := fields.Parse(list) // a constant: it parses
	return l
}

// withParam is a URL with one query parameter set to v: the others stay as
// the client wrote them (a predicate's text is not re-encoded).
func withParam(u, name, v string) string {
	base, raw, _ := strings.Cut(u, "?")
	var kept []string
	for _, part := range strings.Split(raw, "&") {
		if part != "" && part != name && !strings.HasPrefix(part, name+"=") {
			kept = append(kept, part)
		}
	}
	return base + "?" + strings.Join(append(kept, name+"="+url.QueryEscape(v)), "&")
}

// compact reports a server that writes JSON without indentation, so that
// items encoded ahead match the rest of the answer.
func (f *face) compact(c *server.Call) bool { return c.Indent() == "" }

// wait is ambit's long-poll extension. A GET of an instance with the header
// X-Ambit-Wait (a duration such as 30s) and If-None-Match holding the ETag
// the client has blocks until the resource changes, or the duration ends
// (at most the server's maximum wait), and then answers as usual: a client
// follows a request's progress without polling every few seconds.
func (f *face) wait(c *server.Call, a at, scope map[string]string) error {
	d, ok := c.Request.Header["X-Ambit-Wait"]
	if !ok {
		return nil
	}
	wait, err := time.ParseDuration(d[0])
	if err != nil || wait <= 0 {
		return apierr.BadRequest("X-Ambit-Wait %q is not a positive duration such as 30s.", d[0]).WithField("X-Ambit-Wait", -1)
	}
	etag := c.Request.Header.Get("If-None-Match")
	after, err := strconv.ParseUint(strings.Trim(etag, `"`), 10, 64)
	if etag == "" || err != nil {
		return nil // no ETag of ours to wait beyond: answer at once
	}
	ctx, done, err := c.Wait(wait)
	if err != nil {
		return err
	}
	defer done()
	_, err = f.store.Watch(ctx, a.rt.typ.Collection, a.ns, scope, after)
	if errors.Is(err, context.DeadlineExceeded) || (err != nil && c.Ending()) {
		return nil // nothing changed in time, or the server stops: the current state is the answer
	}
	return err
}

// notFound is Ambari's 404 for an instance URL that names nothing: the
// "requested" resource of a GET, the "specified" one of a write.
func notFound(t resource.Type, scope map[string]string, which string) error {
	var parts []string
	for _, k := range t.Keys {
		if v, ok := scope[k]; ok {
			parts = append(parts, resource.KeyName(k)+"="+v)
		}
	}
	return apierr.NotFound("The %s resource doesn't exist: %s not found, %s", which, t.Name, strings.Join(parts, ", "))
}

// serverInfo is the root service component clients read the version from.
func serverInfo(c *server.Call) (server.Result, error) {
	return server.OK(map[string]any{
		"href": c.Self(),
		"RootServiceComponents": map[string]any{
			"component_name": "AMBARI_SERVER", "service_name": "AMBARI", "component_version": Version,
			"properties": map[string]any{"server.version": Version},
		},
	}), nil
}
