package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
)

// Example_demo builds the demo cluster that `go run ./cmd/ambit` serves and
// lists its services over HTTP.
func Example_demo() {
	ctx := context.Background()
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		panic(err)
	}
	x := cluster.Execution{Driver: cluster.NewSim()}
	if err := demo(ctx, m); err != nil {
		panic(err)
	}
	srv := httptest.NewServer(server.New(nil, server.WithFaces(ambari.Face()), server.WithCluster(m, x)))
	defer srv.Close()

	res, err := srv.Client().Get(srv.URL + "/api/v1/clusters/c1/services?fields=ServiceInfo/state")
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	var body struct {
		Items []struct {
			ServiceInfo struct {
				Name  string `json:"service_name"`
				State string `json:"state"`
			}
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		panic(err)
	}
	for _, it := range body.Items {
		fmt.Println(it.ServiceInfo.Name, it.ServiceInfo.State)
	}
	// Output:
	// HDFS INSTALLED
	// KAFKA INSTALLED
	// KAFKA_CONNECT INSTALLED
	// ZOOKEEPER INSTALLED
}
