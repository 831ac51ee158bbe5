package bench

import (
	"io"
	"net/http"
	"testing"
)

// BenchmarkFaces is one GET of each face's target over loopback, as
// cmd/ambit serves it and computed, for profiles of what wrk measures.
func BenchmarkFaces(b *testing.B) {
	s, err := ServeFaces(20)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, t := range s.Targets {
		for _, srv := range []struct{ name, base string }{{"cached", s.Ambit}, {"computed", s.Computed}} {
			b.Run(t.Name+"/"+srv.name, func(b *testing.B) { load(b, srv.base+t.Path, t.Header) })
		}
	}
}

// load GETs url with headers h, b.N times.
func load(b *testing.B, url string, h http.Header) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header = h.Clone()
	b.ReportAllocs()
	for b.Loop() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
}
