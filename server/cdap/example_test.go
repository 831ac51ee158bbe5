package cdap_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/cdap"
)

// The CDAP face beside a cluster manager: a namespace made with PUT, as
// CDAP's clients make one, without a body.
func Example() {
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet), cluster.WithTypes(cdap.Types()...))
	if err != nil {
		panic(err)
	}
	defer m.Close(context.Background())
	srv := httptest.NewServer(server.New(nil, server.WithCluster(m, cluster.Execution{Driver: cluster.NewSim()}),
		server.WithFaces(cdap.Faces()...), server.WithLogger(quiet)))
	defer srv.Close()

	for _, method := range []string{"PUT", "PUT", "GET"} {
		req, _ := http.NewRequest(method, srv.URL+"/v3/namespaces/dev", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		fmt.Println(res.StatusCode, string(body[:min(len(body), 40)]))
	}
	// Output:
	// 200 Namespace 'dev' created successfully.
	// 200 Namespace 'dev' already exists.
	// 200 {"config":{},"description":"","generatio
}
