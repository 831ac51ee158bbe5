package ohara

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/ambitkit/ambit/server"
)

// inspect answers GET /v0/inspect/{zookeeper|broker|worker|configurator}.
func (f *face) inspect(c *server.Call) (server.Result, error) {
	what := c.Param("what")
	if what == "configurator" {
		return server.OK(map[string]any{"versionInfo": map[string]any{"version": "ambit", "revision": "", "date": ""}, "mode": "FAKE"}), nil
	}
	for _, k := range kinds {
		if strings.TrimSuffix(k.path, "s") == what {
			defs := []any{}
			for _, d := range f.definitions(k) {
				defs = append(defs, d)
			}
			return server.OK(map[string]any{"imageName": k.image, "settingDefinitions": defs, "classInfos": []any{}}), nil
		}
	}
	return server.Result{}, notFound("There is nothing to inspect at %s: try zookeeper, broker, worker or configurator.", what)
}

// definitions are a kind's setting definitions: those every cluster has,
// its reference to the cluster it runs on, and every property of its
// service's configurations in the stack, with the stack's defaults.
func (f *face) definitions(k *kind) []map[string]any {
	def := func(key, group, typ, necessary, permission, doc string, dflt any) map[string]any {
		return map[string]any{"key": key, "group": group, "displayName": key, "documentation": doc, "valueType": typ,
			"necessary": necessary, "permission": permission, "defaultValue": dflt, "internal": false, "orderInGroup": 0}
	}
	out := []map[string]any{
		def("name", "core", "STRING", "REQUIRED", "CREATE_ONLY", "The name of the cluster.", nil),
		def("group", "core", "STRING", "OPTIONAL_WITH_DEFAULT", "CREATE_ONLY", "The group of the cluster.", "default"),
		def("nodeNames", "core", "ARRAY", "REQUIRED", "EDITABLE", "The nodes the cluster runs on.", nil),
		def("imageName", "core", "STRING", "OPTIONAL_WITH_DEFAULT", "EDITABLE", "The image of the cluster's containers.", k.image),
		def("xms", "core", "POSITIVE_LONG", "OPTIONAL_WITH_DEFAULT", "EDITABLE", "The initial heap of the JVM, in MB.", 1024.0),
		def("xmx", "core", "POSITIVE_LONG", "OPTIONAL_WITH_DEFAULT", "EDITABLE", "The maximum heap of the JVM, in MB.", 1024.0),
		def("tags", "core", "OBJECT", "OPTIONAL", "EDITABLE", "Free JSON of the user's.", nil),
	}
	if k.needs != nil {
		out = append(out, def(k.needKey, "core", "OBJECT_KEY", "REQUIRED", "EDITABLE", "The "+k.needs.category+" cluster it runs on.", nil))
	}
	if f.mgr == nil {
		return out
	}
	svc, ok := f.mgr.Stack().Service(k.service)
	if !ok {
		return out
	}
	for _, typ := range sortedKeys(svc.Configs) {
		for _, p := range sortedKeys(svc.Configs[typ]) {
			v := svc.Configs[typ][p]
			valueType, dflt := "STRING", any(v)
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				valueType, dflt = "POSITIVE_INT", n
			}
			out = append(out, def(p, typ, valueType, "OPTIONAL_WITH_DEFAULT", "EDITABLE", "The "+p+" of "+typ+", which ambit's stack configures.", dflt))
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
