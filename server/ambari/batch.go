package ambari

import (
	"bytes"
	"encoding/json"
	apierr "github.com/ambitkit/ambit/errors"
	"io"

	"github.com/ambitkit/ambit/server"
)

// isBatch reports a body of several elements of which one carries its own
// RequestInfo: each element is then a request of its own, as Ambari's
// batch requests are.
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
func (f *face) batch(c *server.Call, a at, h handler, bodies []requestBody) (server.Result, error) {
	if c.Request.Header.Get("Idempotency-Key") != "" {
		return server.Result{}, apierr.BadRequest("Idempotency-Key names one change, not a batch: send each element with its own key.").WithField("Idempotency-Key", -1)
	}
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
			return server.Result{}, err
		}
		r := c.Request.Clone(c.Context())
		r.Body = io.NopCloser(bytes.NewReader(raw))
		status, body := c.Outcome(h(c.Sub(r), a))
		result := map[string]any{"status": status}
		if body != nil {
			result["body"] = body
		}
		results[i] = result
	}
	return server.OK(map[string]any{"items": results}), nil
}
