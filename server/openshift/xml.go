package openshift

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// envelopeOrder is the order of the envelope's members in XML, as the
// broker writes them.
var envelopeOrder = []string{"status", "type", "data", "messages", "api_version", "version", "supported_api_versions"}

// encodeXML writes a reply's envelope as the broker's XML: a <response>
// whose tags are dasherized, lists as repeated elements named in the
// singular, data wrapped in an element named by its type, and link maps
// as <link> elements.
func encodeXML(body any) ([]byte, error) {
	env, ok := body.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("openshift: a reply is an envelope, not %T", body)
	}
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	root := xml.StartElement{Name: xml.Name{Local: "response"}}
	if err := enc.EncodeToken(root); err != nil {
		return nil, err
	}
	typ, _ := env["type"].(string)
	for _, k := range envelopeOrder {
		v, ok := env[k]
		if !ok {
			continue
		}
		if k == "data" {
			v = wrapData(typ, v)
		}
		if err := element(enc, k, v); err != nil {
			return nil, err
		}
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return nil, err
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), buf.Bytes()...), nil
}

// wrapData wraps data that is not a list in an element named by its type
// (<data><domain>…</domain></data>); a list's items are named by the
// singular of its type.
func wrapData(typ string, v any) any {
	if v == nil || typ == "" || typ == "links" {
		return v
	}
	if items, list := v.([]any); list {
		return named{item: singular(typ), items: items}
	}
	return map[string]any{typ: v}
}

// named is a list whose items are named for their type, not their list.
type named struct {
	item  string
	items []any
}

func dasherize(k string) string { return strings.ReplaceAll(k, "_", "-") }

// singular names a list's items after the list: domains → domain,
// supported_api_versions → supported_api_version, messages → message.
func singular(k string) string {
	switch {
	case strings.HasSuffix(k, "s"):
		return strings.TrimSuffix(k, "s")
	}
	return k + "-item"
}

// element writes one member as an element.
func element(enc *xml.Encoder, name string, v any) error {
	start := xml.StartElement{Name: xml.Name{Local: dasherize(name)}}
	switch x := v.(type) {
	case nil:
		return enc.EncodeElement("", start)
	case map[string]any:
		if err := enc.EncodeToken(start); err != nil {
			return err
		}
		if name == "links" {
			for _, rel := range slices.Sorted(maps.Keys(x)) {
				link := xml.StartElement{Name: xml.Name{Local: "link"}, Attr: []xml.Attr{{Name: xml.Name{Local: "name"}, Value: rel}}}
				if err := members(enc, link, x[rel]); err != nil {
					return err
				}
			}
		} else {
			for _, k := range slices.Sorted(maps.Keys(x)) {
				if err := element(enc, k, x[k]); err != nil {
					return err
				}
			}
		}
		return enc.EncodeToken(start.End())
	case named:
		if err := enc.EncodeToken(start); err != nil {
			return err
		}
		for _, it := range x.items {
			if err := element(enc, x.item, it); err != nil {
				return err
			}
		}
		return enc.EncodeToken(start.End())
	case []any:
		if err := enc.EncodeToken(start); err != nil {
			return err
		}
		item := singular(name)
		if name == "required_params" || name == "optional_params" {
			item = "param"
		}
		for _, it := range x {
			if err := element(enc, item, it); err != nil {
				return err
			}
		}
		return enc.EncodeToken(start.End())
	case string:
		return enc.EncodeElement(x, start)
	case json.Number:
		return enc.EncodeElement(string(x), start)
	default:
		return enc.EncodeElement(fmt.Sprint(x), start)
	}
}

// members writes a map's members inside start.
func members(enc *xml.Encoder, start xml.StartElement, v any) error {
	m, _ := v.(map[string]any)
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if err := element(enc, k, m[k]); err != nil {
			return err
		}
	}
	return enc.EncodeToken(start.End())
}
