package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// discard is a ResponseWriter that counts bytes.
type discard struct {
	h http.Header
	n int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { d.n += len(b); return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkGetHosts is a GET of a page of 100 hosts out of 10,000 with a
// predicate and 4 fields; BenchmarkGetHostsStatic writes the same bytes
// from memory, the limit of what a handler can do. Their ratio is
// ambit's share of the physical limit.
func BenchmarkGetHosts(b *testing.B) {
	h, target := benchServer(b)
	r := httptest.NewRequest("GET", target, nil)
	b.ReportAllocs()
	for b.Loop() {
		w := &discard{h: http.Header{}}
		h.ServeHTTP(w, r)
	}
}

func BenchmarkGetHostsStatic(b *testing.B) {
	h, target := benchServer(b)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
	body := rec.Body.Bytes()
	static := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	r := httptest.NewRequest("GET", target, nil)
	b.ReportAllocs()
	for b.Loop() {
		static.ServeHTTP(&discard{h: http.Header{}}, r)
	}
}

func benchServer(b *testing.B) (http.Handler, string) {
	s, err := resource.New(
		resource.Type{Name: "Cluster", Collection: "clusters", Keys: []string{"Clusters/cluster_name"}},
		resource.Type{Name: "Host", Collection: "hosts", Parent: "clusters", Keys: []string{"Hosts/cluster_name", "Hosts/host_name"},
			Properties: []resource.Property{
				{Path: "Hosts/cpu_count", Kind: resource.Number, Indexed: true},
				{Path: "Hosts/os_type", Kind: resource.String, Indexed: true},
				{Path: "Hosts/host_status", Kind: resource.String},
				{Path: "Hosts/ip", Kind: resource.String},
				{Path: "Hosts/rack_info", Kind: resource.String},
				{Path: "Hosts/total_mem", Kind: resource.Number},
			}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.Create(ctx, "clusters", "", map[string]any{"Clusters": map[string]any{"cluster_name": "c1"}}); err != nil {
		b.Fatal(err)
	}
	hosts := make([]map[string]any, 10_000)
	for i := range hosts {
		hosts[i] = map[string]any{"Hosts": map[string]any{"cluster_name": "c1", "host_name": fmt.Sprintf("h%05d", i),
			"cpu_count": 1 + i%16, "os_type": []string{"rhel8", "centos7"}[i%2], "host_status": "HEALTHY",
			"ip": fmt.Sprintf("10.0.%d.%d", i/256, i%256), "rack_info": "/default-rack", "total_mem": 16 << 20}}
	}
	if _, err := s.Create(ctx, "hosts", "", hosts...); err != nil {
		b.Fatal(err)
	}
	h := server.New(s, server.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	return h, "/api/v1/clusters/c1/hosts?Hosts/os_type=rhel8&Hosts/cpu_count>=2&fields=Hosts/ip,Hosts/cpu_count,Hosts/os_type,Hosts/rack_info&page_size=100"
}
