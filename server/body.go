package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	apierr "github.com/ambitkit/ambit/errors"
)

// requestBody is one element of a request body: the resource's properties
// and its RequestInfo.
type requestBody struct {
	props map[string]any
	info  map[string]any
}

// readBodies reads a request body as Ambari's clients send it, whatever the
// Content-Type: one object, an array, objects separated by commas without
// brackets, a JSON string holding JSON, or nothing. A "Body" key holds the
// properties beside RequestInfo. Malformed JSON is a 400 naming the offset.
func readBodies(r *http.Request) ([]requestBody, error) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err // http.MaxBytesError becomes a 413
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, nil
	}
	if raw[0] == '"' { // double-encoded
		var inner string
		if err := json.Unmarshal(raw, &inner); err != nil {
			return nil, syntaxError(raw, err)
		}
		raw = bytes.TrimSpace([]byte(inner))
	}
	if raw[0] != '[' {
		raw = append(append([]byte{'['}, raw...), ']')
	}
	var items []map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&items); err != nil {
		return nil, syntaxError(raw, err)
	}
	out := make([]requestBody, 0, len(items))
	for _, it := range items {
		b := requestBody{props: map[string]any{}}
		for k, v := range it {
			switch k {
			case "RequestInfo":
				b.info, _ = v.(map[string]any)
			case "Body":
				if m, ok := v.(map[string]any); ok {
					for bk, bv := range m {
						b.props[bk] = bv
					}
				}
			default:
				b.props[k] = v
			}
		}
		out = append(out, b)
	}
	return out, nil
}

func syntaxError(raw []byte, err error) error {
	msg := err.Error()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		msg = fmt.Sprintf("invalid JSON at offset %d: %s", se.Offset, se.Error())
		return apierr.BadRequest("Invalid request body: %s", msg).WithField("body", int(se.Offset))
	}
	return apierr.BadRequest("Invalid request body: %s", strings.TrimPrefix(msg, "json: "))
}
