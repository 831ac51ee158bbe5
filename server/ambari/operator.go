package ambari

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// operator mounts what ambit adds for operators and for clients that
// follow changes: a copy of the data, and the changes since a version.
func (f *face) operator(m *server.Mount) {
	snap := m.Snapshot()
	m.HandleGlobal(http.MethodGet, "/operator/snapshot", func(c *server.Call) (server.Result, error) {
		if c.User.Role != server.Administrator {
			return server.Result{}, apierr.Forbidden("The user %s may not copy the server's data: it takes an administrator.", c.User.Name)
		}
		if snap == nil {
			return server.Result{}, apierr.NotFound("This server keeps no data to copy: it runs in memory.")
		}
		name := fmt.Sprintf("ambit-%s.db", time.Now().UTC().Format("20060102T150405Z"))
		return server.Result{ContentType: "application/octet-stream",
			Header: http.Header{"Content-Disposition": {`attachment; filename="` + name + `"`}},
			Stream: func(w io.Writer) error { _, err := snap.WriteTo(w); return err }}, nil
	})
	m.Handle(http.MethodGet, "/changes", f.changes)
}

// changes answers GET /changes?since=V: the resources of the caller's
// namespace that changed after version V (the ETag of a resource, or the
// version of an earlier answer), each once with its href, and the version
// to ask after next. With X-Ambit-Wait it waits for the first change. A V
// older than the changes the server keeps is a 410: list again. Without
// since, it answers the current version and no changes: where a client
// that has just listed starts from.
func (f *face) changes(c *server.Call) (server.Result, error) {
	q := c.Request.URL.Query()
	if !q.Has("since") {
		return server.OK(map[string]any{"href": c.Self(), "version": f.store.Version(), "items": []any{}}), nil
	}
	since, err := strconv.ParseUint(q.Get("since"), 10, 64)
	if err != nil {
		return server.Result{}, apierr.BadRequest("since %q is not a version: give the version of an earlier answer or an ETag.", q.Get("since")).WithField("since", -1)
	}
	ctx, done := c.Context(), func() {}
	if d, ok := c.Request.Header["X-Ambit-Wait"]; ok {
		wait, err := time.ParseDuration(d[0])
		if err != nil || wait <= 0 {
			return server.Result{}, apierr.BadRequest("X-Ambit-Wait %q is not a positive duration such as 30s.", d[0]).WithField("X-Ambit-Wait", -1)
		}
		if ctx, done, err = c.Wait(wait); err != nil {
			return server.Result{}, err
		}
	} else { // answer at once
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		cancel()
	}
	defer done()
	changed, version, err := f.store.Changes(ctx, since)
	if err != nil {
		return server.Result{}, err
	}
	items := []any{}
	for _, ch := range changed {
		if namespaceOf(ch.Ref) != c.Namespace {
			continue
		}
		href, ok := f.href(c, ch.Ref)
		if !ok {
			continue
		}
		items = append(items, map[string]any{"href": href, "type": ch.Ref.Type, "version": ch.Version, "deleted": ch.Deleted})
	}
	return server.OK(map[string]any{"href": c.Self(), "version": version, "items": items}), nil
}

func namespaceOf(r resource.Ref) string {
	if r.Namespace == "" {
		return resource.Default
	}
	return r.Namespace
}

// href is the URL of a resource on this face: its parents' instances, then
// its collection and its last key.
func (f *face) href(c *server.Call, r resource.Ref) (string, bool) {
	byName := map[string]resource.Type{}
	for _, t := range f.store.Types() {
		byName[t.Collection] = t
	}
	var parts []string
	for typ, keys := byName[r.Type], r.Keys; ; {
		if len(keys) != len(typ.Keys) || len(keys) == 0 {
			return "", false
		}
		parts = append([]string{typ.Segment(), keys[len(keys)-1]}, parts...)
		if typ.Parent == "" {
			break
		}
		typ, keys = byName[typ.Parent], keys[:len(keys)-1]
	}
	return c.Base() + "/" + strings.Join(parts, "/"), true
}

// idempotent makes a POST or PUT with an Idempotency-Key header safe to
// retry: the request its first call made is the answer of every later one
// in the same namespace, for as long as the retention keeps the request.
func (f *face) idempotent(h server.Handler) server.Handler {
	return func(c *server.Call) (server.Result, error) {
		key, err := server.IdempotencyKey(c.Request)
		if err != nil || key == "" || f.cluster == nil {
			if err != nil {
				return server.Result{}, err
			}
			return h(c)
		}
		c.Request = c.Request.WithContext(cluster.WithIdempotencyKey(c.Context(), key))
		replay, err := f.mgr(c).Replayed(c.Context())
		if err != nil {
			return server.Result{}, err
		}
		if replay == nil {
			res, err := h(c)
			if !errors.As(err, &replay) {
				return res, err
			}
		}
		return server.Result{Status: http.StatusAccepted, Body: acceptedBody(c, replay.Cluster, replay.ID)}, nil
	}
}
