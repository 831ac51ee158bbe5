package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/fields"
)

// Result is what a handler answers: a status, headers and a body, which the
// core writes in the media the client negotiated.
type Result struct {
	// Status is the HTTP status; 0 means 200.
	Status int
	// Header holds headers to send (an ETag, a Location).
	Header http.Header
	// Body is a JSON-shaped value (maps, slices, strings, numbers,
	// json.RawMessage) written as JSON, or as XML when negotiated; nil for
	// no body.
	Body any
	// Text, when set, is sent as text/plain instead of Body, as CDAP
	// answers.
	Text string
	// Raw, when set, is sent as it is, as ContentType, instead of Body: a
	// file's bytes.
	Raw         []byte
	ContentType string
	// Stream, when set, writes the body as it goes, as ContentType,
	// instead of Body: a backup too large to hold. An error once it has
	// begun can only be logged, and cuts the answer short.
	Stream func(w io.Writer) error
	// Release, when set, is called once the answer is written: it returns
	// pooled buffers the body points into.
	Release func()
}

// OK is a 200 with a body.
func OK(body any) Result { return Result{Status: http.StatusOK, Body: body} }

// Status is a result with a status and no body.
func Status(code int) Result { return Result{Status: code} }

func (r Result) status() int {
	if r.Status == 0 {
		return http.StatusOK
	}
	return r.Status
}

// respond writes a handler's answer: its error in the face's envelope, or
// its result. This is the one place where answers are written.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, c *Call, res Result, err error) {
	if res.Release != nil {
		defer res.Release()
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for k, vs := range res.Header {
		w.Header()[k] = vs
	}
	if res.Text != "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		s.send(w, res.status(), []byte(res.Text))
		return
	}
	if res.Raw != nil {
		w.Header().Set("Content-Type", res.ContentType)
		s.send(w, res.status(), res.Raw)
		return
	}
	if res.Stream != nil {
		w.Header().Set("Content-Type", res.ContentType)
		w.WriteHeader(res.status())
		if err := res.Stream(w); err != nil {
			s.log.Error("ambit: an answer was cut short", "path", r.URL.Path, "err", err)
			panic(http.ErrAbortHandler) // the client must not take it for whole
		}
		return
	}
	if res.Body == nil {
		w.WriteHeader(res.status())
		return
	}
	if c.XML {
		b, err := c.face.XML(res.Body)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		s.send(w, res.status(), b)
		return
	}
	bp := s.buffers.Get().(*[]byte)
	defer s.release(bp)
	buf, err := fields.AppendTree((*bp)[:0], res.Body, s.indent(c.face))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	buf = append(buf, '\n')
	*bp = buf
	w.Header().Set("Content-Type", "application/json")
	s.send(w, res.status(), buf)
}

// send writes a status and a body with its length.
func (s *Server) send(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // a failed write is a client gone: no one to tell
}

// fail answers with an error in the envelope of the face the URL belongs
// to (RFC 9457 problem details when the client asks for them), unless the
// response has started: then the error (most often a client that went
// away while its answer was written) can only be logged.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if st, ok := w.(interface{ started() bool }); ok && st.started() {
		s.log.Debug("ambit: error after the response started", "path", r.URL.Path, "err", err)
		return
	}
	face := s.faceOf(r.URL.Path)
	var words Words
	var dialect apierr.Dialect = apierr.Problem{}
	if face != nil {
		words, dialect = face.Words, face.Dialect
	}
	if wantsProblem(r) {
		dialect = apierr.Problem{}
	}
	e := apiError(err, words)
	if name, ok := face.errorName(e.Status); ok && e.Name == "" {
		e = e.WithName(name)
	}
	if e.Status >= 500 {
		s.log.Error("ambit: request failed", "path", r.URL.Path, "err", err)
	}
	if e.Status == http.StatusUnauthorized {
		scheme := "Basic"
		if face != nil && face.Challenge != "" {
			scheme = face.Challenge
		}
		if _, ok := bearer(r); ok {
			scheme = "Bearer" // RFC 6750: the token did not do
		}
		w.Header().Set("WWW-Authenticate", scheme+` realm="ambit"`)
	}
	retryAfter(w, err)
	n, nerr := negotiated{}, error(nil)
	if face != nil {
		n, nerr = negotiate(r, face)
	}
	if at, ok := dialect.(interface{ AtVersion(string) apierr.Dialect }); ok && nerr == nil && n.version != "" {
		dialect = at.AtVersion(n.version) // the error speaks the version the client asked for
	}
	if face != nil && face.XML != nil && !wantsProblem(r) {
		if nerr == nil && n.xml {
			if b, ok := xmlError(face, dialect, e); ok {
				w.Header().Set("Cache-Control", "no-store")
				w.Header().Set("Content-Type", "application/xml; charset=utf-8")
				s.send(w, e.Status, b)
				return
			}
		}
	}
	apierr.Write(w, r, dialect, e)
}

// xmlError is an error's envelope as XML, for a client of a face that
// writes XML and asked for it: the envelope the dialect writes, encoded
// by the face (numbers kept as written).
func xmlError(f *Face, d apierr.Dialect, e *apierr.Error) ([]byte, bool) {
	var buf bytes.Buffer
	if d.Encode(&buf, e) != nil {
		return nil, false
	}
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	var body any
	if dec.Decode(&body) != nil {
		return nil, false
	}
	b, err := f.XML(body)
	return b, err == nil
}

// errorName is a face's name for errors of a status without one.
func (f *Face) errorName(status int) (string, bool) {
	if f == nil {
		return "", false
	}
	name, ok := f.ErrorNames[status]
	return name, ok
}

// envelope is an error's body in a dialect, as a JSON-shaped value.
func envelope(d apierr.Dialect, e *apierr.Error) any {
	var buf bytes.Buffer
	if d.Encode(&buf, e) != nil {
		return nil
	}
	var body any
	if json.Unmarshal(buf.Bytes(), &body) != nil {
		return buf.String()
	}
	return body
}

// indent is one level of a face's JSON indentation, none when the server
// is compact.
func (s *Server) indent(f *Face) string {
	if s.compact || f == nil {
		return ""
	}
	return f.Indent
}

// release returns a response buffer to the pool, unless it grew too big to
// keep.
func (s *Server) release(bp *[]byte) {
	if cap(*bp) <= maxPooled {
		s.buffers.Put(bp)
	}
}

// maxPooled is the largest response buffer kept for reuse, so that one huge
// listing does not pin its memory (the pool lets go of what a collection
// finds unused). An expanded services page of a cluster of 10,000 hosts is
// 1.5 MB: growing its two buffers afresh cost more than writing it.
const maxPooled = 4 << 20
