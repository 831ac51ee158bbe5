package server_test

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/google/go-cmp/cmp"
)

// probe is a face whose handlers count their calls, so that a test sees
// which answers were computed and which came from the read cache.
type probe struct{ calls atomic.Int64 }

func (p *probe) face() server.Face {
	return server.Face{
		Name: "probe", Prefix: "/probe/v1/:ns", Dialect: apierr.Sahara{}, Versions: []string{"1.0", "1.1"},
		Mount: func(m *server.Mount) {
			store := m.Store()
			count := func(c *server.Call) (map[string]any, error) {
				n := p.calls.Add(1)
				res, err := store.List(c.Context(), resource.Query{Type: "widgets", Namespace: c.Namespace})
				if err != nil {
					return nil, err
				}
				return map[string]any{"widgets": float64(len(res.Items)), "version": c.Version, "call": float64(n)}, nil
			}
			m.Handle("GET", "/count", func(c *server.Call) (server.Result, error) {
				body, err := count(c)
				return server.OK(body), err
			})
			m.Handle("GET", "/volatile", func(c *server.Call) (server.Result, error) {
				body, err := count(c)
				return server.Result{Status: http.StatusOK, Body: body, Header: http.Header{"Cache-Control": {"no-store"}}}, err
			})
			m.Handle("GET", "/touch", func(c *server.Call) (server.Result, error) {
				body, err := count(c)
				if err == nil { // a read that stores what it learnt, as Sahara's status does
					_, err = store.Create(c.Context(), "widgets", c.Namespace, map[string]any{"Widgets": map[string]any{"name": "t" + strconv.Itoa(int(p.calls.Load()))}})
				}
				return server.OK(body), err
			})
		},
	}
}

// TestReadCache reads through a server with a read cache: a read is
// answered again from the cache until the next write, and only when
// everything it depends on is the same.
func TestReadCache(t *testing.T) {
	p := &probe{}
	srv := core(t, server.WithReadCache(1<<20), server.WithFaces(p.face()))
	type step struct {
		name, user, method, path string
		header                   []string
		computed                 bool // the handler ran
		want                     map[string]any
	}
	steps := []step{
		{name: "a first read is computed", user: "carol", method: "GET", path: "/probe/v1/a/count", computed: true,
			want: map[string]any{"widgets": 0.0, "version": "1.1", "call": 1.0}},
		{name: "the same read again is the kept answer", user: "carol", method: "GET", path: "/probe/v1/a/count",
			want: map[string]any{"widgets": 0.0, "version": "1.1", "call": 1.0}},
		{name: "HEAD is answered from it too", user: "carol", method: "HEAD", path: "/probe/v1/a/count"},
		{name: "another principal's read is its own", user: "alice", method: "GET", path: "/probe/v1/a/count", computed: true,
			want: map[string]any{"widgets": 0.0, "version": "1.1", "call": 2.0}},
		{name: "another negotiated version is another answer", user: "carol", method: "GET", path: "/probe/v1/a/count",
			header: []string{"Accept", "application/json; version=1.0"}, computed: true,
			want: map[string]any{"widgets": 0.0, "version": "1.0", "call": 3.0}},
		{name: "another query is another answer", user: "carol", method: "GET", path: "/probe/v1/a/count?x=1", computed: true,
			want: map[string]any{"widgets": 0.0, "version": "1.1", "call": 4.0}},
		{name: "a write", user: "carol", method: "POST", path: "/test/v1/a/widgets/w1"},
		{name: "empties the cache", user: "carol", method: "GET", path: "/probe/v1/a/count", computed: true,
			want: map[string]any{"widgets": 1.0, "version": "1.1", "call": 5.0}},
		{name: "a write in another namespace", user: "carol", method: "POST", path: "/test/v1/b/widgets/w2"},
		{name: "empties it too", user: "carol", method: "GET", path: "/probe/v1/a/count", computed: true,
			want: map[string]any{"widgets": 1.0, "version": "1.1", "call": 6.0}},
		{name: "a conditional read is computed", user: "carol", method: "GET", path: "/probe/v1/a/count",
			header: []string{"If-None-Match", `"1"`}, computed: true,
			want: map[string]any{"widgets": 1.0, "version": "1.1", "call": 7.0}},
		{name: "a long-poll is computed", user: "carol", method: "GET", path: "/probe/v1/a/count",
			header: []string{"X-Ambit-Wait", "1ms"}, computed: true,
			want: map[string]any{"widgets": 1.0, "version": "1.1", "call": 8.0}},
		{name: "a no-store answer is computed", user: "carol", method: "GET", path: "/probe/v1/a/volatile", computed: true,
			want: map[string]any{"widgets": 1.0, "version": "1.1", "call": 9.0}},
		{name: "every time", user: "carol", method: "GET", path: "/probe/v1/a/volatile", computed: true,
			want: map[string]any{"widgets": 1.0, "version": "1.1", "call": 10.0}},
		{name: "a read that writes is computed", user: "carol", method: "GET", path: "/probe/v1/a/touch", computed: true,
			want: map[string]any{"widgets": 1.0, "version": "1.1", "call": 11.0}},
		{name: "and not kept", user: "carol", method: "GET", path: "/probe/v1/a/touch", computed: true,
			want: map[string]any{"widgets": 2.0, "version": "1.1", "call": 12.0}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := p.calls.Load()
			a := send(t, srv, st.method, st.path, "", append([]string{"user", st.user}, st.header...)...)
			if a.status >= 300 {
				t.Fatalf("%s %s = %d %s", st.method, st.path, a.status, a.body)
			}
			if computed := p.calls.Load() > before; computed != st.computed {
				t.Errorf("computed = %v, want %v", computed, st.computed)
			}
			if st.method == "HEAD" && (a.body != "" || a.header.Get("Content-Length") == "") {
				t.Errorf("HEAD = %q with Content-Length %q", a.body, a.header.Get("Content-Length"))
			}
			if st.want == nil {
				return
			}
			if diff := cmp.Diff(st.want, a.json(t)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestReadCacheAccounts checks that a change of the users is a change of
// what reads answer: a user created is listed at once.
func TestReadCacheAccounts(t *testing.T) {
	srv := core(t, server.WithReadCache(1<<20), server.WithMaxBody(1<<10))
	names := func() []any {
		var out []any
		for _, it := range send(t, srv, "GET", "/api/v1/users", "", "user", "admin").json(t)["items"].([]any) {
			out = append(out, it.(map[string]any)["Users"].(map[string]any)["user_name"])
		}
		return out
	}
	before := names()
	if a := send(t, srv, "POST", "/api/v1/users/dave", `{"Users": {"password": "secret"}}`, "user", "admin"); a.status != 201 {
		t.Fatalf("POST /users/dave = %d %s", a.status, a.body)
	}
	if diff := cmp.Diff(append(before, "dave"), names()); diff != "" {
		t.Errorf("users after a create (-want +got)\n%s", diff)
	}
}

// TestWithoutReadCache checks that reads are computed every time by
// default.
func TestWithoutReadCache(t *testing.T) {
	p := &probe{}
	srv := core(t, server.WithFaces(ambari.Face(), p.face()))
	for range 2 {
		send(t, srv, "GET", "/probe/v1/a/count", "", "user", "carol")
	}
	if n := p.calls.Load(); n != 2 {
		t.Errorf("%d calls for two reads, want 2", n)
	}
}
