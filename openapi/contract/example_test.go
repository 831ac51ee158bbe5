package contract_test

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/ambitkit/ambit/openapi/contract"
)

// The server every contract test runs, and the document of one face.
func Example() {
	srv, stop, err := contract.Serve()
	if err != nil {
		panic(err)
	}
	defer stop()
	resp, err := http.Get(srv.URL + contract.Documents["cdap"])
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct{ Title string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		panic(err)
	}
	fmt.Println(doc.OpenAPI, doc.Info.Title)
	// Output: 3.1.0 cdap
}
