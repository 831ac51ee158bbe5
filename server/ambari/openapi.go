package ambari

import (
	"github.com/ambitkit/ambit/openapi"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// The face's OpenAPI document: every type's collection and instance routes,
// at every place the face mounts them, with Ambari's list parameters and
// bodies.

// listParams are the query parameters of a GET, as the document's
// components hold them.
func listParams(d *openapi.Document) []*openapi.Parameter {
	if d.Components.Parameters == nil {
		d.Components.Parameters = map[string]*openapi.Parameter{}
		for _, p := range listParameters() {
			d.Components.Parameters[p.Name] = p
		}
	}
	var refs []*openapi.Parameter
	for _, p := range listParameters() {
		refs = append(refs, &openapi.Parameter{Ref: "#/components/parameters/" + p.Name})
	}
	return refs
}

// listParameters are the parameters Ambari's clients send; the face also
// reads sort_by, OpenStack's spelling of sortBy, which is left out here:
// generated clients would name both SortBy.
func listParameters() []*openapi.Parameter {
	str := func(name, desc string) *openapi.Parameter {
		return &openapi.Parameter{Name: name, In: "query", Description: desc, Schema: &openapi.Schema{Type: "string"}}
	}
	explode := true
	return []*openapi.Parameter{
		str("fields", "The properties and sub-resources to answer with: Hosts/host_name,Hosts/cpu_count,host_components/*."),
		str("sortBy", "Sort order: Hosts/host_name.asc,Hosts/cpu_count.desc."),
		{Name: "page_size", In: "query", Description: "Items per page.", Schema: openapi.Count()},
		str("from", "The first item's offset, or start."),
		str("to", "The last item's offset, or end."),
		{Name: "limit", In: "query", Description: "Items per page, with marker.", Schema: openapi.Count()},
		str("marker", "Resume after the item of this id."),
		str("page_token", "Resume where the page that gave this token ended."),
		{Name: "minimal_response", In: "query", Description: "Leave out hrefs and foreign keys.", Schema: &openapi.Schema{Type: "boolean"}},
		str("format", "A named response format: minimal is minimal_response."),
		{Name: "predicate", In: "query", Style: "form", Explode: &explode,
			Description: "The query predicate, as the rest of the query string: Hosts/cpu_count>=2&Hosts/os_type.in(rhel8,centos7).",
			Schema:      &openapi.Schema{Type: "object", AdditionalProperties: &openapi.Schema{Type: "string"}}},
	}
}

// schemas adds a type's schemas to the document, once: its resources as
// answers hold them, and its create and update bodies.
func schemas(d *openapi.Document, t resource.Type) {
	if _, ok := d.Components.Schemas[t.Name]; ok {
		return
	}
	item := openapi.Resource(t, openapi.Read)
	item.Properties["href"] = &openapi.Schema{Type: "string", ReadOnly: true}
	d.Components.Schemas[t.Name] = item
	d.Components.Schemas[t.Name+"Update"] = openapi.Resource(t, openapi.Update)
	d.Components.Schemas[t.Name+"Create"] = openapi.Resource(t, openapi.Create, t.Keys[:len(t.Keys)-1]...)
	d.Components.Schemas[t.Name+"CreateAt"] = openapi.Resource(t, openapi.Create, t.Keys...)
}

// createSchema names the create body of a route that supplies given keys:
// a collection's parents' keys, or (an instance) every key.
func createSchema(t resource.Type, given []string) *openapi.Schema {
	if len(given) == len(t.Keys) {
		return openapi.Ref(t.Name + "CreateAt")
	}
	return openapi.Ref(t.Name + "Create")
}

// bodyOf is what a POST or PUT accepts: the properties, the properties
// with RequestInfo (Body beside it), or an array of either (a batch).
func bodyOf(props *openapi.Schema) *openapi.RequestBody {
	info := openapi.Object(map[string]*openapi.Schema{"RequestInfo": {Type: "object"}, "Body": props})
	one := &openapi.Schema{AnyOf: []*openapi.Schema{props, info}}
	return &openapi.RequestBody{Description: "Ambari reads a body whatever its Content-Type.",
		Content: openapi.JSON(&openapi.Schema{AnyOf: []*openapi.Schema{one, openapi.Array(&openapi.Schema{Type: "object"})}})}
}

var accepted = &openapi.Response{Description: "A request was made to do the work: follow its href.",
	Content: openapi.JSON(openapi.Object(map[string]*openapi.Schema{
		"href":     {Type: "string"},
		"Requests": openapi.Object(map[string]*openapi.Schema{"id": {Type: "integer"}, "status": {Type: "string"}}),
	}, "href", "Requests"))}

// describe documents the routes of a type at one place: given are the
// keys the path supplies.
func describe(d *openapi.Document, t resource.Type, instance bool, given []string, list, create, update, remove *server.Route) {
	schemas(d, t)
	tag := []string{t.Collection}
	ok := &openapi.Response{Description: "Done."}
	answer := openapi.Ref(t.Name)
	summary := "The " + t.Collection
	if !instance {
		answer = openapi.Object(map[string]*openapi.Schema{"href": {Type: "string"}, "itemTotal": {Type: "string"},
			"items": openapi.Array(openapi.Ref(t.Name))}, "items")
	} else {
		summary = "A " + t.Name
	}
	list.Describe(&openapi.Operation{Summary: summary, Tags: tag, Parameters: listParams(d),
		Responses: map[string]*openapi.Response{"200": {Description: "OK", Content: openapi.JSON(answer)}}})
	create.Describe(&openapi.Operation{Summary: "Create " + t.Collection, Tags: tag,
		RequestBody: bodyOf(createSchema(t, given)),
		Responses:   map[string]*openapi.Response{"201": {Description: "Created."}, "202": accepted, "200": {Description: "A batch: each element's status and body."}}})
	update.Describe(&openapi.Operation{Summary: "Update " + t.Collection, Tags: tag, RequestBody: bodyOf(openapi.Ref(t.Name + "Update")),
		Responses: map[string]*openapi.Response{"200": ok, "202": accepted}})
	remove.Describe(&openapi.Operation{Summary: "Delete " + t.Collection, Tags: tag,
		Responses: map[string]*openapi.Response{"200": ok}})
}
