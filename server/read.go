package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/fields"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/julienschmidt/httprouter"
)

// parsed is a request's query string, parsed as Ambari does (spec §2).
type parsed struct {
	pred    query.Expr
	fields  fields.List
	page    paging.Request
	minimal bool
}

// parseQuery reads the predicate, fields, paging, sorting and renderer,
// with Ambari's messages: the predicate's error wins over the others.
func (s *Server) parseQuery(r *http.Request) (parsed, error) {
	var p parsed
	pred, params, err := query.Split(r.URL.RawQuery, "page_token", "limit", "marker", "sort_by")
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
	if format := params.Get("format"); format != "" && format != "default" && format != "minimal" {
		return p, apierr.BadRequest("Invalid Request: Invalid renderer name %s", format).WithField("format", -1)
	}
	if m, ok := params["minimal_response"]; ok && !strings.EqualFold(m[0], "true") && !strings.EqualFold(m[0], "false") {
		return p, apierr.BadRequest("Invalid Request: minimal_response %q is neither true nor false.", m[0]).WithField("minimal_response", -1)
	}
	p.minimal = strings.EqualFold(params.Get("minimal_response"), "true") || params.Get("format") == "minimal"
	if pred != "" {
		e, err := s.preds.Parse(pred)
		var se *query.SyntaxError
		if errors.As(err, &se) {
			return p, apierr.BadRequest("Unable to compile query predicate: %v", se).WithField("predicate", se.Offset).WithCause(err)
		} else if err != nil {
			return p, err
		}
		p.pred = e
	}
	if p.page, err = paging.Parse(params, paging.Options{MaxSize: s.maxPage}); err != nil {
		e := apierr.BadRequest("Invalid Request: %v", err).WithCause(err)
		if pe, ok := errors.AsType[*paging.ParamError](err); ok {
			e = e.WithField(pe.Param, -1)
		}
		return p, e
	}
	if p.fields, err = fields.Parse(params.Get("fields")); err != nil {
		return p, apierr.BadRequest("%v", err).WithField("fields", -1).WithCause(err)
	}
	return p, nil
}

// list answers GET on a collection or an instance.
func (s *Server) list(w http.ResponseWriter, r *http.Request, c call) error {
	p, err := s.parseQuery(r)
	if err != nil {
		return err
	}
	scope, err := s.scope(r, c)
	if err != nil {
		return err
	}
	if c.instance && p.pred == nil {
		if err := s.wait(r, c, scope); err != nil {
			return err
		}
	}
	q := resource.Query{
		Type: c.rt.typ.Collection, Scope: scope, Predicate: p.pred, Page: p.page,
		Fields: p.fields, Instance: c.instance, Base: s.base(r), Minimal: p.minimal,
	}
	single := c.instance && p.pred == nil
	if !single {
		bp := s.buffers.Get().(*[]byte)
		defer s.release(bp)
		q.JSON = &resource.Encoding{Indent: s.indent(), Depth: 2, Buffer: bp} // {"items": [here]}
	}
	res, err := s.store.List(r.Context(), q)
	if err != nil {
		return err
	}
	if single {
		if len(res.Items) == 0 {
			return apierr.NotFound("The requested resource doesn't exist: %s not found, %s", c.rt.typ.Name, describe(c.rt.typ, scope))
		}
		item := res.Items[0]
		item["href"] = s.self(r)
		w.Header().Set("ETag", `"`+strconv.FormatUint(res.Versions[0], 10)+`"`)
		return s.writeJSON(w, http.StatusOK, item)
	}
	out := map[string]any{"href": s.self(r), "items": res.JSON}
	if p.page.Paged() {
		out["itemTotal"] = strconv.Itoa(res.Total) // a string, as Ambari writes it
	}
	return s.writeJSON(w, http.StatusOK, out)
}

// wait is ambit's long-poll extension. A GET of an instance with the header
// X-Ambit-Wait (a duration such as 30s) and If-None-Match holding the ETag
// the client has blocks until the resource changes, or the duration ends
// (at most the server's maximum wait), and then answers as usual: a client
// follows a request's progress without polling every few seconds.
func (s *Server) wait(r *http.Request, c call, scope map[string]string) error {
	d, ok := r.Header["X-Ambit-Wait"]
	if !ok {
		return nil
	}
	wait, err := time.ParseDuration(d[0])
	if err != nil || wait <= 0 {
		return apierr.BadRequest("X-Ambit-Wait %q is not a positive duration such as 30s.", d[0]).WithField("X-Ambit-Wait", -1)
	}
	etag := r.Header.Get("If-None-Match")
	after, err := strconv.ParseUint(strings.Trim(etag, `"`), 10, 64)
	if etag == "" || err != nil {
		return nil // no ETag of ours to wait beyond: answer at once
	}
	if n := s.waiters.Add(1); n > s.maxWaiters {
		s.waiters.Add(-1)
		return retryLater{after: time.Second, error: apierr.Unavailable("Too many clients are waiting for changes (the limit is %d): try again shortly.", s.maxWaiters).
			WithName("TOO_MANY_WAITERS")}
	}
	defer s.waiters.Add(-1)
	ctx, cancel := context.WithTimeout(r.Context(), min(wait, s.maxWait))
	defer cancel()
	defer context.AfterFunc(s.waits, cancel)() // EndWaits ends the wait
	_, err = s.store.Watch(ctx, c.rt.typ.Collection, "", scope, after)
	if errors.Is(err, context.DeadlineExceeded) || (err != nil && s.waits.Err() != nil) {
		return nil // nothing changed in time, or the server stops: the current state is the answer
	}
	return err
}

// describe writes the keys of a scope as Ambari's messages do.
func describe(t resource.Type, scope map[string]string) string {
	var parts []string
	for _, k := range t.Keys {
		if v, ok := scope[k]; ok {
			parts = append(parts, resource.KeyName(k)+"="+v)
		}
	}
	return strings.Join(parts, ", ")
}

// serverInfo is the root service component clients read the version from.
func (s *Server) serverInfo(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	_ = s.writeJSON(w, http.StatusOK, map[string]any{
		"href": s.self(r),
		"RootServiceComponents": map[string]any{
			"component_name": "AMBARI_SERVER", "service_name": "AMBARI", "component_version": Version,
			"properties": map[string]any{"server.version": Version},
		},
	})
}

// writeJSON writes v, pretty-printed with two spaces as Ambari does unless
// the server is compact.
func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) error {
	bp := s.buffers.Get().(*[]byte)
	defer s.release(bp)
	buf, err := fields.AppendTree((*bp)[:0], v, s.indent())
	if err != nil {
		return err
	}
	buf = append(buf, '\n')
	*bp = buf
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(buf)))
	w.WriteHeader(status)
	_, err = w.Write(buf)
	return err
}

// indent is one level's indent in responses: two spaces as in Ambari, or
// none when compact.
func (s *Server) indent() string {
	if s.compact {
		return ""
	}
	return "  "
}

// release returns a response buffer to the pool, unless it grew too big to
// keep.
func (s *Server) release(bp *[]byte) {
	if cap(*bp) <= maxPooled {
		s.buffers.Put(bp)
	}
}

// maxPooled is the largest response buffer kept for reuse, so that one huge
// listing does not pin its memory.
const maxPooled = 1 << 20
