// Command standalone is a minimal server composed from ambit's packages: a
// cluster manager with the built-in stack, the simulated driver, and the
// server, without the demo or the flags of cmd/ambit.
//
//	go run ./examples/standalone
package main

import (
	"context"
	"log"
	"net/http"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
)

func newHandler() (http.Handler, *cluster.Manager, error) {
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil)
	if err != nil {
		return nil, nil, err
	}
	if err := m.CreateCluster(context.Background(), "c1"); err != nil {
		return nil, nil, err
	}
	x := cluster.Execution{Driver: cluster.NewSim(cluster.Rule{Duration: time.Second})}
	return server.New(nil, server.WithFaces(ambari.Face()), server.WithCluster(m, x)), m, nil
}

func main() {
	h, _, err := newHandler()
	if err != nil {
		log.Fatal(err)
	}
	log.Println("serving http://127.0.0.1:8082/api/v1/clusters")
	log.Fatal(http.ListenAndServe("127.0.0.1:8082", h))
}
