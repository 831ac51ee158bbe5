package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEmbed(t *testing.T) {
	h, err := handler(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := srv.Client().Get(srv.URL + "/status")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "all good\n" {
		t.Errorf("/status = %q", body)
	}

	resp, err = srv.Client().Get(srv.URL + "/api/v1/agents?Agents/os=linux&fields=Agents/os")
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Items []struct {
			Agents map[string]any
		} `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(out.Items) != 2 || out.Items[0].Agents["name"] != "agent-1" || out.Items[1].Agents["os"] != "linux" {
		t.Errorf("linux agents: %v", out.Items)
	}
}

// TestDocumentHasAgents checks that the service's own type is in the
// Ambari face's OpenAPI document, as the face serves it: its collection and
// instance paths, and its schema with the declared kinds and default.
func TestDocumentHasAgents(t *testing.T) {
	h, err := handler(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Properties map[string]map[string]any `json:"properties"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/api/v1/agents", "/api/v1/agents/{k0}"} {
		if len(doc.Paths[p]) != 4 {
			t.Errorf("%s: operations %v, want get, post, put and delete", p, doc.Paths[p])
		}
	}
	got := doc.Components.Schemas["Agent"].Properties["Agents"].Properties
	want := map[string]map[string]any{
		"name":  {"type": "string", "readOnly": true},
		"os":    {"type": "string"},
		"busy":  {"type": "boolean", "default": false},
		"cores": {"type": "number", "format": "double"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the Agent schema (-want +got):\n%s", diff)
	}
}
