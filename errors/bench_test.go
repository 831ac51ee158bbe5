package errors_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	apierr "github.com/ambitkit/ambit/errors"
)

// BenchmarkEncode encodes one error with a field and a detail per dialect.
func BenchmarkEncode(b *testing.B) {
	e := apierr.BadRequest("The properties [Hosts/foo] specified in the request or predicate are not supported for the resource type Host.").
		WithField("fields", 0).
		WithDetails(apierr.Detail{Field: "Hosts/foo", Message: "unknown property"})
	for _, d := range dialects {
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := d.d.Encode(io.Discard, e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWrite is the whole answer to a request: headers, status, body.
func BenchmarkWrite(b *testing.B) {
	e := apierr.NotFound("The requested resource doesn't exist: Cluster not found, clusterName=c1")
	r := httptest.NewRequest(http.MethodGet, "/api/v1/clusters/c1", nil)
	b.ReportAllocs()
	for b.Loop() {
		apierr.Write(discardWriter{http.Header{}}, r, apierr.Ambari{}, e)
	}
}

type discardWriter struct{ h http.Header }

func (w discardWriter) Header() http.Header         { return w.h }
func (w discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w discardWriter) WriteHeader(int)             {}
