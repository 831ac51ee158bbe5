package sahara_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/sahara"
)

// Example serves the Sahara face and creates a node group template in a
// project, as python-saharaclient does.
func Example() {
	m, _ := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet), cluster.WithTypes(sahara.Types()...))
	srv := httptest.NewServer(server.New(nil, server.WithCluster(m, cluster.Execution{}), server.WithFaces(sahara.Face())))
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/v1.1/proj1/node-group-templates", "application/json", strings.NewReader(
		`{"name": "workers", "plugin_name": "ambit", "hadoop_version": "1.0", "node_processes": ["DATANODE"], "flavor_id": "2"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var body struct {
		NGT map[string]any `json:"node_group_template"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	fmt.Println(resp.StatusCode, body.NGT["name"], body.NGT["tenant_id"], body.NGT["volumes_per_node"])
	// Output:
	// 202 workers proj1 0
}
