package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
)

// isBatch reports a body of several elements of which one carries its own
// RequestInfo: each element is then a request of its own (spec §6.1).
func isBatch(bodies []requestBody) bool {
	if len(bodies) < 2 {
		return false
	}
	for _, b := range bodies {
		if b.info != nil {
			return true
		}
	}
	return false
}

// batch runs the elements of a batch one after the other, in array order,
// whatever each one's outcome, and answers 200 with every element's status
// and body. Ambari runs them in no defined order and stops at the first
// that does not answer 200; reporting each is what a client can act on.
func (s *Server) batch(w http.ResponseWriter, r *http.Request, c call, h handler, bodies []requestBody) error {
	results := make([]map[string]any, len(bodies))
	for i, b := range bodies {
		element := map[string]any{}
		for k, v := range b.props {
			element[k] = v
		}
		if b.info != nil {
			element["RequestInfo"] = b.info
		}
		raw, err := json.Marshal(element)
		if err != nil {
			return err
		}
		sub := r.Clone(r.Context())
		sub.Body = io.NopCloser(bytes.NewReader(raw))
		rec := &captured{header: http.Header{}, status: http.StatusOK}
		if err := h(rec, sub, c); err != nil {
			s.fail(rec, sub, err)
		}
		result := map[string]any{"status": rec.status}
		var body any
		if rec.body.Len() > 0 && json.Unmarshal(rec.body.Bytes(), &body) == nil {
			result["body"] = body
		}
		results[i] = result
	}
	return s.writeJSON(w, http.StatusOK, map[string]any{"items": results})
}

// captured is a ResponseWriter that keeps the response of one element of a
// batch.
type captured struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *captured) Header() http.Header { return c.header }

func (c *captured) WriteHeader(status int) { c.status = status }

func (c *captured) Write(b []byte) (int, error) { return c.body.Write(b) }
