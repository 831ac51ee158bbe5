package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/ambitkit/ambit/server/cdap"
	"github.com/ambitkit/ambit/server/ohara"
	"github.com/ambitkit/ambit/server/openshift"
	"github.com/ambitkit/ambit/server/sahara"
)

// FaceTarget is one face's row of the HTTP comparison: a GET a client of
// that family sends often, with the headers it sends.
type FaceTarget struct {
	Name, Path string
	Header     http.Header
	Body       []byte // what ambit answers, which the static handler serves
}

// FaceServers are ambit's server with every face, over a cluster manager
// with objects of each face, as cmd/ambit runs it and without its read
// cache (every answer computed), and a static handler answering each
// target's bytes from memory.
type FaceServers struct {
	Ambit, Computed, Static string
	Targets                 []FaceTarget
	close                   func()
}

// Close stops both servers and the manager.
func (s *FaceServers) Close() { s.close() }

// ServeFaces starts the servers, with n objects of each face.
func ServeFaces(n int) (*FaceServers, error) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet), cluster.WithMaxRunning(64),
		cluster.WithTypes(slices.Concat(sahara.Types(), cdap.Types(), openshift.Types(), ohara.Types())...))
	if err != nil {
		return nil, err
	}
	faces := append([]server.Face{ambari.Face(), sahara.Face(), openshift.Face(), ohara.Face()}, cdap.Faces()...)
	opts := []server.Option{server.WithCluster(m, cluster.Execution{Driver: cluster.NewSim()}), server.WithFaces(faces...),
		server.WithLogger(quiet), server.WithoutCSRF(), server.WithExternalURL("http://ambit:8080")}
	a, c, closeBoth, err := serveBoth(nil, opts)
	if err != nil {
		_ = m.Close(context.Background())
		return nil, err
	}
	fail := func(err error) (*FaceServers, error) {
		closeBoth()
		_ = m.Close(context.Background())
		return nil, err
	}
	if err := populate(a, n); err != nil {
		return fail(err)
	}
	targets := []FaceTarget{
		{Name: "Sahara: cluster list", Path: "/v1.1/proj1/clusters", Header: http.Header{"Accept": {"application/json"}}},
		{Name: "CDAP: namespace list", Path: "/v3/namespaces"},
		{Name: "OpenShift: a domain with links", Path: "/broker/rest/domain/dev1", Header: http.Header{"Accept": {"application/json; version=1.7"}}},
		{Name: "Ohara: zookeeper list", Path: "/v0/zookeepers"},
	}
	for i, t := range targets {
		body, err := getWith(a+t.Path, t.Header)
		if err != nil {
			return fail(err)
		}
		targets[i].Body = body
	}
	static := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, t := range targets {
			if t.Path == r.URL.RequestURI() {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", strconv.Itoa(len(t.Body)))
				_, _ = w.Write(t.Body)
				return
			}
		}
		http.NotFound(w, r)
	})
	st, closeS, err := listen(static)
	if err != nil {
		return fail(err)
	}
	return &FaceServers{Ambit: a, Computed: c, Static: st, Targets: targets, close: func() {
		closeBoth()
		closeS()
		_ = m.Close(context.Background())
	}}, nil
}

// populate makes n Sahara clusters in proj1, n CDAP namespaces, a broker
// domain with n applications, and an Ohara zookeeper in each of n groups.
func populate(base string, n int) error {
	steps := []struct{ method, path, body string }{
		{"POST", "/broker/rest/domains", `{"id":"dev1"}`},
		{"POST", "/v0/nodes", `{"hostname":"node1"}`},
	}
	for i := range n {
		steps = append(steps,
			struct{ method, path, body string }{"POST", "/v1.1/proj1/clusters", fmt.Sprintf(`{"name":"c%d","plugin_name":"ambit","hadoop_version":"1.0",`+
				`"node_groups":[{"name":"zk","count":1,"node_processes":["ZOOKEEPER_SERVER"],"flavor_id":"2"}]}`, i)},
			struct{ method, path, body string }{"PUT", fmt.Sprintf("/v3/namespaces/ns%d", i), ""},
			struct{ method, path, body string }{"POST", "/broker/rest/domain/dev1/applications", fmt.Sprintf(`{"name":"app%d","cartridges":["zookeeper"]}`, i)},
			struct{ method, path, body string }{"POST", "/v0/zookeepers", fmt.Sprintf(`{"name":"zk","group":"g%d","nodeNames":["node1"]}`, i)},
		)
	}
	for _, s := range steps {
		req, err := http.NewRequest(s.method, base+s.path, strings.NewReader(s.body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 300 {
			return fmt.Errorf("%s %s: %d %s", s.method, s.path, res.StatusCode, b)
		}
	}
	return nil
}

func getWith(url string, h http.Header) ([]byte, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s: %s", url, res.Status, b)
	}
	return b, err
}

// Same checks that ambit answers every target as it did when the static
// handler took its bytes: what wrk loads is the same work.
func (s *FaceServers) Same() error {
	for _, t := range s.Targets {
		for _, base := range []string{s.Ambit, s.Computed} {
			b, err := getWith(base+t.Path, t.Header)
			if err != nil {
				return err
			}
			if !bytes.Equal(b, t.Body) {
				return fmt.Errorf("%s: ambit's answer at %s is not the one the static handler serves", t.Name, base)
			}
		}
	}
	return nil
}
