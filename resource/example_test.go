package resource_test

import (
	"context"
	"fmt"

	"github.com/ambitkit/ambit/fields"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
)

func Example() {
	hosts := resource.Type{
		Name: "Host", Collection: "hosts", Singular: "host",
		Keys: []string{"Hosts/host_name"},
		Properties: []resource.Property{
			{Path: "Hosts/cpu_count", Kind: resource.Number, Indexed: true},
			{Path: "Hosts/os_type", Kind: resource.String, Indexed: true},
		},
	}
	s, err := resource.New(hosts)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	for i, os := range []string{"rhel8", "centos7", "rhel8", "rhel8"} {
		_, err := s.Create(ctx, "hosts", "", map[string]any{"Hosts": map[string]any{
			"host_name": fmt.Sprintf("h%d", i+1), "cpu_count": 2 * (i + 1), "os_type": os,
		}})
		if err != nil {
			fmt.Println(err)
			return
		}
	}

	pred, _ := query.Parse("Hosts/cpu_count>=2&Hosts/os_type.in(rhel8,centos7)")
	fl, _ := fields.Parse("Hosts/os_type")
	res, err := s.List(ctx, resource.Query{
		Type:      "hosts",
		Predicate: pred,
		Fields:    fl,
		Page:      paging.Request{Style: paging.Offsets, Size: 2, From: 1},
		Base:      "http://ambari:8080/api/v1",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("total:", res.Total, "plan:", res.Plan.Access, res.Plan.Index)
	for _, item := range res.Items {
		fmt.Println(item["href"], item["Hosts"])
	}
	// Output:
	// total: 4 plan: in Hosts/os_type
	// http://ambari:8080/api/v1/hosts/h2 map[cpu_count:4 host_name:h2 os_type:centos7]
	// http://ambari:8080/api/v1/hosts/h3 map[cpu_count:6 host_name:h3 os_type:rhel8]
}
