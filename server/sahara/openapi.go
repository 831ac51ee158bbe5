package sahara

import (
	"github.com/ambitkit/ambit/openapi"
	"github.com/ambitkit/ambit/server"
)

// The face's OpenAPI document: Sahara's objects, each answered in a
// wrapper named for it ({"cluster": {...}}, {"clusters": [...]}), its
// unset fields null.

// schemas adds a kind's schemas to the document: the object as answers
// hold it, and as a create or an update sends it.
func (k kind) schemas(d *openapi.Document) {
	name := camel(k.singular)
	if _, ok := d.Components.Schemas[name]; ok {
		return
	}
	t := k.typ()
	item := openapi.Resource(t, openapi.Read).Properties[k.singular]
	for n, p := range item.Properties {
		item.Properties[n] = openapi.Nullable(p)
	}
	d.Components.Schemas[name] = item
	create := openapi.Resource(t, openapi.Update).Properties[k.singular]
	create.AdditionalProperties, create.Required = nil, k.required
	d.Components.Schemas[name+"Create"] = create
	update := openapi.Resource(t, openapi.Update).Properties[k.singular]
	update.AdditionalProperties = nil
	d.Components.Schemas[name+"Update"] = update
}

// one and many are a kind's answers: one object, or a page of them.
func (k kind) one() *openapi.Schema {
	return openapi.Object(map[string]*openapi.Schema{k.singular: openapi.Ref(camel(k.singular))}, k.singular)
}

func (k kind) many() *openapi.Schema {
	marker := &openapi.Schema{Type: []string{"string", "null"}}
	return openapi.Object(map[string]*openapi.Schema{
		k.plural:  openapi.Array(openapi.Ref(camel(k.singular))),
		"markers": openapi.Object(map[string]*openapi.Schema{"next": marker, "prev": marker}),
	}, k.plural)
}

// pageParams are a list's query parameters: Sahara's paging, and exact
// filters on the kind's fields.
func pageParams() []*openapi.Parameter {
	explode := true
	return []*openapi.Parameter{
		{Name: "limit", In: "query", Description: "Objects per page.", Schema: openapi.Count()},
		{Name: "marker", In: "query", Description: "Resume after the object of this id.", Schema: &openapi.Schema{Type: "string"}},
		{Name: "sort_by", In: "query", Description: "A field to sort by, descending with a leading -.", Schema: &openapi.Schema{Type: "string"}},
		{Name: "filters", In: "query", Style: "form", Explode: &explode, Description: "Exact filters on fields: name=cluster-1.",
			Schema: &openapi.Schema{Type: "object", AdditionalProperties: &openapi.Schema{Type: "string"}}},
	}
}

// describe documents the routes of a kind.
func (k kind) describe(d *openapi.Document, list, create, show, put, patch, remove *server.Route) {
	k.schemas(d)
	tag := []string{k.plural}
	name := camel(k.singular)
	accepted := &openapi.Response{Description: "Accepted.", Content: openapi.JSON(k.one())}
	list.Describe(&openapi.Operation{Summary: "The " + k.plural, Tags: tag, Parameters: pageParams(),
		Responses: map[string]*openapi.Response{"200": {Description: "OK", Content: openapi.JSON(k.many())}}})
	if create != nil {
		create.Describe(&openapi.Operation{Summary: "Create a " + k.singular, Tags: tag,
			RequestBody: &openapi.RequestBody{Required: true, Content: openapi.JSON(openapi.Ref(name + "Create"))},
			Responses:   map[string]*openapi.Response{"202": accepted}})
	}
	if show != nil {
		show.Describe(&openapi.Operation{Summary: "A " + k.singular, Tags: tag,
			Responses: map[string]*openapi.Response{"200": {Description: "OK", Content: openapi.JSON(k.one())}}})
	}
	for _, r := range []*server.Route{put, patch} {
		if r != nil {
			r.Describe(&openapi.Operation{Summary: "Update a " + k.singular, Tags: tag,
				RequestBody: &openapi.RequestBody{Required: true, Content: openapi.JSON(openapi.Ref(name + "Update"))},
				Responses:   map[string]*openapi.Response{"202": accepted}})
		}
	}
	if remove != nil {
		remove.Describe(&openapi.Operation{Summary: "Delete a " + k.singular, Tags: tag,
			Responses: map[string]*openapi.Response{"204": {Description: "Deleted."}}})
	}
}
