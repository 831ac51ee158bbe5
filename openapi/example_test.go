package openapi_test

import (
	"encoding/json"
	"fmt"

	"github.com/ambitkit/ambit/openapi"
	"github.com/ambitkit/ambit/resource"
)

// A document with one operation: the create body of a type, as the type
// declares it.
func Example() {
	agents := resource.Type{Name: "Agent", Collection: "agents", Keys: []string{"Agents/name"},
		Properties: []resource.Property{{Path: "Agents/os", Kind: resource.String, Required: true}}}
	d := openapi.New("agents", "1", "")
	item := &openapi.PathItem{}
	item.Operation("POST").RequestBody = &openapi.RequestBody{Content: openapi.JSON(openapi.Resource(agents, openapi.Create))}
	item.Post.Responses["201"] = &openapi.Response{Description: "Created."}
	d.Paths["/agents"] = item
	b, _ := json.Marshal(d.Paths["/agents"].Post.RequestBody)
	fmt.Println(string(b))
	// Output:
	// {"content":{"application/json":{"schema":{"type":"object","properties":{"Agents":{"type":"object","properties":{"name":{"type":"string"},"os":{"type":"string"}},"required":["os","name"],"additionalProperties":false}},"required":["Agents"],"additionalProperties":false}}}}
}
