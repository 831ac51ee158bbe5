package ohara_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ohara"
)

// A zookeeper cluster on a node, started as Ohara's clients start one:
// PUT …/start answers 202, and GET shows it RUNNING.
func Example() {
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet), cluster.WithTypes(ohara.Types()...))
	if err != nil {
		panic(err)
	}
	defer m.Close(context.Background())
	srv := httptest.NewServer(server.New(nil, server.WithCluster(m, cluster.Execution{Driver: cluster.NewSim()}),
		server.WithFaces(ohara.Face()), server.WithLogger(quiet)))
	defer srv.Close()

	send := func(method, path, body string) string {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return fmt.Sprint(res.StatusCode, " ", len(b) > 0)
	}
	fmt.Println(send("POST", "/v0/nodes", `{"hostname":"node1"}`))
	fmt.Println(send("POST", "/v0/zookeepers", `{"name":"zk","nodeNames":["node1"]}`))
	fmt.Println(send("PUT", "/v0/zookeepers/zk/start", ""))
	fmt.Println(send("GET", "/v0/zookeepers/zk", ""))
	// Output:
	// 200 true
	// 200 true
	// 202 false
	// 200 true
}
