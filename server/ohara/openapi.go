package ohara

import (
	"net/http"

	"github.com/ambitkit/ambit/openapi"
	"github.com/ambitkit/ambit/server"
)

// The face's OpenAPI document: nodes, and the zookeeper, broker and worker
// clusters, answered bare as Ohara does (an object, an array), in a group
// (?group=, default "default").

// schemas adds the schemas of nodes and of cluster objects.
func schemas(d *openapi.Document) {
	if _, ok := d.Components.Schemas["Node"]; ok {
		return
	}
	str, num := &openapi.Schema{Type: "string"}, &openapi.Schema{Type: "number"}
	strs, obj := openapi.Array(str), &openapi.Schema{Type: "object"}
	d.Components.Schemas["Node"] = openapi.Object(map[string]*openapi.Schema{
		"hostname": str, "port": openapi.Nullable(num), "user": openapi.Nullable(str), "tags": obj,
		"lastModified": openapi.Nullable(num), "state": str, "services": openapi.Array(obj), "resources": openapi.Array(obj),
	}, "hostname")
	d.Components.Schemas["NodeCreate"] = openapi.Object(map[string]*openapi.Schema{
		"hostname": str, "port": num, "user": str, "password": str, "tags": obj}, "hostname")
	d.Components.Schemas["Cluster"] = openapi.Object(map[string]*openapi.Schema{
		"name": str, "group": str, "nodeNames": strs, "aliveNodes": strs, "state": str, "error": str,
		"lastModified": num, "imageName": str, "tags": obj, "nodeMetrics": obj,
	}, "name", "group")
	d.Components.Schemas["ClusterSettings"] = openapi.Object(map[string]*openapi.Schema{
		"name": str, "group": str, "nodeNames": strs, "imageName": str, "tags": obj})
}

func groupParam() *openapi.Parameter {
	return &openapi.Parameter{Name: "group", In: "query", Description: "The object's group (default: default).", Schema: &openapi.Schema{Type: "string"}}
}

// describe documents the face's routes.
func describe(m *server.Mount) {
	d := m.Document()
	schemas(d)
	ok := func(s *openapi.Schema) map[string]*openapi.Response {
		return map[string]*openapi.Response{"200": {Description: "OK", Content: openapi.JSON(s)}}
	}
	body := func(s *openapi.Schema) *openapi.RequestBody {
		return &openapi.RequestBody{Required: true, Content: openapi.JSON(s)}
	}
	node, cl := openapi.Ref("Node"), openapi.Ref("Cluster")
	none := map[string]*openapi.Response{"204": {Description: "Done."}, "202": {Description: "Accepted."}}
	ops := map[[2]string]*openapi.Operation{
		{http.MethodPost, "/nodes"}:         {Summary: "Add a node", Tags: []string{"nodes"}, RequestBody: body(openapi.Ref("NodeCreate")), Responses: ok(node)},
		{http.MethodGet, "/nodes"}:          {Summary: "The nodes", Tags: []string{"nodes"}, Responses: ok(openapi.Array(node))},
		{http.MethodGet, "/nodes/:name"}:    {Summary: "A node", Tags: []string{"nodes"}, Responses: ok(node)},
		{http.MethodPut, "/nodes/:name"}:    {Summary: "Add or change a node", Tags: []string{"nodes"}, RequestBody: body(openapi.Ref("NodeCreate")), Responses: ok(node)},
		{http.MethodDelete, "/nodes/:name"}: {Summary: "Remove a node", Tags: []string{"nodes"}, Responses: map[string]*openapi.Response{"204": {Description: "Removed."}}},
	}
	for _, k := range kinds {
		base, tag := "/"+k.path, []string{k.path}
		ops[[2]string{http.MethodPost, base}] = &openapi.Operation{Summary: "Create a " + k.category + " cluster", Tags: tag, RequestBody: body(openapi.Ref("ClusterSettings")), Responses: ok(cl)}
		ops[[2]string{http.MethodGet, base}] = &openapi.Operation{Summary: "The " + k.category + " clusters", Tags: tag, Parameters: []*openapi.Parameter{groupParam()}, Responses: ok(openapi.Array(cl))}
		ops[[2]string{http.MethodGet, base + "/:name"}] = &openapi.Operation{Summary: "A " + k.category + " cluster", Tags: tag, Parameters: []*openapi.Parameter{groupParam()}, Responses: ok(cl)}
		ops[[2]string{http.MethodPut, base + "/:name"}] = &openapi.Operation{Summary: "Create or change a " + k.category + " cluster", Tags: tag, Parameters: []*openapi.Parameter{groupParam()}, RequestBody: body(openapi.Ref("ClusterSettings")), Responses: ok(cl)}
		ops[[2]string{http.MethodDelete, base + "/:name"}] = &openapi.Operation{Summary: "Delete a " + k.category + " cluster", Tags: tag, Parameters: []*openapi.Parameter{groupParam()}, Responses: none}
		ops[[2]string{http.MethodPut, base + "/:name/:action"}] = &openapi.Operation{Summary: "start, stop, or add the node named", Tags: tag, Parameters: []*openapi.Parameter{groupParam()}, Responses: none}
		ops[[2]string{http.MethodDelete, base + "/:name/:action"}] = &openapi.Operation{Summary: "Remove the node named from the cluster", Tags: tag, Parameters: []*openapi.Parameter{groupParam()}, Responses: none}
	}
	m.Describe(ops)
}
