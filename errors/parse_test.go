package errors_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/google/go-cmp/cmp"
)

var statuses = []int{400, 401, 403, 404, 405, 406, 409, 410, 413, 415, 422, 500, 501, 503, 504}

// TestRoundTrip encodes an error in every dialect at every status and reads
// it back: status, message and details always survive; the name, field and
// offset where the dialect carries them.
func TestRoundTrip(t *testing.T) {
	for _, d := range dialects {
		for _, status := range statuses {
			for _, named := range []bool{false, true} {
				e := apierr.New(status, "message for %d: <&> \"quoted\"", status).
					WithField("Hosts/cpu_count", 7).
					WithDetails(apierr.Detail{Field: "items[0]", Message: "first"}, apierr.Detail{Message: "second"}).
					WithCause(fmt.Errorf("internal"))
				if named {
					e = e.WithName("SOMETHING_SPECIFIC")
				}
				var buf bytes.Buffer
				if err := d.d.Encode(&buf, e); err != nil {
					t.Fatal(err)
				}
				got := apierr.Decode(status, buf.Bytes())

				want := *e
				want.Cause = nil
				switch d.name {
				case "ambari":
					want.Name = "" // Ambari's envelope has no name
				case "openshift":
					want.Name = ""   // nor has OpenShift's
					want.Offset = -1 // nor an offset
				case "cdap": // plain text: the message alone
					want.Name, want.Field, want.Offset, want.Details = "", "", -1, nil
				}
				if diff := cmp.Diff(&want, got, compareErrors); diff != "" {
					t.Errorf("%s %d named=%v (-want +got)\n%s", d.name, status, named, diff)
				}
			}
		}
	}
}

// TestDecodeSeeds reads the error bodies exactly as the seed documents show
// them, with the status taken from the body when the status line is unknown.
func TestDecodeSeeds(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   *apierr.Error
	}{
		{"ambari", 0, `{
			"status" : 404,
			"message" : "The requested resource doesn't exist: Cluster not found, clusterName=someInvalidCluster"
		}`, &apierr.Error{Status: 404, Message: "The requested resource doesn't exist: Cluster not found, clusterName=someInvalidCluster", Offset: -1}},
		{"ambari null message", 500, `{"status": 500, "message": null}`, &apierr.Error{Status: 500, Offset: -1}},
		{"sahara", 0, `{
			"error_name": "CLUSTER_NAME_ALREADY_EXISTS",
			"error_message": "Cluster with name 'test-cluster' already exists",
			"error_code": 400
		}`, &apierr.Error{Status: 400, Name: "CLUSTER_NAME_ALREADY_EXISTS", Message: "Cluster with name 'test-cluster' already exists", Offset: -1}},
		{"ohara", 400, `{
			"code": "java.lang.IllegalArgumentException",
			"message": "Unsupported restful api:vasdasd. Or the request is invalid to the vasdasd",
			"stack": "java.lang.IllegalArgumentException: Unsupported restful api:vasdasd. Or the request is invalid to the vasdasd at"
		}`, &apierr.Error{Status: 400, Name: "java.lang.IllegalArgumentException", Message: "Unsupported restful api:vasdasd. Or the request is invalid to the vasdasd", Offset: -1}},
		{"openshift", 0, `{
			"messages": [{"field": null, "severity": "error", "text": "Requested API version 2.0 is not supported. Supported versions are 1.0, 1.1, 1.2, 1.3, 1.4"}],
			"status": "not_acceptable",
			"supported_api_versions": [1.0, 1.1, 1.2, 1.3, 1.4],
			"api_version": 1.4
		}`, &apierr.Error{Status: 406, Message: "Requested API version 2.0 is not supported. Supported versions are 1.0, 1.1, 1.2, 1.3, 1.4", Offset: -1}},
		{"openshift skips non-errors", 422, `{"status":"unprocessable_entity","messages":[
			{"severity":"info","text":"checked"},
			{"severity":"error","text":"Name is required","field":"name"}]}`,
			&apierr.Error{Status: 422, Message: "Name is required", Field: "name", Offset: -1}},
		{"problem", 0, `{"type":"about:blank","title":"Forbidden","status":403,"detail":"Not yours.","instance":"/api/v1/clusters/c1"}`,
			&apierr.Error{Status: 403, Message: "Not yours.", Instance: "/api/v1/clusters/c1", Offset: -1}},
		{"status line wins", 409, `{"status": 400, "message": "m"}`, &apierr.Error{Status: 409, Message: "m", Offset: -1}},
		{"not json", 502, "<html>Bad Gateway</html>\n", &apierr.Error{Status: 502, Message: "<html>Bad Gateway</html>", Offset: -1}},
		{"unknown json", 400, `{"oops": 1}`, &apierr.Error{Status: 400, Message: `{"oops": 1}`, Offset: -1}},
		{"no status anywhere", 0, `{"message": "m"}`, &apierr.Error{Status: 500, Message: "m", Offset: -1}},
		{"offset without field", 400, `{"status":400,"message":"m","offset":3}`, &apierr.Error{Status: 400, Message: "m", Offset: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := apierr.Decode(tt.status, []byte(tt.body))
			if diff := cmp.Diff(tt.want, got, compareErrors); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestParse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok" {
			_, _ = io.WriteString(w, `{"items":[]}`)
			return
		}
		apierr.Write(w, r, apierr.Sahara{}, apierr.Conflict("Cluster with name 'c1' already exists").WithName("CLUSTER_NAME_ALREADY_EXISTS"))
	}))
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/ok")
	if err != nil {
		t.Fatal(err)
	}
	if e := apierr.Parse(resp); e != nil {
		t.Errorf("Parse(200) = %v, want nil", e)
	}
	resp.Body.Close()

	resp, err = http.Get(srv.URL + "/v1.1/p1/clusters")
	if err != nil {
		t.Fatal(err)
	}
	want := &apierr.Error{Status: 409, Name: "CLUSTER_NAME_ALREADY_EXISTS", Message: "Cluster with name 'c1' already exists", Offset: -1}
	if diff := cmp.Diff(want, apierr.Parse(resp), compareErrors); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, fmt.Errorf("connection reset") }

func TestParseReadFailure(t *testing.T) {
	resp := &http.Response{StatusCode: 503, Body: io.NopCloser(io.MultiReader(strings.NewReader("{"), failingReader{}))}
	got := apierr.Parse(resp)
	want := &apierr.Error{Status: 503, Message: "Service Unavailable", Offset: -1, Cause: fmt.Errorf("connection reset")}
	if diff := cmp.Diff(want, got, compareErrors); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
