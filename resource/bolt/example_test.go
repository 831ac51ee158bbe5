package bolt_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/resource/bolt"
)

// A store on a bolt file keeps its resources across a restart: here, a
// second store opened on the file finds the host the first one created.
func Example() {
	dir, err := os.MkdirTemp("", "example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "ambit.db")
	hosts := resource.Type{Name: "Host", Collection: "hosts", Keys: []string{"Hosts/host_name"},
		Properties: []resource.Property{{Path: "Hosts/rack_info", Kind: resource.String}}}
	ctx := context.Background()

	db, err := bolt.Open(path)
	if err != nil {
		panic(err)
	}
	s, err := resource.Open(db, hosts)
	if err != nil {
		panic(err)
	}
	if _, err := s.Create(ctx, "hosts", "", map[string]any{"Hosts": map[string]any{"host_name": "h1", "rack_info": "/r1"}}); err != nil {
		panic(err)
	}
	db.Close() // a restart

	db, err = bolt.Open(path)
	if err != nil {
		panic(err)
	}
	defer db.Close()
	s, err = resource.Open(db, hosts)
	if err != nil {
		panic(err)
	}
	h, err := s.Get(ctx, resource.Ref{Type: "hosts", Keys: []string{"h1"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(h.Value("Hosts/rack_info"), s.Version())
	// Output: /r1 1
}
