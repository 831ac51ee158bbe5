package errors

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// maxBody bounds how much of an error body Parse reads.
const maxBody = 1 << 20

// Parse reads an error response of any dialect back into an Error. It
// returns nil when the response is not an error (status below 400). The
// response body is read and closed.
//
// A failure to read the body is kept as the Cause of the returned Error,
// whose status is still the response's.
func Parse(resp *http.Response) *Error {
	if resp.StatusCode < 400 {
		return nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return New(resp.StatusCode, "%s", http.StatusText(resp.StatusCode)).WithCause(err)
	}
	return Decode(resp.StatusCode, body)
}

// envelope has a member for every member of every dialect, so that one
// decode reads any of them.
type envelope struct {
	Status json.RawMessage `json:"status"` // a number (Ambari, Problem) or a word (OpenShift)
	// Ambari, Ohara
	Message member `json:"message"`
	// Sahara
	ErrorCode    *int   `json:"error_code"`
	ErrorName    member `json:"error_name"`
	ErrorMessage member `json:"error_message"`
	// Ohara
	Code member `json:"code"`
	// OpenShift
	Messages []openShiftMessage `json:"messages"`
	// Problem
	Type     member `json:"type"`
	Title    member `json:"title"`
	Detail   member `json:"detail"`
	Instance string `json:"instance"`
	Name     string `json:"name"`
	// ambit's extras
	Field  string   `json:"field"`
	Offset *int     `json:"offset"`
	Errors []Detail `json:"errors"`
}

// member is a string member that records whether it was present, since
// Ambari may send "message": null.
type member struct {
	present bool
	value   string
}

// UnmarshalJSON records the member as present, null or not.
func (m *member) UnmarshalJSON(b []byte) error {
	m.present = true
	if string(b) == "null" {
		return nil
	}
	return json.Unmarshal(b, &m.value)
}

// Decode reads an error body of any dialect into an Error. status is the
// response's status code, which wins over any status in the body; 0 means
// take it from the body. A body that is not a known envelope becomes the
// message as it stands (trimmed, invalid UTF-8 replaced), so nothing the
// server said is lost.
func Decode(status int, body []byte) *Error {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil || !env.known() {
		e := New(status, "%s", strings.ToValidUTF8(strings.TrimSpace(string(body)), "\uFFFD"))
		if e.Status == 0 {
			e.Status = http.StatusInternalServerError
		}
		return e
	}
	e := &Error{Offset: -1, Field: env.Field, Details: env.Errors, Instance: env.Instance, Name: env.Name}
	if env.Offset != nil && *env.Offset >= 0 && e.Field != "" {
		e.Offset = *env.Offset
	}
	bodyStatus := 0
	switch {
	case env.ErrorCode != nil || env.ErrorName.present || env.ErrorMessage.present:
		if env.ErrorCode != nil {
			bodyStatus = *env.ErrorCode
		}
		e.Name = env.ErrorName.value
		e.Message = env.ErrorMessage.value
	case env.Messages != nil:
		bodyStatus = statusOfWord(env.Status)
		env.readOpenShift(e)
	case env.Title.present || env.Detail.present || env.Type.present:
		bodyStatus = statusNumber(env.Status)
		e.Message = env.Detail.value
	case env.Code.present:
		e.Name = env.Code.value
		e.Message = env.Message.value
	default:
		bodyStatus = statusNumber(env.Status)
		e.Message = env.Message.value
	}
	e.Status = status
	if e.Status == 0 {
		e.Status = bodyStatus
	}
	if e.Status == 0 {
		e.Status = http.StatusInternalServerError
	}
	if e.Name == DefaultName(e.Status) {
		e.Name = ""
	}
	return e
}

func (env *envelope) known() bool {
	return env.Message.present || env.ErrorCode != nil || env.ErrorName.present ||
		env.ErrorMessage.present || env.Code.present || env.Messages != nil ||
		env.Title.present || env.Detail.present || env.Type.present
}

// readOpenShift takes the first error message as the error and the rest as
// details, which is how OpenShift.Encode writes them.
func (env *envelope) readOpenShift(e *Error) {
	first := true
	for _, m := range env.Messages {
		if m.Severity != "error" {
			continue
		}
		if first {
			e.Message = m.Text
			if m.Field != nil {
				e.Field = *m.Field
			}
			first = false
			continue
		}
		d := Detail{Message: m.Text}
		if m.Field != nil {
			d.Field = *m.Field
		}
		e.Details = append(e.Details, d)
	}
}

func statusNumber(raw json.RawMessage) int {
	var n int
	if json.Unmarshal(raw, &n) != nil {
		return 0
	}
	return n
}

// statusOfWord maps an OpenShift status word back to its HTTP status.
func statusOfWord(raw json.RawMessage) int {
	var word string
	if json.Unmarshal(raw, &word) != nil || word == "" {
		return 0
	}
	for code := 100; code < 600; code++ {
		if statusWords(code, '_') == word {
			return code
		}
	}
	return 0
}
