package contract

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/ambitkit/ambit/server/cdap"
	"github.com/ambitkit/ambit/server/ohara"
	"github.com/ambitkit/ambit/server/openshift"
	"github.com/ambitkit/ambit/server/sahara"
)

// Documents are where each face serves its document.
var Documents = map[string]string{
	"ambari":    "/api/v1/openapi.json",
	"sahara":    "/v1.1/proj1/openapi.json",
	"cdap":      "/v3/openapi.json",
	"openshift": "/broker/rest/openapi.json",
	"ohara":     "/v0/openapi.json",
}

// Start runs a server with every face, as cmd/ambit serves them, with no
// users (no authentication) and tasks that end at once; t's cleanup
// closes it.
func Start(t testing.TB) *httptest.Server {
	t.Helper()
	srv, stop, err := Serve()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return srv
}

// Serve runs the server Start runs, for a program; stop closes it.
func Serve() (srv *httptest.Server, stop func(), err error) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet),
		cluster.WithTypes(slices.Concat(sahara.Types(), cdap.Types(), openshift.Types(), ohara.Types())...))
	if err != nil {
		return nil, nil, err
	}
	faces := append([]server.Face{ambari.Face(), sahara.Face(), openshift.Face(), ohara.Face()}, cdap.Faces()...)
	h := server.New(nil, server.WithFaces(faces...), server.WithCluster(m, cluster.Execution{Driver: cluster.NewSim()}),
		server.WithoutCSRF(), server.WithLogger(quiet))
	srv = httptest.NewServer(h)
	return srv, func() {
		srv.Close()
		_ = m.Close(context.Background())
	}, nil
}

// Get reads a URL that must answer 200.
func Get(t testing.TB, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return b
}
