package ambariclient_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/ambitkit/ambit/openapi/contract"
	"github.com/ambitkit/ambit/openapi/contract/ambariclient"
)

// Create a cluster with the generated client, and list the clusters.
func Example() {
	srv, stop, err := contract.Serve()
	if err != nil {
		panic(err)
	}
	defer stop()
	ctx := context.Background()
	c, err := ambariclient.NewClientWithResponses(srv.URL)
	if err != nil {
		panic(err)
	}
	made, err := c.PostClustersItemWithBody(ctx, "c1", "application/json", strings.NewReader(`{"Clusters": {"version": "AMBIT-1.0"}}`))
	if err != nil {
		panic(err)
	}
	made.Body.Close()
	list, err := c.GetClustersWithResponse(ctx, &ambariclient.GetClustersParams{})
	if err != nil {
		panic(err)
	}
	fmt.Println(made.StatusCode, *list.JSON200.Items[0].Clusters.ClusterName)
	// Output: 201 c1
}
