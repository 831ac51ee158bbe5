package openshift_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/openshift"
)

// The broker's API root, which clients read before they log in: links to
// everything else.
func Example() {
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet), cluster.WithTypes(openshift.Types()...))
	if err != nil {
		panic(err)
	}
	defer m.Close(context.Background())
	srv := httptest.NewServer(server.New(nil, server.WithCluster(m, cluster.Execution{Driver: cluster.NewSim()}),
		server.WithFaces(openshift.Face()), server.WithLogger(quiet)))
	defer srv.Close()

	req, _ := http.NewRequest("GET", srv.URL+"/broker/rest/api", nil)
	req.Header.Set("Accept", "application/json; version=1.7")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	var env struct {
		Status string
		Type   string
		Data   map[string]struct{ Method, Href string }
	}
	if err := json.NewDecoder(res.Body).Decode(&env); err != nil {
		panic(err)
	}
	add := env.Data["ADD_DOMAIN"]
	fmt.Println(env.Status, env.Type, add.Method, add.Href[len(srv.URL):])
	// Output: ok links POST /broker/rest/domains
}
