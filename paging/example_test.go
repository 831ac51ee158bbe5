package paging_test

import (
	"fmt"
	"net/url"

	"github.com/ambitkit/ambit/paging"
)

// hosts is a sorted slice of host names; a name is its own id and key.
func hosts() *paging.Slice[string] {
	return &paging.Slice[string]{
		Items: []string{"h1", "h2", "h3", "h4", "h5", "h6", "h7"},
		KeyOf: func(h string) paging.Key { return paging.Key{h} },
		IDOf:  func(h string) string { return h },
	}
}

func Example_offsets() {
	v, _ := url.ParseQuery("page_size=3&from=2")
	r, err := paging.Parse(v, paging.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := paging.Apply(r, hosts(), paging.Listing{})
	fmt.Println(p.Items, "itemTotal:", p.Total)

	v, _ = url.ParseQuery("page_size=3&to=end")
	r, _ = paging.Parse(v, paging.Options{})
	p, _ = paging.Apply(r, hosts(), paging.Listing{})
	fmt.Println(p.Items, "itemTotal:", p.Total)
	// Output:
	// [h3 h4 h5] itemTotal: 7
	// [h5 h6 h7] itemTotal: 7
}

func Example_markers() {
	v, _ := url.ParseQuery("limit=3&marker=h3")
	r, _ := paging.Parse(v, paging.Options{})
	p, _ := paging.Apply(r, hosts(), paging.Listing{})
	fmt.Printf("%v prev=%q next=%q\n", p.Items, p.Prev, p.Next)
	// Output: [h4 h5 h6] prev="" next="h6"
}

func Example_tokens() {
	l := paging.Listing{Cursors: &paging.Cursors{Secret: []byte("server secret")}, Binding: "Hosts/os_type=rhel8"}
	r := paging.Request{Style: paging.Tokens, Size: 3}
	for {
		p, err := paging.Apply(r, hosts(), l)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p.Items)
		if p.NextToken == "" {
			break
		}
		r.Token = p.NextToken
	}
	// Output:
	// [h1 h2 h3]
	// [h4 h5 h6]
	// [h7]
}

func ExampleParseSortBy() {
	o, _ := paging.ParseSortBy("Hosts/cpu_count.DESC,Hosts/host_name")
	for _, k := range o {
		fmt.Println(k.Path, k.Desc)
	}
	// Output:
	// [Hosts cpu_count] true
	// [Hosts host_name] false
}
