package etcd_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
)

// TestReadYourWritesOverHTTP is what a client of two servers on one etcd
// does: it writes through one, and reads through the other at least at the
// version the write's answer gave (X-Ambit-Version, X-Ambit-Min-Version).
func TestReadYourWritesOverHTTP(t *testing.T) {
	cli, prefix := startEtcd(t)
	var urls []string
	for _, s := range servers(t, cli, prefix, 2) {
		srv := httptest.NewServer(server.New(s, server.WithFaces(ambari.Face()), server.WithoutCSRF(), server.WithLogger(quiet)))
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}
	do := func(method, url, body string, header ...string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, url, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	wrote, body := do("POST", urls[0]+"/api/v1/clusters/c1", `{"Clusters": {}}`)
	if wrote.StatusCode != http.StatusCreated {
		t.Fatalf("POST on the first server: %d %s", wrote.StatusCode, body)
	}
	v := wrote.Header.Get(server.VersionHeader)
	read, body := do("GET", urls[1]+"/api/v1/clusters/c1", "", server.MinVersionHeader, v)
	if read.StatusCode != http.StatusOK || !strings.Contains(body, `"cluster_name": "c1"`) {
		t.Errorf("GET on the second server at version %s: %d %s", v, read.StatusCode, body)
	}
}
