package cdap

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// all lists the objects of a type in the call's namespace, as trees of
// their category, after checking that the namespace exists.
func (f *face) all(c *server.Call, typ string) ([]map[string]any, error) {
	if _, err := f.existing(c); err != nil {
		return nil, err
	}
	res, err := f.store.List(c.Context(), resource.Query{Type: typ, Namespace: c.Namespace, Instance: true, Page: paging.Request{Size: paging.All}})
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(res.Items))
	for i, item := range res.Items {
		for k, v := range item {
			if k != "href" {
				out[i], _ = v.(map[string]any)
			}
		}
	}
	return out, nil
}

// one is an object of the call's namespace, as a tree of its category; a
// missing one is a 404 in CDAP's words.
func (f *face) one(c *server.Call, typ, key, what string) (map[string]any, error) {
	if _, err := f.existing(c); err != nil {
		return nil, err
	}
	r, err := f.store.Get(c.Context(), ref(typ, c.Namespace, key))
	if resource.IsKind(err, resource.NotFound) {
		return nil, apierr.NotFound("%s '%s' was not found in namespace '%s'.", what, key, c.Namespace)
	} else if err != nil {
		return nil, err
	}
	for k, v := range r.Tree() {
		if m, ok := v.(map[string]any); ok && k != "href" {
			return m, nil
		}
	}
	return nil, nil
}

// put creates or replaces an object of the call's namespace.
func (f *face) put(c *server.Call, typ, category, key string, props map[string]any) (created bool, err error) {
	props[keyOf(typ)] = key
	body := map[string]any{category: props}
	err = f.store.Write(c.Context(), func(tx *resource.Tx) error {
		if _, err := tx.Get(ref(typ, c.Namespace, key)); err == nil {
			if err := tx.Delete(ref(typ, c.Namespace, key)); err != nil {
				return err
			}
		} else {
			created = true
		}
		_, err := tx.Create(typ, c.Namespace, body)
		return err
	})
	return created, err
}

func keyOf(typ string) string {
	if typ == Artifacts {
		return "id"
	}
	return "name"
}

func (f *face) appRoutes(m *server.Mount) {
	m.Handle(http.MethodGet, "/apps", only(f.apps, "artifactName", "artifactVersion"))
	m.Handle(http.MethodGet, "/apps/:app", only(f.app))
	m.Handle(http.MethodPut, "/apps/:app", only(f.deploy))
	m.Handle(http.MethodDelete, "/apps/:app", only(func(c *server.Call) (server.Result, error) {
		return f.remove(c, Apps, c.Param("app"), "Application", nil)
	}))
}

// apps answers GET …/apps: ApplicationRecords, filtered by artifact name
// and version as CDAP's client asks.
func (f *face) apps(c *server.Call) (server.Result, error) {
	apps, err := f.all(c, Apps)
	if err != nil {
		return server.Result{}, err
	}
	q := c.Request.URL.Query()
	out := []any{}
	for _, a := range apps {
		art, _ := a["artifact"].(map[string]any)
		if n := q.Get("artifactName"); n != "" && !inList(n, art["name"]) {
			continue
		}
		if v := q.Get("artifactVersion"); v != "" && art["version"] != v {
			continue
		}
		out = append(out, map[string]any{"type": "App", "name": a["name"], "version": a["version"],
			"description": orEmpty(a["description"]), "artifact": art})
	}
	return server.OK(out), nil
}

func inList(list string, v any) bool {
	for _, s := range strings.Split(list, ",") {
		if s == v {
			return true
		}
	}
	return false
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

// app answers GET …/apps/{app}: its ApplicationDetail.
func (f *face) app(c *server.Call) (server.Result, error) {
	a, err := f.one(c, Apps, c.Param("app"), "Application")
	if err != nil {
		return server.Result{}, err
	}
	cfg, _ := json.Marshal(orObject(a["config"]))
	return server.OK(map[string]any{"name": a["name"], "appVersion": a["version"], "description": orEmpty(a["description"]),
		"configuration": string(cfg), "datasets": []any{}, "programs": []any{}, "plugins": []any{}, "artifact": a["artifact"]}), nil
}

func orObject(v any) any {
	if v == nil {
		return map[string]any{}
	}
	return v
}

// deploy answers PUT …/apps/{app} with an application's spec: its
// artifact ({name, version, scope}) and config; deploying again replaces
// it.
func (f *face) deploy(c *server.Call) (server.Result, error) {
	name := c.Param("app")
	if !names.MatchString(name) {
		return server.Result{}, apierr.BadRequest("Application id can contain only alphanumeric characters, '-' or '_'.").WithField("app", -1)
	}
	if _, err := f.existing(c); err != nil {
		return server.Result{}, err
	}
	body, err := readObject(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	art, _ := body["artifact"].(map[string]any)
	if art == nil || art["name"] == nil || art["version"] == nil {
		return server.Result{}, apierr.BadRequest("An application needs an artifact with a name and a version.").WithField("artifact", -1)
	}
	props := map[string]any{"artifact": art, "config": orObject(body["config"])}
	if d, ok := body["description"].(string); ok {
		props["description"] = d
	}
	if cfg, ok := props["config"].(map[string]any); !ok {
		return server.Result{}, apierr.BadRequest("config must be a JSON object.").WithField("config", -1)
	} else if d, ok := cfg["description"].(string); ok && props["description"] == nil {
		props["description"] = d // a pipeline's spec says it in its config
	}
	if _, err := f.put(c, Apps, "app", name, props); err != nil {
		return server.Result{}, err
	}
	return text("Deploy Complete"), nil
}

// remove deletes an object, after check (nil for none) allows it.
func (f *face) remove(c *server.Call, typ, key, what string, check func(map[string]any) error) (server.Result, error) {
	obj, err := f.one(c, typ, key, what)
	if err != nil {
		return server.Result{}, err
	}
	if check != nil {
		if err := check(obj); err != nil {
			return server.Result{}, err
		}
	}
	return server.Status(http.StatusOK), f.store.Delete(c.Context(), ref(typ, c.Namespace, key))
}

func (f *face) profileRoutes(m *server.Mount) {
	m.Handle(http.MethodGet, "/profiles", only(f.profiles, "includeSystem"))
	m.Handle(http.MethodGet, "/profiles/:profile", only(f.profile))
	m.Handle(http.MethodPut, "/profiles/:profile", only(f.writeProfile))
	m.Handle(http.MethodPost, "/profiles/:profile/enable", only(func(c *server.Call) (server.Result, error) { return f.status(c, "ENABLED") }))
	m.Handle(http.MethodPost, "/profiles/:profile/disable", only(func(c *server.Call) (server.Result, error) { return f.status(c, "DISABLED") }))
	m.Handle(http.MethodDelete, "/profiles/:profile", only(func(c *server.Call) (server.Result, error) {
		return f.remove(c, Profiles, c.Param("profile"), "Profile", func(p map[string]any) error {
			if p["status"] == "ENABLED" {
				return apierr.Conflict("Profile '%s' is enabled: disable it before deleting it.", c.Param("profile"))
			}
			return nil
		})
	}))
}

// profileView is a profile as CDAP shows it.
func profileView(p map[string]any) map[string]any {
	return map[string]any{"name": p["name"], "label": orEmpty(p["label"]), "description": orEmpty(p["description"]),
		"scope": p["scope"], "status": p["status"], "provisioner": orObject(p["provisioner"]), "created": p["created"]}
}

func (f *face) profiles(c *server.Call) (server.Result, error) {
	ps, err := f.all(c, Profiles)
	if err != nil {
		return server.Result{}, err
	}
	out := []any{}
	for _, p := range ps {
		out = append(out, profileView(p))
	}
	return server.OK(out), nil
}

func (f *face) profile(c *server.Call) (server.Result, error) {
	p, err := f.one(c, Profiles, c.Param("profile"), "Profile")
	if err != nil {
		return server.Result{}, err
	}
	return server.OK(profileView(p)), nil
}

// writeProfile answers PUT …/profiles/{p}: a new profile is ENABLED; an
// existing one may change only while it is disabled (409 otherwise).
func (f *face) writeProfile(c *server.Call) (server.Result, error) {
	name := c.Param("profile")
	if !names.MatchString(name) {
		return server.Result{}, apierr.BadRequest("Profile id can contain only alphanumeric characters, '-' or '_'.").WithField("profile", -1)
	}
	if _, err := f.existing(c); err != nil {
		return server.Result{}, err
	}
	body, err := readObject(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	prov, _ := body["provisioner"].(map[string]any)
	if prov == nil || prov["name"] == nil {
		return server.Result{}, apierr.BadRequest("A profile needs a provisioner with a name.").WithField("provisioner", -1)
	}
	props := map[string]any{"provisioner": prov, "created": float64(time.Now().Unix())}
	for _, k := range []string{"label", "description"} {
		if s, ok := body[k].(string); ok {
			props[k] = s
		}
	}
	old, err := f.store.Get(c.Context(), ref(Profiles, c.Namespace, name))
	if err == nil {
		if old.Value("profile/status") == "ENABLED" {
			return server.Result{}, apierr.Conflict("Profile '%s' is enabled: disable it before changing it.", name)
		}
		props["status"], props["created"] = "DISABLED", old.Value("profile/created")
	} else if !resource.IsKind(err, resource.NotFound) {
		return server.Result{}, err
	}
	if _, err := f.put(c, Profiles, "profile", name, props); err != nil {
		return server.Result{}, err
	}
	return server.Status(http.StatusOK), nil
}

// status enables or disables a profile: 409 when it is so already.
func (f *face) status(c *server.Call, to string) (server.Result, error) {
	name := c.Param("profile")
	p, err := f.one(c, Profiles, name, "Profile")
	if err != nil {
		return server.Result{}, err
	}
	if p["status"] == to {
		return server.Result{}, apierr.Conflict("Profile '%s' is %s already.", name, strings.ToLower(to))
	}
	_, err = f.store.Update(c.Context(), ref(Profiles, c.Namespace, name), map[string]any{"profile": map[string]any{"status": to}}, 0)
	return server.Status(http.StatusOK), err
}

func (f *face) artifactRoutes(m *server.Mount) {
	m.Handle(http.MethodGet, "/artifacts", only(f.artifacts, "scope"))
	m.Handle(http.MethodPost, "/artifacts/:artifact", only(f.upload))
	m.Handle(http.MethodGet, "/artifacts/:artifact/versions/:version", only(f.artifact, "scope"))
	m.Handle(http.MethodPut, "/artifacts/:artifact/versions/:version/properties", only(f.artifactProperties))
	m.Handle(http.MethodDelete, "/artifacts/:artifact/versions/:version", only(func(c *server.Call) (server.Result, error) {
		return f.remove(c, Artifacts, artifactID(c), "Artifact", nil)
	}))
}

// artifactID is the key of the artifact version a URL names.
func artifactID(c *server.Call) string { return c.Param("artifact") + ":" + c.Param("version") }

// artifacts answers GET …/artifacts: ArtifactSummaries.
func (f *face) artifacts(c *server.Call) (server.Result, error) {
	if s := c.Request.URL.Query().Get("scope"); s != "" && s != "USER" && s != "SYSTEM" {
		return server.Result{}, apierr.BadRequest("Invalid scope %q: want USER or SYSTEM.", s).WithField("scope", -1)
	}
	arts, err := f.all(c, Artifacts)
	if err != nil {
		return server.Result{}, err
	}
	out := []any{}
	if c.Request.URL.Query().Get("scope") != "SYSTEM" {
		for _, a := range arts {
			out = append(out, map[string]any{"name": a["name"], "version": a["version"], "scope": a["scope"]})
		}
	}
	return server.OK(out), nil
}

// upload answers POST …/artifacts/{name}: ambit keeps the artifact's
// metadata (its version from the Artifact-Version header, its parents
// from Artifact-Extends), not its JAR. A version that exists is a 409.
func (f *face) upload(c *server.Call) (server.Result, error) {
	name, version := c.Param("artifact"), c.Request.Header.Get("Artifact-Version")
	if !names.MatchString(name) {
		return server.Result{}, apierr.BadRequest("Artifact name can contain only alphanumeric characters, '-' or '_'.").WithField("artifact", -1)
	}
	if version == "" {
		return server.Result{}, apierr.BadRequest("The Artifact-Version header is required: ambit does not read versions from JARs.").WithField("Artifact-Version", -1)
	}
	if _, err := f.existing(c); err != nil {
		return server.Result{}, err
	}
	if _, err := io.Copy(io.Discard, c.Request.Body); err != nil {
		return server.Result{}, apierr.New(http.StatusRequestEntityTooLarge, "The artifact is larger than the server's limit.")
	}
	props := map[string]any{"id": name + ":" + version, "name": name, "version": version}
	if ext := c.Request.Header.Get("Artifact-Extends"); ext != "" {
		var parents []any
		for _, p := range strings.Split(ext, "/") {
			parents = append(parents, p)
		}
		props["parents"] = parents
	}
	if _, err := f.store.Create(c.Context(), Artifacts, c.Namespace, map[string]any{"artifact": props}); err != nil {
		if resource.IsKind(err, resource.Exists) {
			return server.Result{}, apierr.Conflict("Artifact '%s' version %s already exists in namespace '%s'.", name, version, c.Namespace)
		}
		return server.Result{}, err
	}
	return text("Artifact added successfully"), nil
}

func (f *face) artifact(c *server.Call) (server.Result, error) {
	a, err := f.one(c, Artifacts, artifactID(c), "Artifact")
	if err != nil {
		return server.Result{}, err
	}
	return server.OK(map[string]any{"name": a["name"], "version": a["version"], "scope": a["scope"],
		"classes": map[string]any{"apps": []any{}, "plugins": []any{}}, "properties": orObject(a["properties"]),
		"parents": orList(a["parents"])}), nil
}

func orList(v any) any {
	if v == nil {
		return []any{}
	}
	return v
}

// artifactProperties answers PUT …/versions/{v}/properties: a flat map
// of strings that replaces the artifact's.
func (f *face) artifactProperties(c *server.Call) (server.Result, error) {
	if _, err := f.one(c, Artifacts, artifactID(c), "Artifact"); err != nil {
		return server.Result{}, err
	}
	body, err := readObject(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	props, err := stringMap(anyOf(body), "properties")
	if err != nil {
		return server.Result{}, err
	}
	_, err = f.store.Update(c.Context(), ref(Artifacts, c.Namespace, artifactID(c)), map[string]any{"artifact": map[string]any{"properties": props}}, 0)
	return server.Status(http.StatusOK), err
}
