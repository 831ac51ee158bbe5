package contract

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestDocumentsValidate loads every face's document as a client would,
// from the running server without credentials, and validates it as
// OpenAPI 3.1.
func TestDocumentsValidate(t *testing.T) {
	srv := Start(t)
	for face, path := range Documents {
		t.Run(face, func(t *testing.T) {
			doc, err := openapi3.NewLoader().LoadFromData(Get(t, srv.URL+path))
			if err != nil {
				t.Fatal(err)
			}
			if doc.OpenAPI != "3.1.0" {
				t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
			}
			if err := doc.Validate(context.Background(), openapi3.IsOpenAPI31OrLater()); err != nil {
				t.Error(err)
			}
			if doc.Paths.Len() == 0 {
				t.Error("no paths")
			}
		})
	}
}
