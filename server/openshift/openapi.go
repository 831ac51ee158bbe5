package openshift

import (
	"net/http"

	"github.com/ambitkit/ambit/openapi"
	"github.com/ambitkit/ambit/server"
)

// The face's OpenAPI document: every action is a route whose summary is its
// rel, whose body (JSON or a form) holds its parameters, and whose answer
// is the broker's reply envelope.

// replySchema is the reply envelope of a successful answer.
func replySchema() *openapi.Schema {
	str := &openapi.Schema{Type: "string"}
	message := openapi.Object(map[string]*openapi.Schema{"severity": str, "text": str, "exit_code": {Type: "integer"},
		"field": {Type: []string{"string", "null"}}}, "severity", "text")
	return openapi.Object(map[string]*openapi.Schema{"status": str, "type": {Type: []string{"string", "null"}},
		"data": {}, "messages": openapi.Array(message), "api_version": {}, "version": str,
		"supported_api_versions": openapi.Array(&openapi.Schema{})}, "status", "data", "messages")
}

// paramSchema is the schema of a parameter of one of the broker's types.
func paramSchema(p param) *openapi.Schema {
	s := &openapi.Schema{Description: p.description}
	switch p.typ {
	case "string", "boolean", "integer", "array":
		s.Type = p.typ
	}
	for _, v := range p.valid {
		if p.typ == "string" { // the options of others are their text: "true"
			s.Enum = append(s.Enum, v)
		}
	}
	return s
}

// describe documents every declared action's route, the parameters of
// every version together (a parameter renamed between versions is in
// both: none is required of every version).
func (f *face) describe(m *server.Mount) {
	d := m.Document()
	d.Components.Schemas["Reply"] = replySchema()
	type at struct{ method, route string }
	params, summaries := map[at]map[string]*openapi.Schema{}, map[at]string{}
	var order []at
	for _, a := range f.acts {
		k := at{a.method, a.route}
		if _, ok := params[k]; !ok {
			params[k] = map[string]*openapi.Schema{}
			order = append(order, k)
		}
		if a.handler != nil || summaries[k] == "" {
			summaries[k] = a.rel
		}
		for _, p := range append(append([]param(nil), a.required...), a.optional...) {
			params[k][p.name] = paramSchema(p)
		}
	}
	for _, k := range order {
		r := m.Route(k.method, k.route)
		if r == nil {
			continue
		}
		op := &openapi.Operation{Summary: summaries[k], Responses: map[string]*openapi.Response{
			"200": {Description: "OK", Content: openapi.JSON(openapi.Ref("Reply"))},
		}}
		switch k.method {
		case http.MethodPost:
			op.Responses["201"] = &openapi.Response{Description: "Created.", Content: openapi.JSON(openapi.Ref("Reply"))}
		case http.MethodDelete:
			op.Responses["204"] = &openapi.Response{Description: "Deleted."}
		}
		if len(params[k]) > 0 && k.method != http.MethodGet {
			body := openapi.Object(params[k])
			op.RequestBody = &openapi.RequestBody{Content: map[string]openapi.MediaType{
				"application/json": {Schema: body}, "application/x-www-form-urlencoded": {Schema: body}}}
		}
		r.Describe(op)
	}
}
