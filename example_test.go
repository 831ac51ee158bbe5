package ambit_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/query"
)

// Example is the tour in the package comment: a handler that filters hosts
// with a predicate from its query string and answers bad predicates in
// Ambari's error envelope, and a Go client that reads the error back.
func Example() {
	hosts := []query.Tree{
		{"Hosts": map[string]any{"host_name": "h1", "cpu_count": 4, "os_type": "rhel8"}},
		{"Hosts": map[string]any{"host_name": "h2", "cpu_count": 1, "os_type": "rhel8"}},
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pred, _, err := query.Split(r.URL.RawQuery)
		var e query.Expr
		if err == nil {
			e, err = query.Parse(pred)
		}
		var se *query.SyntaxError
		if errors.As(err, &se) {
			apierr.Write(w, r, apierr.Ambari{}, apierr.BadRequest("Unable to compile query predicate: %v", se).WithField("predicate", se.Offset))
			return
		}
		for _, host := range hosts {
			if e.Match(host) {
				fmt.Fprintln(w, host["Hosts"].(map[string]any)["host_name"])
			}
		}
	})
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/api/v1/hosts?Hosts/cpu_count>=2&Hosts/os_type.in(rhel8,centos7)&fields=Hosts/host_name")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Print(string(body))

	resp, err = http.Get(srv.URL + "/api/v1/hosts?Hosts/cpu_count>=2&")
	if err != nil {
		fmt.Println(err)
		return
	}
	e := apierr.Parse(resp)
	fmt.Println(e.Status, e.Message)
	// Output:
	// h1
	// 400 Unable to compile query predicate: unexpected end of input at offset 19: expected a property name, "!" or "("
}
