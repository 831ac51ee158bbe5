package ambit_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	apierr "github.com/ambitkit/ambit/errors"
)

// Example is the tour in the package comment: an API error written in
// Ambari's envelope, and read back by a Go client.
func Example() {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apierr.Write(w, r, apierr.Ambari{}, apierr.NotFound("Cluster not found, clusterName=%s", "c1"))
	})
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/api/v1/clusters/c1")
	if err != nil {
		fmt.Println(err)
		return
	}
	e := apierr.Parse(resp)
	fmt.Println(e.Status, e.Message)
	// Output: 404 Cluster not found, clusterName=c1
}
