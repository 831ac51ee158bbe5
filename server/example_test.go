package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// Example mounts a face of one route: it returns results and errors, and
// the core writes them, the error in the face's envelope.
func Example() {
	hello := server.Face{Name: "hello", Prefix: "/hello/v1", Dialect: apierr.Ohara{},
		Mount: func(m *server.Mount) {
			m.Handle("GET", "/greetings/:name", func(c *server.Call) (server.Result, error) {
				if c.Param("name") == "nobody" {
					return server.Result{}, resource.Errorf(resource.NotFound, "name", "Nobody to greet.")
				}
				return server.OK(map[string]any{"greeting": "hello, " + c.Param("name")}), nil
			})
		}}
	store, _ := resource.New()
	srv := httptest.NewServer(server.New(store, server.WithFaces(hello)))
	defer srv.Close()
	for _, name := range []string{"ada", "nobody"} {
		resp, err := http.Get(srv.URL + "/hello/v1/greetings/" + name)
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Print(resp.StatusCode, " ", string(body))
	}
	// Output:
	// 200 {"greeting":"hello, ada"}
	// 404 {"code":"NOT_FOUND","message":"Nobody to greet.","field":"name"}
}
