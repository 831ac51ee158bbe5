package server

import (
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	apierr "github.com/ambitkit/ambit/errors"
)

// media is one media range of an Accept header, or a Content-Type.
type media struct {
	typ    string // type/subtype, lower case
	params map[string]string
	q      float64
}

// parseAccept reads an Accept header's media ranges; a range it cannot
// read is skipped, as RFC 9110 lets a server do.
func parseAccept(h string) []media {
	var out []media
	for _, part := range strings.Split(h, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		typ, params, err := mime.ParseMediaType(part)
		if err != nil {
			continue
		}
		m := media{typ: typ, params: params, q: 1}
		if q, ok := params["q"]; ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v >= 0 && v <= 1 {
				m.q = v
			}
		}
		out = append(out, m)
	}
	return out
}

// negotiated is what a request asks for: XML rather than JSON, an API
// version, no links.
type negotiated struct {
	xml     bool
	version string
	noLinks bool
}

// negotiate reads Accept and Content-Type once, against what a face
// offers: JSON always, XML when the face writes it, API versions when it
// has them. What the face cannot give is a 406 naming what it offers.
func negotiate(r *http.Request, f *Face) (negotiated, error) {
	var n negotiated
	accept := r.Header.Get("Accept")
	ranges := parseAccept(accept)
	json, xml := -1.0, -1.0
	for _, m := range ranges {
		switch m.typ {
		case "application/json", "application/*", "*/*", "application/problem+json":
			json = max(json, m.q)
		case "application/xml", "text/xml":
			xml = max(xml, m.q)
		}
		if v, ok := m.params["version"]; ok && n.version == "" {
			n.version = v
		}
		if m.params["nolinks"] == "true" {
			n.noLinks = true
		}
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && n.version == "" {
		if _, params, err := mime.ParseMediaType(ct); err == nil {
			n.version = params["version"]
		}
	}
	if strings.Contains(r.URL.RawQuery, "nolinks=") && r.URL.Query().Get("nolinks") == "true" { // parse only when it may be there
		n.noLinks = true
	}
	offers := "application/json"
	if f.XML != nil {
		offers += " or application/xml"
	}
	switch {
	case len(ranges) == 0 && strings.TrimSpace(accept) != "":
		return n, notAcceptable("The Accept header %q names no media type this API can read: it answers %s.", accept, offers)
	case len(ranges) == 0:
	case f.XML != nil && xml > json && xml > 0:
		n.xml = true
	case json <= 0:
		return n, notAcceptable("This API answers %s, which the Accept header %q does not accept.", offers, accept)
	}
	if len(f.Versions) == 0 {
		n.version = ""
		return n, nil
	}
	if n.version == "" {
		n.version = f.Versions[len(f.Versions)-1]
	} else if !slices.Contains(f.Versions, n.version) {
		return n, notAcceptable("Requested API version %s is not supported. Supported versions are %s", n.version, strings.Join(f.Versions, ", "))
	}
	return n, nil
}

func notAcceptable(format string, args ...any) error {
	return apierr.New(http.StatusNotAcceptable, format, args...).WithField("Accept", -1)
}

// wantsProblem reports a client that asks for RFC 9457 problem details.
func wantsProblem(r *http.Request) bool {
	for _, m := range parseAccept(r.Header.Get("Accept")) {
		if m.typ == "application/problem+json" && m.q > 0 {
			return true
		}
	}
	return false
}
