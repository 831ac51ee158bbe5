// Package fields implements partial response, the fields= parameter of
// Apache Ambari's REST API v1:
//
//	?fields=Hosts/host_name,metrics/disk/*,host_components/HostRoles/state
//
// [Parse] reads the expression into a [List] of items. Each item is a path
// naming a property, a category (everything beneath it) or a sub-resource;
// * alone means everything and, as a last segment, everything beneath
// (host_components/* expands each host component). An item may ask for a
// time range of temporal metrics: metrics/jvm[start,end,step].
//
// [Resolve] resolves a list against a [Type], which describes a resource
// type's properties, sub-resources and keys, into a [Selection]: which
// properties are returned, which sub-resources are included and whether as
// links or expanded (and with what nested selection), which time ranges are
// asked for, and every path the type does not know, so that one error can
// name them all. Key properties are always selected. When a request names
// no fields, the caller chooses the default: Keys (Ambari's collections) or
// Everything (Ambari's instances: every property, every sub-resource as
// links).
//
// [Selection.Select] prunes a property tree (JSON-shaped map[string]any)
// without copying what it keeps whole and without changing its input;
// [Selection.AppendJSON] writes the same view as JSON without building it,
// several times faster than Select and encoding/json.
//
// # Extensions and departures
//
// Exclusion is an ambit extension: an item -path removes a property,
// category or sub-resource from whatever the other items, or the default,
// select. fields=*,-metrics returns everything but metrics; fields=-metrics
// on an instance returns its default view without metrics.
//
// Items are trimmed and empty items ignored; Ambari keeps the spaces and
// then rejects the property. Malformed items (a non-integer or negative time
// bound, an unclosed [, more than three numbers, text after ], an empty path
// segment, * inside a path) are a *SyntaxError naming the item and offset;
// Ambari answers some of them with a 500. A time range on * applies to
// every temporal property; Ambari ignores it.
package fields
