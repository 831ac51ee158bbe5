package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDocument reads a face's OpenAPI document as a client does, before it
// has credentials, and checks what the core documents of every route: the
// path with its parameters, an operation id, the face's description where
// it gave one, the error envelope as the default answer, and the ways to
// authenticate.
func TestDocument(t *testing.T) {
	srv := core(t)
	for _, path := range []string{"/test/v1/a/openapi.json", "/test/v1/a/openapi"} { // the face takes a .json suffix
		if a := send(t, srv, "GET", path, ""); a.status != http.StatusOK || a.header.Get("Content-Type") != "application/json" {
			t.Fatalf("GET %s: %d %s %s", path, a.status, a.header.Get("Content-Type"), a.body)
		}
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Summary     string `json:"summary"`
			Parameters  []struct {
				Name, In string
				Required bool
			} `json:"parameters"`
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"paths"`
		Components struct {
			SecuritySchemes map[string]json.RawMessage `json:"securitySchemes"`
			Responses       map[string]struct {
				Content map[string]struct {
					Schema struct {
						Required []string `json:"required"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(send(t, srv, "GET", "/test/v1/a/openapi.json", "").body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	type op struct {
		ID, Summary string
		Params      []string
		Answers     []string
	}
	got := map[string]op{}
	for path, item := range doc.Paths {
		for method, o := range item {
			var params, answers []string
			for _, p := range o.Parameters {
				if p.In == "path" && p.Required {
					params = append(params, p.Name)
				}
			}
			for code := range o.Responses {
				answers = append(answers, code)
			}
			slices.Sort(answers)
			got[method+" "+path] = op{o.OperationID, o.Summary, params, answers}
		}
	}
	want := map[string]op{
		"get /test/v1/{ns}/widgets":           {"getWidgets", "The widgets", []string{"ns"}, []string{"200", "default"}},
		"get /test/v1/{ns}/widgets/{name}":    {"getWidgetsItem", "", []string{"ns", "name"}, []string{"200", "default"}},
		"post /test/v1/{ns}/widgets/{name}":   {"postWidgetsItem", "", []string{"ns", "name"}, []string{"200", "default"}},
		"delete /test/v1/{ns}/widgets/{name}": {"deleteWidgetsItem", "", []string{"ns", "name"}, []string{"200", "default"}},
		"get /test/v1/{ns}/boom":              {"getBoom", "", []string{"ns"}, []string{"200", "default"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"error_code", "error_name", "error_message"}, doc.Components.Responses["Error"].Content["application/json"].Schema.Required); diff != "" {
		t.Errorf("the error envelope is not the face's (Sahara's) (-want +got):\n%s", diff)
	}
	if len(doc.Components.SecuritySchemes) != 3 {
		t.Errorf("security schemes %v, want basic, bearer and token", doc.Components.SecuritySchemes)
	}
}
