package openapi

import (
	"strings"

	apierr "github.com/ambitkit/ambit/errors"
)

// Errors is the content of an error answer in a dialect: its envelope's
// schema, and RFC 9457 problem details, which every face writes to a
// client that asks for them.
func Errors(d apierr.Dialect) map[string]MediaType {
	str, num := &Schema{Type: "string"}, &Schema{Type: "integer"}
	var envelope *Schema
	switch d.(type) {
	case apierr.Ambari:
		envelope = Object(map[string]*Schema{"status": num, "message": str}, "status", "message")
	case apierr.Sahara:
		envelope = Object(map[string]*Schema{"error_code": num, "error_name": str, "error_message": str},
			"error_code", "error_name", "error_message")
	case apierr.Ohara:
		envelope = Object(map[string]*Schema{"code": str, "message": str, "stack": str}, "code", "message")
	case apierr.OpenShift:
		message := Object(map[string]*Schema{"severity": str, "text": str, "exit_code": num,
			"field": {Type: []string{"string", "null"}}}, "severity", "text")
		envelope = Object(map[string]*Schema{"status": str, "messages": Array(message), "version": str,
			"data": {}, "type": {}, "api_version": {}, "supported_api_versions": Array(&Schema{})}, "status", "messages")
	case apierr.CDAP:
		envelope = str
	default:
		envelope = &Schema{}
	}
	problem := Object(map[string]*Schema{"type": str, "title": str, "status": num, "detail": str, "instance": str})
	return map[string]MediaType{mediaType(d.MediaType()): {Schema: envelope}, "application/problem+json": {Schema: problem}}
}

// mediaType is a Content-Type without its parameters.
func mediaType(ct string) string {
	t, _, _ := strings.Cut(ct, ";")
	return t
}
