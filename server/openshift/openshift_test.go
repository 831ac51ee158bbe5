package openshift_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/ambitkit/ambit/server/openshift"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fixture serves the broker's face beside Ambari's: alice is an operator
// of the namespaces dev1 and proj1, rita reads dev1.
func fixture(t *testing.T) *httptest.Server {
	t.Helper()
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet), cluster.WithTypes(openshift.Types()...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close(t.Context()) })
	h, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	users := server.Users{
		"alice": {Hash: h, Role: server.Operator, Grants: []string{"dev1", "proj1"}},
		"rita":  {Hash: h, Role: server.ReadOnly, Grants: []string{"dev1"}},
	}
	srv := httptest.NewServer(server.New(nil, server.WithCluster(m, cluster.Execution{Driver: cluster.NewSim()}),
		server.WithFaces(ambari.Face(), openshift.Face()), server.WithUsers(users), server.WithLogger(quiet),
		server.WithReadCache(16<<20))) // as cmd/ambit serves
	t.Cleanup(srv.Close)
	return srv
}

type answer struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

// call sends what rhc sends: Accept with the version, a JSON body, Basic
// credentials of user ("" for none).
func call(t *testing.T, srv *httptest.Server, user, method, url, body string, header ...string) answer {
	t.Helper()
	if !strings.HasPrefix(url, "http") {
		url = srv.URL + openshift.Prefix + url
	}
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json; version=1.7")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.SetBasicAuth(user, "pw")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &a.body); err != nil {
			t.Fatalf("%s %s: not JSON: %s", method, url, raw)
		}
	}
	return a
}

// envelope checks the broker's envelope of an answer.
func envelope(t *testing.T, a answer, status int, word, typ string) {
	t.Helper()
	if a.status != status || a.body["status"] != word {
		t.Fatalf("= %d %s, want %d %s", a.status, a.raw, status, word)
	}
	if typ != "" && a.body["type"] != typ {
		t.Errorf("type %v, want %s", a.body["type"], typ)
	}
	if _, ok := a.body["supported_api_versions"].([]any); !ok || a.body["api_version"] == nil {
		t.Errorf("no versions in %s", a.raw)
	}
	if _, ok := a.body["messages"].([]any); !ok {
		t.Errorf("no messages in %s", a.raw)
	}
}

// message is the first message of an envelope.
func message(t *testing.T, a answer) map[string]any {
	t.Helper()
	msgs, _ := a.body["messages"].([]any)
	if len(msgs) == 0 {
		t.Fatalf("no message in %s", a.raw)
	}
	return msgs[0].(map[string]any)
}

func linkNames(data any) []string {
	links, _ := data.(map[string]any)
	var out []string
	for k := range links {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestAPIAndVersions(t *testing.T) {
	srv := fixture(t)
	latest := call(t, srv, "", "GET", "/api", "")
	envelope(t, latest, 200, "ok", "links")
	if latest.body["version"] != "1.7" || latest.body["api_version"] != 1.7 {
		t.Errorf("versions %v %v", latest.body["version"], latest.body["api_version"])
	}
	want := []string{"ADD_DOMAIN", "API", "GET_USER", "LIST_APPLICATIONS", "LIST_APPLICATIONS_BY_OWNER", "LIST_CARTRIDGES", "LIST_DOMAINS",
		"LIST_DOMAINS_BY_OWNER", "SHOW_APPLICATION", "SHOW_CARTRIDGE", "SHOW_DOMAIN"}
	if diff := cmp.Diff(want, linkNames(latest.body["data"])); diff != "" {
		t.Errorf("links at 1.7 (-want +got)\n%s", diff)
	}
	add := latest.body["data"].(map[string]any)["ADD_DOMAIN"].(map[string]any)
	if p := add["required_params"].([]any)[0].(map[string]any); p["name"] != "name" || add["href"] != srv.URL+"/broker/rest/domains" || add["method"] != "POST" {
		t.Errorf("ADD_DOMAIN at 1.7 = %v", add)
	}

	old := call(t, srv, "", "GET", "/api", "", "Accept", "application/json;version=1.0")
	envelope(t, old, 200, "ok", "links")
	if old.body["version"] != "1.0" {
		t.Errorf("version %v, want 1.0", old.body["version"])
	}
	if names := linkNames(old.body["data"]); slices.Contains(names, "LIST_APPLICATIONS") || slices.Contains(names, "SHOW_APPLICATION") {
		t.Errorf("links at 1.0 name what 1.5 added: %v", names)
	}
	if p := old.body["data"].(map[string]any)["ADD_DOMAIN"].(map[string]any)["required_params"].([]any)[0].(map[string]any); p["name"] != "id" {
		t.Errorf("ADD_DOMAIN at 1.0 requires %v, want id", p["name"])
	}
	byType := call(t, srv, "", "GET", "/api", "", "Accept", "*/*", "Content-Type", "application/json; version=1.3")
	if byType.body["version"] != "1.3" {
		t.Errorf("the version of Content-Type: %v", byType.body["version"])
	}

	bad := call(t, srv, "", "GET", "/api", "", "Accept", "application/json; version=2.0")
	envelope(t, bad, 406, "not_acceptable", "")
	if m := message(t, bad); m["text"] != "Requested API version 2.0 is not supported. Supported versions are 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7" || m["severity"] != "error" {
		t.Errorf("406 message %v", m)
	}
	if none := call(t, srv, "", "GET", "/api?nolinks=true", ""); none.body["data"] != nil {
		t.Errorf("nolinks=true still has links: %s", none.raw)
	}
	if none := call(t, srv, "", "GET", "/api", "", "Accept", "application/json; nolinks"); strings.Contains(none.raw, "ADD_DOMAIN") {
		t.Errorf("nolinks in Accept still has links: %s", none.raw)
	}
}

// TestChallenge is rhc's sequence: a request without credentials, the
// challenge in the envelope, the request again with them.
func TestChallenge(t *testing.T) {
	srv := fixture(t)
	first := call(t, srv, "", "GET", "/user", "")
	envelope(t, first, 401, "unauthorized", "")
	if !strings.HasPrefix(first.header.Get("WWW-Authenticate"), "Basic realm=") {
		t.Errorf("WWW-Authenticate = %q", first.header.Get("WWW-Authenticate"))
	}
	second := call(t, srv, "alice", "GET", "/user", "")
	envelope(t, second, 200, "ok", "user")
	if u := second.body["data"].(map[string]any); u["login"] != "alice" || u["links"] == nil {
		t.Errorf("user = %v", u)
	}
}

// TestDomainsAndApplications walks a domain and an application through
// their lives, at the oldest and the latest version.
func TestDomainsAndApplications(t *testing.T) {
	for _, version := range []string{"1.0", "1.7"} {
		t.Run(version, func(t *testing.T) {
			srv := fixture(t)
			do := func(user, method, path, body string) answer {
				t.Helper()
				a := call(t, srv, user, method, path, body, "Accept", "application/json; version="+version)
				if a.body["version"] != version {
					t.Errorf("%s %s answered at version %v, want %s", method, path, a.body["version"], version)
				}
				return a
			}
			// rhc sends id even at 1.7.
			created := do("alice", "POST", "/domains", `{"id":"dev1"}`)
			envelope(t, created, 201, "created", "domain")
			if d := created.body["data"].(map[string]any); d["name"] != "dev1" || d["id"] != "dev1" {
				t.Errorf("domain = %v", d)
			}
			dup := do("alice", "POST", "/domains", `{"name":"dev1"}`)
			envelope(t, dup, 422, "unprocessable_entity", "")
			if m := message(t, dup); m["field"] != "name" || m["exit_code"] != 103.0 {
				t.Errorf("duplicate's message %v", m)
			}
			envelope(t, do("alice", "POST", "/domains", `{"id":"other"}`), 403, "forbidden", "")
			envelope(t, do("rita", "POST", "/domains", `{"id":"dev1"}`), 403, "forbidden", "")
			missing := do("alice", "GET", "/domain/nope", "")
			envelope(t, missing, 404, "not_found", "")
			if m := message(t, missing); m["exit_code"] != 127.0 {
				t.Errorf("a missing domain's exit code %v, want 127", m["exit_code"])
			}
			list := do("alice", "GET", "/domains", "")
			envelope(t, list, 200, "ok", "domains")
			if n := len(list.body["data"].([]any)); n != 1 {
				t.Errorf("alice has %d domains, want 1", n)
			}

			app := do("alice", "POST", "/domain/dev1/applications", `{"name":"zk","cartridges":[{"name":"zookeeper"}],"scale":true}`)
			envelope(t, app, 201, "created", "application")
			a := app.body["data"].(map[string]any)
			if a["state"] != "started" || a["gear_count"] != 2.0 || a["domain_id"] != "dev1" || !slices.Contains(a["cartridges"].([]any), any("zookeeper")) {
				t.Errorf("application = %v", a)
			}
			if msgs := app.body["messages"].([]any); len(msgs) != 2 || !strings.Contains(msgs[1].(map[string]any)["text"].(string), "/api/v1/clusters/zk/requests/1") {
				t.Errorf("messages %v: want one naming the request", msgs)
			}
			envelope(t, do("alice", "POST", "/domain/dev1/applications", `{"name":"zk","cartridges":["zookeeper"]}`), 422, "unprocessable_entity", "")
			envelope(t, do("alice", "POST", "/domain/dev1/applications", `{"name":"php","cartridges":["php-5.4"]}`), 422, "unprocessable_entity", "")
			events := []struct{ event, state string }{{"stop", "stopped"}, {"start", "started"}, {"restart", "started"}}
			for _, ev := range events {
				r := do("alice", "POST", "/domain/dev1/application/zk/events", `{"event":"`+ev.event+`"}`)
				envelope(t, r, 200, "ok", "application")
				if s := r.body["data"].(map[string]any)["state"]; s != ev.state {
					t.Errorf("after %s: %v, want %s", ev.event, s, ev.state)
				}
				if m := message(t, r); !strings.Contains(m["text"].(string), "/requests/") {
					t.Errorf("after %s: message %v names no request", ev.event, m)
				}
			}
			noApp := do("alice", "GET", "/domain/dev1/application/nope", "")
			envelope(t, noApp, 404, "not_found", "")
			if m := message(t, noApp); m["exit_code"] != 101.0 {
				t.Errorf("a missing application's exit code %v, want 101", m["exit_code"])
			}
			envelope(t, do("rita", "POST", "/domain/dev1/application/zk/events", `{"event":"stop"}`), 403, "forbidden", "")
			all := do("alice", "GET", "/applications", "")
			envelope(t, all, 200, "ok", "applications")
			if n := len(all.body["data"].([]any)); n != 1 {
				t.Errorf("alice's applications: %d, want 1", n)
			}
			envelope(t, do("alice", "GET", "/application/dev1-zk", ""), 200, "ok", "application")

			refused := do("alice", "DELETE", "/domain/dev1", `{"force":false}`)
			envelope(t, refused, 422, "unprocessable_entity", "")
			envelope(t, do("alice", "DELETE", "/domain/dev1", `{"force":true}`), 200, "ok", "")
			envelope(t, do("alice", "GET", "/domain/dev1", ""), 404, "not_found", "")
		})
	}
}

// TestFollowEveryLink follows every link of the API, of a domain and of
// an application, with the parameters a client would fill: each reaches a
// route that answers (no 404 or 405 of the router).
func TestFollowEveryLink(t *testing.T) {
	srv := fixture(t)
	envelope(t, call(t, srv, "alice", "POST", "/domains", `{"id":"dev1"}`), 201, "created", "domain")
	envelope(t, call(t, srv, "alice", "POST", "/domain/dev1/applications", `{"name":"zk","cartridges":["zookeeper"]}`), 201, "created", "application")
	vars := strings.NewReplacer(":domain", "dev1", ":cartridge", "zookeeper", ":id", "dev1-zk", ":name", "dev1")
	bodies := map[string]string{"ADD_DOMAIN": `{"id":"proj1"}`, "ADD_APPLICATION": `{"name":"kafka","cartridges":["zookeeper"]}`,
		"UPDATE": `{"name":"dev1"}`, "START": `{"event":"start"}`, "STOP": `{"event":"stop"}`, "RESTART": `{"event":"restart"}`,
		"DELETE": `{"force":true}`}
	follow := func(links map[string]any) {
		names := linkNames(links)
		if slices.Contains(names, "DELETE") { // last: it takes the resource away
			names = append(slices.DeleteFunc(names, func(n string) bool { return n == "DELETE" }), "DELETE")
		}
		for _, name := range names {
			l := links[name].(map[string]any)
			href := vars.Replace(l["href"].(string))
			r := call(t, srv, "alice", l["method"].(string), href, bodies[name])
			if r.status >= 400 {
				t.Errorf("%s: %s %s = %d %s", name, l["method"], href, r.status, r.raw)
			}
		}
	}
	follow(call(t, srv, "alice", "GET", "/api", "").body["data"].(map[string]any))
	app := call(t, srv, "alice", "GET", "/domain/dev1/application/zk", "").body["data"].(map[string]any)
	follow(app["links"].(map[string]any))
	domain := call(t, srv, "alice", "GET", "/domain/dev1", "").body["data"].(map[string]any)
	follow(domain["links"].(map[string]any))
}

// TestXMLCarriesWhatJSONDoes reads every GET endpoint in JSON and in XML,
// at the oldest and the latest version, with and without links: the XML
// holds every member of the JSON, dasherized.
func TestXMLCarriesWhatJSONDoes(t *testing.T) {
	srv := fixture(t)
	envelope(t, call(t, srv, "alice", "POST", "/domains", `{"id":"dev1"}`), 201, "created", "domain")
	envelope(t, call(t, srv, "alice", "POST", "/domain/dev1/applications", `{"name":"zk","cartridges":["zookeeper"]}`), 201, "created", "application")
	paths := []string{"/api", "/user", "/domains", "/domain/dev1", "/domain/dev1/applications", "/domain/dev1/application/zk",
		"/cartridges", "/cartridge/zookeeper", "/domain/nope"}
	for _, version := range []string{"1.0", "1.7"} {
		for _, links := range []string{"", "?nolinks=true"} {
			for _, path := range paths {
				t.Run(version+path+links, func(t *testing.T) {
					j := call(t, srv, "alice", "GET", path+links, "", "Accept", "application/json; version="+version)
					x := call(t, srv, "alice", "GET", path+links, "", "Accept", "application/xml; version="+version)
					if j.status != x.status {
						t.Fatalf("JSON %d, XML %d", j.status, x.status)
					}
					if ct := x.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
						t.Fatalf("XML as %q", ct)
					}
					var root node
					if err := xml.Unmarshal([]byte(x.raw), &root); err != nil {
						t.Fatalf("XML does not read: %v\n%s", err, x.raw)
					}
					if root.XMLName.Local != "response" {
						t.Errorf("root <%s>", root.XMLName.Local)
					}
					typ, _ := j.body["type"].(string)
					for k, v := range j.body {
						if k == "data" && typ != "" && typ != "links" {
							if _, list := v.([]any); !list && v != nil {
								v = map[string]any{typ: v}
							}
						}
						if err := same(k, v, root.child(dash(k))); err != nil {
							t.Errorf("%s: %v", k, err)
						}
					}
				})
			}
		}
	}
}

// node is an XML element, read generically.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for i := range n.Nodes {
		if n.Nodes[i].XMLName.Local == name {
			return &n.Nodes[i]
		}
	}
	return nil
}

func dash(k string) string { return strings.ReplaceAll(k, "_", "-") }

// same reports how an XML element differs from the JSON value it
// renders.
func same(path string, v any, n *node) error {
	if n == nil {
		return fmt.Errorf("%s: no element", path)
	}
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			var c *node
			if n.XMLName.Local == "links" {
				for i := range n.Nodes {
					if len(n.Nodes[i].Attrs) > 0 && n.Nodes[i].Attrs[0].Value == k {
						c = &n.Nodes[i]
					}
				}
			} else {
				c = n.child(dash(k))
			}
			if err := same(path+"/"+k, sub, c); err != nil {
				return err
			}
		}
	case []any:
		if len(n.Nodes) != len(x) {
			return fmt.Errorf("%s: %d elements for %d items", path, len(n.Nodes), len(x))
		}
		for i, it := range x {
			if err := same(fmt.Sprintf("%s[%d]", path, i), it, &n.Nodes[i]); err != nil {
				return err
			}
		}
	case nil:
		if strings.TrimSpace(n.Text) != "" || len(n.Nodes) > 0 {
			return fmt.Errorf("%s: null in JSON, %q in XML", path, n.Text)
		}
	case float64:
		if got, err := strconv.ParseFloat(n.Text, 64); err != nil || got != x {
			return fmt.Errorf("%s: %v in JSON, %q in XML", path, x, n.Text)
		}
	default:
		want := fmt.Sprint(x)
		if n.Text != want {
			return fmt.Errorf("%s: %q in JSON, %q in XML", path, want, n.Text)
		}
	}
	return nil
}
