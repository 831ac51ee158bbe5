package errors_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	apierr "github.com/ambitkit/ambit/errors"
)

func ExampleAmbari() {
	e := apierr.NotFound("The requested resource doesn't exist: Cluster not found, clusterName=%s", "c1")
	_ = apierr.Ambari{}.Encode(os.Stdout, e)
	// Output:
	// {"status":404,"message":"The requested resource doesn't exist: Cluster not found, clusterName=c1"}
}

func ExampleSahara() {
	e := apierr.BadRequest("Cluster with name '%s' already exists", "test-cluster").
		WithName("CLUSTER_NAME_ALREADY_EXISTS")
	_ = apierr.Sahara{}.Encode(os.Stdout, e)
	// Output:
	// {"error_code":400,"error_name":"CLUSTER_NAME_ALREADY_EXISTS","error_message":"Cluster with name 'test-cluster' already exists"}
}

func ExampleOhara() {
	e := apierr.Internal("An internal error occurred.").WithCause(fmt.Errorf("docker: no such container"))
	_ = apierr.Ohara{}.Encode(os.Stdout, e)
	_ = apierr.Ohara{Debug: true}.Encode(os.Stdout, e)
	// Output:
	// {"code":"INTERNAL_SERVER_ERROR","message":"An internal error occurred."}
	// {"code":"INTERNAL_SERVER_ERROR","message":"An internal error occurred.","stack":"INTERNAL_SERVER_ERROR: An internal error occurred.\ncaused by: docker: no such container"}
}

func ExampleOpenShift() {
	d := apierr.OpenShift{Version: "1.4", Supported: []string{"1.0", "1.1", "1.2", "1.3", "1.4"}}
	e := apierr.NotAcceptable("Requested API version 2.0 is not supported. Supported versions are 1.0, 1.1, 1.2, 1.3, 1.4")
	_ = d.Encode(os.Stdout, e)
	// Output:
	// {"status":"not_acceptable","messages":[{"severity":"error","text":"Requested API version 2.0 is not supported. Supported versions are 1.0, 1.1, 1.2, 1.3, 1.4","field":null,"exit_code":1}],"data":null,"type":null,"api_version":1.4,"version":"1.4","supported_api_versions":[1.0,1.1,1.2,1.3,1.4]}
}

func ExampleProblem() {
	e := apierr.BadRequest("2 items of the batch are invalid.").
		WithDetails(
			apierr.Detail{Field: "items[0]/Hosts/cpu_count", Message: "not a number"},
			apierr.Detail{Field: "items[3]/Hosts/host_name", Message: "required"},
		)
	e.Instance = "/api/v1/hosts"
	_ = apierr.Problem{}.Encode(os.Stdout, e)
	// Output:
	// {"type":"about:blank","title":"Bad Request","status":400,"detail":"2 items of the batch are invalid.","instance":"/api/v1/hosts","name":"BAD_REQUEST","errors":[{"field":"items[0]/Hosts/cpu_count","message":"not a number"},{"field":"items[3]/Hosts/host_name","message":"required"}]}
}

func ExampleWrite() {
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/api/v1/clusters/c1", nil)
	// Internal errors are answered generically; their text stays in logs.
	apierr.Write(rec, r, apierr.Ambari{}, fmt.Errorf("open /var/lib/ambit: permission denied"))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Print(rec.Body.String())
	// Output:
	// 500 application/json
	// {"status":500,"message":"An internal error occurred."}
}

func ExampleParse() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apierr.Write(w, r, apierr.Sahara{}, apierr.Conflict("Cluster with name 'c1' already exists").
			WithName("CLUSTER_NAME_ALREADY_EXISTS"))
	}))
	defer srv.Close()

	resp, err := http.Post(srv.URL+"/v1.1/p1/clusters", "application/json", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	if e := apierr.Parse(resp); e != nil {
		fmt.Println(e.Status, e.ErrorName(), e.Message)
	}
	// Output:
	// 409 CLUSTER_NAME_ALREADY_EXISTS Cluster with name 'c1' already exists
}
