package ambari_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
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
// predicate and 4 fields, over loopback through httptest, clients on every
// core; BenchmarkGetHostsStatic serves the same bytes from memory, the
// limit on this machine. Their ratio of requests/s is ambit's share of that
// limit.
func BenchmarkGetHosts(b *testing.B) {
	h, target := benchServer(b)
	loopback(b, h, target)
}

func BenchmarkGetHostsStatic(b *testing.B) {
	h, target := benchServer(b)
	loopback(b, static(h, target), target)
}

// BenchmarkHandlerGetHosts calls the handlers in process, without HTTP.
func BenchmarkHandlerGetHosts(b *testing.B) {
	h, target := benchServer(b)
	inProcess(b, h, target)
}

func BenchmarkHandlerGetHostsStatic(b *testing.B) {
	h, target := benchServer(b)
	inProcess(b, static(h, target), target)
}

// BenchmarkHandlerGetHostsAfterWrite changes a host before each GET, so
// that every GET counts its itemTotal afresh rather than from the store's
// memo.
func BenchmarkHandlerGetHostsAfterWrite(b *testing.B) {
	h, target := benchServer(b)
	put := func(i int) *http.Request {
		r := httptest.NewRequest("PUT", "/api/v1/clusters/c1/hosts/h00001",
			strings.NewReader(fmt.Sprintf(`{"Hosts": {"rack_info": "/r%d"}}`, i)))
		r.Header.Set("X-Requested-By", "bench")
		return r
	}
	r := httptest.NewRequest("GET", target, nil)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		h.ServeHTTP(&discard{h: http.Header{}}, put(i))
		h.ServeHTTP(&discard{h: http.Header{}}, r)
	}
}

func inProcess(b *testing.B, h http.Handler, target string) {
	r := httptest.NewRequest("GET", target, nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(&discard{h: http.Header{}}, r)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

func loopback(b *testing.B, h http.Handler, target string) {
	ts := httptest.NewServer(h)
	defer ts.Close()
	c := ts.Client()
	c.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := c.Get(ts.URL + target)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// static serves what h answers to target, from memory.
func static(h http.Handler, target string) http.Handler {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
	body := rec.Body.Bytes()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
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
	h := server.New(s, server.WithFaces(ambari.Face()), server.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	return h, "/api/v1/clusters/c1/hosts?Hosts/os_type=rhel8&Hosts/cpu_count>=2&fields=Hosts/ip,Hosts/cpu_count,Hosts/os_type,Hosts/rack_info&page_size=100"
}
