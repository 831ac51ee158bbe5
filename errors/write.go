package errors

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
)

// Dialect renders errors in one API family's envelope.
type Dialect interface {
	// MediaType is the Content-Type of the encoded body.
	MediaType() string
	// Encode writes e's envelope to w.
	Encode(w io.Writer, e *Error) error
}

// Write answers the request with err rendered in dialect d: it sets the
// status, Content-Type and Cache-Control: no-store, and writes the body.
// err goes through From first, so any error is safe to pass; nil is answered
// as a 500. When r is not nil, its path becomes the error's Instance.
//
// An encoding failure is logged with slog's default logger and answered with
// the status and an empty body: its text never reaches the client.
func Write(w http.ResponseWriter, r *http.Request, d Dialect, err error) {
	e := From(err)
	if e == nil {
		e = Internal("An internal error occurred.")
	}
	if (e.Instance == "" && r != nil) || e.Status < 400 || e.Status > 599 {
		c := *e
		if c.Instance == "" && r != nil {
			c.Instance = r.URL.Path
		}
		if c.Status < 400 || c.Status > 599 {
			c.Status = http.StatusInternalServerError
		}
		e = &c
	}
	var buf bytes.Buffer
	if encErr := d.Encode(&buf, e); encErr != nil {
		logger(r).Error("ambit: encoding an error response failed",
			"status", e.Status, "name", e.ErrorName(), "err", encErr)
		buf.Reset()
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if buf.Len() > 0 {
		h.Set("Content-Type", d.MediaType())
	}
	w.WriteHeader(e.Status)
	// A failed write means the client has gone; there is no one to tell.
	_, _ = w.Write(buf.Bytes())
}

func logger(r *http.Request) *slog.Logger {
	l := slog.Default()
	if r != nil {
		l = l.With("method", r.Method, "path", r.URL.Path)
	}
	return l
}

// encodeJSON writes v as one line of JSON. HTML characters stay as they are:
// messages quote predicates such as cpu_count>=2, and a reader of the raw
// body should see them.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// extras are the members ambit adds to envelopes that have no slot of their
// own for the offending field, its offset and the details.
type extras struct {
	Field  string   `json:"field,omitempty"`
	Offset *int     `json:"offset,omitempty"`
	Errors []Detail `json:"errors,omitempty"`
}

func extrasOf(e *Error) extras {
	x := extras{Field: e.Field, Errors: e.Details}
	if e.Offset >= 0 && e.Field != "" {
		off := e.Offset
		x.Offset = &off
	}
	return x
}
