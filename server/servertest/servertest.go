// Package servertest gives a Go test a running ambit server in one line,
// with the cluster manager and the simulated driver in reach so that the
// test can seed data and make tasks slow, failing or hanging:
//
//	srv := servertest.New(t, cluster.Rule{Component: "DATANODE", ExitCode: 1})
//	resp, err := http.Get(srv.URL + "/api/v1/clusters")
//
// The server has no users (no authentication) and no CSRF check, and is
// closed by t.Cleanup. Without rules that take time, a request has ended
// by the time its 202 is written: a client's first poll reads COMPLETED,
// and tests do not wait out its polling interval.
package servertest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/ambitkit/ambit/server/sahara"
)

// Server is a running test server.
type Server struct {
	*httptest.Server
	// Manager holds the server's clusters: seed them through it.
	Manager *cluster.Manager
	// Sim runs the tasks; its rules are the ones New was given.
	Sim *cluster.Sim
}

// New starts a server on the built-in stack, with no clusters, whose tasks
// follow rules (by default they succeed at once).
func New(t testing.TB, rules ...cluster.Rule) *Server {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet), cluster.WithTypes(sahara.Types()...))
	if err != nil {
		t.Fatal(err)
	}
	sim := cluster.NewSim(rules...)
	h := server.New(nil, server.WithFaces(ambari.Face(), sahara.Face()), server.WithCluster(m, cluster.Execution{Driver: sim}), server.WithoutCSRF(),
		server.WithLogger(quiet), server.WithReadCache(16<<20)) // as cmd/ambit serves
	s := &Server{Server: httptest.NewServer(h), Manager: m, Sim: sim}
	t.Cleanup(func() {
		s.Close()
		_ = m.Close(context.Background()) // stops the requests still running
	})
	return s
}
