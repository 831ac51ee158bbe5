package resource

import (
	"fmt"
	"strings"

	"github.com/ambitkit/ambit/fields"
)

// Kind is the kind of a property's value.
type Kind uint8

// The kinds of property values. Bodies may send numbers and booleans as
// strings, as Ambari's clients do; they are stored as their kind.
const (
	String Kind = iota
	Number
	Bool
	Object // a JSON object, kept whole; paths beneath it name its entries
	List   // a JSON array
)

var kindNames = [...]string{"string", "number", "bool", "object", "list"}

// String names the kind.
func (k Kind) String() string { return kindNames[k] }

// Property declares one property of a resource type.
type Property struct {
	// Path names the property: Hosts/cpu_count, metrics/disk/disk_free.
	Path string
	Kind Kind
	// Indexed properties get an index, so that predicates and sorts on them
	// seek instead of scanning.
	Indexed bool
	// ReadOnly properties cannot be set by an update.
	ReadOnly bool
	// Required properties must be given on create.
	Required bool
	// Default is the value a create gets when it gives none.
	Default any
	// Temporal marks a time series: a field that asks for a time range
	// (metrics/jvm/gcCount[start,end,step]) gets its points from the type's
	// Points function instead of the stored value.
	Temporal bool
}

// Sub declares a sub-resource: a collection of another type related to this
// one (services under clusters), or a link to a single one (a host
// component's component).
type Sub struct {
	// Name is how the sub-resource appears in paths and fields:
	// host_components, component.
	Name string
	// Type is the collection name of the related type.
	Type string
	// Single marks a link to one resource rather than a collection.
	Single bool
	// On maps this type's property paths to the related type's: the related
	// resources are those whose properties equal ours. A child collection
	// of this type (one whose Parent is this type) needs no Sub: it is
	// related by the parent's keys. Lookups go through the related type's
	// indexes: when the mapped properties are not its leading keys, declare
	// them Indexed, or each lookup scans what the leading keys select.
	On map[string]string
}

// Type declares a resource type. Types are plain values; New checks them
// and builds the store.
type Type struct {
	// Name is the display name used in messages: Host.
	Name string
	// Collection is the name of the collection in URLs: hosts. It names
	// the type in the store, so it is unique.
	Collection string
	// Path, when set, is the collection's segment in URLs and hrefs
	// instead of Collection: for two types that URLs name alike in
	// different places (the hosts registered with the server at /hosts,
	// and a cluster's at /clusters/c1/hosts).
	Path string
	// Singular is the name used for a link to one resource: host.
	Singular string
	// Category is the main category of its properties: Hosts. Bodies and
	// renderings put the keys there by convention; the store does not
	// require it.
	Category string
	// Keys are the key properties in order; together they identify an
	// instance, and the last is its id in URLs. A child type's keys start
	// with its parent's keys.
	Keys []string
	// Parent is the collection name of the parent type, if any.
	Parent string
	// Properties declares the properties, keys included or not.
	Properties []Property
	// Subs declares the sub-resources other than child collections.
	Subs []Sub
	// HrefQuery, when set, makes an instance's href its collection's with
	// these properties as query parameters, named by their last segment
	// (configurations?type=core-site&tag=version1, as Ambari links
	// configurations), instead of the collection's path and the id.
	HrefQuery []string
	// Hooks are called inside write transactions; nil ones are skipped.
	Hooks Hooks
	// Points returns the points of a temporal property of a resource over
	// a time range, as [[value, timestamp], ...]; see Property.Temporal.
	Points func(r Resource, path string, t fields.Temporal) ([][2]float64, error)
}

// Hooks let a type react to writes inside their transaction: to validate
// (an error aborts the whole transaction), to fill in derived properties
// (with tx.Update), or to make other changes that must commit together
// with the write (with tx.Create, tx.Update and tx.Delete on other types).
// A hook that writes its own type again is not called again for that
// write.
type Hooks struct {
	Created func(tx *Tx, r Resource) error
	Updated func(tx *Tx, old, new Resource) error
	Deleted func(tx *Tx, r Resource) error
}

// Segment is the collection's segment in URLs: Path, or Collection.
func (t Type) Segment() string {
	if t.Path != "" {
		return t.Path
	}
	return t.Collection
}

// ReadOnlyIn lists the read-only properties a body gives a value, in
// declaration order: an owner that creates resources for clients (the
// cluster manager) refuses them, since it sets them itself.
func (t Type) ReadOnlyIn(body map[string]any) []string {
	var out []string
	for _, p := range t.Properties {
		if p.ReadOnly && Get(body, p.Path) != nil {
			out = append(out, p.Path)
		}
	}
	return out
}

// validate checks a type on its own; New checks how types relate.
func (t *Type) validate() error {
	switch {
	case t.Name == "" || t.Collection == "":
		return fmt.Errorf("resource: a type needs a Name and a Collection: %+v", t)
	case len(t.Keys) == 0:
		return fmt.Errorf("resource: type %s has no keys", t.Name)
	}
	seen := map[string]bool{}
	for _, p := range t.Properties {
		if p.Path == "" || strings.Contains(p.Path, "//") || strings.HasPrefix(p.Path, "/") || strings.HasSuffix(p.Path, "/") {
			return fmt.Errorf("resource: type %s: bad property path %q", t.Name, p.Path)
		}
		if seen[p.Path] {
			return fmt.Errorf("resource: type %s declares %s twice", t.Name, p.Path)
		}
		seen[p.Path] = true
		if int(p.Kind) >= len(kindNames) {
			return fmt.Errorf("resource: type %s: property %s has no valid kind", t.Name, p.Path)
		}
	}
	return nil
}
