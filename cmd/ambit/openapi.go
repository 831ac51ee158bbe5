package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
)

// document writes the OpenAPI document a face serves at openapi.json under
// its prefix, for the faces and types the flags configure: the same
// document the server answers, made without serving or touching the data.
func document(args []string, out io.Writer) error {
	var name string
	if n := len(args); n > 0 && !strings.HasPrefix(args[n-1], "-") {
		name, args = args[n-1], args[:n-1]
	}
	c, err := parse(args, out)
	if err != nil {
		return err
	}
	if name == "" {
		return fmt.Errorf("openapi: name a face: ambari, sahara, cdap, openshift or ohara")
	}
	quiet := slog.New(slog.DiscardHandler)
	m, err := newManager(c, nil, quiet)
	if err != nil {
		return err
	}
	defer m.Close(context.Background())
	s := server.New(nil, server.WithCluster(m, cluster.Execution{Driver: cluster.NewSim()}), server.WithLogger(quiet),
		server.WithFaces(faces(c)...))
	doc, ok := s.Document(name)
	if !ok {
		return fmt.Errorf("openapi: no face %q: the faces are ambari, sahara, cdap, openshift and ohara", name)
	}
	var b bytes.Buffer
	if err := json.Indent(&b, doc, "", "  "); err != nil {
		return err
	}
	b.WriteByte('\n')
	_, err = out.Write(b.Bytes())
	return err
}
