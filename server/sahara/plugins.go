package sahara

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/server"
)

// plugins mounts the plugins: one per loaded stack, by its name in lower
// case, its versions the stack versions.
func (f *face) plugins(m *server.Mount) {
	m.Handle(http.MethodGet, "/plugins", func(c *server.Call) (server.Result, error) {
		var out []any
		for _, name := range f.pluginNames() {
			out = append(out, f.plugin(name))
		}
		if out == nil {
			out = []any{}
		}
		return server.OK(map[string]any{"plugins": out}), nil
	})
	m.Handle(http.MethodGet, "/plugins/:name", func(c *server.Call) (server.Result, error) {
		p := f.plugin(c.Param("name"))
		if p == nil {
			return server.Result{}, notFound("plugin", c.Param("name"))
		}
		return server.OK(map[string]any{"plugin": p}), nil
	})
	m.Handle(http.MethodPatch, "/plugins/:name", func(c *server.Call) (server.Result, error) {
		p := f.plugin(c.Param("name"))
		if p == nil {
			return server.Result{}, notFound("plugin", c.Param("name"))
		}
		return server.Result{Status: http.StatusAccepted, Body: map[string]any{"plugin": p}}, nil
	})
	m.Handle(http.MethodGet, "/plugins/:name/:version", func(c *server.Call) (server.Result, error) {
		s := f.stack(c.Param("name"), c.Param("version"))
		if s == nil {
			return server.Result{}, notFound("plugin version", c.Param("name")+" "+c.Param("version"))
		}
		p := f.plugin(c.Param("name"))
		processes := map[string]any{}
		var configs []any
		for _, svc := range s.Services {
			var names []any
			for _, comp := range svc.Components {
				names = append(names, comp.Name)
			}
			processes[svc.Name] = names
			for _, typ := range slices.Sorted(maps.Keys(svc.Configs)) {
				for _, key := range slices.Sorted(maps.Keys(svc.Configs[typ])) {
					configs = append(configs, map[string]any{"name": key, "default_value": svc.Configs[typ][key], "priority": 1,
						"config_type": "string", "applicable_target": svc.Name, "is_optional": true, "scope": "cluster",
						"description": typ + ": " + key})
				}
			}
		}
		p["version"] = s.Version
		p["node_processes"] = processes
		p["required_image_tags"] = []any{strings.ToLower(s.Name), s.Version}
		p["configs"] = configs
		return server.OK(map[string]any{"plugin": p}), nil
	})
}

// pluginNames are the names of the loaded stacks, in lower case.
func (f *face) pluginNames() []string {
	var out []string
	for _, s := range f.stacks {
		if name := strings.ToLower(s.Name); !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// plugin describes the stacks of a name, nil for none.
func (f *face) plugin(name string) map[string]any {
	var versions []any
	title := ""
	for _, s := range f.stacks {
		if strings.ToLower(s.Name) == name {
			versions = append(versions, s.Version)
			title = s.Name
		}
	}
	if versions == nil {
		return nil
	}
	return map[string]any{"name": name, "versions": versions, "title": title,
		"description": "The " + title + " stack of the ambit server, as a Sahara plugin."}
}

// stack is the stack of a plugin's version.
func (f *face) stack(name, version string) *cluster.Stack {
	for _, s := range f.stacks {
		if strings.ToLower(s.Name) == name && s.Version == version {
			return s
		}
	}
	return nil
}

func notFound(what, name string) error {
	return apierr.NotFound("The %s %s is not found.", what, name)
}
