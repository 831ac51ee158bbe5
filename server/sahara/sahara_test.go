package sahara_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/ambitkit/ambit/server/sahara"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fixture serves the Sahara face beside Ambari's, with users of two
// projects, and returns a token for each user.
func fixture(t *testing.T) (*httptest.Server, map[string]string) {
	t.Helper()
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet), cluster.WithTypes(sahara.Types()...))
	if err != nil {
		t.Fatal(err)
	}
	h, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	users := server.Users{
		"alice": {Hash: h, Role: server.Operator, Grants: []string{"proj1"}},
		"bob":   {Hash: h, Role: server.Operator, Grants: []string{"proj2"}},
	}
	srv := httptest.NewServer(server.New(nil, server.WithCluster(m, cluster.Execution{Driver: cluster.NewSim()}),
		server.WithFaces(ambari.Face(), sahara.Face()), server.WithUsers(users), server.WithLogger(quiet),
		server.WithReadCache(16<<20))) // as cmd/ambit serves
	t.Cleanup(srv.Close)
	tokens := map[string]string{}
	for name := range users {
		req, _ := http.NewRequest("GET", srv.URL+"/token", nil)
		req.SetBasicAuth(name, "pw")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&tok)
		resp.Body.Close()
		tokens[name] = tok.AccessToken
	}
	return srv, tokens
}

type answer struct {
	status int
	body   map[string]any
	raw    string
}

// call sends what python-saharaclient sends: the token in X-Auth-Token,
// Accept: */*, a JSON body.
func call(t *testing.T, srv *httptest.Server, token, method, path, body string) answer {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	req.Header.Set("Accept", "*/*")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, raw: string(raw)}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

// fault checks Sahara's error envelope.
func fault(t *testing.T, a answer, status int, name string) {
	t.Helper()
	if a.status != status || a.body["error_code"] != float64(status) || a.body["error_name"] != name || a.body["error_message"] == "" {
		t.Errorf("= %d %s, want Sahara's %d %s", a.status, a.raw, status, name)
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestPlugins(t *testing.T) {
	srv, tok := fixture(t)
	a := call(t, srv, tok["alice"], "GET", "/v1.1/proj1/plugins", "")
	want := []any{map[string]any{"name": "ambit", "versions": []any{"1.0"}, "title": "AMBIT",
		"description": "The AMBIT stack of the ambit server, as a Sahara plugin."}}
	if diff := cmp.Diff(want, a.body["plugins"]); diff != "" || a.status != 200 {
		t.Errorf("plugins = %d (-want +got)\n%s", a.status, diff)
	}
	a = call(t, srv, tok["alice"], "GET", "/v1.1/proj1/plugins/ambit/1.0", "")
	p := a.body["plugin"].(map[string]any)
	if diff := cmp.Diff([]any{"NAMENODE", "SECONDARY_NAMENODE", "DATANODE", "HDFS_CLIENT"}, p["node_processes"].(map[string]any)["HDFS"]); diff != "" {
		t.Errorf("HDFS's node processes (-want +got)\n%s", diff)
	}
	if tags := p["required_image_tags"]; !cmp.Equal(tags, []any{"ambit", "1.0"}) || len(p["configs"].([]any)) == 0 {
		t.Errorf("plugin version: %s", a.raw)
	}
	fault(t, call(t, srv, tok["alice"], "GET", "/v1.1/proj1/plugins/nope", ""), 404, "NOT_FOUND")
}

func TestAuthAndProjects(t *testing.T) {
	srv, tok := fixture(t)
	fault(t, call(t, srv, "", "GET", "/v1.1/proj1/plugins", ""), 401, "UNAUTHORIZED")
	fault(t, call(t, srv, "garbage", "GET", "/v1.1/proj1/plugins", ""), 401, "INVALID_TOKEN")
	fault(t, call(t, srv, tok["alice"], "GET", "/v1.1/proj2/plugins", ""), 403, "FORBIDDEN")
	fault(t, call(t, srv, tok["alice"], "GET", "/v1.1/proj1/nothing", ""), 404, "NOT_FOUND")
	fault(t, call(t, srv, tok["alice"], "DELETE", "/v1.1/proj1/plugins", ""), 405, "METHOD_NOT_ALLOWED")
	// A project's objects are its own.
	a := call(t, srv, tok["bob"], "POST", "/v1.1/proj2/job-binaries", `{"name": "wordcount.jar", "url": "swift://jars/wordcount.jar"}`)
	if a.status != 202 {
		t.Fatalf("bob's job binary = %d %s", a.status, a.raw)
	}
	id := a.body["job_binary"].(map[string]any)["id"].(string)
	if a := call(t, srv, tok["alice"], "GET", "/v1.1/proj1/job-binaries", ""); len(a.body["binaries"].([]any)) != 0 {
		t.Errorf("alice sees bob's binaries: %s", a.raw)
	}
	fault(t, call(t, srv, tok["alice"], "GET", "/v1.1/proj1/job-binaries/"+id, ""), 404, "NOT_FOUND")
	fault(t, call(t, srv, tok["alice"], "GET", "/v1.1/proj2/job-binaries/"+id, ""), 403, "FORBIDDEN")
}

// TestNodeGroupTemplates runs a node group template through create, get,
// list (filters, limit, marker, sort_by), update and delete, as the client
// library does, with the fields the CLI reads.
func TestNodeGroupTemplates(t *testing.T) {
	srv, tok := fixture(t)
	a := tok["alice"]
	base := "/v1.1/proj1/node-group-templates"
	var ids []string
	for _, name := range []string{"worker", "master", "edge"} {
		r := call(t, srv, a, "POST", base, `{"name": "`+name+`", "plugin_name": "ambit", "hadoop_version": "1.0",
		  "node_processes": ["DATANODE"], "flavor_id": "2"}`)
		if r.status != 202 {
			t.Fatalf("POST %s = %d %s", name, r.status, r.raw)
		}
		ngt := r.body["node_group_template"].(map[string]any)
		if !uuidRE.MatchString(ngt["id"].(string)) || ngt["tenant_id"] != "proj1" || ngt["volumes_per_node"] != 0.0 {
			t.Errorf("created %v", ngt)
		}
		for _, key := range []string{"volume_local_to_instance", "volume_mount_prefix", "volume_type", "volumes_availability_zone", "volumes_size"} {
			if _, ok := ngt[key]; !ok {
				t.Errorf("no %s: the CLI deletes it", key)
			}
		}
		ids = append(ids, ngt["id"].(string))
	}
	fault(t, call(t, srv, a, "POST", base, `{"name": "edge", "plugin_name": "ambit", "hadoop_version": "1.0", "node_processes": [], "flavor_id": "2"}`), 400, "NAME_ALREADY_EXISTS")
	fault(t, call(t, srv, a, "POST", base, `{"name": "x"}`), 400, "VALIDATION_ERROR")
	fault(t, call(t, srv, a, "POST", base, `{"name": "y", "plugin_name": "ambit", "hadoop_version": "1.0", "node_processes": [], "flavor_id": "2", "nope": 1}`), 400, "VALIDATION_ERROR")

	if r := call(t, srv, a, "GET", base+"/"+ids[0]+".json", ""); r.body["node_group_template"].(map[string]any)["name"] != "worker" {
		t.Errorf("GET with .json = %d %s", r.status, r.raw)
	}
	names := func(r answer) []any {
		var out []any
		for _, it := range r.body["node_group_templates"].([]any) {
			out = append(out, it.(map[string]any)["name"])
		}
		return out
	}
	r := call(t, srv, a, "GET", base+"?sort_by=-name&limit=2", "")
	if diff := cmp.Diff([]any{"worker", "master"}, names(r)); diff != "" {
		t.Errorf("first page (-want +got)\n%s", diff)
	}
	markers, _ := r.body["markers"].(map[string]any)
	if markers == nil || markers["next"] != ids[1] || markers["prev"] != nil {
		t.Fatalf("markers %v", r.body["markers"])
	}
	r = call(t, srv, a, "GET", base+"?sort_by=-name&limit=2&marker="+ids[1], "")
	if diff := cmp.Diff([]any{"edge"}, names(r)); diff != "" {
		t.Errorf("second page (-want +got)\n%s", diff)
	}
	if m := r.body["markers"].(map[string]any); m["next"] != nil {
		t.Errorf("last page's markers %v", m)
	}
	fault(t, call(t, srv, a, "GET", base+"?marker=nope", ""), 400, "INVALID_REFERENCE")
	if r := call(t, srv, a, "GET", base+"?name=master", ""); !cmp.Equal(names(r), []any{"master"}) {
		t.Errorf("filtered: %s", r.raw)
	}
	fault(t, call(t, srv, a, "GET", base+"?colour=red", ""), 400, "VALIDATION_ERROR")

	for _, method := range []string{"PUT", "PATCH"} {
		r := call(t, srv, a, method, base+"/"+ids[2], `{"description": "by `+method+`"}`)
		if r.status != 202 || r.body["node_group_template"].(map[string]any)["description"] != "by "+method {
			t.Errorf("%s = %d %s", method, r.status, r.raw)
		}
	}
	fault(t, call(t, srv, a, "PUT", base+"/"+ids[2], `{"name": "worker"}`), 400, "NAME_ALREADY_EXISTS")
	if r := call(t, srv, a, "DELETE", base+"/"+ids[2], ""); r.status != 204 {
		t.Errorf("DELETE = %d %s", r.status, r.raw)
	}
	fault(t, call(t, srv, a, "GET", base+"/"+ids[2], ""), 404, "NOT_FOUND")
}

// TestClusterTemplatesAndBinaries checks the other kinds' envelopes and
// list keys.
func TestClusterTemplatesAndBinaries(t *testing.T) {
	srv, tok := fixture(t)
	a := tok["alice"]
	r := call(t, srv, a, "POST", "/v1.1/proj1/cluster-templates", `{"name": "small", "plugin_name": "ambit", "hadoop_version": "1.0",
	  "node_groups": [{"name": "workers", "count": 2, "node_group_template_id": "x"}]}`)
	if r.status != 202 || r.body["cluster_template"].(map[string]any)["use_autoconfig"] != true {
		t.Errorf("cluster template = %d %s", r.status, r.raw)
	}
	if r := call(t, srv, a, "GET", "/v1.1/proj1/cluster-templates", ""); len(r.body["cluster_templates"].([]any)) != 1 {
		t.Errorf("cluster templates: %s", r.raw)
	}
	r = call(t, srv, a, "POST", "/v1.1/proj1/job-binaries", `{"name": "a.jar", "url": "swift://c/a.jar", "extra": {"user": "u"}}`)
	if r.status != 202 || r.body["job_binary"].(map[string]any)["url"] != "swift://c/a.jar" {
		t.Errorf("job binary = %d %s", r.status, r.raw)
	}
	if r := call(t, srv, a, "GET", "/v1.1/proj1/job-binaries.json", ""); len(r.body["binaries"].([]any)) != 1 {
		t.Errorf("binaries: %s", r.raw)
	}
}

// TestImages registers, tags, lists by tags, untags and unregisters images
// as the client library does.
func TestImages(t *testing.T) {
	srv, tok := fixture(t)
	a := tok["alice"]
	r := call(t, srv, a, "POST", "/v1.1/proj1/images/img-1", `{"username": "ubuntu", "description": "base"}`)
	if img := r.body["image"].(map[string]any); r.status != 202 || img["username"] != "ubuntu" || img["status"] != "ACTIVE" {
		t.Fatalf("register = %d %s", r.status, r.raw)
	}
	call(t, srv, a, "POST", "/v1.1/proj1/images/img-2", `{"username": "centos"}`)
	r = call(t, srv, a, "POST", "/v1.1/proj1/images/img-1/tag", `{"tags": ["ambit", "1.0"]}`)
	if diff := cmp.Diff([]any{"ambit", "1.0"}, r.body["image"].(map[string]any)["tags"]); diff != "" {
		t.Errorf("tags (-want +got)\n%s", diff)
	}
	ids := func(path string) []any {
		var out []any
		for _, it := range call(t, srv, a, "GET", path, "").body["images"].([]any) {
			out = append(out, it.(map[string]any)["id"])
		}
		return out
	}
	if diff := cmp.Diff([]any{"img-1"}, ids("/v1.1/proj1/images?tags=ambit&tags=1.0")); diff != "" {
		t.Errorf("by tags (-want +got)\n%s", diff)
	}
	call(t, srv, a, "POST", "/v1.1/proj1/images/img-1/untag", `{"tags": ["1.0"]}`)
	if diff := cmp.Diff([]any{"img-1", "img-2"}, ids("/v1.1/proj1/images")); diff != "" {
		t.Errorf("all (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]any(nil), ids("/v1.1/proj1/images?tags=1.0")); diff != "" {
		t.Errorf("after untag (-want +got)\n%s", diff)
	}
	if r := call(t, srv, a, "DELETE", "/v1.1/proj1/images/img-2", ""); r.status != 204 {
		t.Errorf("unregister = %d", r.status)
	}
	fault(t, call(t, srv, a, "GET", "/v1.1/proj1/images/img-2", ""), 404, "NOT_FOUND")
}

// TestBinaryData uploads an internal binary and downloads it through a job
// binary that names it.
func TestBinaryData(t *testing.T) {
	srv, tok := fixture(t)
	a := tok["alice"]
	r := call(t, srv, a, "PUT", "/v1.1/proj1/job-binary-internals/script.pig", "A = LOAD 'x';\n")
	in := r.body["job_binary_internal"].(map[string]any)
	if r.status != 202 || in["datasize"] != 14.0 || in["data"] != nil {
		t.Fatalf("upload = %d %s", r.status, r.raw)
	}
	if r := call(t, srv, a, "GET", "/v1.1/proj1/job-binary-internals", ""); len(r.body["binaries"].([]any)) != 1 {
		t.Errorf("internals: %s", r.raw)
	}
	r = call(t, srv, a, "POST", "/v1.1/proj1/job-binaries", `{"name": "script", "url": "internal-db://`+in["id"].(string)+`"}`)
	id := r.body["job_binary"].(map[string]any)["id"].(string)
	if r := call(t, srv, a, "GET", "/v1.1/proj1/job-binaries/"+id+"/data", ""); r.status != 200 || r.raw != "A = LOAD 'x';\n" {
		t.Errorf("data = %d %q", r.status, r.raw)
	}
	r = call(t, srv, a, "POST", "/v1.1/proj1/job-binaries", `{"name": "remote", "url": "swift://c/o"}`)
	fault(t, call(t, srv, a, "GET", "/v1.1/proj1/job-binaries/"+r.body["job_binary"].(map[string]any)["id"].(string)+"/data", ""), 400, "INVALID_DATA")
}
