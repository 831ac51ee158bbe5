package ambari_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
)

// Example serves a store of one custom type, Ambari style.
func Example() {
	s, _ := resource.New(resource.Type{Name: "Widget", Collection: "widgets", Keys: []string{"Widgets/name"},
		Properties: []resource.Property{{Path: "Widgets/size", Kind: resource.Number, Indexed: true}}})
	for i, name := range []string{"a", "b", "c"} {
		_, _ = s.Create(context.Background(), "widgets", "", map[string]any{"Widgets": map[string]any{"name": name, "size": i}})
	}
	srv := httptest.NewServer(server.New(s, server.WithFaces(ambari.Face()), server.Compact()))
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/api/v1/widgets?Widgets/size>=1&fields=Widgets/size&page_size=1")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	fmt.Print(strings.ReplaceAll(string(body), srv.URL, "http://ambit"))
	// Output:
	// 200
	// {"href":"http://ambit/api/v1/widgets?Widgets/size>=1&fields=Widgets/size&page_size=1","itemTotal":"2","items":[{"Widgets":{"name":"b","size":1},"href":"http://ambit/api/v1/widgets/b"}]}
}
