package query_test

import (
	"encoding/json"
	"fmt"

	"github.com/ambitkit/ambit/query"
)

func Example() {
	e, err := query.Parse("Hosts/host_status=HEALTHY&Hosts/cpu_count>=2|Hosts/os_type.in(rhel6,centos6)")
	if err != nil {
		fmt.Println(err)
		return
	}
	var host map[string]any
	_ = json.Unmarshal([]byte(`{"Hosts": {"host_name": "c6401", "host_status": "HEALTHY", "cpu_count": 4, "os_type": "ubuntu22"}}`), &host)
	fmt.Println(e.Match(query.Tree(host)))
	// Output: true
}

func ExampleParse_error() {
	_, err := query.Parse("Hosts/cpu_count>=2&")
	fmt.Println(err)
	// Output: unexpected end of input at offset 19: expected a property name, "!" or "("
}

func ExampleSplit() {
	pred, params, err := query.Split("Hosts/cpu_count>=2&Hosts/os_type.in(rhel8,centos7)&fields=Hosts/host_name&page_size=10")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pred)
	fmt.Println(params.Get("fields"), params.Get("page_size"))
	// Output:
	// Hosts/cpu_count>=2&Hosts/os_type.in(rhel8,centos7)
	// Hosts/host_name 10
}

func ExampleConjuncts() {
	e, _ := query.Parse("Tasks/status=FAILED&Tasks/start_time>=1700000000&Tasks/stdout.matches(.*OOM.*)")
	for _, c := range query.Conjuncts(e) {
		con, ok := query.Constrain(c)
		switch {
		case !ok:
			fmt.Printf("%-30s evaluate on what the index yields\n", c)
		case con.IsRange():
			fmt.Printf("%-30s range on %s from %s\n", c, con.Path, con.Min.Value.Text)
		default:
			fmt.Printf("%-30s equality on %s\n", c, con.Path)
		}
	}
	// Output:
	// Tasks/status=FAILED            equality on Tasks/status
	// Tasks/start_time>=1700000000   range on Tasks/start_time from 1700000000
	// Tasks/stdout.matches(.*OOM.*)  evaluate on what the index yields
}

func ExampleParser() {
	p := query.Parser{Normalize: query.LowerHostNames}
	e, _ := p.Parse("Hosts/host_name=C6401.Ambari.Apache.Org")
	fmt.Println(e)
	// Output: Hosts/host_name=c6401.ambari.apache.org
}

func ExampleCache() {
	c := query.NewCache(nil, 1024, 0)
	a, _ := c.Parse("Hosts/cpu_count>=2")
	b, _ := c.Parse("Hosts/cpu_count>=2")
	fmt.Println(a == b)
	// Output: true
}

// layout puts Hosts/cpu_count in slot 0 and Hosts/os_type in slot 1.
type layout struct{}

func (layout) Slot(p query.Path) (int, bool) {
	switch p.String() {
	case "Hosts/cpu_count":
		return 0, true
	case "Hosts/os_type":
		return 1, true
	}
	return 0, false
}

func (layout) Category(query.Path) []int { return nil }

func ExampleBind() {
	e, _ := query.Parse("Hosts/cpu_count>=2&Hosts/os_type.in(rhel8,centos7)")
	b := query.Bind(e, layout{})
	fmt.Println(b.Match([]any{4, "rhel8"}), b.Match([]any{1, "rhel8"}))
	// Output: true false
}
