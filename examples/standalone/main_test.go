package main

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestStandalone(t *testing.T) {
	h, _, err := newHandler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/api/v1/clusters")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"cluster_name": "c1"`) {
		t.Errorf("GET /clusters = %d %s", resp.StatusCode, body)
	}
}
