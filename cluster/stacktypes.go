package cluster

import (
	"errors"
	"slices"

	"github.com/ambitkit/ambit/resource"
)

// The collection names of the stack's types: what the manager's stack
// defines, served read-only as Ambari serves its stacks
// (/stacks/AMBIT/versions/1.0/services/HDFS/components/DATANODE).
const (
	Stacks              = "stacks"
	StackVersions       = "stack_versions"
	StackServices       = "stack_services"
	StackComponents     = "stack_components"
	StackConfigurations = "stack_configurations"
)

// stackTypes declares the stack's types.
func stackTypes() []resource.Type {
	str := func(path string) resource.Property { return resource.Property{Path: path, Kind: resource.String} }
	list := func(path string) resource.Property { return resource.Property{Path: path, Kind: resource.List} }
	return []resource.Type{
		{Name: "Stack", Collection: Stacks, Category: "Stacks", Keys: []string{"Stacks/stack_name"}},
		{Name: "StackVersion", Collection: StackVersions, Path: "versions", Category: "Versions", Parent: Stacks,
			Keys:       []string{"Versions/stack_name", "Versions/stack_version"},
			Properties: []resource.Property{{Path: "Versions/active", Kind: resource.Bool}}},
		{Name: "StackService", Collection: StackServices, Path: "services", Category: "StackServices", Parent: StackVersions,
			Keys:       []string{"StackServices/stack_name", "StackServices/stack_version", "StackServices/service_name"},
			Properties: []resource.Property{list("StackServices/required_services"), list("StackServices/config_types")}},
		{Name: "StackServiceComponent", Collection: StackComponents, Path: "components", Category: "StackServiceComponents", Parent: StackServices,
			Keys: []string{"StackServiceComponents/stack_name", "StackServiceComponents/stack_version",
				"StackServiceComponents/service_name", "StackServiceComponents/component_name"},
			Properties: []resource.Property{str("StackServiceComponents/component_category"), str("StackServiceComponents/cardinality"),
				list("StackServiceComponents/dependencies"), {Path: "StackServiceComponents/is_master", Kind: resource.Bool},
				{Path: "StackServiceComponents/is_client", Kind: resource.Bool}}},
		{Name: "StackConfiguration", Collection: StackConfigurations, Path: "configurations", Category: "StackConfigurations", Parent: StackServices,
			Keys: []string{"StackConfigurations/stack_name", "StackConfigurations/stack_version",
				"StackConfigurations/service_name", "StackConfigurations/property_name"},
			Properties: []resource.Property{str("StackConfigurations/type"), str("StackConfigurations/property_value")}},
	}
}

// stackType reports the stack's types, which only the stack changes.
func stackType(collection string) bool {
	switch collection {
	case Stacks, StackVersions, StackServices, StackComponents, StackConfigurations:
		return true
	}
	return false
}

// loadStack writes a stack into the store, for clients to read.
func (m *Manager) loadStack(tx *resource.Tx, s *Stack) error {
	creates := []struct {
		typ  string
		body map[string]any
	}{
		{Stacks, tree("Stacks", "stack_name", s.Name)},
		{StackVersions, tree("Versions", "stack_name", s.Name, "stack_version", s.Version, "active", true)},
	}
	for _, svc := range s.Services {
		types := slices.Sorted(func(yield func(string) bool) {
			for typ := range svc.Configs {
				if !yield(typ) {
					return
				}
			}
		})
		creates = append(creates, struct {
			typ  string
			body map[string]any
		}{StackServices, tree("StackServices", "stack_name", s.Name, "stack_version", s.Version, "service_name", svc.Name,
			"required_services", anyList(svc.Requires), "config_types", anyList(types))})
		for _, c := range svc.Components {
			creates = append(creates, struct {
				typ  string
				body map[string]any
			}{StackComponents, tree("StackServiceComponents", "stack_name", s.Name, "stack_version", s.Version,
				"service_name", svc.Name, "component_name", c.Name, "component_category", string(c.Category),
				"cardinality", c.Cardinality, "dependencies", anyList(c.Dependencies),
				"is_master", c.Category == Master, "is_client", c.Category == Client)})
		}
		for _, typ := range types {
			for name, value := range svc.Configs[typ] {
				creates = append(creates, struct {
					typ  string
					body map[string]any
				}{StackConfigurations, tree("StackConfigurations", "stack_name", s.Name, "stack_version", s.Version,
					"service_name", svc.Name, "property_name", name, "type", typ, "property_value", value)})
			}
		}
	}
	for _, c := range creates {
		_, err := tx.Create(c.typ, "", c.body)
		if e := (*resource.Error)(nil); errors.As(err, &e) && e.Kind == resource.Exists {
			// A store opened again holds the stack already: the definition
			// the server loads now is the one that counts.
			keys := make([]string, len(e.Keys))
			for i, kv := range e.Keys {
				keys[i] = kv.Value
			}
			_, err = tx.Put(resource.Ref{Type: c.typ, Keys: keys}, c.body)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// readOnlyStack is the error of a write to the stack's types.
func readOnlyStack() error {
	return resource.Errorf(resource.Invalid, "", "Stacks come from the stack definition the server loads: they cannot be changed through the API.")
}

// The collection names of a stack version's repositories: repository
// versions, their operating systems, and the repositories of each, which
// clients create, read, change and delete, following them by href.
const (
	RepositoryVersions = "repository_versions"
	OperatingSystems   = "operating_systems"
	Repositories       = "repositories"
)

func repositoryTypes() []resource.Type {
	str := func(path string) resource.Property { return resource.Property{Path: path, Kind: resource.String} }
	return []resource.Type{
		{Name: "RepositoryVersion", Collection: RepositoryVersions, Category: "RepositoryVersions", Parent: StackVersions,
			Keys:       []string{"RepositoryVersions/stack_name", "RepositoryVersions/stack_version", "RepositoryVersions/id"},
			Properties: []resource.Property{{Path: "RepositoryVersions/id", Kind: resource.Number}, str("RepositoryVersions/repository_version"), str("RepositoryVersions/display_name")}},
		{Name: "OperatingSystem", Collection: OperatingSystems, Category: "OperatingSystems", Parent: RepositoryVersions,
			Keys:       []string{"OperatingSystems/stack_name", "OperatingSystems/stack_version", "OperatingSystems/repository_version_id", "OperatingSystems/os_type"},
			Properties: []resource.Property{{Path: "OperatingSystems/repository_version_id", Kind: resource.Number}}},
		{Name: "Repository", Collection: Repositories, Category: "Repositories", Parent: OperatingSystems,
			Keys:       []string{"Repositories/stack_name", "Repositories/stack_version", "Repositories/repository_version_id", "Repositories/os_type", "Repositories/repo_id"},
			Properties: []resource.Property{{Path: "Repositories/repository_version_id", Kind: resource.Number}, str("Repositories/repo_name"), str("Repositories/base_url")}},
	}
}

// createRepositoryVersion creates a repository version with the next id,
// and the operating systems and repositories its body nests, as Ambari's
// clients post them: {"RepositoryVersions": {...}, "operating_systems":
// [{"OperatingSystems": {"os_type"}, "repositories": [{"Repositories":
// {"repo_id", "repo_name", "base_url"}}]}]}.
func (m *Manager) createRepositoryVersion(tx *resource.Tx, body map[string]any) error {
	stack, version := str(resource.Get(body, "RepositoryVersions/stack_name")), str(resource.Get(body, "RepositoryVersions/stack_version"))
	if str(resource.Get(body, "RepositoryVersions/repository_version")) == "" {
		return resource.Errorf(resource.Invalid, "RepositoryVersions/repository_version", "A repository version needs a RepositoryVersions/repository_version.")
	}
	existing, err := tx.Find(RepositoryVersions, "", map[string]string{"RepositoryVersions/stack_name": stack, "RepositoryVersions/stack_version": version}, nil)
	if err != nil {
		return err
	}
	id := 1.0
	for _, r := range existing {
		if v, _ := r.Value("RepositoryVersions/id").(float64); v >= id {
			id = v + 1
		}
	}
	oses, _ := body["operating_systems"].([]any)
	delete(body, "operating_systems")
	resource.Set(body, "RepositoryVersions/id", id)
	if _, err := tx.Create(RepositoryVersions, "", body); err != nil {
		return err
	}
	for _, o := range oses {
		om, _ := o.(map[string]any)
		osType := str(resource.Get(om, "OperatingSystems/os_type"))
		if _, err := tx.Create(OperatingSystems, "", tree("OperatingSystems", "stack_name", stack, "stack_version", version,
			"repository_version_id", id, "os_type", osType)); err != nil {
			return err
		}
		repos, _ := om["repositories"].([]any)
		for _, r := range repos {
			rm, _ := r.(map[string]any)
			if _, err := tx.Create(Repositories, "", tree("Repositories", "stack_name", stack, "stack_version", version,
				"repository_version_id", id, "os_type", osType, "repo_id", str(resource.Get(rm, "Repositories/repo_id")),
				"repo_name", str(resource.Get(rm, "Repositories/repo_name")), "base_url", str(resource.Get(rm, "Repositories/base_url")))); err != nil {
				return err
			}
		}
	}
	return nil
}
