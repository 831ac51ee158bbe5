package resource

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/ambitkit/ambit/fields"
	"github.com/ambitkit/ambit/query"
)

// layout is a type compiled for the store: every declared property has a
// slot in a record, and paths, categories and sub-resources are looked up
// once here instead of per resource.
type layout struct {
	t          Type
	parent     *layout
	props      []Property // by slot
	paths      [][]string // by slot
	all        []int      // every slot, in order
	slot       map[string]int
	keySlots   []int
	categories map[string][]int // category path: slots of the properties directly in it
	objects    []int            // slots of Object properties
	subs       map[string]*subLayout
	subNames   []string
	ids        int // the number of the type's id tree
	indexes    []*propIndex
	index      map[string]*propIndex // by property path
	intern     *interner             // the store's, shared by its layouts
	codes      *codes                // the dictionary a backend's records use
	// defaults are the selections of a query that names no fields and no
	// predicate, by fields.Default, resolved once: faces list so often.
	defaults [2]struct {
		once sync.Once
		sel  *fields.Selection
	}
}

// subLayout is a sub-resource resolved to slots: the related rows are those
// whose slots `to` equal our slots `from`.
type subLayout struct {
	name     string
	target   *layout
	single   bool
	from, to []int
}

func compile(t Type) (*layout, error) {
	if err := t.validate(); err != nil {
		return nil, err
	}
	l := &layout{t: t, slot: map[string]int{}, categories: map[string][]int{}, subs: map[string]*subLayout{}}
	add := func(p Property) {
		l.slot[p.Path] = len(l.props)
		l.props = append(l.props, p)
		l.paths = append(l.paths, strings.Split(p.Path, "/"))
	}
	for _, p := range t.Properties {
		add(p)
	}
	for _, k := range t.Keys {
		i, ok := l.slot[k]
		if !ok { // a key need not be declared: it is a required string
			add(Property{Path: k, Kind: String, Required: true, ReadOnly: true})
			i = len(l.props) - 1
		}
		p := &l.props[i]
		if p.Kind != String && p.Kind != Number {
			return nil, fmt.Errorf("resource: type %s: key %s must be a string or a number", t.Name, k)
		}
		p.Required, p.ReadOnly = true, true
		l.keySlots = append(l.keySlots, i)
	}
	for i, path := range l.paths {
		l.all = append(l.all, i)
		cat := strings.Join(path[:len(path)-1], "/")
		l.categories[cat] = append(l.categories[cat], i)
		for j := 1; j < len(path)-1; j++ {
			parent := strings.Join(path[:j], "/")
			if _, ok := l.categories[parent]; !ok {
				l.categories[parent] = nil
			}
		}
		if l.props[i].Kind == Object {
			l.objects = append(l.objects, i)
		}
	}
	return l, nil
}

// link resolves parents and sub-resources once every type is compiled.
func (l *layout) link(all map[string]*layout) error {
	if l.t.Parent != "" {
		p, ok := all[l.t.Parent]
		if !ok {
			return fmt.Errorf("resource: type %s: no parent type %s", l.t.Name, l.t.Parent)
		}
		if len(l.t.Keys) != len(p.t.Keys)+1 {
			return fmt.Errorf("resource: type %s: its keys must be its parent's keys and one more", l.t.Name)
		}
		l.parent = p
		on := map[string]string{}
		for i, k := range p.t.Keys {
			on[k] = l.t.Keys[i]
		}
		if err := p.addSub(Sub{Name: l.t.Segment(), Type: l.t.Collection, On: on}, all); err != nil {
			return err
		}
	}
	for _, s := range l.t.Subs {
		if err := l.addSub(s, all); err != nil {
			return err
		}
	}
	return nil
}

func (l *layout) addSub(s Sub, all map[string]*layout) error {
	target, ok := all[s.Type]
	if !ok {
		return fmt.Errorf("resource: type %s: sub-resource %s of unknown type %s", l.t.Name, s.Name, s.Type)
	}
	if _, dup := l.subs[s.Name]; dup {
		return fmt.Errorf("resource: type %s: sub-resource %s declared twice", l.t.Name, s.Name)
	}
	sl := &subLayout{name: s.Name, target: target, single: s.Single}
	froms := make([]string, 0, len(s.On))
	for from := range s.On {
		froms = append(froms, from)
	}
	slices.Sort(froms)
	for _, from := range froms {
		to := s.On[from]
		fi, ok1 := l.slot[from]
		ti, ok2 := target.slot[to]
		if !ok1 || !ok2 {
			return fmt.Errorf("resource: type %s: sub-resource %s maps unknown property %s to %s", l.t.Name, s.Name, from, to)
		}
		sl.from, sl.to = append(sl.from, fi), append(sl.to, ti)
	}
	l.subs[s.Name] = sl
	l.subNames = append(l.subNames, s.Name)
	return nil
}

// has reports whether path is a declared property (or key).
func (l *layout) has(path string) bool {
	_, ok := l.slot[path]
	return ok
}

// Slot implements query.Layout.
func (l *layout) Slot(p query.Path) (int, bool) {
	i, ok := l.slot[strings.Join(p, "/")]
	return i, ok
}

// Category implements query.Layout.
func (l *layout) Category(p query.Path) []int { return l.categories[strings.Join(p, "/")] }

// Known implements fields.Type: a declared property, a category, or a path
// beneath an Object property.
func (l *layout) Known(path []string) bool {
	key := strings.Join(path, "/")
	if _, ok := l.slot[key]; ok {
		return true
	}
	if _, ok := l.categories[key]; ok {
		return true
	}
	for _, i := range l.objects {
		if p := l.paths[i]; len(path) > len(p) && slices.Equal(path[:len(p)], p) {
			return true
		}
	}
	return false
}

// Sub implements fields.Type.
func (l *layout) Sub(name string) (fields.Type, bool) {
	s, ok := l.subs[name]
	if !ok {
		return nil, false
	}
	return s.target, true
}

// Subs implements fields.Type.
func (l *layout) Subs() []string { return l.subNames }

// Keys implements fields.Type: a type's keys include its ancestors'.
func (l *layout) Keys() [][]string {
	out := make([][]string, len(l.keySlots))
	for i, s := range l.keySlots {
		out[i] = l.paths[s]
	}
	return out
}
