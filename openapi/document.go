package openapi

// Version is the OpenAPI version documents declare.
const Version = "3.1.0"

// Dialect is the JSON Schema dialect of schemas, OpenAPI 3.1's own.
const Dialect = "https://spec.openapis.org/oas/3.1/dialect/base"

// Document is an OpenAPI document. Its zero value with a title is a valid
// empty one once Paths is made; New makes it ready.
type Document struct {
	OpenAPI           string                `json:"openapi"`
	Info              Info                  `json:"info"`
	JSONSchemaDialect string                `json:"jsonSchemaDialect,omitempty"`
	Servers           []Server              `json:"servers,omitempty"`
	Paths             map[string]*PathItem  `json:"paths"`
	Components        *Components           `json:"components,omitempty"`
	Security          []SecurityRequirement `json:"security,omitempty"`
}

// New returns an empty document.
func New(title, version, description string) *Document {
	return &Document{OpenAPI: Version, JSONSchemaDialect: Dialect,
		Info:  Info{Title: title, Version: version, Description: description},
		Paths: map[string]*PathItem{}, Components: &Components{Schemas: map[string]*Schema{}}}
}

// Info describes the API.
type Info struct {
	Title       string `json:"title"`
	Version     string `json:"version"`
	Description string `json:"description,omitempty"`
}

// Server is where the API is served: a URL relative to the document's own
// (the face's prefix), with variables for its parameters.
type Server struct {
	URL         string                    `json:"url"`
	Description string                    `json:"description,omitempty"`
	Variables   map[string]ServerVariable `json:"variables,omitempty"`
}

// ServerVariable is a parameter of a server URL.
type ServerVariable struct {
	Default     string `json:"default"`
	Description string `json:"description,omitempty"`
}

// PathItem holds the operations of one path.
type PathItem struct {
	Parameters []*Parameter `json:"parameters,omitempty"`
	Get        *Operation   `json:"get,omitempty"`
	Put        *Operation   `json:"put,omitempty"`
	Post       *Operation   `json:"post,omitempty"`
	Delete     *Operation   `json:"delete,omitempty"`
	Patch      *Operation   `json:"patch,omitempty"`
}

// Operation returns the operation of a method (GET, PUT, POST, DELETE,
// PATCH) in p, made when absent; nil for another method.
func (p *PathItem) Operation(method string) *Operation {
	var op **Operation
	switch method {
	case "GET":
		op = &p.Get
	case "PUT":
		op = &p.Put
	case "POST":
		op = &p.Post
	case "DELETE":
		op = &p.Delete
	case "PATCH":
		op = &p.Patch
	default:
		return nil
	}
	if *op == nil {
		*op = &Operation{Responses: map[string]*Response{}}
	}
	return *op
}

// Operation is one method of one path.
type Operation struct {
	OperationID string       `json:"operationId,omitempty"`
	Summary     string       `json:"summary,omitempty"`
	Description string       `json:"description,omitempty"`
	Tags        []string     `json:"tags,omitempty"`
	Parameters  []*Parameter `json:"parameters,omitempty"`
	RequestBody *RequestBody `json:"requestBody,omitempty"`
	// Responses are by status code, or "default".
	Responses map[string]*Response `json:"responses"`
	// Security, when not nil, overrides the document's: an empty list
	// makes the operation public.
	Security *[]SecurityRequirement `json:"security,omitempty"`
}

// Parameter is a path, query or header parameter.
type Parameter struct {
	// Ref refers to a parameter of the document's components instead.
	Ref         string  `json:"$ref,omitempty"`
	Name        string  `json:"name,omitempty"`
	In          string  `json:"in,omitempty"`
	Description string  `json:"description,omitempty"`
	Required    bool    `json:"required,omitempty"`
	Style       string  `json:"style,omitempty"`
	Explode     *bool   `json:"explode,omitempty"`
	Schema      *Schema `json:"schema,omitempty"`
}

// RequestBody is what an operation accepts.
type RequestBody struct {
	Description string               `json:"description,omitempty"`
	Required    bool                 `json:"required,omitempty"`
	Content     map[string]MediaType `json:"content"`
}

// Response is one answer of an operation.
type Response struct {
	// Ref refers to a response of the document's components instead.
	Ref         string               `json:"$ref,omitempty"`
	Description string               `json:"description,omitempty"`
	Content     map[string]MediaType `json:"content,omitempty"`
}

// MediaType is the schema of a body in one media type.
type MediaType struct {
	Schema *Schema `json:"schema,omitempty"`
}

// Components are the document's named parts.
type Components struct {
	Schemas         map[string]*Schema         `json:"schemas,omitempty"`
	Parameters      map[string]*Parameter      `json:"parameters,omitempty"`
	Responses       map[string]*Response       `json:"responses,omitempty"`
	SecuritySchemes map[string]*SecurityScheme `json:"securitySchemes,omitempty"`
}

// SecurityScheme is how clients authenticate.
type SecurityScheme struct {
	Type        string `json:"type"`
	Scheme      string `json:"scheme,omitempty"`
	Name        string `json:"name,omitempty"`
	In          string `json:"in,omitempty"`
	Description string `json:"description,omitempty"`
}

// SecurityRequirement names the schemes an operation accepts, any one of
// them in a list of requirements.
type SecurityRequirement map[string][]string

// JSON is a body of application/json with a schema.
func JSON(s *Schema) map[string]MediaType {
	return map[string]MediaType{"application/json": {Schema: s}}
}

// Ref refers to a schema of the document's components.
func Ref(name string) *Schema { return &Schema{Ref: "#/components/schemas/" + name} }
