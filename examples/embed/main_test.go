package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"testing"
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
