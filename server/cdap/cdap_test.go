package cdap_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/ambitkit/ambit/server/cdap"
	"github.com/ambitkit/ambit/server/sahara"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fixture serves CDAP's face beside Ambari's and Sahara's, on one store,
// and returns a bearer token for each user: an administrator, an operator
// of proj1 and dev, a reader of dev.
func fixture(t *testing.T, opts ...cdap.Option) (*httptest.Server, map[string]string) {
	t.Helper()
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet),
		cluster.WithTypes(append(sahara.Types(), cdap.Types()...)...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close(t.Context()) })
	h, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	users := server.Users{
		"admin": {Hash: h, Role: server.Administrator},
		"alice": {Hash: h, Role: server.Operator, Grants: []string{"proj1", "dev"}},
		"rita":  {Hash: h, Role: server.ReadOnly, Grants: []string{"dev"}},
	}
	faces := append([]server.Face{ambari.Face(), sahara.Face()}, cdap.Faces(opts...)...)
	srv := httptest.NewServer(server.New(nil, server.WithCluster(m, cluster.Execution{Driver: cluster.NewSim()}),
		server.WithFaces(faces...), server.WithUsers(users), server.WithLogger(quiet),
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
	header http.Header
	text   string
}

func (a answer) json(t *testing.T) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(a.text), &v); err != nil {
		t.Fatalf("not JSON: %q", a.text)
	}
	return v
}

// call sends what the Go client sends: the token as Bearer, a body
// without Content-Type (none at all for most PUTs).
func call(t *testing.T, srv *httptest.Server, token, method, path, body string, header ...string) answer {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
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
	return answer{resp.StatusCode, resp.Header, string(raw)}
}

// want checks a status and a plain-text answer.
func want(t *testing.T, a answer, status int, text string) {
	t.Helper()
	if a.status != status || a.text != text {
		t.Errorf("= %d %q\nwant %d %q", a.status, a.text, status, text)
	}
	if status >= 400 && !strings.HasPrefix(a.header.Get("Content-Type"), "text/plain") {
		t.Errorf("an error as %s, not plain text", a.header.Get("Content-Type"))
	}
}

// TestNamespaces walks a namespace's life as the Terraform provider does
// it: PUT without a body, GET the list to see it exists, properties and
// preferences, then the unrecoverable delete.
func TestNamespaces(t *testing.T) {
	srv, tok := fixture(t, cdap.WithUnrecoverableDeletes())
	admin := tok["admin"]
	want(t, call(t, srv, admin, "PUT", "/v3/namespaces/dev", ""), 200, "Namespace 'dev' created successfully.")
	want(t, call(t, srv, admin, "PUT", "/v3/namespaces/dev", ""), 200, "Namespace 'dev' already exists.")
	want(t, call(t, srv, admin, "PUT", "/v3/namespaces/qa", `{"description":"Quality","config":{"scheduler.queue.name":"qa"}}`), 200,
		"Namespace 'qa' created successfully.")

	list := call(t, srv, admin, "GET", "/v3/namespaces", "").json(t).([]any)
	var names []string
	for _, n := range list {
		names = append(names, n.(map[string]any)["name"].(string))
	}
	if diff := cmp.Diff([]string{"default", "dev", "qa"}, names); diff != "" {
		t.Errorf("namespaces (-want +got)\n%s", diff)
	}
	qa := call(t, srv, admin, "GET", "/v3/namespaces/qa", "").json(t).(map[string]any)
	if qa["description"] != "Quality" || qa["config"].(map[string]any)["scheduler.queue.name"] != "qa" || qa["generation"].(float64) <= 0 {
		t.Errorf("qa = %v", qa)
	}

	want(t, call(t, srv, admin, "PUT", "/v3/namespaces/dev/properties", `{"description":"Development"}`), 200,
		"Updated properties for namespace 'dev'.")
	if d := call(t, srv, admin, "GET", "/v3/namespaces/dev", "").json(t).(map[string]any)["description"]; d != "Development" {
		t.Errorf("description after PUT properties = %v", d)
	}
	want(t, call(t, srv, admin, "PUT", "/v3/namespaces/dev/preferences", `{"FOO":"BAR","retries":"3"}`), 200, "")
	if diff := cmp.Diff(map[string]any{"FOO": "BAR", "retries": "3"}, call(t, srv, admin, "GET", "/v3/namespaces/dev/preferences", "").json(t)); diff != "" {
		t.Errorf("preferences (-want +got)\n%s", diff)
	}
	want(t, call(t, srv, admin, "DELETE", "/v3/namespaces/dev/preferences", ""), 200, "")
	if diff := cmp.Diff(map[string]any{}, call(t, srv, admin, "GET", "/v3/namespaces/dev/preferences", "").json(t)); diff != "" {
		t.Errorf("preferences after DELETE (-want +got)\n%s", diff)
	}

	want(t, call(t, srv, admin, "DELETE", "/v3/unrecoverable/namespaces/qa", ""), 200, "")
	want(t, call(t, srv, admin, "GET", "/v3/namespaces/qa", ""), 404, "Namespace 'qa' was not found.")
	want(t, call(t, srv, admin, "DELETE", "/v3/unrecoverable/namespaces/qa", ""), 404, "Namespace 'qa' was not found.")
}

// TestNamespaceErrors: every status of CDAP's table, in plain text.
func TestNamespaceErrors(t *testing.T) {
	srv, tok := fixture(t)
	admin, alice, rita := tok["admin"], tok["alice"], tok["rita"]
	want(t, call(t, srv, admin, "PUT", "/v3/namespaces/dev", ""), 200, "Namespace 'dev' created successfully.")
	tests := []struct {
		name, token, method, path, body string
		status                          int
		text                            string
	}{
		{"a bad name", admin, "PUT", "/v3/namespaces/my.ns", "", 400, "Namespace id can contain only alphanumeric characters, '-' or '_'."},
		{"default is reserved", admin, "PUT", "/v3/namespaces/default", "", 400, "Cannot create the namespace 'default'. 'default' is a reserved namespace."},
		{"system is no one's", admin, "PUT", "/v3/namespaces/system", "", 403, "The namespace 'system' is reserved for CDAP itself."},
		{"not a JSON object", admin, "PUT", "/v3/namespaces/qa", "[1]", 400, "Invalid json object provided in request body."},
		{"a config of numbers", admin, "PUT", "/v3/namespaces/qa", `{"config":{"n":1}}`, 400, "config.n must be a string."},
		{"no token", "", "GET", "/v3/namespaces/dev", "", 401, "Authentication required."},
		{"a bad token", "x.y", "GET", "/v3/namespaces/dev", "", 401, "The token is not valid or has expired: get a new one from /token."},
		{"a namespace not granted", alice, "GET", "/v3/namespaces/qa2", "", 403, ""},
		{"a reader writes", rita, "PUT", "/v3/namespaces/dev/preferences", `{"a":"b"}`, 403, "The user rita may not change resources."},
		{"missing", admin, "GET", "/v3/namespaces/nope", "", 404, "Namespace 'nope' was not found."},
		{"an unknown URI", admin, "GET", "/v3/nothing", "", 404, "The requested resource doesn't exist: /v3/nothing"},
		{"a method the URI has not", admin, "POST", "/v3/namespaces/dev", "", 405, "Method POST is not allowed on /v3/namespaces/dev."},
		{"a query the API has not", admin, "GET", "/v3/namespaces?limit=5", "", 501, "The query parameters [limit] are not supported by this API."},
		{"unrecoverable deletes off", admin, "DELETE", "/v3/unrecoverable/namespaces/dev", "", 403, "Unrecoverable deletes of namespaces are not enabled on this server."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, srv, tt.token, tt.method, tt.path, tt.body)
			if tt.text == "" {
				if a.status != tt.status {
					t.Errorf("= %d %q, want %d", a.status, a.text, tt.status)
				}
				return
			}
			want(t, a, tt.status, tt.text)
			if tt.status == 401 && !strings.HasPrefix(a.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate = %q", a.header.Get("WWW-Authenticate"))
			}
			if tt.status == 405 && a.header.Get("Allow") == "" {
				t.Error("a 405 without Allow")
			}
		})
	}
}

// TestOneNamespaceAcrossFaces: a namespace made through CDAP is a Sahara
// project and an Ambari login's home; one that Sahara made resources in
// is a CDAP namespace; deleting it through CDAP removes what every face
// made there, and keeps default's record.
func TestOneNamespaceAcrossFaces(t *testing.T) {
	srv, tok := fixture(t, cdap.WithUnrecoverableDeletes())
	admin, alice := tok["admin"], tok["alice"]
	want(t, call(t, srv, alice, "PUT", "/v3/namespaces/dev", ""), 200, "Namespace 'dev' created successfully.")
	ngt := `{"name":"workers","plugin_name":"ambit","hadoop_version":"1.0","node_processes":["DATANODE"],"flavor_id":"2"}`
	if a := call(t, srv, alice, "POST", "/v1.1/dev/node-group-templates", ngt, "Content-Type", "application/json"); a.status != 202 {
		t.Fatalf("a Sahara template in dev = %d %s", a.status, a.text)
	}
	if a := call(t, srv, alice, "POST", "/v1.1/proj1/node-group-templates", ngt, "Content-Type", "application/json"); a.status != 202 {
		t.Fatalf("a Sahara template in proj1 = %d %s", a.status, a.text)
	}
	var names []string
	for _, n := range call(t, srv, alice, "GET", "/v3/namespaces", "").json(t).([]any) {
		names = append(names, n.(map[string]any)["name"].(string))
	}
	if diff := cmp.Diff([]string{"dev", "proj1"}, names); diff != "" { // not default: alice is not granted it
		t.Errorf("alice's namespaces (-want +got)\n%s", diff)
	}
	want(t, call(t, srv, alice, "PUT", "/v3/namespaces/proj1", ""), 200, "Namespace 'proj1' already exists.")
	want(t, call(t, srv, alice, "DELETE", "/v3/unrecoverable/namespaces/dev", ""), 403,
		"The user alice may not delete the namespace 'dev': it takes an administrator granted it.")
	want(t, call(t, srv, admin, "DELETE", "/v3/unrecoverable/namespaces/dev", ""), 200, "")
	if a := call(t, srv, alice, "GET", "/v1.1/dev/node-group-templates", ""); a.status != 200 || strings.Contains(a.text, "workers") {
		t.Errorf("Sahara's templates in dev after the delete = %d %s", a.status, a.text)
	}
	if a := call(t, srv, alice, "GET", "/v1.1/proj1/node-group-templates", ""); !strings.Contains(a.text, "workers") {
		t.Errorf("proj1's templates went too: %s", a.text)
	}
	want(t, call(t, srv, admin, "PUT", "/v3/namespaces/default/preferences", `{"a":"b"}`), 200, "")
	want(t, call(t, srv, admin, "DELETE", "/v3/unrecoverable/namespaces/default", ""), 200, "")
	if a := call(t, srv, admin, "GET", "/v3/namespaces/default", ""); a.status != 200 {
		t.Errorf("default after its delete = %d %s", a.status, a.text)
	}
	if diff := cmp.Diff(map[string]any{}, call(t, srv, admin, "GET", "/v3/namespaces/default/preferences", "").json(t)); diff != "" {
		t.Errorf("default's preferences after it was emptied (-want +got)\n%s", diff)
	}
}

// TestApplications deploys, lists, reads and deletes an application as
// the provider's cdap_application does, with a pipeline's exported spec.
func TestApplications(t *testing.T) {
	srv, tok := fixture(t)
	a := tok["alice"]
	want(t, call(t, srv, a, "PUT", "/v3/namespaces/dev", ""), 200, "Namespace 'dev' created successfully.")
	spec := `{"name":"ingest","artifact":{"name":"cdap-data-pipeline","version":"6.9.2","scope":"SYSTEM"},` +
		`"config":{"description":"Ingest the logs","stages":[],"connections":[]}}`
	want(t, call(t, srv, a, "PUT", "/v3/namespaces/dev/apps/ingest", spec), 200, "Deploy Complete")
	list := call(t, srv, a, "GET", "/v3/namespaces/dev/apps", "").json(t)
	wantList := []any{map[string]any{"type": "App", "name": "ingest", "version": "-SNAPSHOT", "description": "Ingest the logs",
		"artifact": map[string]any{"name": "cdap-data-pipeline", "version": "6.9.2", "scope": "SYSTEM"}}}
	if diff := cmp.Diff(wantList, list); diff != "" {
		t.Errorf("apps (-want +got)\n%s", diff)
	}
	if got := call(t, srv, a, "GET", "/v3/namespaces/dev/apps?artifactName=other", "").json(t); len(got.([]any)) != 0 {
		t.Errorf("apps of another artifact: %v", got)
	}
	detail := call(t, srv, a, "GET", "/v3/namespaces/dev/apps/ingest", "").json(t).(map[string]any)
	if detail["name"] != "ingest" || !strings.Contains(detail["configuration"].(string), `"stages":[]`) {
		t.Errorf("app detail = %v", detail)
	}
	want(t, call(t, srv, a, "PUT", "/v3/namespaces/dev/apps/ingest", `{"config":{}}`), 400, "An application needs an artifact with a name and a version.")
	want(t, call(t, srv, a, "PUT", "/v3/namespaces/nope/apps/ingest", spec), 403, "The user alice may not change resources of the namespace nope.")
	want(t, call(t, srv, a, "DELETE", "/v3/namespaces/dev/apps/ingest", ""), 200, "")
	want(t, call(t, srv, a, "GET", "/v3/namespaces/dev/apps/ingest", ""), 404, "Application 'ingest' was not found in namespace 'dev'.")
}

// TestProfiles creates a profile, and deletes it as the provider does:
// disable, then delete.
func TestProfiles(t *testing.T) {
	srv, tok := fixture(t)
	a := tok["alice"]
	want(t, call(t, srv, a, "PUT", "/v3/namespaces/dev", ""), 200, "Namespace 'dev' created successfully.")
	body := `{"label":"Dataproc","description":"Ephemeral","provisioner":{"name":"gcp-dataproc","properties":[{"name":"region","value":"us-east1","isEditable":true}]}}`
	want(t, call(t, srv, a, "PUT", "/v3/namespaces/dev/profiles/dataproc", body), 200, "")
	list := call(t, srv, a, "GET", "/v3/namespaces/dev/profiles", "").json(t).([]any)
	if len(list) != 1 || list[0].(map[string]any)["name"] != "dataproc" || list[0].(map[string]any)["status"] != "ENABLED" {
		t.Fatalf("profiles = %v", list)
	}
	steps := []struct {
		method, path, body string
		status             int
		text               string
	}{
		{"PUT", "/v3/namespaces/dev/profiles/dataproc", body, 409, "Profile 'dataproc' is enabled: disable it before changing it."},
		{"DELETE", "/v3/namespaces/dev/profiles/dataproc", "", 409, "Profile 'dataproc' is enabled: disable it before deleting it."},
		{"POST", "/v3/namespaces/dev/profiles/dataproc/enable", "", 409, "Profile 'dataproc' is enabled already."},
		{"POST", "/v3/namespaces/dev/profiles/dataproc/disable", "", 200, ""},
		{"PUT", "/v3/namespaces/dev/profiles/dataproc", body, 200, ""},
		{"DELETE", "/v3/namespaces/dev/profiles/dataproc", "", 200, ""},
		{"GET", "/v3/namespaces/dev/profiles/dataproc", "", 404, "Profile 'dataproc' was not found in namespace 'dev'."},
		{"PUT", "/v3/namespaces/dev/profiles/p2", `{"label":"x"}`, 400, "A profile needs a provisioner with a name."},
	}
	for _, s := range steps {
		want(t, call(t, srv, a, s.method, s.path, s.body), s.status, s.text)
	}
}

// TestArtifacts uploads an artifact's metadata as cdap_local_artifact
// does (POST with Artifact-Version, then its properties), lists and
// deletes it.
func TestArtifacts(t *testing.T) {
	srv, tok := fixture(t)
	a := tok["alice"]
	want(t, call(t, srv, a, "PUT", "/v3/namespaces/dev", ""), 200, "Namespace 'dev' created successfully.")
	jar := "PK\x03\x04 not really a jar"
	want(t, call(t, srv, a, "POST", "/v3/namespaces/dev/artifacts/trash-plugin", jar,
		"Artifact-Version", "1.2.0", "Artifact-Extends", "system:cdap-data-pipeline[6.0.0,7.0.0)"), 200, "Artifact added successfully")
	want(t, call(t, srv, a, "POST", "/v3/namespaces/dev/artifacts/trash-plugin", jar, "Artifact-Version", "1.2.0"), 409,
		"Artifact 'trash-plugin' version 1.2.0 already exists in namespace 'dev'.")
	want(t, call(t, srv, a, "PUT", "/v3/namespaces/dev/artifacts/trash-plugin/versions/1.2.0/properties", `{"widgets.Trash-batchsink":"{}"}`), 200, "")
	list := call(t, srv, a, "GET", "/v3/namespaces/dev/artifacts", "").json(t)
	if diff := cmp.Diff([]any{map[string]any{"name": "trash-plugin", "version": "1.2.0", "scope": "USER"}}, list); diff != "" {
		t.Errorf("artifacts (-want +got)\n%s", diff)
	}
	one := call(t, srv, a, "GET", "/v3/namespaces/dev/artifacts/trash-plugin/versions/1.2.0", "").json(t).(map[string]any)
	if one["properties"].(map[string]any)["widgets.Trash-batchsink"] != "{}" || len(one["parents"].([]any)) != 1 {
		t.Errorf("artifact = %v", one)
	}
	want(t, call(t, srv, a, "POST", "/v3/namespaces/dev/artifacts/other", jar), 400,
		"The Artifact-Version header is required: ambit does not read versions from JARs.")
	want(t, call(t, srv, a, "DELETE", "/v3/namespaces/dev/artifacts/trash-plugin/versions/1.2.0", ""), 200, "")
	want(t, call(t, srv, a, "GET", "/v3/namespaces/dev/artifacts/trash-plugin/versions/1.2.0", ""), 404,
		"Artifact 'trash-plugin:1.2.0' was not found in namespace 'dev'.")
}
