package bench

import (
	"io"
	"net/http"
	"testing"
)

// BenchmarkFaces is one GET of each face's target over loopback, for
// profiles of what wrk measures.
func BenchmarkFaces(b *testing.B) {
	s, err := ServeFaces(20)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, t := range s.Targets {
		b.Run(t.Name, func(b *testing.B) {
			req, err := http.NewRequest("GET", s.Ambit+t.Path, nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header = t.Header.Clone()
			b.ReportAllocs()
			for b.Loop() {
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		})
	}
}
