package errors

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

const mediaJSON = "application/json"

// Ambari is the dialect of Apache Ambari's API v1:
//
//	{"status": 404, "message": "The requested resource doesn't exist: ..."}
type Ambari struct{}

// MediaType returns application/json.
func (Ambari) MediaType() string { return mediaJSON }

// Encode writes e as Ambari's {"status", "message"} body.
func (Ambari) Encode(w io.Writer, e *Error) error {
	return encodeJSON(w, struct {
		Status  int    `json:"status"`
		Message string `json:"message"`
		extras
	}{e.Status, e.Message, extrasOf(e)})
}

// CDAP is the dialect of CDAP's API v3: the message alone, as plain text
// (CDAP's HttpExceptionHandler answers so), with the status saying the
// rest.
type CDAP struct{}

// MediaType returns text/plain.
func (CDAP) MediaType() string { return "text/plain; charset=utf-8" }

// Encode writes e's message.
func (CDAP) Encode(w io.Writer, e *Error) error {
	_, err := io.WriteString(w, e.Message)
	return err
}

// Sahara is the dialect of OpenStack Sahara's API:
//
//	{"error_code": 400, "error_name": "CLUSTER_NAME_ALREADY_EXISTS", "error_message": "..."}
type Sahara struct{}

// MediaType returns application/json.
func (Sahara) MediaType() string { return mediaJSON }

// Encode writes e as Sahara's fault body.
func (Sahara) Encode(w io.Writer, e *Error) error {
	return encodeJSON(w, struct {
		Code    int    `json:"error_code"`
		Name    string `json:"error_name"`
		Message string `json:"error_message"`
		extras
	}{e.Status, e.ErrorName(), e.Message, extrasOf(e)})
}

// Ohara is the dialect of Ohara's API:
//
//	{"code": "NOT_FOUND", "message": "...", "stack": "..."}
//
// Code is the error's machine name. Stack carries the cause chain, and only
// when Debug is set; otherwise it is left out.
type Ohara struct {
	Debug bool
}

// MediaType returns application/json.
func (Ohara) MediaType() string { return mediaJSON }

// Encode writes e as Ohara's {"code", "message", "stack"} body.
func (d Ohara) Encode(w io.Writer, e *Error) error {
	var stack string
	if d.Debug {
		stack = causeChain(e)
	}
	return encodeJSON(w, struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Stack   string `json:"stack,omitempty"`
		extras
	}{e.ErrorName(), e.Message, stack, extrasOf(e)})
}

// causeChain is the error's name and message followed by one line for each
// error in its chain of causes.
func causeChain(e *Error) string {
	var b strings.Builder
	b.WriteString(e.ErrorName() + ": " + e.Message)
	for c := e.Cause; c != nil; {
		b.WriteString("\ncaused by: " + c.Error())
		u, ok := c.(interface{ Unwrap() error })
		if !ok {
			break
		}
		c = u.Unwrap()
	}
	return b.String()
}

// OpenShift is the dialect of the OpenShift broker's API: a response
// envelope whose messages carry the error text, one message for the error
// and one more for each detail.
//
//	{"status": "not_found", "messages": [{"severity": "error", "text": "...", "field": null, "exit_code": 1}],
//	 "data": null, "type": null, "api_version": 1.5, "version": "1.5", "supported_api_versions": [1.0, 1.5]}
//
// The status word is the snake case of the HTTP reason phrase. Versions are
// written as JSON numbers when they are numbers, as the broker does.
type OpenShift struct {
	// Version is the API version of the response: the one the client asked
	// for, or the latest.
	Version string
	// Supported lists the API versions the server speaks.
	Supported []string
	// ExitCode gives the exit_code of an error's messages; nil means 1.
	ExitCode func(*Error) int
}

// MediaType returns application/json.
func (OpenShift) MediaType() string { return mediaJSON }

type openShiftMessage struct {
	Severity string  `json:"severity"`
	Text     string  `json:"text"`
	Field    *string `json:"field"`
	ExitCode int     `json:"exit_code"`
}

// Encode writes e as an OpenShift response envelope.
func (d OpenShift) Encode(w io.Writer, e *Error) error {
	code := 1
	if d.ExitCode != nil {
		code = d.ExitCode(e)
	}
	msgs := make([]openShiftMessage, 0, 1+len(e.Details))
	msgs = append(msgs, openShiftMessage{"error", e.Message, optional(e.Field), code})
	for _, det := range e.Details {
		msgs = append(msgs, openShiftMessage{"error", det.Message, optional(det.Field), code})
	}
	supported := make([]any, len(d.Supported))
	for i, v := range d.Supported {
		supported[i] = version(v)
	}
	return encodeJSON(w, struct {
		Status     string             `json:"status"`
		Messages   []openShiftMessage `json:"messages"`
		Data       any                `json:"data"`
		Type       any                `json:"type"`
		APIVersion any                `json:"api_version"`
		Version    string             `json:"version"`
		Supported  []any              `json:"supported_api_versions"`
	}{statusWords(e.Status, '_'), msgs, nil, nil, version(d.Version), d.Version, supported})
}

// AtVersion is the dialect of a reply negotiated at API version v.
func (d OpenShift) AtVersion(v string) Dialect {
	d.Version = v
	return d
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// version returns v as a JSON number when it is one, as a string otherwise,
// and null when it is empty.
func version(v string) any {
	if v == "" {
		return nil
	}
	if json.Valid([]byte(v)) && strings.IndexFunc(v, func(r rune) bool { return r != '.' && (r < '0' || r > '9') }) < 0 {
		return json.Number(v)
	}
	return v
}

// Problem is the dialect of RFC 9457 problem details
// (application/problem+json). Besides the standard members it writes the
// extension members name, field, offset and errors.
type Problem struct {
	// TypeBase, when set, makes the type member TypeBase followed by the
	// error's name; otherwise type is about:blank.
	TypeBase string
}

// MediaType returns application/problem+json.
func (Problem) MediaType() string { return "application/problem+json" }

// Encode writes e as a problem details object.
func (d Problem) Encode(w io.Writer, e *Error) error {
	typ := "about:blank"
	if d.TypeBase != "" {
		typ = d.TypeBase + e.ErrorName()
	}
	return encodeJSON(w, struct {
		Type     string `json:"type"`
		Title    string `json:"title"`
		Status   int    `json:"status"`
		Detail   string `json:"detail,omitempty"`
		Instance string `json:"instance,omitempty"`
		Name     string `json:"name"`
		extras
	}{typ, http.StatusText(e.Status), e.Status, e.Message, e.Instance, e.ErrorName(), extrasOf(e)})
}
