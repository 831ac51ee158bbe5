// Command embed mounts ambit's API into an existing net/http service, next
// to the service's own routes, with a resource type of its own: a fleet of
// build agents that clients query Ambari style.
//
//	go run ./examples/embed
//	curl 'http://127.0.0.1:8081/api/v1/agents?Agents/busy=false&fields=Agents/os'
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
)

// agents is the service's own resource type.
var agents = resource.Type{
	Name: "Agent", Collection: "agents", Singular: "agent", Category: "Agents",
	Keys: []string{"Agents/name"},
	Properties: []resource.Property{
		{Path: "Agents/os", Kind: resource.String, Indexed: true},
		{Path: "Agents/busy", Kind: resource.Bool, Indexed: true, Default: false},
		{Path: "Agents/cores", Kind: resource.Number},
	},
}

// handler is the service: its own /status route, and ambit under /api/v1.
func handler(ctx context.Context) (http.Handler, error) {
	store, err := resource.New(agents)
	if err != nil {
		return nil, err
	}
	for i, os := range []string{"linux", "linux", "windows"} {
		body := map[string]any{"Agents": map[string]any{"name": fmt.Sprintf("agent-%d", i+1), "os": os, "cores": 8}}
		if _, err := store.Create(ctx, "agents", "", body); err != nil {
			return nil, err
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/status", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "all good") })
	mux.Handle(ambari.Prefix+"/", server.New(store, server.WithFaces(ambari.Face()), server.WithoutCSRF()))
	return mux, nil
}

func main() {
	h, err := handler(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	log.Println("serving http://127.0.0.1:8081/status and http://127.0.0.1:8081/api/v1/agents")
	log.Fatal(http.ListenAndServe("127.0.0.1:8081", h))
}
