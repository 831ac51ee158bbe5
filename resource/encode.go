package resource

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"

	"github.com/ambitkit/ambit/fields"
)

// Encoding asks List for its items as JSON (Result.JSON) rather than as
// trees (Result.Items), each encoded for its place in a response, so that
// a server splices them in without building and walking a tree per item.
// The bytes are those fields.AppendIndent writes for the item's tree.
type Encoding struct {
	// Indent is one level's indent; "" writes compact JSON.
	Indent string
	// Depth is the level of the item in the response: 2 for the items of
	// {"items": [...]}.
	Depth int
	// Buffer, when set, holds the items: they are appended to it, and it is
	// left holding them, so that a caller can reuse its memory (once it is
	// done with Result.JSON, which points into it).
	Buffer *[]byte
}

// shape writes items straight from their records. It serves the common
// listing: whole properties, hrefs, minimal responses and sub-resources,
// each sub-resource written by a shape of its own. It declines the rest
// (instance defaults, time ranges, parts of objects), which are rendered
// as trees and then encoded.
type shape struct {
	l       *layout
	rd      *renderer // the listing's: its snapshot, its filters of sub-resources
	members []member
	base    []byte // the href base, escaped for a JSON string
	indent  string
}

// member is one member of an object: a property, a category of them, the
// href, or a sub-resource.
type member struct {
	key   []byte // a new line, the indent and "name": as written
	name  string
	slot  int // the property's slot; -1 for a category, the href or a sub-resource
	href  bool
	group []member
	sub   *subLayout
	items *shape // how the sub-resource's items are written
}

// newShape returns the shape for a listing, or nil when its items need the
// tree renderer.
func newShape(l *layout, q Query, sel *fields.Selection, enc *Encoding, rd *renderer) *shape {
	if q.Instance {
		return nil
	}
	base, err := fields.AppendTree(nil, q.Base, "")
	if err != nil {
		return nil
	}
	return buildShape(l, sel, rd, base[1:len(base)-1], enc.Indent, enc.Depth+1)
}

// buildShape returns the shape of l's items whose members are at depth, or
// nil when they need the tree renderer.
func buildShape(l *layout, sel *fields.Selection, rd *renderer, base []byte, indent string, depth int) *shape {
	sh := &shape{l: l, rd: rd, base: base, indent: indent}
	for i, p := range l.props {
		path := l.paths[i]
		if p.Kind == Object && sel.Partly(path) {
			return nil
		}
		if !sel.Includes(path) || rd.minimal && slices.Contains(l.keySlots[:len(l.keySlots)-1], i) {
			continue // a minimal response leaves out the foreign keys
		}
		if _, ok := sel.Temporal(path); ok && p.Temporal && l.t.Points != nil {
			return nil
		}
		if !sh.add(&sh.members, path, i) {
			return nil
		}
	}
	if !rd.minimal {
		sh.members = append(sh.members, member{name: hrefKey, slot: -1, href: true})
	}
	for _, name := range sel.Subs() {
		subSel, _ := sel.Sub(name)
		sub := l.subs[name]
		itemDepth := depth + 2 // the items of an array, beneath the member
		if sub.single {
			itemDepth = depth + 1
		}
		items := buildShape(sub.target, subSel, rd, base, indent, itemDepth)
		if items == nil || slices.ContainsFunc(sh.members, func(m member) bool { return m.name == name }) {
			return nil
		}
		sh.members = append(sh.members, member{name: name, slot: -1, sub: sub, items: items})
	}
	sh.finish(sh.members, depth)
	return sh
}

const hrefKey = "href"

// add places the property at path under ms; it fails when a property is
// also a category.
func (sh *shape) add(ms *[]member, path []string, slot int) bool {
	for i := range *ms {
		m := &(*ms)[i]
		if m.name != path[0] {
			continue
		}
		if len(path) == 1 || m.slot >= 0 {
			return false
		}
		return sh.add(&m.group, path[1:], slot)
	}
	if len(path) == 1 {
		*ms = append(*ms, member{name: path[0], slot: slot})
		return true
	}
	*ms = append(*ms, member{name: path[0], slot: -1})
	return sh.add(&(*ms)[len(*ms)-1].group, path[1:], slot)
}

// finish sorts members by name, as encoders sort map keys, and encodes
// their keys for their depth.
func (sh *shape) finish(ms []member, depth int) {
	slices.SortFunc(ms, func(a, b member) int {
		switch {
		case a.name < b.name:
			return -1
		case a.name > b.name:
			return 1
		}
		return 0
	})
	for i := range ms {
		k := sh.newline(nil, depth)
		k, _ = fields.AppendTree(k, ms[i].name, "")
		k = append(k, ':')
		if sh.indent != "" {
			k = append(k, ' ')
		}
		ms[i].key = k
		if ms[i].sub == nil {
			sh.finish(ms[i].group, depth+1)
		}
	}
}

// encode appends the item of r at depth.
func (sh *shape) encode(b []byte, r *record, depth int) ([]byte, error) {
	b, _, err := sh.object(b, sh.members, r, depth)
	return b, err
}

// object writes the members of ms that r has, and reports whether it wrote
// any: a category without values is left out, as the tree renderer leaves
// it out.
func (sh *shape) object(b []byte, ms []member, r *record, depth int) ([]byte, bool, error) {
	b = append(b, '{')
	wrote := false
	for _, m := range ms {
		mark := len(b)
		if wrote {
			b = append(b, ',')
		}
		b = append(b, m.key...)
		switch {
		case m.href:
			b = append(b, '"')
			b = append(b, sh.base...)
			b = appendHref(b, sh.l, r)
			b = append(b, '"')
		case m.sub != nil:
			var ok bool
			var err error
			if b, ok, err = sh.related(b, m, r, depth+1); err != nil {
				return b, false, err
			} else if !ok {
				b = b[:mark]
				continue
			}
		case m.slot < 0:
			var ok bool
			var err error
			if b, ok, err = sh.object(b, m.group, r, depth+1); err != nil {
				return b, false, err
			} else if !ok {
				b = b[:mark]
				continue
			}
		default:
			v := r.slots[m.slot]
			if v == nil {
				b = b[:mark]
				continue
			}
			var err error
			if b, err = sh.value(b, v, depth+1); err != nil {
				return b, false, err
			}
		}
		wrote = true
	}
	if wrote {
		b = sh.newline(b, depth)
	}
	return append(b, '}'), wrote, nil
}

// related writes the sub-resource of m of r, a value at depth: an array
// of its items, or the one item of a single sub-resource (left out, ok
// false, when there is none), as the tree renderer embeds them.
func (sh *shape) related(b []byte, m member, r *record, depth int) (_ []byte, ok bool, err error) {
	rr := reads{Plan: &Plan{}}
	n := 0
	if !m.sub.single {
		b = append(b, '[')
	}
	for rel := range sh.rd.s.related(sh.rd.txn, sh.l, r, m.sub, &rr) {
		if !sh.rd.kept(sh.l, m.name, m.sub, rel) {
			continue
		}
		if m.sub.single {
			b, _, err = m.items.object(b, m.items.members, rel, depth)
			return b, true, err
		}
		if n > 0 {
			b = append(b, ',')
		}
		b = sh.newline(b, depth+1)
		if b, _, err = m.items.object(b, m.items.members, rel, depth+1); err != nil {
			return b, false, err
		}
		n++
	}
	if rr.err != nil {
		return b, false, rr.err
	}
	if m.sub.single {
		return b, false, nil
	}
	if n > 0 {
		b = sh.newline(b, depth)
	}
	return append(b, ']'), true, nil
}

// value writes the common values, plain strings and whole numbers, itself
// and leaves the rest to fields.AppendIndent.
func (sh *shape) value(b []byte, v any, depth int) ([]byte, error) {
	switch x := v.(type) {
	case string:
		if plain(x) {
			b = append(b, '"')
			b = append(b, x...)
			return append(b, '"'), nil
		}
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 && !math.Signbit(x) {
			return strconv.AppendInt(b, int64(x), 10), nil
		}
	}
	return fields.AppendIndent(b, v, sh.indent, depth)
}

// plain reports whether a string is written in JSON as it is.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			return false
		}
	}
	return true
}

func (sh *shape) newline(b []byte, depth int) []byte {
	if sh.indent == "" {
		return b
	}
	b = append(b, '\n')
	for range depth {
		b = append(b, sh.indent...)
	}
	return b
}

// encodeItems encodes a page: through the shape when there is one, from
// the rendered trees otherwise.
func encodeItems(sh *shape, enc *Encoding, recs []*record, render func(*record) map[string]any) ([]json.RawMessage, error) {
	ends := make([]int, len(recs))
	var buf []byte
	if enc.Buffer != nil {
		buf = (*enc.Buffer)[:0]
	}
	for i, r := range recs {
		var err error
		if sh != nil {
			buf, err = sh.encode(buf, r, enc.Depth)
		} else {
			buf, err = fields.AppendIndent(buf, render(r), enc.Indent, enc.Depth)
		}
		if err != nil {
			return nil, err
		}
		ends[i] = len(buf)
		if i == 0 { // items of a page are alike: make room for them all at once
			buf = slices.Grow(buf, len(buf)*(len(recs)-1)*5/4)
		}
	}
	if enc.Buffer != nil {
		*enc.Buffer = buf
	}
	out := make([]json.RawMessage, len(recs))
	start := 0
	for i, end := range ends {
		out[i] = buf[start:end:end]
		start = end
	}
	return out, nil
}
