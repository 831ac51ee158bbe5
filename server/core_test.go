package server_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/openapi"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"
)

// widgets is a face made for these tests: it declares routes and wording,
// and nothing else. Everything else it gets from the core.
func widgets() server.Face {
	return server.Face{
		Name: "widgets", Prefix: "/test/v1/:ns", Dialect: apierr.Sahara{}, Challenge: "Bearer",
		Versions: []string{"1.0", "1.1"}, JSONSuffix: true,
		Words: func(e *resource.Error) string { return "widgets say: " + e.Msg },
		XML: func(body any) ([]byte, error) {
			type kv struct {
				XMLName xml.Name
				Value   string `xml:",chardata"`
			}
			out := struct {
				XMLName xml.Name `xml:"widgets"`
				Items   []kv
			}{}
			m, _ := body.(map[string]any)
			for _, k := range []string{"name", "version"} {
				if v, ok := m[k]; ok {
					out.Items = append(out.Items, kv{XMLName: xml.Name{Local: k}, Value: v.(string)})
				}
			}
			return xml.Marshal(out)
		},
		Mount: func(m *server.Mount) {
			store := m.Store()
			m.Handle("GET", "/widgets", func(c *server.Call) (server.Result, error) {
				res, err := store.List(c.Context(), resource.Query{Type: "widgets", Namespace: c.Namespace, Instance: true})
				if err != nil {
					return server.Result{}, err
				}
				names := []any{}
				for _, it := range res.Items {
					names = append(names, it["Widgets"].(map[string]any)["name"])
				}
				return server.OK(map[string]any{"widgets": names, "version": c.Version, "nolinks": c.NoLinks}), nil
			}).Describe(&openapi.Operation{Summary: "The widgets", Responses: map[string]*openapi.Response{
				"200": {Description: "Their names.", Content: openapi.JSON(openapi.Object(map[string]*openapi.Schema{"widgets": openapi.Array(&openapi.Schema{Type: "string"})}))}}})
			m.Handle("GET", "/widgets/:name", func(c *server.Call) (server.Result, error) {
				r, err := store.Get(c.Context(), resource.Ref{Type: "widgets", Namespace: c.Namespace, Keys: []string{c.Param("name")}})
				if err != nil {
					return server.Result{}, err
				}
				return server.OK(map[string]any{"name": r.Value("Widgets/name"), "version": c.Version}), nil
			})
			m.Handle("POST", "/widgets/:name", func(c *server.Call) (server.Result, error) {
				if _, err := io.ReadAll(c.Request.Body); err != nil {
					return server.Result{}, err // beyond the server's limit
				}
				_, err := store.Create(c.Context(), "widgets", c.Namespace, map[string]any{"Widgets": map[string]any{"name": c.Param("name")}})
				return server.Status(http.StatusCreated), err
			})
			m.Handle("DELETE", "/widgets/:name", func(c *server.Call) (server.Result, error) {
				return server.Status(http.StatusNoContent), store.Delete(c.Context(), resource.Ref{Type: "widgets", Namespace: c.Namespace, Keys: []string{c.Param("name")}})
			})
			m.Handle("GET", "/boom", func(*server.Call) (server.Result, error) { panic("a bug in a handler") })
		},
	}
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// users of the tests: an administrator of everything, operators and a
// reader of some namespaces.
func users(t *testing.T) server.Users {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return server.Users{
		"admin": {Hash: h, Role: server.Administrator},
		"alice": {Hash: h, Role: server.Operator, Grants: []string{"a"}},
		"bob":   {Hash: h, Role: server.ReadOnly, Grants: []string{"b"}},
		"carol": {Hash: h, Role: server.Operator, Grants: []string{"a", "b"}},
	}
}

// core serves the test face beside the Ambari face, over one store with
// users.
func core(t *testing.T, opts ...server.Option) *httptest.Server {
	t.Helper()
	opts = append([]server.Option{server.WithLogger(quiet),
		server.WithUsers(users(t)), server.WithFaces(ambari.Face(), widgets()), server.WithoutCSRF(), server.WithMaxBody(64), server.WithMaxURL(200)}, opts...)
	srv := httptest.NewServer(server.New(widgetStore(t), opts...))
	t.Cleanup(srv.Close)
	return srv
}

// widgetStore holds the cluster domain's types, for the Ambari face, and
// the widgets of the test face, with a cluster c1.
func widgetStore(t *testing.T) *resource.Store {
	t.Helper()
	types := append(cluster.Types(), resource.Type{Name: "Widget", Collection: "widgets", Category: "Widgets", Keys: []string{"Widgets/name"}})
	s, err := resource.New(types...)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = s.Create(context.Background(), cluster.Clusters, "", map[string]any{"Clusters": map[string]any{"cluster_name": "c1"}})
	return s
}

// answer is what a client gets.
type answer struct {
	status int
	header http.Header
	body   string
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(a.body), &m); err != nil {
		t.Fatalf("not JSON: %q", a.body)
	}
	return m
}

func send(t *testing.T, srv *httptest.Server, method, path, body string, header ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "user" {
			req.SetBasicAuth(header[i+1], "pw")
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(raw)}
}

// TestTheCoreServesEveryFace checks that a face that declares only routes
// and wording gets the rest from the core, errors in its own envelope:
// the challenge, the router's 404 and 405, a panic, the limits.
func TestTheCoreServesEveryFace(t *testing.T) {
	srv := core(t)
	sahara := func(code int) func(t *testing.T, a answer) {
		return func(t *testing.T, a answer) {
			m := a.json(t)
			if m["error_code"] != float64(code) || m["error_name"] == "" || m["error_message"] == "" {
				t.Errorf("not Sahara's envelope of %d: %s", code, a.body)
			}
		}
	}
	for _, tt := range []struct {
		name         string
		method, path string
		body         string
		header       []string
		status       int
		check        func(t *testing.T, a answer)
	}{
		{"a challenge for no credentials", "GET", "/test/v1/a/widgets", "", nil, 401, func(t *testing.T, a answer) {
			if got := a.header.Get("WWW-Authenticate"); got != `Bearer realm="ambit"` {
				t.Errorf("WWW-Authenticate %q", got)
			}
			sahara(401)(t, a)
		}},
		{"Ambari's challenge is Basic", "GET", "/api/v1/clusters", "", nil, 401, func(t *testing.T, a answer) {
			if got := a.header.Get("WWW-Authenticate"); got != `Basic realm="ambit"` || a.json(t)["status"] != 401.0 {
				t.Errorf("WWW-Authenticate %q, body %s", got, a.body)
			}
		}},
		{"the router's 404", "GET", "/test/v1/a/nothing", "", []string{"user", "alice"}, 404, sahara(404)},
		{"the router's 405", "PATCH", "/test/v1/a/widgets", "", []string{"user", "alice"}, 405, sahara(405)},
		{"a panic", "GET", "/test/v1/a/boom", "", []string{"user", "alice"}, 500, func(t *testing.T, a answer) {
			sahara(500)(t, a)
			if strings.Contains(a.body, "a bug") {
				t.Errorf("the panic shows: %s", a.body)
			}
		}},
		{"a URL too long", "GET", "/test/v1/a/widgets?x=" + strings.Repeat("y", 300), "", []string{"user", "alice"}, 414, sahara(414)},
		{"a body too large", "POST", "/test/v1/a/widgets/w", strings.Repeat("x", 100), []string{"user", "alice"}, 413, sahara(413)},
		{"the store's error, in the face's words", "GET", "/test/v1/a/widgets/nope", "", []string{"user", "alice"}, 404, func(t *testing.T, a answer) {
			if got := a.json(t)["error_message"]; got != "widgets say: Widget not found: Widgets/name=nope." {
				t.Errorf("message %v", got)
			}
		}},
		{"Ambari's router 404 in Ambari's envelope", "GET", "/api/v1/nothing", "", []string{"user", "admin"}, 404, func(t *testing.T, a answer) {
			if m := a.json(t); m["status"] != 404.0 || m["message"] != "The requested resource doesn't exist: /api/v1/nothing" {
				t.Errorf("body %s", a.body)
			}
		}},
		{"outside every face", "GET", "/nowhere", "", []string{"user", "admin"}, 404, func(t *testing.T, a answer) {
			if a.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("Content-Type %q", a.header.Get("Content-Type"))
			}
		}},
		{"the health check", "GET", "/healthz", "", nil, 200, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, srv, tt.method, tt.path, tt.body, tt.header...)
			if a.status != tt.status {
				t.Fatalf("%s %s = %d %s, want %d", tt.method, tt.path, a.status, a.body, tt.status)
			}
			if tt.check != nil {
				tt.check(t, a)
			}
		})
	}
}

// TestTokens issues tokens at /token and uses them on both faces.
func TestTokens(t *testing.T) {
	srv := core(t)
	get := func(t *testing.T, user string) string {
		t.Helper()
		a := send(t, srv, "GET", "/token", "", "user", user)
		m := a.json(t)
		tok, _ := m["access_token"].(string)
		if a.status != 200 || tok == "" || m["token_type"] != "Bearer" || m["expires_in"] != 3600.0 {
			t.Fatalf("GET /token = %d %s", a.status, a.body)
		}
		return tok
	}
	tok := get(t, "alice")
	for _, tt := range []struct {
		name   string
		header []string
		path   string
		want   int
	}{
		{"Bearer", []string{"Authorization", "Bearer " + tok}, "/test/v1/a/widgets", 200},
		{"X-Auth-Token", []string{"X-Auth-Token", tok}, "/test/v1/a/widgets", 200},
		{"the token keeps the grants", []string{"X-Auth-Token", tok}, "/test/v1/b/widgets", 404},
		{"on the Ambari face too", []string{"Authorization", "Bearer " + tok}, "/api/v1/clusters", 200}, // alice's home namespace, a
		{"tampered", []string{"Authorization", "Bearer " + tamper(tok)}, "/test/v1/a/widgets", 401},
		{"garbage", []string{"X-Auth-Token", "x.y"}, "/test/v1/a/widgets", 401},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, srv, "GET", tt.path, "", tt.header...)
			if a.status != tt.want {
				t.Fatalf("= %d %s, want %d", a.status, a.body, tt.want)
			}
			if a.status == 401 && a.header.Get("WWW-Authenticate") != `Bearer realm="ambit"` {
				t.Errorf("WWW-Authenticate %q after a bad token", a.header.Get("WWW-Authenticate"))
			}
		})
	}
	admin := get(t, "admin")
	if a := send(t, srv, "GET", "/api/v1/clusters", "", "Authorization", "Bearer "+admin); a.status != 200 {
		t.Errorf("admin's token on Ambari = %d %s", a.status, a.body)
	}
	if a := send(t, srv, "POST", "/token", "", "user", "bob"); a.status != 200 {
		t.Errorf("POST /token = %d", a.status)
	}
	if a := send(t, srv, "GET", "/token", ""); a.status != 401 || a.header.Get("WWW-Authenticate") == "" {
		t.Errorf("GET /token without credentials = %d", a.status)
	}
	if a := send(t, srv, "DELETE", "/token", "", "user", "bob"); a.status != 405 {
		t.Errorf("DELETE /token = %d", a.status)
	}
	other := core(t, server.WithTokenKey([]byte(strings.Repeat("k", 32))))
	if a := send(t, other, "GET", "/test/v1/a/widgets", "", "X-Auth-Token", tok); a.status != 401 {
		t.Errorf("a token of another key = %d", a.status)
	}
}

// tamper changes the payload of a token and keeps its signature.
func tamper(tok string) string {
	body, sig, _ := strings.Cut(tok, ".")
	b := []byte(body)
	b[len(b)/2] ^= 1
	return string(b) + "." + sig
}

// TestTenancy runs every verb as users of two namespaces: what they are
// not granted is not there for reads (404) and refused for writes (403).
func TestTenancy(t *testing.T) {
	srv := core(t)
	steps := []struct {
		user, method, path string
		want               int
	}{
		{"alice", "POST", "/test/v1/a/widgets/w1", 201},
		{"alice", "GET", "/test/v1/a/widgets/w1", 200},
		{"alice", "POST", "/test/v1/b/widgets/w2", 403},
		{"carol", "POST", "/test/v1/b/widgets/w2", 201},
		{"alice", "GET", "/test/v1/b/widgets/w2", 404},
		{"alice", "GET", "/test/v1/b/widgets", 404},
		{"alice", "DELETE", "/test/v1/b/widgets/w2", 403},
		{"alice", "DELETE", "/test/v1/b/widgets/nope", 403}, // the same answer: nothing leaks
		{"alice", "PUT", "/test/v1/b/widgets/w2", 403},
		{"alice", "PATCH", "/test/v1/b/widgets/w2", 403},
		{"alice", "HEAD", "/test/v1/b/widgets/w2", 404},
		{"alice", "HEAD", "/test/v1/a/widgets/w1", 200},
		{"bob", "PUT", "/test/v1/b/widgets/w2", 403},
		{"bob", "GET", "/test/v1/b/widgets/w2", 200},
		{"bob", "POST", "/test/v1/b/widgets/w3", 403},
		{"bob", "DELETE", "/test/v1/b/widgets/w2", 403},
		{"bob", "GET", "/test/v1/a/widgets/w1", 404},
		{"alice", "GET", "/api/v1/clusters/c1", 404},    // no grant of default: the Ambari face serves her a,
		{"alice", "DELETE", "/api/v1/clusters/c1", 404}, // which has no c1
		{"admin", "GET", "/api/v1/clusters/c1", 200},
		{"admin", "GET", "/test/v1/b/widgets/w2", 200},
		{"carol", "DELETE", "/test/v1/b/widgets/w2", 204},
		{"alice", "DELETE", "/test/v1/a/widgets/w1", 204},
	}
	for _, st := range steps {
		if a := send(t, srv, st.method, st.path, "", "user", st.user); a.status != st.want {
			t.Errorf("%s %s as %s = %d %s, want %d", st.method, st.path, st.user, a.status, a.body, st.want)
		}
	}
	// A Basic login user@ns picks the namespace of faces whose URLs name
	// none: carol's b, through the Ambari face.
	for _, st := range []struct {
		user string
		want int
	}{
		{"carol@b", 200}, {"carol@a", 200}, {"carol@nope", 403}, {"nobody@b", 401}, {"carol@", 401},
	} {
		if a := send(t, srv, "GET", "/api/v1/clusters", "", "user", st.user); a.status != st.want {
			t.Errorf("GET /api/v1/clusters as %s = %d %s, want %d", st.user, a.status, a.body, st.want)
		}
	}
	if a := send(t, srv, "POST", "/api/v1/clusters/cb", `{"Clusters": {"version": "AMBIT-1.0"}}`, "user", "carol@b"); a.status != 201 {
		t.Errorf("POST as carol@b = %d %s", a.status, a.body)
	}
	for user, want := range map[string]int{"carol@b": 200, "carol@a": 404, "admin": 404} {
		if a := send(t, srv, "GET", "/api/v1/clusters/cb", "", "user", user); a.status != want {
			t.Errorf("GET /api/v1/clusters/cb as %s = %d, want %d", user, a.status, want)
		}
	}

	// The same name in two namespaces is two widgets.
	send(t, srv, "POST", "/test/v1/a/widgets/same", "", "user", "carol")
	send(t, srv, "POST", "/test/v1/b/widgets/same", "", "user", "carol")
	for _, ns := range []string{"a", "b"} {
		m := send(t, srv, "GET", "/test/v1/"+ns+"/widgets", "", "user", "carol").json(t)
		if diff := cmp.Diff([]any{"same"}, m["widgets"]); diff != "" {
			t.Errorf("namespace %s (-want +got)\n%s", ns, diff)
		}
	}
}

// TestNegotiation reads Accept and Content-Type as the face declares.
func TestNegotiation(t *testing.T) {
	srv := core(t)
	send(t, srv, "POST", "/test/v1/a/widgets/w", "", "user", "alice")
	for _, tt := range []struct {
		name   string
		path   string
		header []string
		status int
		check  func(t *testing.T, a answer)
	}{
		{"JSON by default, the latest version", "/test/v1/a/widgets", nil, 200, func(t *testing.T, a answer) {
			if m := a.json(t); m["version"] != "1.1" || a.header.Get("Content-Type") != "application/json" {
				t.Errorf("%v %s", m, a.header.Get("Content-Type"))
			}
		}},
		{"a version asked for", "/test/v1/a/widgets", []string{"Accept", "application/json; version=1.0"}, 200, func(t *testing.T, a answer) {
			if m := a.json(t); m["version"] != "1.0" {
				t.Errorf("%v", m)
			}
		}},
		{"a version in Content-Type", "/test/v1/a/widgets", []string{"Content-Type", "application/json; version=1.0"}, 200, func(t *testing.T, a answer) {
			if m := a.json(t); m["version"] != "1.0" {
				t.Errorf("%v", m)
			}
		}},
		{"a version not spoken", "/test/v1/a/widgets", []string{"Accept", "application/json; version=9.9"}, 406, func(t *testing.T, a answer) {
			if m := a.json(t); m["error_message"] != "Requested API version 9.9 is not supported. Supported versions are 1.0, 1.1" {
				t.Errorf("%v", m)
			}
		}},
		{"XML", "/test/v1/a/widgets/w", []string{"Accept", "application/xml"}, 200, func(t *testing.T, a answer) {
			if a.body != "<widgets><name>w</name><version>1.1</version></widgets>" || !strings.HasPrefix(a.header.Get("Content-Type"), "application/xml") {
				t.Errorf("%s %q", a.header.Get("Content-Type"), a.body)
			}
		}},
		{"XML from a face without it", "/api/v1/clusters", []string{"Accept", "application/xml"}, 406, func(t *testing.T, a answer) {
			if a.json(t)["status"] != 406.0 {
				t.Errorf("not Ambari's envelope: %s", a.body)
			}
		}},
		{"a media type nobody writes", "/test/v1/a/widgets", []string{"Accept", "text/html"}, 406, nil},
		{"any media type", "/test/v1/a/widgets", []string{"Accept", "*/*"}, 200, nil},
		{"problem details on request", "/test/v1/a/widgets/nope", []string{"Accept", "application/problem+json"}, 404, func(t *testing.T, a answer) {
			m := a.json(t)
			if a.header.Get("Content-Type") != "application/problem+json" || m["status"] != 404.0 || m["detail"] != "widgets say: Widget not found: Widgets/name=nope." {
				t.Errorf("%s %v", a.header.Get("Content-Type"), m)
			}
		}},
		{"problem details on Ambari's face", "/api/v1/clusters/c9", []string{"Accept", "application/problem+json"}, 404, func(t *testing.T, a answer) {
			if m := a.json(t); m["detail"] != "The requested resource doesn't exist: Cluster not found, clusterName=c9" {
				t.Errorf("%v", m)
			}
		}},
		{"nolinks", "/test/v1/a/widgets?nolinks=true", nil, 200, func(t *testing.T, a answer) {
			if m := a.json(t); m["nolinks"] != true {
				t.Errorf("%v", m)
			}
		}},
		{"a .json suffix", "/test/v1/a/widgets/w.json", nil, 200, func(t *testing.T, a answer) {
			if m := a.json(t); m["name"] != "w" {
				t.Errorf("%v", m)
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, srv, "GET", tt.path, "", append([]string{"user", "admin"}, tt.header...)...)
			if a.status != tt.status {
				t.Fatalf("= %d %s, want %d", a.status, a.body, tt.status)
			}
			if tt.check != nil {
				tt.check(t, a)
			}
		})
	}
}

// TestUsersFileGrants reads the users file's grants and operator role, and
// writes them back.
func TestUsersFileGrants(t *testing.T) {
	h, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	file := "ops:" + string(h) + ":operator:a, b\nold:" + string(h) + ":read-only\nroot:" + string(h) + ":admin:*\n"
	us, err := server.LoadUsers(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for name, u := range us {
		got[name] = []any{u.Role.String(), u.Grants}
	}
	want := map[string]any{"ops": []any{"operator", []string{"a", "b"}}, "old": []any{"read-only", []string(nil)}, "root": []any{"admin", []string{"*"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if line := server.Line("ops", us["ops"]); line != "ops:"+string(h)+":operator:a,b" {
		t.Errorf("Line = %q", line)
	}
	if _, err := server.LoadUsers(strings.NewReader("x:" + string(h) + ":admin:a,,b")); err == nil {
		t.Error("an empty grant was accepted")
	}
}
