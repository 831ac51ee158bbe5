package resource

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// A record as a backend keeps it is binary: decoding JSON into maps cost
// most of the start-up of a large store. It holds a format byte, the
// record's version and namespace, then each present property as its id in
// the type's dictionary and a tagged value. Dictionary ids are never
// reused (see codes), so a record written before its type gained a
// property still reads.
//
//	record = format:1 version:uvarint len(ns):uvarint ns n:uvarint (id:uvarint value){n}
//	value  = 's' len:uvarint bytes | 'n' float64-bits:8 | 'f' | 't' | 'j' len:uvarint json
const recordFormat = 1

// codes are a type's dictionary: the id of each slot's property, and the
// slot of each id (-1 for a property no longer declared).
type codes struct {
	paths []string // by id
	ids   []int    // by slot
	slots []int    // by id
}

// newCodes extends a dictionary (nil for none) with the layout's
// properties it lacks, in declaration order.
func newCodes(l *layout, paths []string) *codes {
	c := &codes{paths: append([]string(nil), paths...), ids: make([]int, len(l.props))}
	at := map[string]int{}
	for id, p := range c.paths {
		at[p] = id
	}
	for slot, p := range l.props {
		id, ok := at[p.Path]
		if !ok {
			id = len(c.paths)
			c.paths = append(c.paths, p.Path)
		}
		c.ids[slot] = id
	}
	c.slots = make([]int, len(c.paths))
	for id := range c.slots {
		c.slots[id] = -1
	}
	for slot, id := range c.ids {
		c.slots[id] = slot
	}
	return c
}

func (l *layout) encode(r *record) ([]byte, error) {
	b := make([]byte, 0, 16+len(r.ns)+16*len(r.slots))
	b = append(b, recordFormat)
	b = binary.AppendUvarint(b, r.version)
	b = binary.AppendUvarint(b, uint64(len(r.ns)))
	b = append(b, r.ns...)
	n := 0
	for _, v := range r.slots {
		if v != nil {
			n++
		}
	}
	b = binary.AppendUvarint(b, uint64(n))
	for slot, v := range r.slots {
		if v == nil {
			continue
		}
		b = binary.AppendUvarint(b, uint64(l.codes.ids[slot]))
		switch x := v.(type) {
		case string:
			b = append(b, 's')
			b = binary.AppendUvarint(b, uint64(len(x)))
			b = append(b, x...)
		case float64:
			b = append(b, 'n')
			b = binary.BigEndian.AppendUint64(b, math.Float64bits(x))
		case bool:
			if x {
				b = append(b, 't')
			} else {
				b = append(b, 'f')
			}
		default:
			j, err := json.Marshal(x)
			if err != nil {
				return nil, err
			}
			b = append(b, 'j')
			b = binary.AppendUvarint(b, uint64(len(j)))
			b = append(b, j...)
		}
	}
	return b, nil
}

var errCorrupt = errors.New("the record is cut short or corrupt")

// reader reads a record's encoding, remembering the first error.
type reader struct {
	b   []byte
	err error
}

func (rd *reader) uvarint() uint64 {
	v, n := binary.Uvarint(rd.b)
	if n <= 0 {
		rd.err, rd.b = errCorrupt, nil
		return 0
	}
	rd.b = rd.b[n:]
	return v
}

func (rd *reader) bytes(n uint64) []byte {
	if uint64(len(rd.b)) < n {
		rd.err, rd.b = errCorrupt, nil
		return nil
	}
	out := rd.b[:n]
	rd.b = rd.b[n:]
	return out
}

func (l *layout) decode(key, value []byte) (*record, error) {
	rd := &reader{b: value}
	if f := rd.bytes(1); rd.err != nil || f[0] != recordFormat {
		return nil, fmt.Errorf("unknown record format")
	}
	version := rd.uvarint()
	r := newRecord(l.intern.str(string(rd.bytes(rd.uvarint()))), len(l.props), version)
	r.setID(key)
	n := rd.uvarint()
	for i := uint64(0); i < n && rd.err == nil; i++ {
		id := rd.uvarint()
		v, err := l.value(rd)
		if err != nil {
			return nil, err
		}
		if id >= uint64(len(l.codes.slots)) || l.codes.slots[id] < 0 {
			return nil, fmt.Errorf("property %d is not declared", id)
		}
		slot := l.codes.slots[id]
		cv, err := coerce(l.props[slot].Kind, v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", l.props[slot].Path, err)
		}
		r.slots[slot] = l.intern.value(cv)
	}
	if rd.err != nil {
		return nil, rd.err
	}
	if string(idOf(r.ns, l.keyValues(r))) != string(key) {
		return nil, errors.New("its key does not match its properties")
	}
	return r, nil
}

// value reads one tagged value.
func (l *layout) value(rd *reader) (any, error) {
	tag := rd.bytes(1)
	if rd.err != nil {
		return nil, rd.err
	}
	switch tag[0] {
	case 's':
		return string(rd.bytes(rd.uvarint())), rd.err
	case 'n':
		b := rd.bytes(8)
		if rd.err != nil {
			return nil, rd.err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
	case 'f', 't':
		return tag[0] == 't', nil
	case 'j':
		var v any
		if err := json.Unmarshal(rd.bytes(rd.uvarint()), &v); rd.err != nil || err != nil {
			return nil, errors.Join(rd.err, err)
		}
		return v, nil
	}
	return nil, errCorrupt
}
