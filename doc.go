// Package ambit is a Go toolkit for management-plane REST APIs in the style
// of Apache Ambari's API v1: resources in collections and instances,
// sub-resources, query predicates (?Hosts/cpu_count>=2&Hosts/os_type.in(rhel8,centos7)),
// partial response (?fields=Hosts/host_name,metrics/disk/*), pagination,
// batch requests and asynchronous requests whose tasks show progress. Of
// the conventions of OpenStack Sahara, CDAP, OpenShift and Ohara, the error
// envelopes, Sahara's paging and sorting parameters, bearer tokens,
// namespaces per tenant and API-version negotiation are available in the
// server's core; their faces are to come.
//
// ambit is a library first and a server second. Its packages, leaves first:
//
//	errors    API errors and their envelopes (Ambari, Sahara, Ohara, OpenShift, RFC 9457)
//	query     the predicate language: parse, evaluate, split URL queries, plan
//	fields    partial response: parse fields=, select, plan sub-resource expansion
//	paging    page requests, sort keys, markers and cursors
//	resource  resource types, property trees and the indexed in-memory store
//	cluster   cluster orchestration: services, components, hosts, requests, tasks
//	server    the HTTP core every face plugs into: auth and tokens, tenancy, negotiation, limits
//	server/ambari  the Ambari API v1 face; cmd/ambit serves it standalone
//
// The leaves (errors, query, fields, paging) import nothing of ambit's and
// can be used alone in any Go service. Packages listed below a package are
// never imported by it; resource and cluster know nothing of HTTP and
// report typed errors (resource.Error) that the server maps once.
//
// A tour: split a request's query string into the predicate and
// the other parameters, parse the predicate and evaluate it on a resource:
//
//	pred, params, err := query.Split(r.URL.RawQuery)
//	e, err := query.Parse(pred) // Hosts/cpu_count>=2&Hosts/os_type.in(rhel8,centos7)
//	ok := e.Match(query.Tree(host))
//
// Resolve fields= against a description of the resource type and keep only
// what the client asked for; page and sort with paging:
//
//	l, err := fields.Parse(params.Get("fields")) // Hosts/host_name,metrics/disk/*
//	view := fields.Resolve(l, hostType, fields.Keys).Select(host)
//	r, err := paging.Parse(params, paging.Options{})
//	page, err := paging.Apply(r, source, paging.Listing{})
//
// Or let a resource store do all of it, with indexes: declare types, create
// resources, and list with a scope, a predicate, fields and a page:
//
//	s, err := resource.New(clusters, hosts, hostComponents)
//	_, err = s.Create(ctx, "hosts", "", body)
//	res, err := s.List(ctx, resource.Query{Type: "hosts", Predicate: e, Fields: l, Page: r})
//
// Or run clusters: a cluster.Manager holds the domain's resources, plans
// state changes into requests of staged tasks, and executes them through a
// driver (simulated, or real local processes):
//
//	m, _ := cluster.NewManager(cluster.BuiltinStack(), nil)
//	id, err := m.Drive(ctx, "c1", cluster.Started, nil, "Start all")
//	err = m.Execute(ctx, "c1", id, cluster.Execution{Driver: cluster.NewSim()})
//
// And serve it over HTTP, as cmd/ambit does:
//
//	x := cluster.Execution{Driver: cluster.NewSim()}
//	http.ListenAndServe("127.0.0.1:8080", server.New(nil, server.WithFaces(ambari.Face()), server.WithCluster(m, x)))
//
// Answer a bad request in the envelope of the API family the client speaks,
// with the offset the parser found:
//
//	var se *query.SyntaxError
//	if errors.As(err, &se) {
//		apierr.Write(w, r, apierr.Ambari{}, apierr.BadRequest("Unable to compile query predicate: %v", se).WithField("predicate", se.Offset))
//	}
//
// A Go client reads any envelope back with apierr.Parse(resp).
package ambit
