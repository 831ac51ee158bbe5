package cdap

import (
	"net/http"

	"github.com/ambitkit/ambit/openapi"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// The face's OpenAPI document: CDAP answers its objects bare (an array, an
// object), and its writes with a line of text.

// schema adds the schema of a type's objects as CDAP answers them, by the
// type's name, and refers to it.
func schema(d *openapi.Document, t resource.Type) *openapi.Schema {
	if _, ok := d.Components.Schemas[t.Name]; !ok {
		s := openapi.Resource(t, openapi.Read).Properties[t.Category]
		for n, p := range s.Properties {
			s.Properties[n] = openapi.Nullable(p)
		}
		d.Components.Schemas[t.Name] = s
	}
	return openapi.Ref(t.Name)
}

// wrote is CDAP's answer to a write.
var wrote = &openapi.Response{Description: "Done: CDAP's message.",
	Content: map[string]openapi.MediaType{"text/plain": {Schema: &openapi.Schema{Type: "string"}}}}

func typeOf(collection string) resource.Type {
	for _, t := range Types() {
		if t.Collection == collection {
			return t
		}
	}
	panic("cdap: no type " + collection)
}

func ok(s *openapi.Schema) map[string]*openapi.Response {
	return map[string]*openapi.Response{"200": {Description: "OK", Content: openapi.JSON(s)}}
}

func object(props map[string]*openapi.Schema) *openapi.RequestBody {
	return &openapi.RequestBody{Content: openapi.JSON(openapi.Object(props))}
}

func (f *face) describeIn(m *server.Mount) {
	d := m.Document()
	ns, app, profile, artifact := schema(d, typeOf(Namespaces)), schema(d, typeOf(Apps)), schema(d, typeOf(Profiles)), schema(d, typeOf(Artifacts))
	obj, str := &openapi.Schema{Type: "object"}, &openapi.Schema{Type: "string"}
	done := map[string]*openapi.Response{"200": wrote}
	m.Describe(map[[2]string]*openapi.Operation{
		{http.MethodGet, ""}:                                       {Summary: "A namespace", Tags: []string{"namespaces"}, Responses: ok(ns)},
		{http.MethodPut, ""}:                                       {Summary: "Create a namespace", Tags: []string{"namespaces"}, RequestBody: object(map[string]*openapi.Schema{"description": str, "config": obj}), Responses: done},
		{http.MethodPut, "/properties"}:                            {Summary: "Change a namespace's properties", Tags: []string{"namespaces"}, RequestBody: object(map[string]*openapi.Schema{"description": str, "config": obj}), Responses: done},
		{http.MethodGet, "/preferences"}:                           {Summary: "A namespace's preferences", Tags: []string{"preferences"}, Responses: ok(&openapi.Schema{Type: "object", AdditionalProperties: str})},
		{http.MethodPut, "/preferences"}:                           {Summary: "Set a namespace's preferences", Tags: []string{"preferences"}, RequestBody: &openapi.RequestBody{Content: openapi.JSON(&openapi.Schema{Type: "object"})}, Responses: done},
		{http.MethodGet, "/apps"}:                                  {Summary: "The applications", Tags: []string{"apps"}, Responses: ok(openapi.Array(app))},
		{http.MethodGet, "/apps/:app"}:                             {Summary: "An application", Tags: []string{"apps"}, Responses: ok(app)},
		{http.MethodPut, "/apps/:app"}:                             {Summary: "Deploy an application", Tags: []string{"apps"}, RequestBody: object(map[string]*openapi.Schema{"artifact": obj, "config": obj, "description": str}), Responses: done},
		{http.MethodGet, "/profiles"}:                              {Summary: "The compute profiles", Tags: []string{"profiles"}, Responses: ok(openapi.Array(profile))},
		{http.MethodGet, "/profiles/:profile"}:                     {Summary: "A compute profile", Tags: []string{"profiles"}, Responses: ok(profile)},
		{http.MethodPut, "/profiles/:profile"}:                     {Summary: "Write a compute profile", Tags: []string{"profiles"}, RequestBody: object(map[string]*openapi.Schema{"label": str, "description": str, "provisioner": obj}), Responses: done},
		{http.MethodGet, "/artifacts"}:                             {Summary: "The artifacts", Tags: []string{"artifacts"}, Responses: ok(openapi.Array(artifact))},
		{http.MethodGet, "/artifacts/:artifact/versions/:version"}: {Summary: "An artifact", Tags: []string{"artifacts"}, Responses: ok(artifact)},
	})
}

func (f *face) describeOut(m *server.Mount) {
	d := m.Document()
	m.Describe(map[[2]string]*openapi.Operation{
		{http.MethodGet, "/namespaces"}: {Summary: "The namespaces", Tags: []string{"namespaces"}, Responses: ok(openapi.Array(schema(d, typeOf(Namespaces))))},
	})
}
