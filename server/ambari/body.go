package ambari

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

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
// properties beside RequestInfo. More than max elements (when max > 0) is
// a 400 naming the limit.
//
// Bad input is a 400 that names the problem and its byte offset in the text
// the client sent (inside the string, for a JSON string holding JSON):
// malformed JSON, invalid UTF-8, an element that is not an object, a key
// given twice in one object.
func readBodies(r *http.Request, max int) ([]requestBody, error) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err // http.MaxBytesError becomes a 413
	}
	return parseBodies(raw, max)
}

func parseBodies(raw []byte, max int) ([]requestBody, error) {
	raw, lead := trim(raw)
	if len(raw) == 0 {
		return nil, nil
	}
	where := ""        // says which text offsets count in
	if raw[0] == '"' { // double-encoded
		if err := validUTF8(raw, lead); err != nil {
			return nil, err
		}
		var inner string
		if err := json.Unmarshal(raw, &inner); err != nil {
			return nil, bodyError(err, lead, "")
		}
		raw, lead = trim([]byte(inner))
		where = " of the JSON string"
		if len(raw) == 0 {
			return nil, nil
		}
	}
	if err := validUTF8(raw, lead); err != nil {
		return nil, err
	}
	items, err := decodeElements(raw, max)
	if err != nil {
		var be *bodyErr
		var ae *apierr.Error
		if errors.As(err, &ae) {
			return nil, err
		}
		if errors.As(err, &be) {
			be.offset += lead
			return nil, be.api(where)
		}
		return nil, bodyError(err, lead, where)
	}
	out := make([]requestBody, 0, len(items))
	for i, it := range items {
		b, err := element(it, i, len(items))
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// element splits one body element into its properties and RequestInfo.
func element(it map[string]any, i, n int) (requestBody, error) {
	b := requestBody{props: map[string]any{}}
	for k, v := range it {
		switch k {
		case "RequestInfo", "Body":
			m, ok := v.(map[string]any)
			if !ok && v != nil {
				return b, apierr.BadRequest("Invalid request body: %s%s must be a JSON object, not %s.", k, elementName(i, n), kindOf(v)).WithField(k, -1)
			}
			if k == "RequestInfo" {
				b.info = m
				continue
			}
			for bk, bv := range m {
				b.props[bk] = bv
			}
		default:
			b.props[k] = v
		}
	}
	return b, nil
}

func elementName(i, n int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf(" of element %d", i)
}

// trim cuts JSON white space from both ends of b and says how many bytes
// it cut from the front.
func trim(b []byte) ([]byte, int) {
	t := bytes.TrimLeft(b, " \t\r\n")
	return bytes.TrimRight(t, " \t\r\n"), len(b) - len(t)
}

// validUTF8 finds the first byte of b that is not UTF-8.
func validUTF8(b []byte, lead int) error {
	if utf8.Valid(b) {
		return nil
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return apierr.BadRequest("Invalid request body: it is not valid UTF-8 at offset %d.", i+lead).WithField("body", i+lead)
		}
		i += size
	}
	return nil
}

// decodeElements decodes an array of objects, or objects separated by
// commas, or one object. A bare list is read as an array, with offsets
// taken back by the bracket added in front.
func decodeElements(raw []byte, max int) ([]map[string]any, error) {
	shift := 0
	if raw[0] != '[' {
		raw = append(append([]byte{'['}, raw...), ']')
		shift = 1
	}
	d := decoder{dec: json.NewDecoder(bytes.NewReader(raw)), raw: raw, shift: shift, end: int64(len(raw) - 2*shift)}
	// encoding/json's own scan finds syntax errors at their true offset;
	// the walk below finds what it lets through.
	if err := json.Unmarshal(raw, new(json.RawMessage)); err != nil {
		return nil, d.syntax(err)
	}
	d.dec.UseNumber()
	if _, err := d.dec.Token(); err != nil { // [
		return nil, d.syntax(err)
	}
	var out []map[string]any
	for d.dec.More() {
		if max > 0 && len(out) == max {
			return nil, apierr.BadRequest("Invalid request body: more than the limit of %d elements in one request.", max).WithField("body", d.at())
		}
		start := d.next()
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, &bodyErr{offset: start, msg: fmt.Sprintf("an element of the body must be a JSON object, not %s", kindOf(v))}
		}
		out = append(out, m)
	}
	return out, nil // the scan above has seen the closing bracket and the end
}

// decoder builds JSON values token by token, so that it can refuse what
// encoding/json accepts silently: a key given twice (the last would win).
type decoder struct {
	dec   *json.Decoder
	raw   []byte
	shift int   // bytes added in front of the client's text
	end   int64 // the length of the client's text
}

// at is the offset in the client's text of the next byte to read.
func (d *decoder) at() int { return min(max(int(d.dec.InputOffset())-d.shift, 0), int(d.end)) }

// next is the offset in the client's text where the next value starts,
// past white space and a comma.
func (d *decoder) next() int {
	i := int(d.dec.InputOffset())
	for i < len(d.raw) && strings.IndexByte(" \t\r\n,", d.raw[i]) >= 0 {
		i++
	}
	return min(max(i-d.shift, 0), int(d.end))
}

// syntax places a syntax error of encoding/json in the client's text: its
// offset counts the bytes read, the bad one included. An error at the
// bracket added after a bare list is the end of the client's text.
func (d *decoder) syntax(err error) error {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return err
	}
	at := int(se.Offset) - 1 - d.shift
	if at >= int(d.end) {
		return &bodyErr{offset: int(d.end), msg: "unexpected end of JSON input"}
	}
	return &bodyErr{offset: max(at, 0), msg: se.Error()}
}

func (d *decoder) value() (any, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return nil, d.syntax(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			list := []any{}
			for d.dec.More() {
				v, err := d.value()
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			_, err := d.dec.Token()
			return list, d.syntax(err)
		}
		obj := map[string]any{}
		for d.dec.More() {
			kt, err := d.dec.Token()
			if err != nil {
				return nil, d.syntax(err)
			}
			key := kt.(string) // inside an object, the decoder yields keys as strings
			if _, dup := obj[key]; dup {
				return nil, &bodyErr{offset: d.keyStart(), msg: fmt.Sprintf("the key %q is given twice in one object", key), field: key}
			}
			if obj[key], err = d.value(); err != nil {
				return nil, err
			}
		}
		_, err := d.dec.Token()
		return obj, d.syntax(err)
	}
	return tok, nil
}

// keyStart is the offset in the client's text of the opening quote of the
// key the decoder has just read.
func (d *decoder) keyStart() int {
	i := int(d.dec.InputOffset()) - 2 // before the closing quote
	for ; i >= 0; i-- {
		if d.raw[i] != '"' {
			continue
		}
		slashes := 0
		for j := i - 1; j >= 0 && d.raw[j] == '\\'; j-- {
			slashes++
		}
		if slashes%2 == 0 {
			break
		}
	}
	return min(max(i-d.shift, 0), int(d.end))
}

// bodyErr is a problem at an offset of the body.
type bodyErr struct {
	offset int
	msg    string
	field  string
}

func (e *bodyErr) Error() string { return fmt.Sprintf("%s at offset %d", e.msg, e.offset) }

func (e *bodyErr) api(where string) error {
	return apierr.BadRequest("Invalid request body: %s at offset %d%s.", e.msg, e.offset, where).WithField("body", e.offset)
}

// bodyError words an error of encoding/json without Go's types.
func bodyError(err error, lead int, where string) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return (&bodyErr{offset: int(se.Offset) + lead, msg: se.Error()}).api(where)
	}
	return apierr.BadRequest("Invalid request body%s: it is not JSON.", where).WithField("body", lead)
}

// kindOf names a JSON value's kind, as a client would.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	}
	return "an object"
}
